package command

import (
	"context"
	"fmt"
)

// Recheck reviews the pull request's current head again.
var Recheck = &Command{
	Name:       "recheck",
	Summary:    "Review the pull request's current head again and redo the check run.",
	Privileged: true,
	On:         PullRequests,
	Run: func(ctx context.Context, inv *Invocation, env Env) (Outcome, error) {
		head, err := env.Recheck(ctx)
		if err != nil {
			return Outcome{}, err
		}
		short := head
		if len(short) > 7 {
			short = short[:7]
		}
		return Outcome{Reply: fmt.Sprintf("distill is reviewing %s again; the check run updates when it is done.", short)}, nil
	},
}
