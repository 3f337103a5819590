package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestHealthcheck(t *testing.T) {
	ok := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/healthz":
			w.Write([]byte(`{"status":"ok"}`))
		case "/readyz":
			w.WriteHeader(http.StatusServiceUnavailable)
			w.Write([]byte(`{"status":"not ready"}`))
		case "/slow":
			select {
			case <-r.Context().Done():
			case <-time.After(2 * time.Second):
			}
		}
	}))
	defer ok.Close()
	// A port nothing listens on: listen, note the port, close.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String() + "/healthz"
	ln.Close()

	for _, tc := range []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"healthy", []string{"--url", ok.URL + "/healthz"}, 0, "healthy: "},
		{"503", []string{"--url", ok.URL + "/readyz"}, 1, "503 Service Unavailable"},
		{"refused", []string{"--url", closed}, 1, "connection refused"},
		{"timeout", []string{"--url", ok.URL + "/slow", "--timeout", "200ms"}, 1, "deadline exceeded"},
		{"bad flag", []string{"--timeout", "0s"}, 2, "--timeout must be positive"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			start := time.Now()
			code := run(context.Background(), append([]string{"healthcheck"}, tc.args...), &out, &errOut)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stdout %q stderr %q", code, tc.code, out.String(), errOut.String())
			}
			if !strings.Contains(out.String()+errOut.String(), tc.out) {
				t.Errorf("output %q %q lacks %q", out.String(), errOut.String(), tc.out)
			}
			if time.Since(start) > 1500*time.Millisecond {
				t.Errorf("took %s; the probe must be quick", time.Since(start))
			}
		})
	}
}

func TestDefaultHealthURL(t *testing.T) {
	for listen, want := range map[string]string{
		"":               "http://127.0.0.1:8080/healthz",
		":9090":          "http://127.0.0.1:9090/healthz",
		"0.0.0.0:8081":   "http://127.0.0.1:8081/healthz",
		"127.0.0.1:0":    "http://127.0.0.1:8080/healthz",
		"not an address": "http://127.0.0.1:8080/healthz",
	} {
		if got := defaultHealthURL(listen); got != want {
			t.Errorf("defaultHealthURL(%q) = %q, want %q", listen, got, want)
		}
	}
}
