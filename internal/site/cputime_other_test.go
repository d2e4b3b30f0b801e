//go:build !unix

package site_test

import "time"

// cpuTimes would be the process's CPU time; zero where it is not measured,
// and the benchmark then leaves its figures out.
func cpuTimes() (user, sys time.Duration) { return 0, 0 }
