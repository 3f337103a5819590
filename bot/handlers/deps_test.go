package handlers

import (
	"testing"
	"time"

	"github.com/riverqueue/river"
)

// A configured job timeout caps each kind's own default, so River can
// rescue a dead replica's job that soon; verification has its own knob.
func TestJobTimeouts(t *testing.T) {
	d := &Deps{}
	if got := (&ReviewWorker{Deps: d}).Timeout(nil); got != 10*time.Minute {
		t.Errorf("review default = %s", got)
	}
	d.JobTimeout = 30 * time.Second
	if got := (&ReviewWorker{Deps: d}).Timeout(nil); got != 30*time.Second {
		t.Errorf("review capped = %s", got)
	}
	if got := (&DeliveryWorker{Deps: d}).Timeout((*river.Job[DeliveryArgs])(nil)); got != 30*time.Second {
		t.Errorf("delivery capped = %s", got)
	}
	d.JobTimeout = time.Hour
	if got := (&DeliveryWorker{Deps: d}).Timeout(nil); got != time.Minute {
		t.Errorf("delivery keeps its shorter default: %s", got)
	}
	if got := (&VerifyWorker{Deps: d}).Timeout(nil); got != 45*time.Minute {
		t.Errorf("verify default = %s", got)
	}
	d.VerifyTimeout = 2 * time.Hour
	if got := (&VerifyWorker{Deps: d}).Timeout(nil); got != 2*time.Hour {
		t.Errorf("verify configured = %s", got)
	}
}
