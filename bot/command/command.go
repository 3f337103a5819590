// Package command reads distill's comment commands (`/optimize`,
// `/distill recheck`, `/distill explain <Rule>`, `/distill help`) out of
// issue and pull request comments.
//
// Parse classifies a comment as a command to run, a reply to give instead
// (usage errors, unknown subcommands with a "did you mean"), or nothing at
// all. Each command is a value in its own file; All lists them. Commands do
// no I/O themselves: what needs GitHub goes through Env, which the bot's
// handlers implement.
package command

import (
	"context"
	"fmt"
	"strings"
)

// Where says on what a command can be used.
type Where int

// Places a command applies to.
const (
	Anywhere Where = iota
	PullRequests
)

// Command is one comment command.
type Command struct {
	// Name is the command word: "optimize" for the top-level `/optimize`,
	// the subcommand for `/distill <name>`.
	Name string
	// TopLevel commands are written as `/<name>`; the others as
	// `/distill <name>`.
	TopLevel bool
	// Aliases are other ways to write the command, as full prefixes
	// ("/distill optimize").
	Aliases []string
	// Args documents the arguments ("[path…]", "<Rule>").
	Args string
	// Summary is one line for the help.
	Summary string
	// MinArgs and MaxArgs bound the number of arguments (MaxArgs < 0: no
	// limit).
	MinArgs, MaxArgs int
	// Privileged commands change the repository or start work on it: the
	// commenter needs the configured permission (commands.permission,
	// default write). Help and rule documentation are public.
	Privileged bool
	// On restricts the command to pull requests.
	On Where
	// Run executes the command. Commands that start a job return Queued;
	// the job reports back itself.
	Run func(ctx context.Context, inv *Invocation, env Env) (Outcome, error)
}

// Usage is how the command is written, with its arguments.
func (c *Command) Usage() string {
	u := "/distill " + c.Name
	if c.TopLevel {
		u = "/" + c.Name
	}
	if c.Args != "" {
		u += " " + c.Args
	}
	return u
}

// Invocation is one command line of a comment.
type Invocation struct {
	Command *Command
	Args    []string
	// Line is the command line as written (trimmed).
	Line string
}

// Outcome is what a command did.
type Outcome struct {
	// Reply is posted as an answer to the comment ("" for none).
	Reply string
	// Queued means the work continues in a job, which reacts and replies
	// when it is done.
	Queued bool
	// Refused means the command did not run; Reply says why.
	Refused bool
}

// Env is what commands may ask of the bot.
type Env interface {
	// Permission is the minimum permission privileged commands need
	// (commands.permission).
	Permission() string
	// Optimize queues the follow-up pull request with the conversion of
	// paths (none: the pull request's changed Dockerfiles, or on an issue
	// every Dockerfile of the default branch).
	Optimize(ctx context.Context, paths []string) error
	// Recheck queues a new review of the pull request's current head and
	// returns that head.
	Recheck(ctx context.Context) (string, error)
}

// All lists every command, in the order the help shows them. Adding a
// command means adding its file and its entry here.
func All() []*Command { return []*Command{Optimize, Recheck, Explain, Help} }

// Prefix is the word every subcommand follows.
const Prefix = "/distill"

// lookupSub finds a `/distill` subcommand by name (case-insensitive).
func lookupSub(name string) *Command {
	for _, c := range All() {
		if strings.EqualFold(c.Name, name) {
			return c
		}
	}
	return nil
}

// usageTable renders every command's usage and summary as a markdown
// table.
func usageTable() string {
	var b strings.Builder
	b.WriteString("| Command | What it does |\n|---|---|\n")
	for _, c := range All() {
		fmt.Fprintf(&b, "| `%s` | %s |\n", c.Usage(), c.Summary)
	}
	return b.String()
}
