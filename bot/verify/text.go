package verify

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// WriteText renders the report for people: the verdict, a side-by-side
// table of the two images, every check on one line, then the failures in
// full and the build log tail of any build that failed. Plain text (no
// colours, no box drawing) so it reads the same in a terminal, a log and
// a GitHub code block.
func (r *Report) WriteText(w io.Writer) error {
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "distill verify: %s: %s\n", strings.ToUpper(string(r.Verdict)), r.Reason)

	if err := r.writeTable(ew); err != nil {
		return err
	}

	if len(r.Checks) > 0 {
		fmt.Fprintln(ew, "\nchecks")
		tw := tabwriter.NewWriter(ew, 0, 4, 2, ' ', 0)
		for _, c := range r.Checks {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", strings.ToUpper(string(c.Status)), c.Name, oneLine(c.Detail, 160))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if fails := r.Failures(); len(fails) > 0 {
		fmt.Fprintln(ew, "\nfailures")
		for _, c := range fails {
			if c.Subject != "" {
				fmt.Fprintf(ew, "  %s (%s):\n    %s\n", c.Name, c.Subject, c.Detail)
			} else {
				fmt.Fprintf(ew, "  %s:\n    %s\n", c.Name, c.Detail)
			}
		}
	}
	for _, b := range []struct {
		name string
		rep  *ImageReport
	}{{"original", r.Original}, {"converted", r.Converted}} {
		if b.rep == nil || b.rep.Built {
			continue
		}
		fmt.Fprintf(ew, "\n%s build failed: %s\n", b.name, b.rep.BuildError)
		if len(b.rep.LogTail) > 0 {
			fmt.Fprintf(ew, "build log (%s, last %d lines)\n", b.name, len(b.rep.LogTail))
			for _, l := range b.rep.LogTail {
				fmt.Fprintf(ew, "  %s\n", l)
			}
		}
	}
	return ew.err
}

// writeTable writes the side-by-side comparison of the two images.
func (r *Report) writeTable(w io.Writer) error {
	if r.Original == nil && r.Converted == nil {
		return nil
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	cols := []*ImageReport{r.Original}
	header := "\toriginal"
	if r.Converted != nil {
		cols = append(cols, r.Converted)
		header += "\tconverted"
	}
	fmt.Fprintln(tw, header)
	row := func(label string, f func(*ImageReport) string) {
		fmt.Fprint(tw, label)
		for _, c := range cols {
			fmt.Fprint(tw, "\t", f(c))
		}
		fmt.Fprintln(tw)
	}
	row("built", func(c *ImageReport) string {
		if c == nil {
			return "-"
		}
		if !c.Built {
			return "no (" + formatDuration(c.Duration) + ")"
		}
		return "yes (" + formatDuration(c.Duration) + ")"
	})
	built := func(f func(*ImageReport) string) func(*ImageReport) string {
		return func(c *ImageReport) string {
			if c == nil || !c.Built {
				return "-"
			}
			return f(c)
		}
	}
	anyBuilt := false
	for _, c := range cols {
		anyBuilt = anyBuilt || (c != nil && c.Built)
	}
	if !anyBuilt {
		return tw.Flush() // nothing to measure: sizes and config would all be "-"
	}
	row("compressed size", built(func(c *ImageReport) string {
		return formatBytes(c.CompressedSize) + r.change(c, func(i *ImageReport) int64 { return i.CompressedSize })
	}))
	row("uncompressed size", built(func(c *ImageReport) string {
		return formatBytes(c.UncompressedSize) + r.change(c, func(i *ImageReport) int64 { return i.UncompressedSize })
	}))
	row("layers", built(func(c *ImageReport) string { return fmt.Sprint(c.Layers) }))
	row("user", built(func(c *ImageReport) string {
		if c.User == "" {
			return "(root)"
		}
		return c.User
	}))
	row("entrypoint", built(func(c *ImageReport) string { return formatArgv(c.Entrypoint) }))
	row("cmd", built(func(c *ImageReport) string { return formatArgv(c.Cmd) }))
	row("workdir", built(func(c *ImageReport) string { return orDash(c.WorkingDir) }))
	row("exposed ports", built(func(c *ImageReport) string { return orDash(strings.Join(c.ExposedPorts, " ")) }))
	return tw.Flush()
}

// change renders the converted image's difference from the original.
func (r *Report) change(c *ImageReport, f func(*ImageReport) int64) string {
	if c != r.Converted || r.Original == nil || !r.Original.Built || f(r.Original) == 0 {
		return ""
	}
	pct := float64(f(c)-f(r.Original)) / float64(f(r.Original)) * 100
	return fmt.Sprintf(" (%+.0f%%)", pct)
}

func formatBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 4; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTP"[exp])
}

func formatDuration(d time.Duration) string {
	switch {
	case d <= 0:
		return "0s"
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < time.Minute:
		return d.Round(100 * time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}

func formatArgv(a []string) string {
	if len(a) == 0 {
		return "-"
	}
	b, _ := json.Marshal(a)
	return oneLine(string(b), 60)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// oneLine flattens and bounds a string for a table cell.
func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len([]rune(s)) > max {
		s = string([]rune(s)[:max-1]) + "…"
	}
	return s
}

// errWriter remembers the first write error so rendering code stays flat.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}
