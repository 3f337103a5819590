package convert

import (
	"fmt"
	"strings"

	"github.com/distill-bot/distill/analyzer/dockerfile"
)

// SelfCheck lints an emitted Dockerfile the way the rulebook's §7.2 says
// every proposal must pass: it parses; the final stage has no RUN and no
// SHELL; CMD, ENTRYPOINT and HEALTHCHECK are exec form; every COPY --from
// names an existing stage or an image; a distroless base is pinned to a
// published Debian release and not removed.
func SelfCheck(text string) error { return SelfCheckTarget(text, "") }

// SelfCheckTarget is SelfCheck for the stage named target ("" for the
// last stage): a shipped stage converted in place may be followed by
// test or dev stages.
func SelfCheckTarget(text, target string) error {
	f, err := dockerfile.Parse("", []byte(text), dockerfile.Options{})
	if err != nil {
		return fmt.Errorf("does not parse: %w", err)
	}
	final, err := f.Target(target)
	if err != nil {
		return fmt.Errorf("target: %w", err)
	}
	root := final.RootBase()
	distroless := root.IsDistroless() || strings.Contains(root.Tag, "chiseled")
	for _, in := range final.Instructions {
		switch {
		case in.Kind == dockerfile.KindRun && distroless:
			return fmt.Errorf("line %d: RUN in the distroless stage", in.StartLine)
		case in.Kind == dockerfile.KindShell && distroless:
			return fmt.Errorf("line %d: SHELL in the distroless stage", in.StartLine)
		case (in.Kind == dockerfile.KindCmd || in.Kind == dockerfile.KindEntrypoint) && in.Exec.Shell:
			return fmt.Errorf("line %d: %s in shell form", in.StartLine, in.Kind)
		case in.Kind == dockerfile.KindHealthcheck && in.Healthcheck.Shell():
			return fmt.Errorf("line %d: HEALTHCHECK in shell form", in.StartLine)
		case (in.Kind == dockerfile.KindCopy) && in.Copy.From != "":
			if f.Stage(in.Copy.From) == nil && !strings.ContainsAny(in.Copy.From, ":/") {
				return fmt.Errorf("line %d: COPY --from=%s names no stage", in.StartLine, in.Copy.From)
			}
		}
	}
	if root.IsDistroless() {
		dl := Catalog.ParseDistroless(strings.TrimPrefix(root.Repository, "distroless/"), root.Tag)
		switch {
		case dl.Debian == 0:
			return fmt.Errorf("%s is not pinned to a Debian release", root.Familiar())
		case !dl.Published:
			return fmt.Errorf("%s is not published", root.Familiar())
		case dl.Removed != nil:
			return fmt.Errorf("%s is removed: %s", root.Familiar(), dl.Removed.Reason)
		case !dl.TagKnown:
			return fmt.Errorf("%s uses a frozen tag", root.Familiar())
		}
	}
	return nil
}
