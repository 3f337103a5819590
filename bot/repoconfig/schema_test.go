package repoconfig_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/invopop/jsonschema"

	"github.com/distill-bot/distill/analyzer/analyzertest"
	"github.com/distill-bot/distill/analyzer/config"
)

// docs/config.schema.json is generated from the Go types of
// analyzer/config (their doc comments and jsonschema tags), for editors
// (`# yaml-language-server: $schema=…`). This test fails when the file is
// stale; regenerate it with
//
//	go test ./bot/repoconfig -run TestConfigSchema -update
//
//go:generate go test -run TestConfigSchema -update .

// schemaFile is the published schema, relative to this package.
var schemaFile = filepath.Join("..", "..", "docs", "config.schema.json")

// SchemaID is where the published schema lives.
const schemaID = "https://raw.githubusercontent.com/distill-bot/distill/main/docs/config.schema.json"

func generateSchema(t *testing.T) []byte {
	t.Helper()
	r := &jsonschema.Reflector{ExpandedStruct: true, FieldNameTag: "yaml"}
	// Package paths are joined to this package's directory, so the
	// relative path lands on analyzer/config.
	if err := r.AddGoComments("github.com/distill-bot/distill/bot/repoconfig", filepath.Join("..", "..", "analyzer", "config")); err != nil {
		t.Fatal(err)
	}
	s := r.Reflect(&config.Config{})
	s.ID = schemaID
	s.Title = "distill configuration (.github/distill.yml)"
	s.Description = "Configuration of distill, the Dockerfile reviewer: in a repository's .github/distill.yml, with defaults from the organisation's .github repository. Generated from the Go types; see docs/configuration.md."
	// Keys whose Go fields have no doc comment.
	for def, descs := range map[string]map[string]string{
		"Commands": {"enabled": "Run comment commands such as /optimize (default true)."},
		"CheckRun": {"enabled": "Post the distill check run on pull requests (default true)."},
	} {
		if d, ok := s.Definitions[def]; ok {
			for key, desc := range descs {
				if p, ok := d.Properties.Get(key); ok && p != nil && p.Description == "" {
					p.Description = desc
				}
			}
		}
	}
	// Severity overrides take one of three values.
	if rules, ok := s.Definitions["Rules"]; ok {
		if sev, ok := rules.Properties.Get("severity"); ok && sev != nil {
			sev.AdditionalProperties = &jsonschema.Schema{Type: "string", Enum: []any{"error", "warning", "info"}}
		}
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

func TestConfigSchema(t *testing.T) {
	t.Parallel()
	got := generateSchema(t)
	if *analyzertest.Update {
		if err := os.WriteFile(schemaFile, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatalf("%v (generate it with: go test ./bot/repoconfig -run TestConfigSchema -update)", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s is stale: the configuration types changed. Regenerate it with:\n\tgo test ./bot/repoconfig -run TestConfigSchema -update", schemaFile)
	}
}

// Every key of the configuration, nested ones included, is in the schema,
// and unknown keys are refused there as the decoder refuses them.
func TestConfigSchemaCoversEveryKey(t *testing.T) {
	t.Parallel()
	var doc struct {
		AdditionalProperties *bool                      `json:"additionalProperties"`
		Properties           map[string]json.RawMessage `json:"properties"`
		Defs                 map[string]struct {
			AdditionalProperties *bool                      `json:"additionalProperties"`
			Properties           map[string]json.RawMessage `json:"properties"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(generateSchema(t), &doc); err != nil {
		t.Fatal(err)
	}
	check := func(typ reflect.Type, props map[string]json.RawMessage, additional *bool, where string) {
		if additional == nil || *additional {
			t.Errorf("%s allows unknown keys", where)
		}
		for i := 0; i < typ.NumField(); i++ {
			key, _, _ := strings.Cut(typ.Field(i).Tag.Get("yaml"), ",")
			if _, ok := props[key]; !ok {
				t.Errorf("%s lacks %q", where, key)
			}
		}
	}
	check(reflect.TypeOf(config.Config{}), doc.Properties, doc.AdditionalProperties, "the schema")
	var nested []string
	for _, typ := range []reflect.Type{reflect.TypeOf(config.Paths{}), reflect.TypeOf(config.Rules{}), reflect.TypeOf(config.Images{}),
		reflect.TypeOf(config.Commands{}), reflect.TypeOf(config.CheckRun{})} {
		d, ok := doc.Defs[typ.Name()]
		if !ok {
			t.Errorf("no definition of %s", typ.Name())
			continue
		}
		nested = append(nested, typ.Name())
		check(typ, d.Properties, d.AdditionalProperties, typ.Name())
	}
	sort.Strings(nested)
	if len(nested) != 5 {
		t.Errorf("definitions %v", nested)
	}
}
