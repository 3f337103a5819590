package testenv

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/moby/buildkit/client"
	"golang.org/x/sys/unix"
)

// MirroredRegistries are the registries whose pulls buildkitd sends to the
// in-process registry. Anything a test Dockerfile names must be here:
// nothing outside loopback is reachable for images.
var MirroredRegistries = []string{"docker.io", "gcr.io", "mcr.microsoft.com", "ghcr.io", "quay.io", "cgr.dev", "registry.k8s.io"}

// Buildkitd is a buildkitd subprocess with its own root and socket.
type Buildkitd struct {
	// Addr is the client address, "unix:///…/buildkitd.sock", usable with
	// github.com/moby/buildkit/client.New.
	Addr    string
	Root    string
	LogPath string
	cmd     *exec.Cmd
	exited  chan struct{}
	waitErr error
}

// buildkitdConfig renders buildkitd.toml: the OCI worker only (runc, no
// containerd), host networking for RUN (the machine's only way out is
// Debian's archive, the Go proxy and npm), and every mirrored registry
// redirected to the loopback registry over plain HTTP.
func buildkitdConfig(root, sock, registryHost string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "root = %q\n\n", root)
	fmt.Fprintf(&b, "[grpc]\n  address = [%q]\n\n", "unix://"+sock)
	b.WriteString("[worker.oci]\n  enabled = true\n  snapshotter = \"overlayfs\"\n  networkMode = \"host\"\n  gc = false\n\n")
	b.WriteString("[worker.containerd]\n  enabled = false\n\n")
	for _, reg := range MirroredRegistries {
		fmt.Fprintf(&b, "[registry.%q]\n  mirrors = [%q]\n\n", reg, registryHost)
	}
	fmt.Fprintf(&b, "[registry.%q]\n  http = true\n  insecure = true\n", registryHost)
	return b.String()
}

// StartBuildkitd starts buildkitd with state under dir and waits until it
// answers ListWorkers. The process is placed in its own process group and
// dies with the test binary (Pdeathsig), so a crashed test leaves no
// daemon behind.
func StartBuildkitd(ctx context.Context, bin, dir, registryHost string) (*Buildkitd, error) {
	root := filepath.Join(dir, "root")
	if err := os.MkdirAll(root, 0o700); err != nil {
		return nil, err
	}
	sock := filepath.Join(dir, "buildkitd.sock")
	cfg := filepath.Join(dir, "buildkitd.toml")
	if err := os.WriteFile(cfg, []byte(buildkitdConfig(root, sock, registryHost)), 0o644); err != nil {
		return nil, err
	}
	logPath := filepath.Join(dir, "buildkitd.log")
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	cmd := exec.Command(bin, "--config", cfg)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	cmd.Env = append(os.Environ(), "TMPDIR="+dir)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting buildkitd: %w", err)
	}
	d := &Buildkitd{Addr: "unix://" + sock, Root: root, LogPath: logPath, cmd: cmd, exited: make(chan struct{})}
	go func() { d.waitErr = cmd.Wait(); close(d.exited) }()
	if err := d.waitReady(ctx, 2*time.Minute); err != nil {
		_ = d.Close()
		return nil, err
	}
	return d, nil
}

func (d *Buildkitd) waitReady(ctx context.Context, limit time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	var last error
	for {
		select {
		case <-d.exited:
			return fmt.Errorf("buildkitd exited during startup (%v): %s", d.waitErr, d.logTail())
		case <-ctx.Done():
			return fmt.Errorf("buildkitd not ready after %s (%v): %s", limit, last, d.logTail())
		case <-time.After(200 * time.Millisecond):
		}
		if _, err := os.Stat(strings.TrimPrefix(d.Addr, "unix://")); err != nil {
			last = err
			continue
		}
		c, err := client.New(ctx, d.Addr)
		if err != nil {
			last = err
			continue
		}
		ws, err := c.ListWorkers(ctx)
		c.Close()
		if err == nil && len(ws) > 0 {
			return nil
		}
		last = fmt.Errorf("workers %d: %v", len(ws), err)
	}
}

func (d *Buildkitd) logTail() string {
	b, _ := os.ReadFile(d.LogPath)
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

// Close stops buildkitd (SIGTERM, then SIGKILL of its process group after
// 15s) and detaches any mount it left under its root.
func (d *Buildkitd) Close() error {
	var errs []error
	select {
	case <-d.exited:
	default:
		_ = d.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-d.exited:
		case <-time.After(15 * time.Second):
			_ = syscall.Kill(-d.cmd.Process.Pid, syscall.SIGKILL)
			<-d.exited
			errs = append(errs, errors.New("buildkitd did not stop on SIGTERM"))
		}
	}
	// Processes BuildKit started in the group (runc, RUN steps) go too.
	_ = syscall.Kill(-d.cmd.Process.Pid, syscall.SIGKILL)
	if err := UnmountUnder(filepath.Dir(d.Root)); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// UnmountUnder lazily unmounts every mount point at or below dir, deepest
// first, so that removing dir cannot reach into a still-mounted file
// system.
func UnmountUnder(dir string) error {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return err
	}
	defer f.Close()
	var points []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 5 {
			continue
		}
		mp := unescapeMount(fields[4])
		if mp == dir || strings.HasPrefix(mp, dir+"/") {
			points = append(points, mp)
		}
	}
	sort.Slice(points, func(i, j int) bool { return len(points[i]) > len(points[j]) })
	var errs []error
	for _, mp := range points {
		if err := unix.Unmount(mp, unix.MNT_DETACH); err != nil && !errors.Is(err, unix.EINVAL) && !errors.Is(err, unix.ENOENT) {
			errs = append(errs, fmt.Errorf("unmounting %s: %w", mp, err))
		}
	}
	return errors.Join(errs...)
}

// unescapeMount decodes the octal escapes (\040 for space) of mountinfo.
func unescapeMount(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) {
			var v int
			if _, err := fmt.Sscanf(s[i+1:i+4], "%o", &v); err == nil {
				b.WriteByte(byte(v))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
