package dockerfile

import "testing"

func TestRunScriptHeredocs(t *testing.T) {
	t.Parallel()
	src := "FROM debian:trixie\n" +
		"RUN <<EOF\napt-get update\nEOF\n" +
		"RUN cat <<EOT > /etc/apt/apt.conf.d/99norecommends && apt-get update\nAPT::Install-Recommends \"false\";\nEOT\n" +
		"RUN <<A cat > /a <<-B\na\nA\n\tb\n\tB\n" +
		"RUN python3 <<EOF\nprint(1)\nEOF\n" +
		"RUN <<EOF\n#!/usr/bin/env python3\nprint(1)\nEOF\n"
	f, err := Parse("Dockerfile", []byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	runs := f.Stages[0].All(KindRun)
	for i, want := range []struct {
		script string
		shell  bool
	}{
		{"apt-get update\n", true},
		{"cat <<EOT > /etc/apt/apt.conf.d/99norecommends && apt-get update\nAPT::Install-Recommends \"false\";\nEOT", true},
		{"<<A cat > /a <<-B\na\nA\n\tb\nB", true},
		// A non-shell program reading a heredoc on stdin is still started
		// by the shell: the script is the command line with its body.
		{"python3 <<EOF\nprint(1)\nEOF", true},
		{"#!/usr/bin/env python3\nprint(1)\n", false},
	} {
		got, ok := runs[i].Run.Script()
		if got != want.script || ok != want.shell {
			t.Errorf("RUN %d: Script() = %q, %v; want %q, %v", i, got, ok, want.script, want.shell)
		}
	}
}

func TestRunMountsParsed(t *testing.T) {
	t.Parallel()
	src := "FROM debian:trixie\n" +
		"RUN --mount=type=cache,target=/var/lib/apt,sharing=locked \\\n" +
		"    --mount=type=secret,id=npm,target=/root/.npmrc,required \\\n" +
		"    --mount=type=bind,from=build,source=/out,target=/in \\\n" +
		"    --mount=type=cache,target=$HOME/.cache/pip \\\n" +
		"    --network=none true\n"
	f, err := Parse("Dockerfile", []byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	run := f.Stages[0].Instructions[0].Run
	want := []Mount{
		{Type: "cache", Target: "/var/lib/apt"},
		{Type: "secret", Target: "/root/.npmrc"},
		{Type: "bind", From: "build", Source: "/out", Target: "/in"},
		{Type: "cache", Target: "$HOME/.cache/pip"},
	}
	if len(run.Mounts) != len(want) {
		t.Fatalf("mounts = %+v, want %+v", run.Mounts, want)
	}
	for i := range want {
		if run.Mounts[i] != want[i] {
			t.Errorf("mount %d = %+v, want %+v", i, run.Mounts[i], want[i])
		}
	}
	if run.Network != "none" {
		t.Errorf("network = %q, want none", run.Network)
	}
}

// A `# check=` comment above an instruction (not at the top of the file)
// made BuildKit's ParseInstruction dereference its nil linter (found by
// FuzzCheck: "\n#CheCk=skip=\n00").
func TestCheckCommentAboveInstruction(t *testing.T) {
	t.Parallel()
	for _, src := range []string{
		"FROM alpine:3.22\n# check=skip=JSONArgsRecommended\nCMD echo hi\n",
		"\n# check=skip=all\nFROM alpine:3.22\n",
		"FROM alpine:3.22\n# check=experimental=all;error=true\nONBUILD RUN true\n",
	} {
		f, err := Parse("Dockerfile", []byte(src), Options{})
		if err != nil {
			t.Errorf("%q: %v", src, err)
			continue
		}
		if len(f.Instructions) < 2 && len(f.Stages) != 1 {
			t.Errorf("%q: %d instructions", src, len(f.Instructions))
		}
	}
}
