package parallel

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
)

func TestDoCallsEachIndexOnce(t *testing.T) {
	for _, procs := range []int{1, 4} {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		for _, n := range []int{0, 1, 2, 7, 1000} {
			calls := make([]int32, n)
			Do(n, func(i int) { atomic.AddInt32(&calls[i], 1) })
			for i, c := range calls {
				if c != 1 {
					t.Fatalf("GOMAXPROCS %d, n %d: f(%d) called %d times", procs, n, i, c)
				}
			}
		}
	}
}

func TestWorkers(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	for n, want := range map[int]int{0: 0, 1: 1, 3: 3, 4: 4, 100: 4} {
		if got := Workers(n); got != want {
			t.Errorf("Workers(%d) = %d with GOMAXPROCS 4, want %d", n, got, want)
		}
	}
}

// TestDoWorkerNeverSharesAWorker checks the promise scratch space relies
// on: no two calls with the same w run at once.
func TestDoWorkerNeverSharesAWorker(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	const n = 2000
	nw := Workers(n)
	busy := make([]atomic.Bool, nw)
	var bad atomic.Int32
	var seen sync.Map
	DoWorker(n, func(w, i int) {
		if w < 0 || w >= nw {
			bad.Add(1)
			return
		}
		if !busy[w].CompareAndSwap(false, true) {
			bad.Add(1)
		}
		seen.Store(i, true)
		runtime.Gosched()
		busy[w].Store(false)
	})
	if bad.Load() != 0 {
		t.Fatalf("%d calls got a worker out of range or one already busy", bad.Load())
	}
	count := 0
	seen.Range(func(any, any) bool { count++; return true })
	if count != n {
		t.Fatalf("%d distinct items ran, want %d", count, n)
	}
}

func TestOneWorkerRunsOnTheCaller(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	before := runtime.NumGoroutine()
	var order []int
	Do(5, func(i int) {
		order = append(order, i) // no lock: the caller's goroutine only
		if g := runtime.NumGoroutine(); g != before {
			t.Errorf("%d goroutines during Do, %d before", g, before)
		}
	})
	if len(order) != 5 || order[0] != 0 || order[4] != 4 {
		t.Fatalf("order %v, want 0..4", order)
	}
}

func TestDoContextSkipsOnceCancelled(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	ctx, cancel := context.WithCancel(context.Background())
	var ran, late atomic.Int32
	var cancelled atomic.Bool
	err := DoContext(ctx, 100_000, func(i int) {
		if cancelled.Load() {
			late.Add(1)
		}
		if ran.Add(1) == 10 {
			cancel()
			cancelled.Store(true)
		}
	})
	if err != context.Canceled {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if r := ran.Load(); r < 10 {
		t.Fatalf("%d items ran, want at least the ten before the cancel", r)
	}
	// Once cancel has returned, the other of the two goroutines may still
	// start the one item it had taken before; no later one. (How many it
	// runs while cancel is under way depends on the scheduler: on a busy
	// machine the goroutine cancelling can be preempted inside cancel.)
	if l := late.Load(); l > 1 {
		t.Fatalf("%d items started after cancel returned, want at most 1", l)
	}
	if err := DoContext(context.Background(), 3, func(int) {}); err != nil {
		t.Fatalf("err = %v with a live context", err)
	}
}
