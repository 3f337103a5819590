package rules_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/distill-bot/distill/analyzer"
	"github.com/distill-bot/distill/analyzer/config"
)

// TestDistrolessRulesOnOddInput runs every rule over odd but parsable
// Dockerfiles: unresolved ARGs in FROM, invalid references, empty stages,
// stage cycles through names, heredocs in other languages. A rule that
// panics shows up as an "internal error" finding.
func TestDistrolessRulesOnOddInput(t *testing.T) {
	t.Parallel()
	inputs := []string{
		"ARG IMG\nFROM $IMG\nRUN go build -o /app .\nCMD [\"/app\"]\n",
		"FROM gcr.io/distroless/${V}:nonroot\nCOPY --from=nowhere /x /x\nCMD [\"node\", \"x.js\"]\n",
		"FROM Not_A:Valid::Ref\nRUN echo\n",
		"FROM scratch\n",
		"FROM gcr.io/distroless/static-debian13\n",
		"FROM golang:1.26 AS a\nFROM a AS b\nFROM b\nCOPY --from=a / /\nENTRYPOINT []\nCMD []\n",
		"FROM python:3.13 AS b\nRUN <<EOF\n#!/usr/bin/env python3\nprint('hi')\nEOF\nFROM gcr.io/distroless/python3-debian13\nCOPY --from=b / /\nHEALTHCHECK NONE\nCMD [\"python\"]\n",
		"FROM gcr.io/distroless/java21-debian13\nENV JAVA_OPTS=\nCMD [\"$JAVA_OPTS\"]\nENTRYPOINT [\"java\", \"$JAVA_OPTS\"]\n",
		"FROM node:22\nCMD npm\nENTRYPOINT [\"npx\"]\nEXPOSE ${PORT:-80} 70000 abc\nUSER 1000\n",
		"FROM golang:1.26-alpine AS b\nRUN CGO_ENABLED=$X go build -o $OUT\nRUN go build -o\nFROM scratch\nCOPY --from=b $OUT /\nCOPY --from=b /go/bin/ /\n",
		"FROM gcr.io/distroless/base-debian13:debug\nSHELL []\nRUN [\"sh\"]\nHEALTHCHECK CMD [\"CMD\"]\nCMD [\"sh\"]\n",
		"FROM python:3.9 AS b\nRUN pip install --target= && pip install --prefix && pip install --user x && . /bin/activate && uv pip install x\nFROM python:3.9-slim\nCOPY --from=b / /\n",
	}
	for _, src := range inputs {
		res, err := analyzer.Check(context.Background(), []byte(src), analyzer.Options{Path: "Dockerfile", Config: &config.Config{}, Now: time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Errorf("%q: %v", src, err)
			continue
		}
		for _, f := range res.Findings {
			if strings.Contains(f.Message, "internal error") {
				t.Errorf("%q: %s", src, f.Message)
			}
		}
	}
}
