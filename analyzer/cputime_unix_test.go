//go:build unix

package analyzer

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time (user and system, all threads) the test
// process has used. The benchmarks report it per operation as cpu-ns/op:
// on a shared machine wall-clock ns/op swings with the load, CPU time far
// less, so ratios between benchmarks stay meaningful.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
