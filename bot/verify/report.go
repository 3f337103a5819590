package verify

import (
	"strconv"
	"time"
)

// Verdict is the outcome of a verification. Its string values are part of
// the JSON format and do not change.
type Verdict string

const (
	// Verified: both images built and every check on the converted image passed.
	Verified Verdict = "verified"
	// OriginalBroken: the original Dockerfile does not build, so there is no
	// baseline. The converted image's results are still reported, but the
	// verdict does not count against the proposal.
	OriginalBroken Verdict = "original-broken"
	// Failed: the original built and the converted image did not build or
	// failed a check.
	Failed Verdict = "failed"
	// Skipped: nothing was verified (no converted Dockerfile, or the build
	// context exceeds the limits). Reason says which.
	Skipped Verdict = "skipped"
)

// CheckStatus is the result of one check; its values are part of the JSON
// format.
type CheckStatus string

const (
	Pass CheckStatus = "pass"
	Fail CheckStatus = "fail"
	// Unknown: the check could not decide (for example, a file whose format
	// it cannot read). It is reported, and does not fail the verdict.
	Unknown CheckStatus = "unknown"
)

// Check is one statement about the converted image, true or false, with the
// evidence. Detail names the file and the reason, for example
// "ENTRYPOINT /app resolves to /app (ELF, static)" or
// "/venv/bin/python → /usr/local/bin/python3.13: not in image".
type Check struct {
	Name    string      `json:"name"`              // stable identifier, see doc.go
	Status  CheckStatus `json:"status"`            // pass, fail or unknown
	Subject string      `json:"subject,omitempty"` // the file or setting the check is about
	Detail  string      `json:"detail"`
}

// OK reports whether the check did not fail (pass or unknown).
func (c Check) OK() bool { return c.Status != Fail }

// ImageReport describes one build and, when it built, the image.
type ImageReport struct {
	Built      bool          `json:"built"`
	BuildError string        `json:"build_error,omitempty"`
	LogTail    []string      `json:"log_tail,omitempty"` // last lines of the build log, sanitised
	Duration   time.Duration `json:"duration_ns"`        // wall time of the build

	Digest           string   `json:"digest,omitempty"`   // manifest digest
	Platform         string   `json:"platform,omitempty"` // os/arch[/variant] from the image config
	CompressedSize   int64    `json:"compressed_size"`    // config + layer blobs, as pushed
	UncompressedSize int64    `json:"uncompressed_size"`  // sum of uncompressed layer tars
	Layers           int      `json:"layers"`
	User             string   `json:"user"`
	Entrypoint       []string `json:"entrypoint"`
	Cmd              []string `json:"cmd"`
	WorkingDir       string   `json:"working_dir"`
	Env              []string `json:"env"`           // KEY=value, in config order
	ExposedPorts     []string `json:"exposed_ports"` // sorted, e.g. "8080/tcp"
}

// Report is the result of Verify. It renders as text (WriteText) and as
// JSON (encoding/json; the field names are documented in doc.go).
type Report struct {
	Verdict   Verdict      `json:"verdict"`
	Reason    string       `json:"reason"` // one sentence explaining the verdict
	Original  *ImageReport `json:"original,omitempty"`
	Converted *ImageReport `json:"converted,omitempty"`
	Checks    []Check      `json:"checks"`
}

// Failures returns the failed checks in order.
func (r *Report) Failures() []Check {
	var out []Check
	for _, c := range r.Checks {
		if c.Status == Fail {
			out = append(out, c)
		}
	}
	return out
}

// decide sets Verdict and Reason from the builds and checks. The rules:
// a broken original is never held against the proposal; otherwise the
// converted image must build and pass every check.
func (r *Report) decide() {
	fails := len(r.Failures())
	switch {
	case r.Original != nil && !r.Original.Built:
		r.Verdict = OriginalBroken
		switch {
		case r.Converted == nil:
			r.Reason = "the original Dockerfile does not build; nothing to compare against"
		case !r.Converted.Built:
			r.Reason = "the original Dockerfile does not build, and neither does the converted one; not held against the proposal"
		case fails > 0:
			r.Reason = plural(fails, "check fails", "checks fail") + " on the converted image, but the original Dockerfile does not build either; not held against the proposal"
		default:
			r.Reason = "the original Dockerfile does not build; the converted one builds and passes every check"
		}
	case r.Converted == nil:
		r.Verdict = Skipped
		r.Reason = "no converted Dockerfile: the original was measured only"
	case !r.Converted.Built:
		r.Verdict = Failed
		r.Reason = "the converted Dockerfile does not build"
	case fails > 0:
		r.Verdict = Failed
		r.Reason = plural(fails, "check fails", "checks fail") + " on the converted image"
	default:
		r.Verdict = Verified
		r.Reason = "both images build and every check on the converted image passes"
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
