package sqlite

import (
	"context"
	"strings"
	"testing"
)

func TestSetSecret(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	if err := s.SetSecret(ctx, []byte("short")); err == nil {
		t.Error("a 5-byte secret was accepted")
	}
	a, b := []byte(strings.Repeat("a", 32)), []byte(strings.Repeat("b", 32))
	if err := s.SetSecret(ctx, a); err != nil {
		t.Fatal(err)
	}
	h := s.hasher.hash("pm@nhs.net")
	s.Close()
	s2, err := Open(s.path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if err := s2.SetSecret(ctx, b); err == nil || !strings.Contains(err.Error(), "LMCPRESS_SECRET") {
		t.Errorf("another secret: %v", err)
	}
	if err := s2.SetSecret(ctx, a); err != nil {
		t.Fatal(err)
	}
	if s2.hasher.hash("pm@nhs.net") != h || len(h) != 64 || strings.Contains(h, "nhs") {
		t.Errorf("hash %q", h)
	}
}
