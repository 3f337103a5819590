package verify

import "strings"

// shellPaths are where a shell would be found: the usual ones, and
// busybox's in the distroless :debug images (distroless.md §4.11).
var shellPaths = []string{"/bin/sh", "/bin/bash", "/bin/dash", "/bin/ash", "/usr/bin/sh", "/usr/bin/bash", "/usr/bin/dash", "/busybox/sh"}

// checkNoShell fails when any shell path resolves to a file. A dangling
// symlink at /bin/sh is no shell.
func (in *inspection) checkNoShell() {
	var found []string
	for _, p := range shellPaths {
		r, err := in.fs.stat(p, "/")
		if err != nil || r.Node.kind != kindFile {
			continue
		}
		found = append(found, r.chain())
	}
	if len(found) > 0 {
		in.add("no-shell", Fail, "", "shell present: %s", strings.Join(found, ", "))
		return
	}
	in.add("no-shell", Pass, "", "no shell at %s", strings.Join(shellPaths, ", "))
}
