package dockerfile

import "testing"

func TestRunMounts(t *testing.T) {
	t.Parallel()
	src := "FROM rust:1 AS build\nWORKDIR /app\n" +
		"RUN --mount=type=cache,target=/usr/local/cargo/registry --mount=type=cache,id=t,target=$CARGO_TARGET_DIR,sharing=locked \\\n" +
		"    --mount=type=bind,from=deps,source=/out,target=/deps,ro cargo build --release\n"
	f, err := Parse("Dockerfile", []byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := f.Stages[0].All(KindRun)[0].Run.Mounts
	want := []Mount{
		{Type: "cache", Target: "/usr/local/cargo/registry"},
		{Type: "cache", Target: "$CARGO_TARGET_DIR"},
		{Type: "bind", From: "deps", Source: "/out", Target: "/deps"},
	}
	if len(got) != len(want) {
		t.Fatalf("mounts = %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("mount %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}
