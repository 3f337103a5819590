package command

import (
	"context"
	"fmt"
	"path"
	"strings"
)

// Optimize opens or updates the follow-up pull request with the
// conversion.
var Optimize = &Command{
	Name:       "optimize",
	TopLevel:   true,
	Args:       "[path…]",
	Summary:    "Open (or update) a pull request that converts this pull request's changed Dockerfiles, or the named paths, to multi-stage builds with distroless final images. On an issue: every Dockerfile on the default branch.",
	MaxArgs:    maxPaths,
	Privileged: true,
	Run: func(ctx context.Context, inv *Invocation, env Env) (Outcome, error) {
		if err := env.Optimize(ctx, inv.Args); err != nil {
			return Outcome{}, err
		}
		return Outcome{Queued: true}, nil
	},
}

// maxPaths bounds the paths one /optimize names.
const maxPaths = 50

// cleanPaths makes paths repository-relative and refuses ones that leave
// the repository.
func cleanPaths(args []string) ([]string, error) {
	seen := map[string]bool{}
	var out []string
	for _, a := range args {
		p := strings.TrimPrefix(path.Clean("/"+strings.ReplaceAll(a, `\`, "/")), "/")
		if p == "" || p == "." || strings.Contains("/"+a+"/", "/../") {
			return nil, fmt.Errorf("`%s` is not a file path inside the repository.", a)
		}
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out, nil
}
