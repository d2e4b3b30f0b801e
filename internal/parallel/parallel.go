// Package parallel runs the same work on every core: the build converts,
// renders, indexes and writes thousands of independent items, and each of
// those stages hands them out the same way.
//
// The contract, for every function here:
//
//   - f is called once for each i in [0, n), from up to [Workers](n)
//     goroutines at once, so it must be safe to call concurrently; results
//     go into slots indexed by i, never appended to a shared slice.
//   - Items are handed out one at a time, in increasing order of i, to
//     whichever goroutine is free, so a slow item does not hold up a block of
//     others behind it, and work done in i order (search pages by id) stays
//     nearly in that order.
//   - The call returns when every f has returned. With one worker (one core,
//     or n == 1) f runs on the caller's goroutine and no goroutine is started.
//   - A panic in f is not recovered: it ends the program, as it would have
//     without this package.
package parallel

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
)

// Workers is how many goroutines [Do] uses for n items: one for each core Go
// may use (GOMAXPROCS), but never more than n.
func Workers(n int) int {
	return max(0, min(runtime.GOMAXPROCS(0), n))
}

// Do calls f(i) for each i in [0, n), on [Workers](n) goroutines.
func Do(n int, f func(i int)) {
	DoWorker(n, func(_, i int) { f(i) })
}

// DoWorker is [Do] for work that needs scratch space: f is also told which
// goroutine runs it, w in [0, Workers(n)). No two calls with the same w run
// at once, so f may use the w-th of Workers(n) buffers without a lock.
func DoWorker(n int, f func(w, i int)) {
	nw := Workers(n)
	if nw == 1 {
		for i := range n {
			f(0, i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range nw {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				f(w, i)
			}
		}()
	}
	wg.Wait()
}

// DoContext is [Do] for work that a cancelled build should stop: once ctx is
// done, items not yet started are skipped (those running finish). It returns
// ctx.Err() as it stands at the end, so a nil error means every f ran.
func DoContext(ctx context.Context, n int, f func(i int)) error {
	Do(n, func(i int) {
		if ctx.Err() == nil {
			f(i)
		}
	})
	return ctx.Err()
}
