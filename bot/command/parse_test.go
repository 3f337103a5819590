package command

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
		// want is the command name, "reply" or "ignore".
		want string
		args []string
		line string
		// reply holds substrings the reply must contain.
		reply []string
	}{
		{name: "optimize", body: "/optimize", want: "optimize", line: "/optimize"},
		{name: "upper case with a path", body: "/OPTIMIZE api/Dockerfile", want: "optimize", args: []string{"api/Dockerfile"}},
		{name: "not the first word", body: "Please /optimize this", want: "ignore"},
		{name: "second line", body: "LGTM, thanks!\n\n/optimize\n", want: "optimize", line: "/optimize"},
		{name: "leading spaces", body: "   /optimize", want: "optimize"},
		{name: "CRLF", body: "hi\r\n/optimize web/Dockerfile\r\n", want: "optimize", args: []string{"web/Dockerfile"}},
		{name: "fenced code", body: "```\n/optimize\n```", want: "ignore"},
		{name: "fenced code with info string", body: "```sh\n/optimize\n```\n", want: "ignore"},
		{name: "tilde fence needs a long enough closer", body: "~~~~\n/optimize\n~~~\n/optimize\n~~~~\n", want: "ignore"},
		{name: "command after a fence", body: "```suggestion\n/optimize\n```\n/distill help", want: "help"},
		{name: "inline code is not a fence", body: "```/optimize```", want: "ignore"},
		{name: "quote", body: "> /optimize", want: "ignore"},
		{name: "quote without space", body: ">/optimize", want: "ignore"},
		{name: "nested quote", body: "> > /optimize", want: "ignore"},
		{name: "indented code", body: "text\n\n    /optimize\n", want: "ignore"},
		{name: "tab-indented code", body: "\t/optimize", want: "ignore"},
		{name: "html comment", body: "<!-- /optimize -->", want: "ignore"},
		{name: "multi-line html comment", body: "<!--\n/optimize\n-->\n", want: "ignore"},
		{name: "text after an html comment", body: "<!-- note --> /optimize", want: "optimize"},
		{name: "first command wins", body: "/optimize\n/distill help", want: "optimize"},
		{name: "other bots' commands", body: "/retest\n/lgtm", want: "ignore"},
		{name: "plain text", body: "Looks good to me.", want: "ignore"},
		{name: "empty", body: "", want: "ignore"},
		{name: "recheck", body: "/distill recheck", want: "recheck"},
		{name: "recheck with arguments", body: "/distill recheck now", want: "reply", reply: []string{"Usage: `/distill recheck`"}},
		{name: "explain", body: "/Distill Explain RunsAsRoot", want: "explain", args: []string{"RunsAsRoot"}},
		{name: "explain without a rule", body: "/distill explain", want: "reply", reply: []string{"Usage: `/distill explain <Rule>`"}},
		{name: "explain two rules", body: "/distill explain A B", want: "reply", reply: []string{"Usage: `/distill explain <Rule>`"}},
		{name: "explain in backticks", body: "/distill explain `RunsAsRoot`", want: "explain", args: []string{"RunsAsRoot"}},
		{name: "help", body: "/distill help", want: "help"},
		{name: "bare /distill is help", body: "/distill", want: "help"},
		{name: "misspelled subcommand", body: "/distill explian RunsAsRoot", want: "reply",
			reply: []string{"no command `/distill explian`", "Did you mean `/distill explain <Rule>`?", "| `/optimize [path…]` |"}},
		{name: "misspelled recheck", body: "/distill rechek", want: "reply", reply: []string{"Did you mean `/distill recheck`?"}},
		{name: "prefix of a subcommand", body: "/distill expl", want: "reply", reply: []string{"Did you mean `/distill explain <Rule>`?"}},
		{name: "unknown subcommand", body: "/distill frobnicate", want: "reply", reply: []string{"no command `/distill frobnicate`.\n\n| Command |"}},
		{name: "optimize as a subcommand", body: "/distill optimize a/Dockerfile", want: "optimize", args: []string{"a/Dockerfile"}},
		{name: "British spelling", body: "/optimise", want: "reply", reply: []string{"`/optimise` is not a distill command. Did you mean `/optimize`?"}},
		{name: "one typo in /distill", body: "/distil help", want: "reply", reply: []string{"Did you mean `/distill`?"}},
		{name: "path outside the repository", body: "/optimize ../etc/passwd", want: "reply", reply: []string{"`../etc/passwd` is not a file path inside the repository."}},
		{name: "paths cleaned", body: "/optimize ./api/Dockerfile, `web/Dockerfile` /root/Dockerfile api/Dockerfile", want: "optimize",
			args: []string{"api/Dockerfile", "web/Dockerfile", "root/Dockerfile"}},
		{name: "quoted path", body: `/optimize "my dir/Dockerfile"`, want: "optimize", args: []string{"my dir/Dockerfile"}},
		{name: "unclosed quote", body: `/optimize 'my dir`, want: "reply", reply: []string{"could not read the arguments"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := Parse(tt.body)
			set := 0
			if got.Invocation != nil {
				set++
			}
			if got.Reply != "" {
				set++
			}
			if got.Ignore {
				set++
			}
			if set != 1 {
				t.Fatalf("Parse(%q) = %+v: want exactly one of Invocation, Reply, Ignore", tt.body, got)
			}
			switch tt.want {
			case "ignore":
				if !got.Ignore {
					t.Errorf("Parse(%q) = %+v, want ignore", tt.body, got)
				}
			case "reply":
				if got.Reply == "" {
					t.Fatalf("Parse(%q) = %+v, want a reply", tt.body, got)
				}
				for _, s := range tt.reply {
					if !strings.Contains(got.Reply, s) {
						t.Errorf("reply %q lacks %q", got.Reply, s)
					}
				}
			default:
				if got.Invocation == nil {
					t.Fatalf("Parse(%q) = %+v, want %s", tt.body, got, tt.want)
				}
				if got.Invocation.Command.Name != tt.want {
					t.Errorf("command = %s, want %s", got.Invocation.Command.Name, tt.want)
				}
				if diff := cmp.Diff(tt.args, got.Invocation.Args); diff != "" {
					t.Errorf("args (-want +got):\n%s", diff)
				}
				if tt.line != "" && got.Line != tt.line {
					t.Errorf("line = %q, want %q", got.Line, tt.line)
				}
			}
		})
	}
}

// Re-parsing the line of a result gives the same result: jobs store only
// the line.
func TestParseLineRoundTrip(t *testing.T) {
	t.Parallel()
	for _, body := range []string{"x\n/optimize a/Dockerfile\n", "/distill explian X", "> q\n/distill help", "/optimise"} {
		r := Parse(body)
		again := Parse(r.Line)
		if r.Reply != again.Reply || (r.Invocation == nil) != (again.Invocation == nil) ||
			(r.Invocation != nil && (r.Invocation.Command != again.Invocation.Command || !cmp.Equal(r.Invocation.Args, again.Invocation.Args))) {
			t.Errorf("Parse(%q) = %+v but Parse(line) = %+v", body, r, again)
		}
	}
}

func TestCommandsAreConsistent(t *testing.T) {
	t.Parallel()
	names := map[string]bool{}
	for _, c := range All() {
		if c.Name == "" || c.Summary == "" || c.Run == nil {
			t.Errorf("command %+v lacks a name, summary or Run", c)
		}
		if names[c.Name] {
			t.Errorf("command %s listed twice", c.Name)
		}
		names[c.Name] = true
		if c.MaxArgs >= 0 && c.MaxArgs < c.MinArgs {
			t.Errorf("%s: MaxArgs < MinArgs", c.Name)
		}
	}
}

type fakeEnv struct {
	optimized [][]string
	rechecked int
}

func (e *fakeEnv) Permission() string { return "maintain" }
func (e *fakeEnv) Optimize(ctx context.Context, paths []string) error {
	e.optimized = append(e.optimized, paths)
	return nil
}
func (e *fakeEnv) Recheck(ctx context.Context) (string, error) {
	e.rechecked++
	return "0123456789abcdef", nil
}

func run(t *testing.T, body string, env Env) Outcome {
	t.Helper()
	r := Parse(body)
	if r.Invocation == nil {
		t.Fatalf("Parse(%q) = %+v", body, r)
	}
	out, err := r.Invocation.Command.Run(t.Context(), r.Invocation, env)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRun(t *testing.T) {
	t.Parallel()
	env := &fakeEnv{}
	if out := run(t, "/optimize a/Dockerfile", env); !out.Queued || out.Reply != "" {
		t.Errorf("optimize outcome %+v", out)
	}
	if diff := cmp.Diff([][]string{{"a/Dockerfile"}}, env.optimized); diff != "" {
		t.Errorf("optimize calls (-want +got):\n%s", diff)
	}
	if out := run(t, "/distill recheck", env); out.Reply != "distill is reviewing 0123456 again; the check run updates when it is done." || env.rechecked != 1 {
		t.Errorf("recheck outcome %+v", out)
	}
	help := run(t, "/distill help", env)
	for _, s := range []string{"| `/optimize [path…]` |", "| `/distill recheck` |", "| `/distill explain <Rule>` |", "| `/distill help` |", "**maintain** permission"} {
		if !strings.Contains(help.Reply, s) {
			t.Errorf("help lacks %q:\n%s", s, help.Reply)
		}
	}
	doc := run(t, "/distill explain runsasroot", env)
	if !strings.HasPrefix(doc.Reply, "### RunsAsRoot\n\nwarning · ") || doc.Refused {
		t.Errorf("explain reply:\n%s", doc.Reply)
	}
	unknown := run(t, "/distill explain RunAsRoot", env)
	if !unknown.Refused || !strings.Contains(unknown.Reply, "distill has no rule `RunAsRoot`. Did you mean `RunsAsRoot`") {
		t.Errorf("explain of an unknown rule: %+v", unknown)
	}
	none := run(t, "/distill explain Xyzzy", env)
	if !none.Refused || strings.Contains(none.Reply, "Did you mean") {
		t.Errorf("explain of a far-off rule: %+v", none)
	}
}
