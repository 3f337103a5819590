package testenv

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	specs "github.com/opencontainers/runtime-spec/specs-go"
)

// Runner runs images with runc, the way a container engine would: it
// unpacks the image into a bundle, derives the OCI runtime config from the
// image config, and runs it in its own PID, mount, IPC and UTS namespaces
// while sharing the host network namespace, so a test can reach a server
// the image starts on 127.0.0.1:$PORT.
type Runner struct {
	// Runc is the runc binary.
	Runc string
	// Dir holds bundles and runc's state; it is removed by Close.
	Dir string

	seq     atomic.Int64
	mu      sync.Mutex
	running map[string]*Container
}

// NewRunner returns a runner keeping its bundles and state under dir.
func NewRunner(runc, dir string) (*Runner, error) {
	if err := os.MkdirAll(filepath.Join(dir, "state"), 0o700); err != nil {
		return nil, err
	}
	return &Runner{Runc: runc, Dir: dir, running: map[string]*Container{}}, nil
}

// RunOptions adjust one run.
type RunOptions struct {
	// Env is appended to the image's environment (later wins), e.g.
	// PORT=12345.
	Env []string
	// Cmd replaces the image's CMD when non-nil (docker run IMAGE args...).
	Cmd []string
	// Timeout bounds Run; zero means one minute.
	Timeout time.Duration
}

// Result is how a container ended.
type Result struct {
	ExitCode int
	Stdout   string
	Stderr   string
	TimedOut bool
}

// Output is stdout and stderr together, for matching error messages that
// may come from runc or from the program.
func (r *Result) Output() string { return r.Stdout + r.Stderr }

// Container is a running container started by Start.
type Container struct {
	ID     string
	r      *Runner
	bundle string
	cmd    *exec.Cmd
	stdout syncBuffer
	stderr syncBuffer
	done   chan struct{}
	res    Result
	once   sync.Once
}

// Run starts img, waits for it to exit (or kills it at the timeout) and
// returns its exit code and output.
func (r *Runner) Run(ctx context.Context, img v1.Image, opt RunOptions) (*Result, error) {
	timeout := opt.Timeout
	if timeout == 0 {
		timeout = time.Minute
	}
	c, err := r.Start(ctx, img, opt)
	if err != nil {
		return nil, err
	}
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-c.done:
	case <-t.C:
		c.res.TimedOut = true
	case <-ctx.Done():
	}
	res := c.Stop()
	if err := ctx.Err(); err != nil && !res.TimedOut {
		return res, err
	}
	return res, nil
}

// Start unpacks img and starts it in the background.
func (r *Runner) Start(ctx context.Context, img v1.Image, opt RunOptions) (*Container, error) {
	id := fmt.Sprintf("distill-e2e-%d-%d", os.Getpid(), r.seq.Add(1))
	bundle := filepath.Join(r.Dir, id)
	rootfs := filepath.Join(bundle, "rootfs")
	if err := os.MkdirAll(rootfs, 0o755); err != nil {
		return nil, err
	}
	if err := Unpack(img, rootfs); err != nil {
		os.RemoveAll(bundle)
		return nil, fmt.Errorf("unpacking image: %w", err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		os.RemoveAll(bundle)
		return nil, err
	}
	spec, err := runtimeSpec(cf, rootfs, opt)
	if err != nil {
		os.RemoveAll(bundle)
		return nil, err
	}
	b, err := json.MarshalIndent(spec, "", "  ")
	if err != nil {
		os.RemoveAll(bundle)
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(bundle, "config.json"), b, 0o600); err != nil {
		os.RemoveAll(bundle)
		return nil, err
	}
	c := &Container{ID: id, r: r, bundle: bundle, done: make(chan struct{})}
	c.cmd = exec.Command(r.Runc, "--root", filepath.Join(r.Dir, "state"), "run", "--bundle", bundle, id)
	c.cmd.Stdout, c.cmd.Stderr = &c.stdout, &c.stderr
	c.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := c.cmd.Start(); err != nil {
		os.RemoveAll(bundle)
		return nil, fmt.Errorf("starting runc: %w", err)
	}
	r.mu.Lock()
	r.running[id] = c
	r.mu.Unlock()
	go func() {
		err := c.cmd.Wait()
		c.res.ExitCode = 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			c.res.ExitCode = ee.ExitCode()
			if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
				c.res.ExitCode = 128 + int(ws.Signal())
			}
		} else if err != nil {
			c.res.ExitCode = -1
		}
		close(c.done)
	}()
	return c, nil
}

// Done is closed when the container's process has exited.
func (c *Container) Done() <-chan struct{} { return c.done }

// Output returns what the container printed so far.
func (c *Container) Output() (stdout, stderr string) { return c.stdout.String(), c.stderr.String() }

// Stop kills the container if it is still running, removes it and its
// bundle, and returns how it ended. It is safe to call more than once.
func (c *Container) Stop() *Result {
	c.once.Do(func() {
		state := filepath.Join(c.r.Dir, "state")
		select {
		case <-c.done:
		default:
			_ = exec.Command(c.r.Runc, "--root", state, "kill", c.ID, "KILL").Run()
			select {
			case <-c.done:
			case <-time.After(10 * time.Second):
				_ = syscall.Kill(-c.cmd.Process.Pid, syscall.SIGKILL)
				<-c.done
			}
		}
		_ = exec.Command(c.r.Runc, "--root", state, "delete", "--force", c.ID).Run()
		_ = UnmountUnder(c.bundle)
		_ = os.RemoveAll(c.bundle)
		c.res.Stdout, c.res.Stderr = c.stdout.String(), c.stderr.String()
		c.r.mu.Lock()
		delete(c.r.running, c.ID)
		c.r.mu.Unlock()
	})
	res := c.res
	return &res
}

// Close stops every container that is still running and removes Dir.
func (r *Runner) Close() error {
	r.mu.Lock()
	var cs []*Container
	for _, c := range r.running {
		cs = append(cs, c)
	}
	r.mu.Unlock()
	for _, c := range cs {
		c.Stop()
	}
	if err := UnmountUnder(r.Dir); err != nil {
		return err
	}
	return os.RemoveAll(r.Dir)
}

// syncBuffer is a bytes.Buffer safe for the writer goroutine of exec and a
// concurrent reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// dockerCaps is Docker's default capability set.
var dockerCaps = []string{
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
	"CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
	"CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
}

// runtimeSpec derives the OCI runtime config the way Docker does from an
// image config: args = Entrypoint + Cmd, env with a default PATH and HOME,
// cwd = WorkingDir, numeric uid:gid resolved through the image's
// /etc/passwd and /etc/group.
func runtimeSpec(cf *v1.ConfigFile, rootfs string, opt RunOptions) (*specs.Spec, error) {
	c := cf.Config
	cmd := c.Cmd
	if opt.Cmd != nil {
		cmd = opt.Cmd
	}
	args := append(append([]string(nil), c.Entrypoint...), cmd...)
	if len(args) == 0 {
		return nil, fmt.Errorf("image has neither ENTRYPOINT nor CMD")
	}
	user, err := resolveUser(rootfs, c.User)
	if err != nil {
		return nil, err
	}
	env := append([]string(nil), c.Env...)
	if !hasEnv(env, "PATH") {
		env = append(env, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
	}
	env = append(env, "HOSTNAME=distill-e2e")
	if !hasEnv(env, "HOME") {
		env = append(env, "HOME="+user.home)
	}
	env = append(env, opt.Env...)
	cwd := c.WorkingDir
	if cwd == "" {
		cwd = "/"
	}
	if p, err := resolveIn(rootfs, cwd); err == nil {
		_ = os.MkdirAll(p, 0o755)
	}
	caps := &specs.LinuxCapabilities{Bounding: dockerCaps}
	if user.uid == 0 {
		caps.Effective, caps.Permitted = dockerCaps, dockerCaps
	}
	return &specs.Spec{
		Version: specs.Version,
		Process: &specs.Process{
			Args:            args,
			Env:             env,
			Cwd:             cwd,
			User:            specs.User{UID: user.uid, GID: user.gid, AdditionalGids: user.groups},
			Capabilities:    caps,
			NoNewPrivileges: true,
			// No Rlimits: the container inherits the runner's limits, which
			// may not be raised here (runc would fail with EPERM).
		},
		Root:     &specs.Root{Path: rootfs, Readonly: false},
		Hostname: "distill-e2e",
		Mounts: []specs.Mount{
			{Destination: "/proc", Type: "proc", Source: "proc", Options: []string{"nosuid", "noexec", "nodev"}},
			{Destination: "/dev", Type: "tmpfs", Source: "tmpfs", Options: []string{"nosuid", "strictatime", "mode=755", "size=65536k"}},
			{Destination: "/dev/pts", Type: "devpts", Source: "devpts", Options: []string{"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"}},
			{Destination: "/dev/shm", Type: "tmpfs", Source: "shm", Options: []string{"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"}},
			{Destination: "/dev/mqueue", Type: "mqueue", Source: "mqueue", Options: []string{"nosuid", "noexec", "nodev"}},
			{Destination: "/sys", Type: "bind", Source: "/sys", Options: []string{"rbind", "nosuid", "noexec", "nodev", "ro"}},
			// Docker provides these three files in every container.
			{Destination: "/etc/resolv.conf", Type: "bind", Source: "/etc/resolv.conf", Options: []string{"rbind", "ro"}},
			{Destination: "/etc/hosts", Type: "bind", Source: "/etc/hosts", Options: []string{"rbind", "ro"}},
		},
		Linux: &specs.Linux{
			Namespaces: []specs.LinuxNamespace{
				{Type: specs.PIDNamespace}, {Type: specs.IPCNamespace}, {Type: specs.UTSNamespace}, {Type: specs.MountNamespace},
			},
			MaskedPaths: []string{
				"/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
				"/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi",
			},
			ReadonlyPaths: []string{"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"},
		},
	}, nil
}

func hasEnv(env []string, key string) bool {
	for _, kv := range env {
		if strings.HasPrefix(kv, key+"=") {
			return true
		}
	}
	return false
}

type userSpec struct {
	uid, gid uint32
	groups   []uint32
	home     string
}

// resolveUser turns USER ("", "65532", "nonroot", "1000:1000",
// "app:staff") into numeric ids. Names must exist in the image's
// /etc/passwd or /etc/group, as with Docker.
func resolveUser(rootfs, user string) (userSpec, error) {
	u := userSpec{home: "/"}
	if user == "" {
		user = "0"
	}
	name, group, hasGroup := strings.Cut(user, ":")
	passwd := readColonFile(rootfs, "/etc/passwd")
	found := false
	for _, f := range passwd {
		if len(f) < 7 {
			continue
		}
		if f[0] == name || f[2] == name {
			uid, err1 := strconv.ParseUint(f[2], 10, 32)
			gid, err2 := strconv.ParseUint(f[3], 10, 32)
			if err1 != nil || err2 != nil {
				continue
			}
			u.uid, u.gid, u.home, found = uint32(uid), uint32(gid), f[5], true
			break
		}
	}
	if !found {
		uid, err := strconv.ParseUint(name, 10, 32)
		if err != nil {
			return u, fmt.Errorf("unable to find user %s: no matching entries in passwd file", name)
		}
		u.uid, u.gid = uint32(uid), 0
	}
	groups := readColonFile(rootfs, "/etc/group")
	if hasGroup {
		ok := false
		for _, f := range groups {
			if len(f) >= 3 && (f[0] == group || f[2] == group) {
				if gid, err := strconv.ParseUint(f[2], 10, 32); err == nil {
					u.gid, ok = uint32(gid), true
					break
				}
			}
		}
		if !ok {
			gid, err := strconv.ParseUint(group, 10, 32)
			if err != nil {
				return u, fmt.Errorf("unable to find group %s: no matching entries in group file", group)
			}
			u.gid = uint32(gid)
		}
	}
	if found {
		// Supplementary groups listing the user by name.
		uname := ""
		for _, f := range passwd {
			if len(f) >= 3 && (f[0] == name || f[2] == name) {
				uname = f[0]
				break
			}
		}
		for _, f := range groups {
			if len(f) < 4 {
				continue
			}
			for _, m := range strings.Split(f[3], ",") {
				if m == uname {
					if gid, err := strconv.ParseUint(f[2], 10, 32); err == nil && uint32(gid) != u.gid {
						u.groups = append(u.groups, uint32(gid))
					}
				}
			}
		}
	}
	return u, nil
}

func readColonFile(rootfs, p string) [][]string {
	hp, err := resolveIn(rootfs, p)
	if err != nil {
		return nil
	}
	f, err := os.Open(hp)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out [][]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, strings.Split(line, ":"))
	}
	return out
}
