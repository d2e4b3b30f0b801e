package flock

import (
	"os"
	"path/filepath"
	"testing"
)

// TestLockDiesWithItsFile: a second open of a locked file cannot take the
// lock, and can once the first is closed (as when its process dies); a
// folder can be locked as a file can.
func TestLockDiesWithItsFile(t *testing.T) {
	if !Works {
		t.Skip("no flock on this system")
	}
	dir := t.TempDir()
	for _, name := range []string{filepath.Join(dir, "f"), dir} {
		if name != dir {
			if err := os.WriteFile(name, nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		a, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := Try(a); !ok || err != nil {
			t.Fatalf("%s: first Try = %v, %v", name, ok, err)
		}
		b, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := Try(b); ok || err != nil {
			t.Fatalf("%s: Try while another open holds it = %v, %v; want false", name, ok, err)
		}
		a.Close()
		if ok, err := Try(b); !ok || err != nil {
			t.Fatalf("%s: Try after the holder closed = %v, %v", name, ok, err)
		}
		c, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan error)
		go func() { done <- Wait(c) }()
		b.Close()
		if err := <-done; err != nil {
			t.Fatalf("%s: Wait: %v", name, err)
		}
		c.Close()
	}
}
