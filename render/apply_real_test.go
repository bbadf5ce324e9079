package render_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/enicfg/enicfg/internal/netlab"
	"github.com/enicfg/enicfg/live"
	"github.com/enicfg/enicfg/spec"
)

// `enicfg apply` and `enicfg rollback` in the real-tool labs: the command
// runs inside a lab's sandbox (its own network namespace and private /etc
// and /run), writes the files under /, runs the family's real activation
// steps and checks the kernel; the tests read the state back with ip(8)
// and the files with cat.

// The descriptions an apply goes through: one ENI; the same with a
// secondary IP and a second ENI with a table; the second ENI removed; and
// a third ENI that the instance does not have.
const (
	applyOne = `version: 1
interfaces:
  - name: eth0
    address: 10.20.0.10/24
    gateway: 10.20.0.1
    dns: {servers: [10.20.0.2]}
`
	applyTwo = `version: 1
interfaces:
  - name: eth0
    address: 10.20.0.10/24
    gateway: 10.20.0.1
    secondary_ips: [10.20.0.11]
    dns: {servers: [10.20.0.2]}
  - name: eth1
    address: 10.21.0.10/24
    gateway: 10.21.0.1
    default_route: false
    route_table: 1001
`
	applyAbsent = `version: 1
interfaces:
  - name: eth0
    address: 10.20.0.10/24
    gateway: 10.20.0.1
    dns: {servers: [10.20.0.2]}
  - name: eth2
    address: 10.22.0.10/24
    gateway: 10.22.0.1
    default_route: false
    route_table: 1002
`
)

// applyLab is a lab whose sandbox runs enicfg apply for one target.
type applyLab struct {
	t      *testing.T
	lab    *netlab.Lab
	sb     *netlab.Sandbox
	env    []string
	distro string
	expect func(m *spec.Model) netlab.State
	files  []string // the paths whose content is compared
}

// run runs enicfg in the sandbox with the description text, and gives its
// exit status and output.
func (a *applyLab) run(desc string, args ...string) (int, string) {
	a.t.Helper()
	file := filepath.Join(a.lab.Dir(), "description.yaml")
	if err := os.WriteFile(file, []byte(desc), 0o644); err != nil {
		a.t.Fatal(err)
	}
	full := append([]string{enicfgBinary(a.t)}, args...)
	if args[0] == "apply" {
		full = append(full, "--distro", a.distro, "-f", file)
	}
	full = append(full, "--state-dir", "/run/enicfg")
	out, err := a.sb.Run(6*time.Minute, a.env, full...)
	return exitOf(a.t, err, out), out
}

// state reads the kernel's state of the described links.
func (a *applyLab) state(m *spec.Model) netlab.State {
	s := a.lab.State()
	for name := range s.Links {
		if !describes(m, name) {
			delete(s.Links, name)
		}
	}
	return s
}

func describes(m *spec.Model, name string) bool {
	for _, in := range m.Interfaces {
		if in.Name == name {
			return true
		}
	}
	return false
}

// content reads the compared files in the sandbox ("" for a file that is
// not there).
func (a *applyLab) content() map[string]string {
	a.t.Helper()
	out := map[string]string{}
	for _, p := range a.files {
		data, err := a.sb.Run(10*time.Second, nil, "sh", "-c", "cat "+p+" 2>/dev/null || true")
		if err != nil {
			a.t.Fatalf("cat %s: %v", p, err)
		}
		out[p] = data
	}
	return out
}

// mustMatch holds the lab to the description: the kernel's state and the
// rendered files.
func (a *applyLab) mustMatch(when, desc string) {
	a.t.Helper()
	m := loadDescription(a.t, "apply", "description.yaml", []byte(desc))
	if d := netlab.Diff(a.expect(m), a.state(m)); d != "" {
		a.t.Fatalf("%s: kernel state differs from the description (-want +got):\n%s", when, d)
	}
	files := renderFor(a.t, m, a.distro)
	got := a.content()
	for _, f := range files {
		if _, ok := got[f.Path]; ok && got[f.Path] != string(f.Data) {
			a.t.Fatalf("%s: %s is not the rendered file:\n%s", when, f.Path, got[f.Path])
		}
	}
}

// applySequence runs the sequence of the issue against a lab: apply one
// ENI; to two ENIs with a table and secondary IPs (refused without --yes,
// since ifupdown's steps take the default route's link down); the same
// again (nothing to change); with a rival that keeps deleting a table's
// route (the wait times out: rolled back); an ENI that the instance lacks (the
// activation fails: rolled back to the files byte for byte and the state
// of before); the second ENI removed; and rollback to two ENIs.
func applySequence(t *testing.T, a *applyLab) {
	code, out := a.run(applyOne, "apply", "--yes")
	if code != 0 {
		t.Fatalf("apply one ENI: exit %d\n%s", code, out)
	}
	a.mustMatch("after apply of one ENI", applyOne)

	before := a.content()
	code, out = a.run(applyTwo, "apply")
	if code != 1 || !strings.Contains(out, "carries this host's default route") {
		t.Fatalf("apply without --yes: exit %d, want 1 and the default route named:\n%s", code, out)
	}
	if d := diffFiles(before, a.content()); d != "" {
		t.Fatalf("apply without --yes changed files: %s", d)
	}

	code, out = a.run(applyTwo, "apply", "--dry-run")
	if code != 0 || !strings.Contains(out, "would run: ") || !strings.Contains(out, "+    address 10.20.0.11/24") && !strings.Contains(out, "10.20.0.11") {
		t.Fatalf("apply --dry-run: exit %d\n%s", code, out)
	}
	if d := diffFiles(before, a.content()); d != "" {
		t.Fatalf("apply --dry-run changed files: %s", d)
	}
	a.mustMatch("after --dry-run", applyOne)

	// Another package's if-up.d hook deletes the new table's default
	// route after each ifup: the wait for check times out and the apply
	// rolls back.
	a.hook("/etc/network/if-up.d/rival", "ip route del default table 1001")
	code, out = a.run(applyTwo, "apply", "--yes", "--check-timeout", "3s")
	a.hook("/etc/network/if-up.d/rival", "")
	if code != 1 || !strings.Contains(out, "the host does not match after 3s") || !strings.Contains(out, "missing route default via 10.21.0.1 dev eth1 table 1001") ||
		!strings.Contains(out, "the host matches the earlier description again") {
		t.Fatalf("apply against a rival: exit %d, want 1, the missing route named and rolled back to a matching host:\n%s", code, out)
	}
	if d := diffFiles(before, a.content()); d != "" {
		t.Fatalf("after the rollback (timeout) the files are not those of before: %s", d)
	}
	a.mustMatch("after the rollback of a timeout", applyOne)

	code, out = a.run(applyTwo, "apply", "--yes")
	if code != 0 {
		t.Fatalf("apply two ENIs: exit %d\n%s", code, out)
	}
	a.mustMatch("after apply of two ENIs", applyTwo)
	code, out = a.run(applyTwo, "apply", "--yes")
	if code != 0 || !strings.Contains(out, "nothing to change") {
		t.Fatalf("apply again: exit %d, want 0 and nothing to change:\n%s", code, out)
	}
	a.mustMatch("after the same apply again", applyTwo)

	before = a.content()
	code, out = a.run(applyAbsent, "apply", "--yes", "--check-timeout", "5s")
	if code != 1 || !strings.Contains(out, "rolled back") || !strings.Contains(out, "the host matches the earlier description again") {
		t.Fatalf("apply of an absent ENI: exit %d, want 1, rolled back to a matching host:\n%s", code, out)
	}
	if d := diffFiles(before, a.content()); d != "" {
		t.Fatalf("after the rollback the files are not those of before: %s", d)
	}
	a.mustMatch("after the rollback of an absent ENI", applyTwo)

	code, out = a.run(applyOne, "apply", "--yes")
	if code != 0 {
		t.Fatalf("apply of one ENI after two: exit %d\n%s", code, out)
	}
	a.mustMatch("after removing the second ENI", applyOne)

	code, out = a.run("", "rollback", "--yes")
	if code != 0 || !strings.Contains(out, "the host matches the earlier description") {
		t.Fatalf("rollback: exit %d\n%s", code, out)
	}
	a.mustMatch("after rollback", applyTwo)
}

// hook writes a shell script that runs cmd (and always succeeds) at path
// in the sandbox; an empty cmd removes it.
func (a *applyLab) hook(path, cmd string) {
	a.t.Helper()
	script := "rm -f " + path
	if cmd != "" {
		script = "printf '#!/bin/sh\\n" + cmd + " 2>/dev/null\\nexit 0\\n' > " + path + " && chmod 755 " + path
	}
	if out, err := a.sb.Run(10*time.Second, nil, "sh", "-c", script); err != nil {
		a.t.Fatalf("hook %s: %v\n%s", path, err, out)
	}
}

func diffFiles(a, b map[string]string) string {
	var out []string
	for p, v := range a {
		if b[p] != v {
			out = append(out, p)
		}
	}
	return strings.Join(out, ", ")
}

// TestApplyIfupdown: Debian's ifupdown, run by the steps of a target
// without systemd (ubuntu1404: ifdown -a, ifup -a).
func TestApplyIfupdown(t *testing.T) {
	netlab.Require(t, true, "ifup", "ifdown", "ip", "nsenter", "unshare")
	lab := netlab.New(t)
	lab.AddLink("eth0", "02:ee:00:00:02:01")
	lab.AddLink("eth1", "02:ee:00:00:02:02")
	dir := lab.Dir()
	sb := lab.Sandbox(`
mkdir -p ` + dir + `/etc-up ` + dir + `/etc-wk
mount -t overlay enicfg-etc -o lowerdir=/etc,upperdir=` + dir + `/etc-up,workdir=` + dir + `/etc-wk /etc
for d in if-up.d if-down.d if-pre-up.d if-post-down.d; do rm -rf /etc/network/$d; mkdir /etc/network/$d; done
rm -rf /etc/network/interfaces.d
printf 'auto lo\niface lo inet loopback\n' > /etc/network/interfaces
mount -t tmpfs enicfg-run /run
mkdir -p /run/network
`)
	a := &applyLab{t: t, lab: lab, sb: sb, distro: "ubuntu1404", files: []string{"/etc/network/interfaces"},
		expect: func(m *spec.Model) netlab.State {
			macs := map[string]string{"eth0": "02:ee:00:00:02:01", "eth1": "02:ee:00:00:02:02"}
			return netlab.Want(t, live.Expect{Layout: live.KernelRoutes, MACs: macs, AliasLabels: func(*spec.Interface) bool { return true }}, m)
		}}
	applySequence(t, a)
}
