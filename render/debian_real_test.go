package render_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/enicfg/enicfg/internal/netlab"
	"github.com/enicfg/enicfg/spec"
)

// TestDebianIfupdown applies the rendered /etc/network/interfaces with the
// real ifupdown inside a private network namespace: links carry the
// described MACs and get their names from the rendered udev rule, DHCP
// interfaces lease from a dnsmasq on their peer, and the kernel's
// addresses (with labels), rules and routes of every table must be
// exactly the described ones. A second ifup must succeed and change
// nothing, ifdown must leave nothing behind, and ifup must then give the
// same state again.
func TestDebianIfupdown(t *testing.T) {
	netlab.Require(t, true, "ifup", "ifdown", "ifquery", "ip", "nsenter", "unshare", "ethtool")
	for _, sc := range seedScenarios {
		t.Run(sc.name, func(t *testing.T) {
			applyDebian(t, sc.load(t), "debian12")
		})
	}
}

// ethtoolShim records each call and lets the real ethtool parse it: veth
// has no combined channels, so the kernel refuses the change, but a
// command line that ethtool cannot parse is recorded as BAD. It is bound
// over /usr/sbin/ethtool inside the sandbox (ifupdown sets its own PATH).
func ethtoolShim(real, log string) string {
	return fmt.Sprintf(`#!/bin/sh
echo "$*" >> %[2]s
out=$(%[1]s "$@" 2>&1)
rc=$?
case $out in *"bad command line"*) echo "BAD: $*: $out" >> %[2]s ;; esac
echo "$out" >&2
exit $rc
`, real, log)
}

func applyDebian(t *testing.T, m *spec.Model, distro string) {
	files := renderFor(t, m, distro)
	ifaces := fileOf(t, files, "/etc/network/interfaces")
	udevFiles := map[string][]byte{}
	for _, f := range files {
		if f.Path == "/etc/udev/rules.d/70-enicfg-net.rules" {
			udevFiles[f.Path] = f.Data
		}
	}

	tn := newTestNet(t, m, udevFiles, true)
	lab, mac, leases, routers := tn.Lab, tn.mac, tn.leases, tn.routers

	dir := lab.Dir()
	file := filepath.Join(dir, "interfaces")
	state := filepath.Join(dir, "ifstate")
	shim := filepath.Join(dir, "bin")
	log := filepath.Join(dir, "ethtool.log")
	for _, d := range []string{state, shim} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(file, ifaces, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(shim, "ethtool"), []byte(ethtoolShim(filepath.Join(shim, "ethtool.real"), log)), 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := netlab.Run(t, 10*time.Second, "ifquery", "-i", file, "--list"); err != nil {
		t.Fatalf("ifquery: %v\n%s", err, out)
	}

	// /etc is an overlay (dhclient-script writes resolv.conf there; its
	// hooks are removed in the overlay), /run and /var/lib/dhcp are
	// private: the host's files are never written.
	sb := lab.Sandbox(fmt.Sprintf(`
mkdir -p %[1]s/etc-up %[1]s/etc-wk
mount -t overlay enicfg-etc -o lowerdir=/etc,upperdir=%[1]s/etc-up,workdir=%[1]s/etc-wk /etc
rm -f /etc/dhcp/dhclient-enter-hooks.d/* /etc/dhcp/dhclient-exit-hooks.d/*
mount -t tmpfs enicfg-run /run
if [ -d /var/lib/dhcp ]; then mount -t tmpfs enicfg-dhcp /var/lib/dhcp; fi
cp /usr/sbin/ethtool %[2]s/ethtool.real
mount --bind %[2]s/ethtool /usr/sbin/ethtool
`, dir, shim))
	var env []string
	ifupdown := func(cmd string) {
		t.Helper()
		out, err := sb.Run(90*time.Second, env, cmd, "-v", "--no-scripts", "-i", file, "--state-dir", state, "-a")
		if err != nil {
			t.Fatalf("%s -a: %v\n%s\n--- interfaces:\n%s", cmd, err, out, ifaces)
		}
	}

	want := netlab.Expect{MACs: mac, AliasLabels: func(*spec.Interface) bool { return true }, Leases: leases, Routers: routers, KernelRoutes: true}.Want(m)
	check := func(when string) {
		t.Helper()
		got := lab.State()
		if d := netlab.Diff(want, got); d != "" {
			t.Fatalf("%s: kernel state differs from the description (-want +got):\n%s\n--- interfaces:\n%s", when, d, ifaces)
		}
	}

	ifupdown("ifup")
	check("after ifup -a")
	ifupdown("ifup")
	check("after a second ifup -a")
	ifupdown("ifdown")
	left := lab.State().Leftovers()
	if len(left) > 0 {
		t.Fatalf("ifdown -a left:\n%s", strings.Join(left, "\n"))
	}
	ifupdown("ifup")
	check("after ifdown -a and ifup -a")

	calls, _ := os.ReadFile(log)
	if strings.Contains(string(calls), "BAD:") {
		t.Fatalf("ethtool could not parse a command:\n%s", calls)
	}
	for _, in := range m.Interfaces {
		want := fmt.Sprintf("-L %s combined %d\n", in.Name, in.Queues)
		if in.Queues != 0 && !strings.Contains(string(calls), want) {
			t.Errorf("%s: ifup did not run ethtool %s; calls:\n%s", in.Name, strings.TrimSpace(want), calls)
		}
	}
}
