package bot

import (
	"os"
	"strings"
	"testing"

	"github.com/distill-bot/distill/analyzer/report"
)

func TestReadmeEnvTable(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	want, err := report.ReplaceSection(string(b), "env", EnvTable())
	if err != nil {
		t.Fatal(err)
	}
	if want != string(b) {
		t.Error("README.md's environment table is stale: run `go generate ./bot`")
	}
}

func TestConfigErrorsSayHowToFix(t *testing.T) {
	t.Parallel()
	c := Defaults()
	err := c.Validate()
	if err == nil {
		t.Fatal("empty config validated")
	}
	for _, want := range []string{"DISTILL_APP_ID", "DISTILL_PRIVATE_KEY_FILE", "DISTILL_WEBHOOK_SECRET"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %s:\n%v", want, err)
		}
	}
	env := map[string]string{"DISTILL_APP_ID": "abc"}
	if err := c.FromEnv(func(k string) string { return env[k] }); err == nil || !strings.Contains(err.Error(), "DISTILL_APP_ID") {
		t.Errorf("bad app id: %v", err)
	}
	env = map[string]string{"DISTILL_APP_ID": "12", "DISTILL_PRIVATE_KEY": "x", "DISTILL_WEBHOOK_SECRET": "s", "DISTILL_JOB_TIMEOUT": "5m", "DISTILL_RESCUE_AFTER": "1m", "DATABASE_URL": "postgres://h/db"}
	c = Defaults()
	c.DatabaseURL, c.JobTimeout, c.RescueAfter = "", 0, 0
	if err := c.FromEnv(func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	if c.AppID != 12 || c.DatabaseURL != "postgres://h/db" {
		t.Errorf("config = %+v", c)
	}
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "DISTILL_RESCUE_AFTER") {
		t.Errorf("rescue shorter than timeout accepted: %v", err)
	}
}
