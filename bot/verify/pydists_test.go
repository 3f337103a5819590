package verify

import (
	"context"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

func TestPythonDistsAppliesWhiteouts(t *testing.T) {
	img := image(t, v1.Config{},
		newLayer(t).
			text("/usr/local/lib/python3.13/site-packages/pip-25.0.dist-info/METADATA", "Name: pip").
			text("/usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO", "Name: six"),
		newLayer(t).
			text("/usr/local/lib/python3.13/dist-packages/Greeting_Lib-1.0.dist-info/METADATA", "Name: greeting-lib").
			text("/usr/local/lib/python3.13/dist-packages/greeting_lib/__init__.py", "").
			text("/venv/lib/python3.13/site-packages/flask-3.1.0.dist-info/RECORD", ""),
		newLayer(t).whiteout("/usr/lib/python3/dist-packages/six-1.16.0.egg-info").
			opaque("/venv/lib/python3.13/site-packages"),
	)
	got, err := pythonDists(context.Background(), img, FSLimits{})
	if err != nil {
		t.Fatal(err)
	}
	if d, ok := got["greeting-lib"]; !ok || d.Version != "1.0" || d.Dir != "/usr/local/lib/python3.13/dist-packages" {
		t.Errorf("greeting-lib = %+v (%v)", d, ok)
	}
	if _, ok := got["pip"]; !ok {
		t.Error("pip missing")
	}
	for _, gone := range []string{"six", "flask"} {
		if _, ok := got[gone]; ok {
			t.Errorf("%s survived its whiteout", gone)
		}
	}
}

// The lost site-packages: pip installed into the builder's system
// site-packages, and only /app reached the distroless image.
func TestCheckPythonPackagesCatchesLostSitePackages(t *testing.T) {
	orig := map[string]pythonDist{
		"greeting": {Name: "greeting", Version: "1.0", Dir: "/usr/local/lib/python3.13/site-packages"},
		"flask":    {Name: "flask", Version: "3.1.0", Dir: "/usr/local/lib/python3.13/site-packages"},
		"pip":      {Name: "pip", Dir: "/usr/local/lib/python3.13/site-packages"},
	}
	conv := map[string]pythonDist{"flask": {Name: "flask", Dir: "/venv/lib/python3.13/site-packages"}}
	checks := checkPythonPackages([]string{"Greeting", "flask", "uvloop"}, orig, conv)
	c := wantCheck(t, checks, "python-packages", Fail, "greeting 1.0", "ModuleNotFoundError", "/usr/local/lib/python3.13/site-packages")
	if c.Subject != "greeting" {
		t.Errorf("subject %q", c.Subject)
	}
	if len(checksNamed(checks, "python-packages")) != 1 {
		t.Errorf("checks: %s", dumpChecks(checks))
	}

	conv["greeting"] = pythonDist{Name: "greeting", Dir: "/venv/lib/python3.13/site-packages"}
	checks = checkPythonPackages([]string{"greeting", "flask", "uvloop"}, orig, conv)
	c = wantCheck(t, checks, "python-packages", Pass, "flask, greeting")
	if strings.Contains(c.Detail, "uvloop") {
		t.Errorf("a package the original lacks is not the proposal's to install: %s", c.Detail)
	}
	if got := checkPythonPackages(nil, orig, conv); len(got) != 0 {
		t.Errorf("no declared packages, checks %s", dumpChecks(got))
	}
}
