package testenv

import (
	"os"
	"os/exec"
	"testing"
)

// EnableVar is the environment variable that turns the end-to-end suite on.
const EnableVar = "DISTILL_E2E"

// hostTools are the host programs the environment runs.
var hostTools = []string{"runc", "mmdebstrap", "apt-get", "dpkg-deb", "ldconfig", "go"}

// Require gates an end-to-end test. Without DISTILL_E2E=1 it skips and says
// how to run the suite; with it, missing prerequisites are failures, so CI
// cannot silently pass a suite that never ran.
func Require(t testing.TB) {
	t.Helper()
	if os.Getenv(EnableVar) != "1" {
		t.Skipf("end-to-end suite disabled: run `sudo bot/verify/e2e/setup.sh && %s=1 go test ./bot/verify/e2e/ -v` as root", EnableVar)
	}
	if err := CheckPrerequisites(); err != nil {
		t.Fatalf("%s=1 but the end-to-end prerequisites are missing: %v (run bot/verify/e2e/setup.sh)", EnableVar, err)
	}
}

// CheckPrerequisites reports the first missing prerequisite: root and the
// host tools installed by setup.sh.
func CheckPrerequisites() error {
	if os.Geteuid() != 0 {
		return errNotRoot
	}
	for _, tool := range hostTools {
		if _, err := exec.LookPath(tool); err != nil {
			return err
		}
	}
	return nil
}

type gateError string

func (e gateError) Error() string { return string(e) }

const errNotRoot = gateError("must run as root (buildkitd's OCI worker and runc need it)")
