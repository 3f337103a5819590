package convert

import (
	"testing"

	"github.com/distill-bot/distill/analyzer/dockerfile"
)

func TestOnlyForHealthcheck(t *testing.T) {
	input := func(src string) *Input {
		t.Helper()
		f, err := dockerfile.Parse("Dockerfile", []byte(src), dockerfile.Options{})
		if err != nil {
			t.Fatal(err)
		}
		target, err := f.Target("")
		if err != nil {
			t.Fatal(err)
		}
		return newInput("Dockerfile", f, target, Options{})
	}
	cases := []struct {
		name, src, tool string
		want            bool
	}{
		{"healthcheck only", "FROM python:3.13-slim\nRUN apt-get update && apt-get install -y curl\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\n", "curl", true},
		{"also run by a RUN", "FROM python:3.13-slim\nRUN apt-get update && apt-get install -y curl\nRUN curl -fsSL https://example.com/x -o /x\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\n", "curl", false},
		{"no healthcheck", "FROM python:3.13-slim\nRUN apt-get update && apt-get install -y curl\n", "curl", false},
		{"healthcheck in a parent stage", "FROM python:3.13-slim AS base\nHEALTHCHECK CMD wget -qO- http://localhost/\nFROM base\nCMD [\"python\"]\n", "wget", true},
		{"not curl or wget", "FROM python:3.13-slim\nHEALTHCHECK CMD bash -c 'true'\n", "bash", false},
	}
	for _, c := range cases {
		if got := input(c.src).OnlyForHealthcheck(c.tool); got != c.want {
			t.Errorf("%s: OnlyForHealthcheck(%q) = %v, want %v", c.name, c.tool, got, c.want)
		}
	}
}
