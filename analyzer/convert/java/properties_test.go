package java_test

import (
	"strings"
	"testing"

	"github.com/distill-bot/distill/analyzer"
	"github.com/distill-bot/distill/analyzer/config"
	"github.com/distill-bot/distill/analyzer/convert"
)

// TestProperties runs odd Java Dockerfiles through the converter: it must
// not fail, every conversion passes the self-check and converting it again
// changes nothing.
func TestProperties(t *testing.T) {
	t.Parallel()
	cases := []struct{ src, status string }{
		{"FROM eclipse-temurin:21\nCOPY app.jar /app.jar\nCMD java -jar /app.jar", "converted"},
		{"FROM eclipse-temurin:latest\nCOPY app.jar /app.jar\nCMD [\"java\",\"-jar\",\"/app.jar\"]", "declined"},
		{"FROM openjdk\nCOPY app.jar /app.jar\nCMD [\"java\",\"-jar\",\"/app.jar\"]", "declined"},
		{"FROM eclipse-temurin:21-jre\nCOPY app.jar /app.jar\nENTRYPOINT [\"java\"]\nCMD [\"-jar\",\"/app.jar\"]", "converted"},
		{"FROM eclipse-temurin:21-jre\nCOPY a.jar .\nENTRYPOINT java -jar a.jar $@", "converted"},
		{"FROM eclipse-temurin:21-jre\nCOPY a.jar .\nENTRYPOINT [\"java\",\"-jar\",\"a.jar\"]\nHEALTHCHECK NONE", "converted"},
		{"FROM eclipse-temurin:21-jre\nCOPY a.jar .\nSHELL [\"/bin/bash\",\"-c\"]\nCMD java -jar a.jar", "converted"},
		{"FROM eclipse-temurin:21-jre\nCOPY a.jar .\nVOLUME /data\nCMD [\"java\",\"-jar\",\"a.jar\"]", "converted"},
		{"FROM eclipse-temurin:21-jre\nCOPY a.jar .\nONBUILD RUN echo\nCMD [\"java\",\"-jar\",\"a.jar\"]", "converted"},
		{"FROM eclipse-temurin:21-jre AS base\nCOPY a.jar /a.jar\nFROM base\nCMD [\"java\",\"-jar\",\"/a.jar\"]", "converted"},
		{"FROM eclipse-temurin:21-jre\nRUN echo hi > /etc/motd\nCOPY a.jar /a.jar\nCMD [\"java\",\"-jar\",\"/a.jar\"]", "converted"},
		{"FROM eclipse-temurin:21-jre\nCOPY <<EOF /x.txt\nhi\nEOF\nCOPY a.jar /a.jar\nCMD [\"java\",\"-jar\",\"/a.jar\"]", "converted"},
		{"FROM eclipse-temurin:21-jre\nCOPY <<EOF /x.txt\nhi\nEOF\nCOPY a.jar /a.jar\nRUN mkdir /logs\nCMD [\"java\",\"-jar\",\"/a.jar\"]", "converted"},
		{"FROM gcr.io/distroless/java17-debian13\nCOPY a.jar /a.jar\nCMD [\"/a.jar\"]", "converted"},
		{"FROM gcr.io/distroless/java17\nCOPY a.jar a.jar\nCMD [\"a.jar\"]", "converted"},
		{"FROM gcr.io/distroless/java21-debian13:nonroot\nCOPY a.jar /a.jar\nCMD [\"java\", \"-jar\", \"/a.jar\"]", "converted"},
		{"FROM gcr.io/distroless/java21-debian13:nonroot\nCOPY a.jar /a.jar\nRUN [\"/busybox/sh\", \"-c\", \"true\"]\nCMD [\"/a.jar\"]", "declined"},
		{"FROM eclipse-temurin:26-jre\nCOPY a.jar /a.jar\nCMD [\"java\",\"-jar\",\"/a.jar\"]", "declined"},
		{"FROM eclipse-temurin:16-jre\nCOPY a.jar /a.jar\nCMD [\"java\",\"-jar\",\"/a.jar\"]", "converted"},
		{"FROM eclipse-temurin:21-jre\nCOPY a.jar /a.jar\nCMD [\"java\",\"-cp\",\"/a.jar:/libs/*\",\"x.Main\",\"--flag\"]", "converted"},
		{"FROM eclipse-temurin:21-jre\nCOPY a.jar /a.jar\nCMD [\"java\",\"@/opts\",\"-jar\",\"/a.jar\"]", "declined"},
		{"FROM eclipse-temurin:21-jre\nWORKDIR app\nCOPY a.jar .\nCMD [\"java\",\"-jar\",\"a.jar\"]", "converted"},
		{"FROM eclipse-temurin:21-jre\nARG V=1\nCOPY target/app-${V}.jar /app.jar\nCMD [\"java\",\"-jar\",\"/app.jar\"]", "converted"},
		{"FROM maven:3-eclipse-temurin-21\nCOPY . .\nRUN mvn package\nCMD [\"java\",\"-jar\",\"target/x.jar\"]", "converted"},
		{"FROM maven:3-eclipse-temurin-21\nWORKDIR /\nCOPY . .\nRUN mvn package\nCMD [\"java\",\"-cp\",\".\",\"Main\"]", "declined"},
		{"FROM gradle:jdk21\nCOPY . .\nRUN gradle build\nCMD [\"java\",\"-jar\",\"build/libs/x.jar\"]", "converted"},
		{"FROM eclipse-temurin:21-jre\nCOPY a.jar /a.jar\nENV JAVA_TOOL_OPTIONS=\"-javaagent:/agent.jar\"\nRUN mkdir /x\nCMD [\"java\",\"-jar\",\"/a.jar\"]", "declined"},
		{"FROM eclipse-temurin:21-jre\nCOPY agent.jar /agent.jar\nCOPY a.jar /a.jar\nENV JAVA_TOOL_OPTIONS=\"-javaagent:/agent.jar\"\nRUN mkdir /x\nCMD [\"java\",\"-jar\",\"/a.jar\"]", "converted"},
		{"FROM eclipse-temurin:21-jre\nCOPY out/ /\nCMD [\"java\",\"-jar\",\"/a.jar\"]\nRUN mkdir /x", "declined"},
		{"FROM eclipse-temurin:21-jre\nCOPY a.jar /a.jar\nCMD java -jar /a.jar | tee /log", "declined"},
		{"FROM eclipse-temurin:21-jre\nCOPY a.jar /a.jar\nENTRYPOINT [\"/sbin/tini\", \"--\", \"java\", \"-jar\", \"/a.jar\"]\nCMD [\"--x\"]", "converted"},
		{"FROM eclipse-temurin:21-jre AS runtime\nCOPY a.jar /a.jar\nCMD [\"java\",\"-jar\",\"/a.jar\"]\nFROM runtime AS smoke\nRUN java -version", "converted"},
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
		if !strings.Contains(string(p.Dockerfile), "gcr.io/distroless/java") {
			t.Errorf("%q: no distroless Java image:\n%s", tc.src, p.Dockerfile)
		}
		again, err := analyzer.Convert(p.Dockerfile, opt)
		if err != nil || again.Status != convert.Unchanged {
			t.Errorf("%q: converting the result again gives %v %v:\n%s", tc.src, err, again.Status, p.Dockerfile)
		}
	}
}
