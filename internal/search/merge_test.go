package search

import (
	"math/rand"
	"slices"
	"testing"
)

// TestMergeRuns holds sortRun and mergeRuns, which unpack uses to put a
// term's pages in id order, to slices.Sort: keys cut into up to five runs,
// one a worker, each in the order a worker might have added its pages
// (rising, falling or neither).
func TestMergeRuns(t *testing.T) {
	rnd := rand.New(rand.NewSource(1))
	var scratch []uint64
	for n := range 300 {
		keys := make([]uint64, n)
		for i, id := range rnd.Perm(n) {
			keys[i] = uint64(id)<<32 | uint64(i)
		}
		cuts := []int{0}
		for range rnd.Intn(5) {
			cuts = append(cuts, rnd.Intn(n+1))
		}
		cuts = append(cuts, n)
		slices.Sort(cuts)
		for c := 1; c < len(cuts); c++ {
			run := keys[cuts[c-1]:cuts[c]]
			switch rnd.Intn(3) {
			case 0:
				slices.Sort(run)
			case 1:
				slices.Sort(run)
				slices.Reverse(run)
			}
			sortRun(run)
		}
		want := slices.Clone(keys)
		slices.Sort(want)
		var got []uint64
		got, scratch = mergeRuns(keys, scratch[:0])
		if !slices.Equal(got, want) {
			t.Fatalf("%d keys in runs cut at %v: %x, want %x", n, cuts, got, want)
		}
	}
}
