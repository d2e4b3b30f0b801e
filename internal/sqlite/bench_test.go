package sqlite

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"lmcpress/internal/subscriber"
)

// BenchmarkSignUp measures one web sign-up (a write transaction with its
// fsync, synchronous=FULL) from many goroutines at once, as the server
// makes them.
func BenchmarkSignUp(b *testing.B) {
	s, err := Open(b.TempDir() + "/lmcpress.db")
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	var n atomic.Int64
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			_, err := s.SignUp(context.Background(), subscriber.Subscriber{Email: fmt.Sprintf("p%d@nhs.net", i), Areas: []string{"Northfield"}},
				subscriber.Event{At: day.Add(time.Duration(i) * time.Millisecond), Wording: "Send me the newsletter.", Version: "form-1"}, 3)
			if err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkImport10k measures importing 10,000 new people in one
// transaction.
func BenchmarkImport10k(b *testing.B) {
	recs := make([]subscriber.Record, 10000)
	for i := range recs {
		recs[i] = rec(i+2, fmt.Sprintf("person%05d@nhs.net", i), subscriber.Confirmed, func(r *subscriber.Record) {
			r.Name, r.Areas = fmt.Sprintf("Person %d", i), []string{"Northfield", "Kingsmere"}
		})
	}
	for b.Loop() {
		b.StopTimer()
		s, err := Open(b.TempDir() + "/lmcpress.db")
		if err != nil {
			b.Fatal(err)
		}
		if err := s.SetSecret(context.Background(), secret); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := s.Import(context.Background(), recs, ImportOptions{File: "x.csv", At: day}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
}
