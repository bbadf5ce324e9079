package main

import (
	"bytes"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/enicfg/enicfg/distros"
	"github.com/enicfg/enicfg/internal/testenv"
	"github.com/enicfg/enicfg/spec"
)

// TestExitCodes pins the exit codes of FORMAT.md: 0 success, 1 error, and
// for diff 2 when the files differ, for check 2 when the host differs.
func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	desc := filepath.Join(dir, "net.yaml")
	testenv.WriteFile(t, desc, []byte("version: 1\ninterfaces:\n  - name: eth0\n    address: 10.0.0.10/24\n    gateway: 10.0.0.1\n"), 0o644)
	bad := filepath.Join(dir, "bad.yaml")
	testenv.WriteFile(t, bad, []byte("version: 2\n"), 0o644)
	absent := filepath.Join(dir, "absent.yaml")
	testenv.WriteFile(t, absent, []byte("version: 1\ninterfaces:\n  - name: enicfgz9\n    address: 10.0.0.10/24\n    gateway: 10.0.0.1\n"), 0o644)
	root := filepath.Join(dir, "root")
	testenv.Mkdir(t, root)
	code := func(args ...string) int {
		var out, errOut bytes.Buffer
		return run(args, strings.NewReader(""), &out, &errOut)
	}
	steps := []struct {
		args []string
		want int
	}{
		{[]string{"diff", "--distro", "debian12", "-f", desc, "--root", root}, 2}, // nothing written yet
		{[]string{"render", "--distro", "debian12", "-f", desc, "--root", root}, 0},
		{[]string{"diff", "--distro", "debian12", "-f", desc, "--root", root}, 0},
		{[]string{"diff", "--distro", "debian12", "-f", bad, "--root", root}, 1},
		{[]string{"render", "--distro", "debian12", "-f", bad}, 1},
		{[]string{"render", "--bogus"}, 1},
		{[]string{"validate", "-f", desc}, 0},
		// check reads this host: it has no link named enicfgz9.
		{[]string{"check", "-f", absent}, 2},
		{[]string{"check", "-f", absent, "--output", "yaml"}, 1},
		{[]string{"check", "-f", bad}, 1},
	}
	for _, s := range steps {
		if got := code(s.args...); got != s.want {
			t.Errorf("enicfg %s: exit %d, want %d", strings.Join(s.args, " "), got, s.want)
		}
	}
	testenv.WriteFile(t, filepath.Join(root, "etc/network/interfaces"), []byte("edited\n"), 0o644)
	if got := code("diff", "--distro", "debian12", "-f", desc, "--root", root); got != 2 {
		t.Errorf("diff after an edit: exit %d, want 2", got)
	}
}

// TestGlobalSteps: the activation steps that take every interface down,
// for apply's guard of the default route's link.
func TestGlobalSteps(t *testing.T) {
	for cmd, want := range map[string]bool{
		"ifdown --exclude=lo -a":             true,
		"ifup --exclude=lo -a":               true,
		"systemctl stop networking":          true,
		"systemctl start networking":         true,
		"systemctl restart systemd-networkd": true,
		"service network stop":               true,
		"service network start":              true,
		"rcnetwork stop":                     true,
		"wicked ifreload all":                true,
		"netplan apply":                      true,
		"nmcli connection reload":            false,
		"nmcli connection up enicfg-eth1":    false,
		"networkctl reload":                  false,
		"networkctl reconfigure eth1":        false,
	} {
		if got := globalStep.MatchString(cmd); got != want {
			t.Errorf("%q: global %v, want %v", cmd, got, want)
		}
	}
	down, up := splitDown([]string{"udevadm control --reload", "systemctl restart networking"})
	if strings.Join(down, ";") != "systemctl stop networking" || strings.Join(up, ";") != "udevadm control --reload;systemctl start networking" {
		t.Errorf("splitDown: %q, %q", down, up)
	}
	down, up = splitDown([]string{"service network restart"})
	if strings.Join(down, ";") != "service network stop" || strings.Join(up, ";") != "service network start" {
		t.Errorf("splitDown: %q, %q", down, up)
	}
	down, up = splitDown([]string{"ifdown --exclude=lo -a", "ifup --exclude=lo -a"})
	if strings.Join(down, ";") != "ifdown --exclude=lo -a" || strings.Join(up, ";") != "ifup --exclude=lo -a" {
		t.Errorf("splitDown: %q, %q", down, up)
	}
}

// TestSplitDownEveryTarget: for every Linux target (each point release),
// apply knows which activation steps bring interfaces down by their
// configuration (ifupdown, network-scripts, SLES 11's scripts, Debian's
// networking service) and runs them before the files change, and its
// guard sees every step that restarts all interfaces. A family whose
// steps change form fails here instead of losing apply's stop step.
func TestSplitDownEveryTarget(t *testing.T) {
	m, err := spec.Load("net.yaml", []byte("version: 1\ninterfaces:\n  - name: eth0\n    address: 10.0.0.10/24\n    gateway: 10.0.0.1\n    dns: {servers: [10.0.0.2]}\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tgt := range distros.Expanded() {
		if tgt.Family == "windows" {
			continue
		}
		files, _, err := tgt.Render(m, true)
		if err != nil {
			t.Fatal(err)
		}
		down, up := splitDown(tgt.ApplyCommands(m, files))
		byConfig := tgt.Family == "debian" || (tgt.Family == "rhel" && tgt.Variant == "network-scripts") || (tgt.Family == "suse" && tgt.Variant == "sysconfig")
		if byConfig != (len(down) > 0) {
			t.Errorf("%s: stop steps %q, want some: %v", tgt.Name, down, byConfig)
		}
		if len(up) == 0 {
			t.Errorf("%s: no activation step after the files change", tgt.Name)
		}
		global := false
		for _, c := range append(down, up...) {
			global = global || globalStep.MatchString(c)
		}
		// networkd before systemd 244 has no networkctl reload: a restart.
		perInterface := tgt.Family == "nm" || (tgt.Family == "rhel" && tgt.Variant == "ifcfg-rh") ||
			(tgt.Family == "networkd" && !slices.Contains(up, "systemctl restart systemd-networkd"))
		if global == perInterface {
			t.Errorf("%s: steps %q: restart every interface %v, want %v", tgt.Name, append(down, up...), global, !perInterface)
		}
	}
}
