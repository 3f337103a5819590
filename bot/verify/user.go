package verify

import (
	"slices"
	"strconv"
	"strings"
)

// userInfo is the image's USER resolved the way the container runtime
// resolves it: numeric ids as they are, names through the image's own
// /etc/passwd and /etc/group (never the host's).
type userInfo struct {
	spec    string // the USER setting, "" when unset
	uid     int
	gid     int
	groups  []int // supplementary groups from /etc/group membership
	name    string
	known   bool   // uid is known
	how     string // how the uid was found, for details
	problem string // why the user cannot be resolved (the container would not start)
}

const maxAccountFile = 1 << 20

type passwdEntry struct {
	name     string
	uid, gid int
}

type groupEntry struct {
	name    string
	gid     int
	members []string
}

func (in *inspection) readAccountFile(p string) ([]string, string) {
	r, err := in.fs.stat(p, "/")
	if err != nil {
		return nil, p + " not in image"
	}
	if r.Node.kind != kindFile {
		return nil, p + " is not a regular file"
	}
	data, err := in.fs.readSmall(r.Node, maxAccountFile)
	if err != nil {
		return nil, p + ": " + err.Error()
	}
	return strings.Split(string(data), "\n"), ""
}

func (in *inspection) passwd() ([]passwdEntry, string) {
	lines, problem := in.readAccountFile("/etc/passwd")
	var out []passwdEntry
	for _, l := range lines {
		f := strings.Split(l, ":")
		if len(f) < 4 || strings.HasPrefix(l, "#") {
			continue
		}
		uid, err1 := strconv.Atoi(f[2])
		gid, err2 := strconv.Atoi(f[3])
		if err1 != nil || err2 != nil {
			continue
		}
		out = append(out, passwdEntry{f[0], uid, gid})
	}
	return out, problem
}

func (in *inspection) groupFile() ([]groupEntry, string) {
	lines, problem := in.readAccountFile("/etc/group")
	var out []groupEntry
	for _, l := range lines {
		f := strings.Split(l, ":")
		if len(f) < 3 || strings.HasPrefix(l, "#") {
			continue
		}
		gid, err := strconv.Atoi(f[2])
		if err != nil {
			continue
		}
		g := groupEntry{name: f[0], gid: gid}
		if len(f) > 3 && f[3] != "" {
			g.members = strings.Split(f[3], ",")
		}
		out = append(out, g)
	}
	return out, problem
}

func (in *inspection) resolveUser() userInfo {
	u := userInfo{spec: in.cfg.User}
	if u.spec == "" {
		u.known, u.how, u.name = true, "USER not set", "root"
		return u
	}
	userPart, groupPart, hasGroup := strings.Cut(u.spec, ":")
	if id, err := strconv.Atoi(userPart); err == nil && id >= 0 {
		u.uid, u.known = id, true
		u.how = "numeric uid " + userPart
		// With no passwd entry the runtime uses gid 0.
		if pw, _ := in.passwd(); pw != nil {
			for _, e := range pw {
				if e.uid == id {
					u.gid, u.name = e.gid, e.name
					break
				}
			}
		}
	} else {
		pw, problem := in.passwd()
		if problem != "" {
			u.problem = "USER " + userPart + ": " + problem + ", so the name cannot be resolved"
			return u
		}
		found := false
		for _, e := range pw {
			if e.name == userPart {
				u.uid, u.gid, u.name, u.known, found = e.uid, e.gid, e.name, true, true
				u.how = "USER " + userPart + " → uid " + strconv.Itoa(e.uid) + " via /etc/passwd"
				break
			}
		}
		if !found {
			u.problem = "USER " + userPart + ": no such user in /etc/passwd (the container would not start)"
			return u
		}
	}
	groups, _ := in.groupFile()
	if hasGroup {
		if id, err := strconv.Atoi(groupPart); err == nil && id >= 0 {
			u.gid = id
		} else {
			found := false
			for _, g := range groups {
				if g.name == groupPart {
					u.gid, found = g.gid, true
					break
				}
			}
			if !found {
				u.problem = "USER " + u.spec + ": no such group " + groupPart + " in /etc/group (the container would not start)"
				return u
			}
		}
	}
	if u.name != "" {
		for _, g := range groups {
			for _, m := range g.members {
				if m == u.name {
					u.groups = append(u.groups, g.gid)
				}
			}
		}
	}
	return u
}

// userChecks reports whether USER resolves (always) and whether it is
// non-root (when promised).
func (in *inspection) userChecks() {
	u := in.user
	subject := "USER " + u.spec
	if u.spec == "" {
		subject = "USER"
	}
	switch {
	case u.problem != "":
		in.add("user", Fail, subject, "%s", u.problem)
	case u.spec == "":
		in.add("user", Pass, subject, "USER not set: the container runs as root (uid 0)")
	default:
		in.add("user", Pass, subject, "%s", describeUser(u))
	}
	if !in.exp.NonRoot {
		return
	}
	switch {
	case !u.known:
		in.add("non-root", Fail, subject, "cannot tell the uid: %s", u.problem)
	case u.uid == 0:
		if u.spec == "" {
			in.add("non-root", Fail, subject, "runs as root: USER is not set")
		} else {
			in.add("non-root", Fail, subject, "runs as root: %s", describeUser(u))
		}
	case !isNumericUser(u.spec):
		in.add("non-root", Pass, subject, "runs as uid %d (%s); a user name, so Kubernetes runAsNonRoot cannot verify it: prefer USER %d", u.uid, u.how, u.uid)
	default:
		in.add("non-root", Pass, subject, "runs as uid %d (USER %s)", u.uid, u.spec)
	}
}

func describeUser(u userInfo) string {
	s := u.how
	if isNumericUser(u.spec) {
		s = "USER " + u.spec + ": numeric, uid " + strconv.Itoa(u.uid)
		if u.name != "" {
			s += " (" + u.name + " in /etc/passwd)"
		}
	}
	return s + ", gid " + strconv.Itoa(u.gid)
}

func isNumericUser(spec string) bool {
	userPart, _, _ := strings.Cut(spec, ":")
	_, err := strconv.Atoi(userPart)
	return err == nil
}

// Access bits as in access(2).
const (
	accessExec  = 1
	accessRead  = 4
	permMaskAll = 0o7
)

// canAccess applies the permission bits of n for the image user. Root
// bypasses read checks and needs one execute bit for execution, as on Linux.
// An unresolvable user is treated as root: its failure is reported by the
// user check, not once more for every file.
func (in *inspection) canAccess(n *node, want uint32) bool {
	perm := uint32(n.mode.Perm())
	u := in.user
	if !u.known || u.uid == 0 {
		if want&accessExec != 0 {
			return n.kind == kindDir || perm&0o111 != 0
		}
		return true
	}
	var bits uint32
	switch {
	case n.uid == u.uid:
		bits = perm >> 6 & permMaskAll
	case n.gid == u.gid || slices.Contains(u.groups, n.gid):
		bits = perm >> 3 & permMaskAll
	default:
		bits = perm & permMaskAll
	}
	return bits&want == want
}
