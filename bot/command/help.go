package command

import (
	"context"
	"fmt"
)

// Help lists the commands.
var Help = &Command{
	Name:    "help",
	Summary: "Show this list.",
}

// Help's Run lists every command, Help included, so it is set after
// initialisation.
func init() {
	Help.Run = func(ctx context.Context, inv *Invocation, env Env) (Outcome, error) {
		return Outcome{Reply: HelpText(env.Permission())}, nil
	}
}

// HelpText is the answer to `/distill help`; permission is the level
// privileged commands need.
func HelpText(permission string) string {
	return fmt.Sprintf(`**distill commands**

%s
A command is the first word of a line in a comment on a pull request or an issue; lines in code blocks and quotes are ignored. `+"`/optimize`"+` and `+"`/distill recheck`"+` need the **%s** permission on the repository (set by `+"`commands.permission`"+` in `+"`.github/distill.yml`"+`); anyone may ask for help and rule documentation.`, usageTable(), permission)
}
