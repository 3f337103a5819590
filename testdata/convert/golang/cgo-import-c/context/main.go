// go-cgo calls into C, so it needs cgo and glibc at run time.
package main

/*
#include <stdlib.h>
#include <string.h>

static int sum_digits(const char *s) {
	int n = 0;
	for (size_t i = 0; i < strlen(s); i++) {
		if (s[i] >= '0' && s[i] <= '9') n += s[i] - '0';
	}
	return n;
}
*/
import "C"

import (
	"fmt"
	"unsafe"
)

func main() {
	cs := C.CString("2026-08-21")
	defer C.free(unsafe.Pointer(cs))
	fmt.Printf("go-cgo: digit sum computed in C = %d\n", int(C.sum_digits(cs)))
}
