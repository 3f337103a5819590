package python

import (
	"testing"

	"github.com/distill-bot/distill/analyzer/catalog"
	"github.com/distill-bot/distill/analyzer/convert"
)

func TestSatisfies(t *testing.T) {
	t.Parallel()
	cases := []struct {
		spec        string
		match, know bool
	}{
		{">=3.10", true, true},
		{">=3.10,<3.13", false, true},
		{">=3.9, <4", true, true},
		{"~=3.11", true, true},
		{"~=3.11.2", false, true},
		{"==3.13.*", true, true},
		{"==3.12.*", false, true},
		{"!=3.13.*", false, true},
		{"^3.12", true, true},
		{"^3.14", false, true},
		{"~3.13", true, true},
		{"~3.12", false, true},
		{">=3.9 <3.13", false, true},
		{">=3.8,<3.9 || ^3.12", true, true},
		{"3.13", true, true},
		{"3.11", false, true},
		{"*", true, true},
		{"==3.13.5", true, true},
		{">=3.14", false, true},
		{"banana", false, false},
	}
	for _, c := range cases {
		m, k := satisfies("3.13.5", c.spec)
		if m != c.match || k != c.know {
			t.Errorf("satisfies(3.13.5, %q) = %v %v, want %v %v", c.spec, m, k, c.match, c.know)
		}
	}
}

func TestReadRequirements(t *testing.T) {
	t.Parallel()
	ctx := &convert.RepoContext{Files: map[string][]byte{
		"requirements/prod.txt": []byte("-r base.txt\n-c ../constraints.txt\nDjango>=5  # web\npsycopg[binary]==3.2 ; python_version >= '3.9'\n--index-url https://example.com\n-e git+https://example.com/x.git#egg=x\n"),
		"requirements/base.txt": []byte("Requests\nzope.interface\n"),
	}}
	reqs, ok := readRequirements(ctx, "requirements/prod.txt", map[string]bool{})
	if !ok {
		t.Fatal("not read")
	}
	var names []string
	for _, r := range reqs {
		names = append(names, r.Name)
	}
	want := []string{"requests", "zope-interface", "django", "psycopg"}
	if len(names) != len(want) {
		t.Fatalf("names = %v, want %v", names, want)
	}
	for i := range want {
		if names[i] != want[i] {
			t.Fatalf("names = %v, want %v", names, want)
		}
	}
	if got := reqs[3].Extras; len(got) != 1 || got[0] != "binary" {
		t.Errorf("psycopg extras = %v", got)
	}
}

func TestNativeProblem(t *testing.T) {
	t.Parallel()
	c := catalog.Default()
	cases := []struct {
		reqs []requirement
		bad  string
	}{
		{[]requirement{{Name: "psycopg2"}}, "psycopg2"},
		{[]requirement{{Name: "psycopg2-binary"}}, ""},
		{[]requirement{{Name: "psycopg", Extras: []string{"binary"}}}, ""},
		{[]requirement{{Name: "psycopg"}, {Name: "psycopg-binary"}}, ""},
		{[]requirement{{Name: "psycopg"}}, "psycopg"},
		{[]requirement{{Name: "opencv-python"}}, "opencv-python"},
		{[]requirement{{Name: "opencv-python-headless"}}, ""},
		{[]requirement{{Name: "mysqlclient"}}, "mysqlclient"},
	}
	for _, tc := range cases {
		r, np := nativeProblem(c, tc.reqs)
		got := ""
		if np != nil {
			got = r.Name
		}
		if got != tc.bad {
			t.Errorf("nativeProblem(%v) = %q, want %q", tc.reqs, got, tc.bad)
		}
	}
}

func TestReplaceWordAndRemoveFlag(t *testing.T) {
	t.Parallel()
	if got := replaceWord("python -m venv /v && python3 -m venv x", "python -m venv", "/usr/bin/python -m venv", 1); got != "/usr/bin/python -m venv /v && python3 -m venv x" {
		t.Errorf("replaceWord = %q", got)
	}
	if got := replaceWord("RUN /usr/local/bin/pip install x", "/usr/local/bin/pip", "/venv/bin/pip", -1); got != "RUN /venv/bin/pip install x" {
		t.Errorf("replaceWord = %q", got)
	}
	if got := removeFlag("RUN pip install --user \\\n  -r req.txt", "--user", ""); got != "RUN pip install \\\n  -r req.txt" {
		t.Errorf("removeFlag --user = %q", got)
	}
	if got := removeFlag("RUN pip install --prefix=/install -r r.txt", "--prefix", "/install"); got != "RUN pip install -r r.txt" {
		t.Errorf("removeFlag --prefix= = %q", got)
	}
	if got := removeFlag("RUN pip install --prefix /install -r r.txt", "--prefix", "/install"); got != "RUN pip install -r r.txt" {
		t.Errorf("removeFlag --prefix = %q", got)
	}
}
