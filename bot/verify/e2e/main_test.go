// Package e2e proves distill's end-to-end build environment: real BuildKit
// builds of real Dockerfiles against synthesized base images, run under
// runc. Run it with DISTILL_E2E=1 as root (see README.md).
package e2e

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/distill-bot/distill/bot/verify/e2e/testenv"
)

// shared is the one environment every test in this package uses: starting
// it costs minutes cold, so it is started once, on first use, and closed in
// TestMain.
var shared struct {
	once sync.Once
	env  *testenv.Env
	err  error
	took time.Duration
}

func environment(t *testing.T) *testenv.Env {
	t.Helper()
	testenv.Require(t)
	shared.once.Do(func() {
		t0 := time.Now()
		shared.env, shared.err = testenv.New(context.Background(), testenv.Options{
			Logf: func(format string, args ...any) {
				fmt.Fprintf(os.Stderr, "%s "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
			},
		})
		shared.took = time.Since(t0)
		if shared.err == nil {
			fmt.Fprintf(os.Stderr, "e2e environment ready in %s\n", shared.took.Round(time.Second))
		}
	})
	if shared.err != nil {
		t.Fatalf("starting the e2e environment: %v", shared.err)
	}
	return shared.env
}

func TestMain(m *testing.M) {
	// The BuildKit client's content store warns about fsverity on every
	// export; that is noise here.
	logrus.SetLevel(logrus.ErrorLevel)
	code := m.Run()
	if shared.env != nil {
		if err := shared.env.Close(); err != nil {
			fmt.Fprintf(os.Stderr, "closing the e2e environment: %v\n", err)
			if code == 0 {
				code = 1
			}
		}
	}
	os.Exit(code)
}
