package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

// exitUnhealthy is the exit code of a failed probe (Docker and Kubernetes
// read any non-zero code as unhealthy; 1 is the documented one).
const exitUnhealthy = 1

// addHealthcheck adds `distill healthcheck`, the probe for images without a
// shell or curl: `HEALTHCHECK CMD ["/usr/local/bin/distill", "healthcheck"]`
// and Compose's `test: ["CMD", "/usr/local/bin/distill", "healthcheck"]`.
func addHealthcheck(root *cobra.Command) {
	var target string
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "healthcheck",
		Short: "Probe a running distill serve (exit 0 when healthy, 1 otherwise)",
		Long: `healthcheck sends GET to distill serve's /healthz and exits 0 on a 2xx answer,
1 otherwise (connection refused, timeout, any other status). It exists so that
container health checks work on the distroless image, which has no shell or
curl. The default URL is http://127.0.0.1:8080/healthz, on the port of
DISTILL_LISTEN when that is set; use --url /readyz to also require the
database and the App credentials.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			u := target
			if u == "" {
				u = defaultHealthURL(os.Getenv("DISTILL_LISTEN"))
			} else if strings.HasPrefix(u, "/") {
				u = strings.TrimSuffix(defaultHealthURL(os.Getenv("DISTILL_LISTEN")), "/healthz") + u
			}
			if timeout <= 0 {
				return usageErrorf("--timeout must be positive")
			}
			if err := probe(cmd.Context(), u, timeout); err != nil {
				return &exitError{code: exitUnhealthy, err: err}
			}
			fmt.Fprintf(cmd.OutOrStdout(), "healthy: %s\n", u)
			return nil
		},
	}
	cmd.Flags().StringVar(&target, "url", "", "URL (or path such as /readyz) to probe (default http://127.0.0.1:8080/healthz, port from DISTILL_LISTEN)")
	cmd.Flags().DurationVar(&timeout, "timeout", 3*time.Second, "give up after this long")
	root.AddCommand(cmd)
}

// defaultHealthURL is /healthz on the loopback address at the port serve
// listens on.
func defaultHealthURL(listen string) string {
	port := "8080"
	if listen != "" {
		if _, p, err := net.SplitHostPort(listen); err == nil && p != "" && p != "0" {
			port = p
		}
	}
	return "http://" + net.JoinHostPort("127.0.0.1", port) + "/healthz"
}

// probe GETs u and reports anything but a 2xx as an error.
func probe(ctx context.Context, u string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return fmt.Errorf("unhealthy: bad --url %q: %w", u, err)
	}
	req.Header.Set("User-Agent", "distill-healthcheck/"+versionString())
	// No proxies: the probe targets the container itself.
	client := &http.Client{Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true}}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("unhealthy: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("unhealthy: GET %s answered %s: %s", u, resp.Status, strings.TrimSpace(string(body)))
	}
	return nil
}
