//go:build unix

package site_test

import (
	"syscall"
	"time"
)

// cpuTimes is the CPU time this process has used so far, in user code and
// in the kernel on its behalf.
func cpuTimes() (user, sys time.Duration) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0, 0
	}
	return time.Duration(ru.Utime.Nano()), time.Duration(ru.Stime.Nano())
}
