// Package netlab runs real network tools against private network
// namespaces for the integration tests: veth links that carry the
// described names and MACs, a private mount namespace for tools that
// write state, and the kernel's addresses, rules and routes read back.
package netlab

import (
	"bytes"
	"context"
	"fmt"
	"github.com/enicfg/enicfg/internal/testenv"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Require skips a real-tool test in short mode, and when a command or
// root is missing (a failure with ENICFG_REQUIRE_TOOLS=1).
func Require(t testing.TB, root bool, cmds ...string) {
	t.Helper()
	testenv.RealTools(t)
	var missing []string
	if root && os.Geteuid() != 0 {
		missing = append(missing, "root")
	}
	for _, c := range cmds {
		if _, err := exec.LookPath(c); err != nil {
			missing = append(missing, c)
		}
	}
	if len(missing) == 0 {
		return
	}
	testenv.Missing(t, "missing %s (see .ci/run for the packages)", strings.Join(missing, ", "))
}

// Run runs a command with a timeout and gives its combined output.
func Run(t testing.TB, timeout time.Duration, name string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if ctx.Err() != nil {
		err = fmt.Errorf("%s: timed out after %s", name, timeout)
	}
	return out.String(), err
}

// Must runs a command and fails the test when it fails.
func Must(t testing.TB, name string, args ...string) string {
	t.Helper()
	out, err := Run(t, 30*time.Second, name, args...)
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return out
}

var seq atomic.Int64

// Lab is a pair of network namespaces made by one test: NS holds the
// links under test, Sink holds their veth peers, UP and without addresses
// unless a test gives them some. Nothing leaves these two namespaces.
type Lab struct {
	t     testing.TB
	NS    string
	Sink  string
	peers map[string]string
	dir   string
}

// New makes a lab and removes it, with every process left in it, when the
// test ends.
func New(t testing.TB) *Lab {
	t.Helper()
	Require(t, true, "ip")
	base := fmt.Sprintf("enicfg-%d-%d", os.Getpid(), seq.Add(1))
	l := &Lab{t: t, NS: base + "-t", Sink: base + "-s", peers: map[string]string{}, dir: t.TempDir()}
	Must(t, "ip", "netns", "add", l.NS)
	t.Cleanup(func() { l.remove(l.NS) })
	Must(t, "ip", "netns", "add", l.Sink)
	t.Cleanup(func() { l.remove(l.Sink) })
	Must(t, "ip", "-n", l.NS, "link", "set", "lo", "up")
	return l
}

// remove kills what still runs in ns (all of it started by the test) and
// deletes ns. Deleting fails while a process keeps a private mount
// namespace alive that holds a copy of the netns mount, so it waits for
// the processes to be gone and retries.
func (l *Lab) remove(ns string) {
	for i := 0; i < 50; i++ {
		out, _ := exec.Command("ip", "netns", "pids", ns).Output()
		pids := strings.Fields(string(out))
		if len(pids) == 0 {
			break
		}
		for _, pid := range pids {
			exec.Command("kill", "-9", pid).Run()
		}
		time.Sleep(100 * time.Millisecond)
	}
	var out []byte
	for i := 0; i < 50; i++ {
		var err error
		if out, err = exec.Command("ip", "netns", "del", ns).CombinedOutput(); err == nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	l.t.Errorf("could not remove network namespace %s: %s", ns, out)
}

// Dir is a temporary folder of the lab's test.
func (l *Lab) Dir() string { return l.dir }

// AddLink adds a veth link named name with mac to NS; its peer is UP in
// Sink. Links get interface indexes from 100 on and their peers from
// 10000 on, so no link of NS has the index of a peer: a tool that looks a
// veth's link index up in its own namespace (wicked caps the MTU at that
// "lower device"'s) finds nothing. (iproute2 6.1 applies a peer's index
// only when the link's own index is given too.)
func (l *Lab) AddLink(name, mac string) {
	l.t.Helper()
	n := len(l.peers)
	peer := fmt.Sprintf("p%d", n)
	Must(l.t, "ip", "-n", l.NS, "link", "add", name, "index", fmt.Sprint(100+n), "address", mac,
		"type", "veth", "peer", "name", peer, "netns", l.Sink, "index", fmt.Sprint(10000+n))
	Must(l.t, "ip", "-n", l.Sink, "link", "set", peer, "up")
	l.peers[name] = peer
}

// Peer gives the Sink-side name of a link's peer.
func (l *Lab) Peer(name string) string { return l.peers[name] }

// Rename records that a link was renamed by the tool under test.
func (l *Lab) Rename(from, to string) {
	l.peers[to] = l.peers[from]
	delete(l.peers, from)
}

// Exec runs a command inside NS (ip netns exec), with a timeout.
func (l *Lab) Exec(timeout time.Duration, args ...string) (string, error) {
	return Run(l.t, timeout, "ip", append([]string{"netns", "exec", l.NS}, args...)...)
}

// Sandbox is a private, persistent mount namespace inside NS: what the
// tools under test write to the folders that setup covers stays in the
// test's temporary folder, and it stays the same from one Run to the next.
type Sandbox struct {
	lab *Lab
	mnt string // the bind-mounted namespace file
}

// Sandbox makes a private mount namespace in NS and runs the shell script
// setup inside it once (to mount tmpfs, overlays or bind mounts). The
// namespace is released when the test ends.
func (l *Lab) Sandbox(setup string) *Sandbox {
	l.t.Helper()
	Require(l.t, true, "unshare", "nsenter", "mount")
	d := filepath.Join(l.dir, "mntns")
	if err := os.MkdirAll(d, 0o700); err != nil {
		l.t.Fatal(err)
	}
	Must(l.t, "mount", "--bind", d, d)
	Must(l.t, "mount", "--make-private", d)
	l.t.Cleanup(func() {
		exec.Command("umount", "-l", filepath.Join(d, "mnt")).Run()
		exec.Command("umount", "-l", d).Run()
	})
	mnt := filepath.Join(d, "mnt")
	if err := os.WriteFile(mnt, nil, 0o600); err != nil {
		l.t.Fatal(err)
	}
	// Made from the host's mount namespace (not inside `ip netns exec`,
	// whose own mount namespace would hide the binding); a fresh sysfs
	// shows NS's links, as ip netns exec does.
	script := "set -e\nmount --make-rprivate /\numount -l /sys\nmount -t sysfs enicfg-sys /sys\n" + setup
	if out, err := Run(l.t, 30*time.Second, "nsenter", "--net=/run/netns/"+l.NS, "unshare", "--mount="+mnt, "--propagation", "private", "sh", "-c", script); err != nil {
		l.t.Fatalf("sandbox setup: %v\n%s\n--- script:\n%s", err, out, script)
	}
	return &Sandbox{lab: l, mnt: mnt}
}

// Run runs a command in the sandbox (NS and the private mounts), with a
// timeout; env entries are added to the environment.
func (s *Sandbox) Run(timeout time.Duration, env []string, args ...string) (string, error) {
	ns := "/run/netns/" + s.lab.NS
	a := append([]string{"--net=" + ns, "--mount=" + s.mnt, "env"}, env...)
	return Run(s.lab.t, timeout, "nsenter", append(a, args...)...)
}

// Start runs a command in the background until the test ends; its output
// is logged when the test fails.
func Start(t testing.TB, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			t.Logf("%s %s:\n%s", name, strings.Join(args, " "), out.String())
		}
	})
}

// Start runs a command in the sandbox in the background until the test
// ends (or until the lab's namespaces are removed).
func (s *Sandbox) Start(env []string, args ...string) {
	ns := "/run/netns/" + s.lab.NS
	a := append([]string{"--net=" + ns, "--mount=" + s.mnt, "env"}, env...)
	Start(s.lab.t, "nsenter", append(a, args...)...)
}

// Tool is one build of a tool at a version.
type Tool struct {
	Version string
	Dir     string
}

// Compat gives the builds of a tool (the folders <name>-<version> that
// .ci/compat-build made under ENICFG_COMPAT from ../shared/compat:
// netplan-0.36.3/, ifupdown-0.7.53.1/, wicked-sle12-sp3/, ...), skipping
// the test in short mode or when the folder is not given (a failure with
// ENICFG_REQUIRE_TOOLS=1).
func Compat(t testing.TB, name string) []Tool {
	t.Helper()
	testenv.RealTools(t)
	dir := testenv.CompatDir()
	if dir == "" {
		testenv.Missing(t, "%s is not set: no builds of the old tools (.ci/compat-build builds them)", testenv.CompatEnv)
	}
	paths, err := filepath.Glob(filepath.Join(dir, name+"-*"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("%s=%s holds no %s-* build", testenv.CompatEnv, dir, name)
	}
	var out []Tool
	for _, p := range paths {
		out = append(out, Tool{Version: strings.TrimPrefix(filepath.Base(p), name+"-"), Dir: p})
	}
	return out
}
