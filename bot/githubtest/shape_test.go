package githubtest

import (
	"encoding/json"
	"io"
	"net/http"
	"sort"
	"strings"
	"testing"

	ghfixtures "github.com/distill-bot/distill/testdata/github"
)

// TestResponseShapesMatchFixtures holds the fake to GitHub's shapes: every key of each fixture body is
// present in the fake's answer to the same request, recursively through objects and the first element
// of arrays. A fixture object may be null in the fake only where GitHub's schema allows null
// (nullable below), and keys GitHub sends only in some states are listed in optional with the reason.
func TestResponseShapesMatchFixtures(t *testing.T) {
	t.Parallel()
	srv := New(t)
	srv.AddRepo(Repo{Owner: "acme", OwnerType: "Organization", Name: "widgets", Files: map[string]string{"Dockerfile": dockerfile, "lib/a.go": "package lib\n"}})
	srv.AddRepo(Repo{Owner: "bob", Name: "widgets", ForkOf: "acme/widgets"})
	inst := srv.AddInstallation(Installation{Account: "acme", Repositories: []string{"acme/widgets"}})
	srv.Commit("acme", "widgets", "feature", map[string]string{"Dockerfile": "FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN go build -o /app\nCMD [\"/app\"]\n"}, "bump")
	n := srv.OpenPR(PR{Owner: "acme", Repo: "widgets", Head: "feature"})
	head := srv.Ref("acme", "widgets", "feature")
	cid := srv.AddIssueComment("acme", "widgets", n, "alice", "hi")
	tok := srv.IssueToken(inst)

	call := func(method, path, auth, body string) any {
		t.Helper()
		req, _ := http.NewRequestWithContext(t.Context(), method, srv.APIURL()+strings.TrimPrefix(path, "/"), strings.NewReader(body))
		req.Header.Set("Authorization", auth)
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode >= 300 {
			t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, b)
		}
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		return v
	}
	tk := "token " + tok
	jwtAuth := "Bearer " + testJWT(t, srv)
	rv := call("POST", "/repos/acme/widgets/pulls/1/reviews", tk, `{"body":"b","event":"COMMENT","comments":[{"path":"Dockerfile","line":1,"side":"RIGHT","body":"x"}]}`)
	rvID := itoa(int64(rv.(map[string]any)["id"].(float64)))
	_ = rvID
	blob := call("POST", "/repos/acme/widgets/git/blobs", tk, `{"content":"hi\n"}`).(map[string]any)["sha"].(string)
	tree := call("POST", "/repos/acme/widgets/git/trees", tk, `{"tree":[{"path":"a/b","mode":"100644","type":"blob","sha":"`+blob+`"},{"path":"a.txt","mode":"100644","type":"blob","sha":"`+blob+`"}]}`).(map[string]any)["sha"].(string)
	commit := call("POST", "/repos/acme/widgets/git/commits", tk, `{"message":"m","tree":"`+tree+`","parents":["`+head+`"]}`).(map[string]any)["sha"].(string)
	cr := call("POST", "/repos/acme/widgets/check-runs", tk, `{"name":"distill","head_sha":"`+head+`","status":"completed","conclusion":"neutral","external_id":"42","details_url":"https://example.com","output":{"title":"t","summary":"s","text":"x"}}`)
	crID := itoa(int64(cr.(map[string]any)["id"].(float64)))
	srv.Commit("acme", "widgets", "other", map[string]string{"x": "y\n"}, "other")

	cases := []struct {
		fixture, method, path, auth, body string
		got                               any
	}{
		{fixture: "pulls.get.200.json", method: "GET", path: "/repos/acme/widgets/pulls/1"},
		{fixture: "pulls.create.201.json", method: "POST", path: "/repos/acme/widgets/pulls", body: `{"title":"t","head":"other","base":"main"}`},
		{fixture: "pulls.list-files.200.json", method: "GET", path: "/repos/acme/widgets/pulls/1/files"},
		{fixture: "pulls.create-review.200.json", got: rv},
		{fixture: "pulls.list-reviews.200.json", method: "GET", path: "/repos/acme/widgets/pulls/1/reviews"},
		{fixture: "pulls.create-review-comment.multi-line.201.json", method: "POST", path: "/repos/acme/widgets/pulls/1/comments",
			body: `{"commit_id":"` + head + `","path":"Dockerfile","start_line":1,"start_side":"RIGHT","line":2,"side":"RIGHT","body":"x"}`},
		{fixture: "issues.create-comment.201.json", method: "POST", path: "/repos/acme/widgets/issues/1/comments", body: `{"body":"x"}`},
		{fixture: "issues.list-comments.200.json", method: "GET", path: "/repos/acme/widgets/issues/1/comments"},
		{fixture: "issues.update-comment.200.json", method: "PATCH", path: "/repos/acme/widgets/issues/comments/" + itoa(cid), body: `{"body":"y"}`},
		{fixture: "reactions.create-for-issue-comment.201.json", method: "POST", path: "/repos/acme/widgets/issues/comments/" + itoa(cid) + "/reactions", body: `{"content":"eyes"}`},
		{fixture: "repos.get-collaborator-permission-level.200.json", method: "GET", path: "/repos/acme/widgets/collaborators/alice/permission"},
		{fixture: "repos.get-content.file.200.json", method: "GET", path: "/repos/acme/widgets/contents/Dockerfile"},
		{fixture: "repos.get-content.directory.200.json", method: "GET", path: "/repos/acme/widgets/contents/"},
		{fixture: "repos.get.200.json", method: "GET", path: "/repos/acme/widgets"},
		{fixture: "git.create-blob.201.json", method: "POST", path: "/repos/acme/widgets/git/blobs", body: `{"content":"x"}`},
		{fixture: "git.get-blob.200.json", method: "GET", path: "/repos/acme/widgets/git/blobs/" + blob},
		{fixture: "git.create-tree.201.json", method: "POST", path: "/repos/acme/widgets/git/trees", body: `{"tree":[{"path":"f","mode":"100644","type":"blob","content":"x"}]}`},
		{fixture: "git.get-tree.200.json", method: "GET", path: "/repos/acme/widgets/git/trees/" + tree},
		{fixture: "git.create-commit.201.json", method: "POST", path: "/repos/acme/widgets/git/commits", body: `{"message":"m","tree":"` + tree + `","parents":["` + head + `"]}`},
		{fixture: "git.create-ref.201.json", method: "POST", path: "/repos/acme/widgets/git/refs", body: `{"ref":"refs/heads/new","sha":"` + commit + `"}`},
		{fixture: "git.get-ref.200.json", method: "GET", path: "/repos/acme/widgets/git/ref/heads/main"},
		{fixture: "git.update-ref.200.json", method: "PATCH", path: "/repos/acme/widgets/git/refs/heads/new", body: `{"sha":"` + commit + `"}`},
		{fixture: "checks.create.completed.201.json", got: cr},
		{fixture: "checks.update.200.json", method: "PATCH", path: "/repos/acme/widgets/check-runs/" + crID, body: `{"output":{"title":"t","summary":"s2"}}`},
		{fixture: "apps.create-installation-access-token.201.json", method: "POST", path: "/app/installations/" + itoa(inst) + "/access_tokens", auth: jwtAuth},
		{fixture: "apps.get-authenticated.200.json", method: "GET", path: "/app", auth: jwtAuth},
		{fixture: "apps.get-repo-installation.200.json", method: "GET", path: "/repos/acme/widgets/installation", auth: jwtAuth},
		{fixture: "apps.list-repos-accessible-to-installation.200.json", method: "GET", path: "/installation/repositories"},
	}
	for _, tc := range cases {
		got := tc.got
		if got == nil {
			auth := tc.auth
			if auth == "" {
				auth = tk
			}
			got = call(tc.method, tc.path, auth, tc.body)
		}
		var want any
		if err := json.Unmarshal(ghfixtures.MustRead("rest/responses/"+tc.fixture), &want); err != nil {
			t.Fatal(err)
		}
		var missing []string
		missingKeys(want, got, "", &missing)
		if len(missing) > 0 {
			sort.Strings(missing)
			t.Errorf("%s: the fake's response lacks %d fixture keys:\n  %s", tc.fixture, len(missing), strings.Join(missing, "\n  "))
		}
	}
}

// nullable are fixture keys whose object value may be null in a real response of the same operation.
var nullable = map[string]bool{
	"milestone": true, "assignee": true, "merged_by": true, "auto_merge": true, "license": true,
	"template_repository": true, "suspended_by": true, "head.repo": true, "organization": true,
	"mirror_url": true, "homepage": true, "details_url": true, "pin": true, "minimized": true,
}

// optional are fixture keys GitHub sends only in some states.
var optional = map[string]string{
	"in_reply_to_id":    "present only on replies",
	"custom_properties": "organization custom properties; distill does not use them",
	"previous_filename": "present only on renamed files",
	"parent":            "present only on forks",
	"source":            "present only on forks",
}

func missingKeys(want, got any, path string, out *[]string) {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			if got == nil && nullable[lastKey(path)] {
				return
			}
			*out = append(*out, path+" (object)")
			return
		}
		for k, wv := range w {
			p := strings.TrimPrefix(path+"."+k, ".")
			if k == "permissions" && isStringMap(wv) {
				continue // a permission name → level map; which permissions appear depends on the App
			}
			gv, ok := g[k]
			if !ok {
				if _, opt := optional[k]; !opt {
					*out = append(*out, p)
				}
				continue
			}
			missingKeys(wv, gv, p, out)
		}
	case []any:
		g, ok := got.([]any)
		if ok && len(w) > 0 && len(g) > 0 {
			missingKeys(w[0], g[0], path+"[]", out)
		}
	}
}

func isStringMap(v any) bool {
	m, ok := v.(map[string]any)
	if !ok {
		return false
	}
	for _, x := range m {
		if _, ok := x.(string); !ok {
			return false
		}
	}
	return true
}

func lastKey(p string) string {
	if strings.HasSuffix(p, "head.repo") {
		return "head.repo"
	}
	if i := strings.LastIndex(p, "."); i >= 0 {
		return p[i+1:]
	}
	return p
}
