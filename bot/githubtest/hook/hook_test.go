package hook

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-github/v62/github"
)

func TestSignMatchesGitHubDocsVector(t *testing.T) {
	t.Parallel()
	got := Sign("It's a Secret to Everybody", []byte("Hello, World!"))
	if want := "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"; got != want {
		t.Errorf("Sign = %s, want %s", got, want)
	}
}

func TestDeliverValidatesWithGoGitHub(t *testing.T) {
	t.Parallel()
	const secret = "s3cret"
	payload := []byte(`{"zen":"Keep it logically awesome.","hook_id":1}`)
	type seen struct {
		event, delivery, ua, target string
		body                        []byte
		err                         error
	}
	got := make(chan seen, 4)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := github.ValidatePayload(r, []byte(secret))
		got <- seen{github.WebHookType(r), github.DeliveryID(r), r.UserAgent(), r.Header.Get("X-GitHub-Hook-Installation-Target-Type"), body, err}
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(srv.Close)
	for _, form := range []bool{false, true} {
		resp, err := Deliver(t.Context(), srv.URL, secret, "ping", "d-1", payload, Options{Form: form})
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		s := <-got
		if s.err != nil || string(s.body) != string(payload) || s.event != "ping" || s.delivery != "d-1" ||
			!strings.HasPrefix(s.ua, "GitHub-Hookshot/") || s.target != "integration" {
			t.Errorf("form=%v: %+v", form, s)
		}
	}
	resp, err := Deliver(t.Context(), srv.URL, "wrong", "ping", "d-2", payload)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if s := <-got; s.err == nil {
		t.Error("a delivery signed with the wrong secret validated")
	}
}
