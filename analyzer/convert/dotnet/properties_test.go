package dotnet_test

import (
	"strings"
	"testing"

	"github.com/distill-bot/distill/analyzer"
	"github.com/distill-bot/distill/analyzer/config"
	"github.com/distill-bot/distill/analyzer/convert"
)

// TestProperties runs odd .NET Dockerfiles through the converter: it must
// not fail, every conversion passes the self-check, lands on a chiseled
// image and is idempotent.
func TestProperties(t *testing.T) {
	t.Parallel()
	cases := []struct{ src, status string }{
		{"FROM mcr.microsoft.com/dotnet/aspnet:8.0\nCOPY out/ .\nENTRYPOINT dotnet App.dll", "converted"},
		{"FROM mcr.microsoft.com/dotnet/aspnet:latest\nCOPY out/ .\nENTRYPOINT [\"dotnet\",\"App.dll\"]", "declined"},
		{"FROM mcr.microsoft.com/dotnet/aspnet:11.0\nCOPY out/ .\nENTRYPOINT [\"dotnet\",\"App.dll\"]", "declined"},
		{"FROM mcr.microsoft.com/dotnet/aspnet:7.0\nCOPY out/ .\nENTRYPOINT [\"dotnet\",\"App.dll\"]", "declined"},
		{"FROM mcr.microsoft.com/dotnet/runtime-deps:8.0\nCOPY out/ /app\nENTRYPOINT [\"/app/App\"]", "converted"},
		{"FROM mcr.microsoft.com/dotnet/aspnet:8.0\nCOPY out/ /app\nWORKDIR /app\nUSER root\nENTRYPOINT [\"dotnet\",\"App.dll\"]", "converted"},
		{"FROM mcr.microsoft.com/dotnet/aspnet:8.0\nCOPY out/ /app\nWORKDIR /app\nRUN chmod +x App\nENTRYPOINT [\"dotnet\",\"App.dll\"]", "converted"},
		{"FROM mcr.microsoft.com/dotnet/aspnet:8.0\nCOPY out/ /app\nWORKDIR /app\nRUN sed -i s/a/b/ appsettings.json\nENTRYPOINT [\"dotnet\",\"App.dll\"]", "declined"},
		{"FROM mcr.microsoft.com/dotnet/sdk:8.0\nCOPY . .\nRUN dotnet build\nENTRYPOINT [\"dotnet\",\"bin/Debug/net8.0/App.dll\"]", "declined"},
		{"FROM mcr.microsoft.com/dotnet/sdk:8.0\nWORKDIR /src\nCOPY . .\nRUN dotnet publish -c Release\nENTRYPOINT [\"dotnet\",\"bin/Release/net8.0/publish/App.dll\"]", "converted"},
		{"FROM mcr.microsoft.com/dotnet/aspnet:8.0 AS base\nRUN apt-get update && apt-get install -y tzdata\nFROM base\nCOPY out/ /app\nENTRYPOINT [\"dotnet\",\"/app/App.dll\"]", "converted"},
		{"FROM mcr.microsoft.com/dotnet/aspnet:8.0\nCOPY out/ /app\nENTRYPOINT [\"dotnet\",\"/app/App.dll\"]\nCMD [\"--urls\", \"http://+:8080\"]", "converted"},
		{"FROM mcr.microsoft.com/dotnet/sdk:8.0-alpine AS build\nRUN dotnet publish -r linux-musl-x64 -o /out\nFROM mcr.microsoft.com/dotnet/runtime-deps:8.0-alpine\nCOPY --from=build /out /app\nENTRYPOINT [\"/app/App\"]", "declined"},
		{"FROM mcr.microsoft.com/dotnet/sdk:8.0\nCMD [\"dotnet\", \"watch\", \"run\"]", "declined"},
	}
	for _, tc := range cases {
		src := []byte(tc.src + "\n")
		opt := analyzer.ConvertOptions{Path: "Dockerfile", Config: &config.Config{}}
		p, err := analyzer.Convert(src, opt)
		if err != nil {
			t.Errorf("%q: %v", tc.src, err)
			continue
		}
		if string(p.Status) != tc.status {
			reason := ""
			if p.Decline != nil {
				reason = p.Decline.Reason
			}
			t.Errorf("%q: status %s (%s %s), want %s", tc.src, p.Status, p.Recipe, reason, tc.status)
		}
		if p.Status != convert.Converted {
			continue
		}
		if err := convert.SelfCheck(string(p.Dockerfile)); err != nil {
			t.Errorf("%q: self-check: %v", tc.src, err)
		}
		if !strings.Contains(p.FinalImage, "-noble-chiseled") {
			t.Errorf("%q: final image %s", tc.src, p.FinalImage)
		}
		again, err := analyzer.Convert(p.Dockerfile, opt)
		if err != nil || again.Status != convert.Unchanged {
			t.Errorf("%q: converting the result again gives %v %v:\n%s", tc.src, err, again.Status, p.Dockerfile)
		}
	}
}
