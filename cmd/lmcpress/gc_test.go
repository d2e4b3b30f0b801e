package main

import (
	"runtime/debug"
	"testing"
)

// TestTuneGC: a build sets the collector up, unless the environment says
// how, and puts the settings back afterwards.
func TestTuneGC(t *testing.T) {
	origPct := debug.SetGCPercent(100)
	origLimit := debug.SetMemoryLimit(1 << 40)
	defer func() { debug.SetGCPercent(origPct); debug.SetMemoryLimit(origLimit) }()

	restore := tuneGC(func(string) string { return "" })
	if got := debug.SetGCPercent(buildGCPercent); got != buildGCPercent {
		t.Errorf("GC percent during a build = %d, want %d", got, buildGCPercent)
	}
	if got := debug.SetMemoryLimit(-1); got != buildMemoryLimit {
		t.Errorf("memory limit during a build = %d, want %d", got, buildMemoryLimit)
	}
	restore()
	if got := debug.SetGCPercent(-1); got != 100 {
		t.Errorf("GC percent after the build = %d, want 100 back", got)
	}
	debug.SetGCPercent(100)
	if got := debug.SetMemoryLimit(-1); got != 1<<40 {
		t.Errorf("memory limit after the build = %d, want %d back", got, int64(1<<40))
	}

	restore = tuneGC(func(k string) string { return map[string]string{"GOGC": "50", "GOMEMLIMIT": "2GiB"}[k] })
	if got := debug.SetGCPercent(-1); got != 100 {
		t.Errorf("GOGC set: GC percent = %d, want it left alone", got)
	}
	debug.SetGCPercent(100)
	if got := debug.SetMemoryLimit(-1); got != 1<<40 {
		t.Errorf("GOMEMLIMIT set: memory limit = %d, want it left alone", got)
	}
	restore()
}
