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

func TestConfigSecretsFromFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, content string) string {
		p := dir + "/" + name
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	env := map[string]string{
		"DISTILL_WEBHOOK_SECRET_FILE":          write("secret", "new-secret\n"),
		"DISTILL_WEBHOOK_SECRET_PREVIOUS_FILE": write("previous", "old-secret\n"),
		"DISTILL_DATABASE_URL_FILE":            write("db", "postgres://u:p@h/db\n"),
		"DISTILL_VERIFY_TIMEOUT":               "1h",
	}
	var c Config
	if err := c.FromEnv(func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	if c.WebhookSecret != "new-secret" || c.PreviousWebhookSecret != "old-secret" || c.DatabaseURL != "postgres://u:p@h/db" || c.VerifyTimeout.String() != "1h0m0s" {
		t.Errorf("config = %+v", c)
	}

	// The variable wins over the file; a missing or empty file is an error
	// that names the variable.
	env["DISTILL_DATABASE_URL"] = "other.db"
	c = Config{}
	if err := c.FromEnv(func(k string) string { return env[k] }); err != nil || c.DatabaseURL != "other.db" {
		t.Errorf("DatabaseURL = %q, %v", c.DatabaseURL, err)
	}
	env["DISTILL_WEBHOOK_SECRET_PREVIOUS_FILE"] = write("empty", "\n")
	c = Config{}
	if err := c.FromEnv(func(k string) string { return env[k] }); err == nil || !strings.Contains(err.Error(), "DISTILL_WEBHOOK_SECRET_PREVIOUS_FILE") {
		t.Errorf("empty secret file: %v", err)
	}
	env["DISTILL_WEBHOOK_SECRET_PREVIOUS_FILE"] = dir + "/missing"
	c = Config{}
	if err := c.FromEnv(func(k string) string { return env[k] }); err == nil || !strings.Contains(err.Error(), "DISTILL_WEBHOOK_SECRET_PREVIOUS_FILE") {
		t.Errorf("missing secret file: %v", err)
	}
}

func TestConfigBuildkitTLSPair(t *testing.T) {
	t.Parallel()
	c := Defaults()
	c.AppID, c.PrivateKey, c.WebhookSecret = 1, "k", "s"
	c.BuildkitCert = "client.pem"
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "DISTILL_BUILDKIT_KEY") {
		t.Errorf("certificate without key accepted: %v", err)
	}
	c.BuildkitKey = "client-key.pem"
	if err := c.Validate(); err != nil {
		t.Error(err)
	}
}
