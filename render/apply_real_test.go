package render_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/enicfg/enicfg/internal/netlab"
	"github.com/enicfg/enicfg/internal/testenv"
	"github.com/enicfg/enicfg/live"
	"github.com/enicfg/enicfg/render"
	"github.com/enicfg/enicfg/spec"
)

// `enicfg apply` and `enicfg rollback` in the real-tool labs: the command
// runs inside a lab's sandbox (its own network namespace and private /etc
// and /run), writes the files under /, runs the family's real activation
// steps and checks the kernel; the tests read the state back with ip(8)
// and the files with cat.

// The descriptions an apply goes through: one ENI; the same with a
// secondary IP and a second ENI with a table, both dual stack (the IPv6
// addresses, routes and rules go away again with the step back to one
// ENI); the second ENI removed; and a third ENI that the instance does
// not have.
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
    ipv6:
      address: 2001:db8:20::10/64
      gateway: fe80::1
  - name: eth1
    address: 10.21.0.10/24
    gateway: 10.21.0.1
    default_route: false
    route_table: 1001
    ipv6:
      address: 2001:db8:21::10/64
      secondary_ips: [2001:db8:21::11]
      gateway: fe80::1
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
	// fault breaks the activation of applyTwo in the family's own way
	// (a rival hook, a daemon gone) and gives a text the failed apply
	// must print and how to mend it.
	fault func() (want string, mend func())
	// logs gives the daemon's log, for a failure (nil: none).
	logs func() string
	// edit changes the descriptions for the family (nil: none).
	edit func(string) string
}

func (a *applyLab) description(desc string) string {
	if a.edit == nil || desc == "" {
		return desc
	}
	return a.edit(desc)
}

// run runs enicfg in the sandbox with the description text, and gives its
// exit status and output.
func (a *applyLab) run(desc string, args ...string) (int, string) {
	a.t.Helper()
	file := filepath.Join(a.lab.Dir(), "description.yaml")
	if err := os.WriteFile(file, []byte(a.description(desc)), 0o644); err != nil {
		a.t.Fatal(err)
	}
	full := append([]string{enicfgBinary(a.t)}, args...)
	if args[0] == "apply" {
		full = append(full, "--distro", a.distro, "-f", file)
	}
	full = append(full, "--state-dir", "/run/enicfg")
	out, err := a.sb.Run(6*time.Minute, a.env, full...)
	a.t.Logf("enicfg %s:\n%s", strings.Join(args, " "), out)
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
	m := loadDescription(a.t, "apply", "description.yaml", []byte(a.description(desc)))
	if d := netlab.Diff(a.expect(m), a.state(m)); d != "" {
		log := ""
		if a.logs != nil {
			log = a.logs()
		}
		a.t.Fatalf("%s: kernel state differs from the description (-want +got):\n%s\n%s", when, d, log)
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
	udevStandIn(t, a)
	// The host settings' files are the lab's own: without these mounts an
	// apply would write the sysctl file and udev rule of the machine.
	if out, err := a.sb.Run(10*time.Second, nil, "sh", "-c", "mkdir -p /etc/sysctl.d /etc/udev/rules.d && mount -t tmpfs enicfg-sysctl /etc/sysctl.d && mount -t tmpfs enicfg-udev-rules /etc/udev/rules.d"); err != nil {
		t.Fatalf("private /etc/sysctl.d and /etc/udev/rules.d: %v\n%s", err, out)
	}
	a.files = append(a.files, "/etc/sysctl.d/99-zz-enicfg.conf", "/etc/udev/rules.d/99-enicfg-sysctl.rules")
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
	// The diff adds the secondary IP, in each family's form.
	if code != 0 || !strings.Contains(out, "would run: ") || !strings.Contains(out, "10.20.0.11") {
		t.Fatalf("apply --dry-run: exit %d\n%s", code, out)
	}
	if d := diffFiles(before, a.content()); d != "" {
		t.Fatalf("apply --dry-run changed files: %s", d)
	}
	a.mustMatch("after --dry-run", applyOne)

	// The family's fault: the activation fails or the wait times out,
	// and the apply rolls back.
	want, mend := a.fault()
	code, out = a.run(applyTwo, "apply", "--yes", "--check-timeout", "3s")
	if code != 1 || !strings.Contains(out, want) || !strings.Contains(out, "the host matches the earlier description again") {
		t.Fatalf("apply with a fault: exit %d, want 1, %q and rolled back to a matching host:\n%s", code, want, out)
	}
	if d := diffFiles(before, a.content()); d != "" {
		t.Fatalf("after the rollback (fault) the files are not those of before: %s", d)
	}
	a.mustMatch("after the rollback of a fault", applyOne)
	mend()
	a.mustMatch("after the fault is mended", applyOne)

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

// udevStandIn puts a stand-in for udevadm first in the PATH of the
// lab's commands: the lab runs no udev daemon, and the dual-stack
// description's sysctl file comes with a udev rule, whose activation
// reloads udev's rules and triggers the NICs. The stand-in takes those
// two (the rule's command, sysctl -p of the same file, runs as its own
// step; TestHostSysctl runs the rule with udevadm test) and refuses
// anything else.
func udevStandIn(t *testing.T, a *applyLab) {
	bin := filepath.Join(a.lab.Dir(), "udev-stand-in")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	testenv.WriteFile(t, filepath.Join(bin, "udevadm"), []byte(`#!/bin/sh
# The lab's stand-in for udevadm (no udev daemon runs there).
case "$*" in
"control --reload"|"control --reload-rules"|"trigger --action=add --subsystem-match=net"|trigger*|settle*) exit 0 ;;
esac
echo "stand-in udevadm: $* is not done in the lab" >&2
exit 1
`), 0o755)
	for k, e := range a.env {
		if strings.HasPrefix(e, "PATH=") {
			a.env[k] = "PATH=" + bin + ":" + strings.TrimPrefix(e, "PATH=")
			return
		}
	}
	a.env = append(a.env, "PATH="+bin+":/usr/sbin:/usr/bin:/sbin:/bin")
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

// TestApplyIfupdown: each ifupdown at hand (Debian 12's 0.8.41 and the
// builds of ../shared/compat, 0.7.53.1 and 0.8.19), run by the steps of
// the debian family's target, whose span (0.7.47.2 to 0.8.41) holds them
// all and which has no systemd step: ifdown -a, ifup -a.
func TestApplyIfupdown(t *testing.T) {
	t.Parallel()
	netlab.Require(t, true, "ifup", "ifdown", "ip", "nsenter", "unshare", "dpkg-query")
	for _, b := range ifupdownBuilds(t) {
		t.Run(string(b.version), func(t *testing.T) {
			t.Parallel()
			applyIfupdown(t, b)
		})
	}
}

// applyIfupdown runs the sequence with one ifupdown build first in PATH.
func applyIfupdown(t *testing.T, b ifupdownBuild) {
	lab := netlab.New(t)
	lab.AddLink("eth0", applyMACs["eth0"])
	lab.AddLink("eth1", applyMACs["eth1"])
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
	a := &applyLab{t: t, lab: lab, sb: sb, distro: "debian", files: []string{"/etc/network/interfaces"},
		env: []string{"PATH=" + b.bin + ":/usr/sbin:/usr/bin:/sbin:/bin"},
		expect: func(m *spec.Model) netlab.State {
			return netlab.Want(t, live.Expect{Layout: live.KernelRoutes, MACs: applyMACs, AliasLabels: func(*spec.Interface) bool { return true }}, m)
		}}
	// Another package's if-up.d hook deletes the new table's default
	// route after each ifup: the wait for check times out.
	a.fault = func() (string, func()) {
		a.hook("/etc/network/if-up.d/rival", "ip route del default table 1001")
		return "the host does not match after 3s:\n  eth1: missing route default via 10.21.0.1 dev eth1 table 1001", func() {
			a.hook("/etc/network/if-up.d/rival", "")
		}
	}
	applySequence(t, a)
}

var applyMACs = map[string]string{"eth0": "02:ee:00:00:02:01", "eth1": "02:ee:00:00:02:02"}

// TestApplyNM: NetworkManager (keyfiles, rhel9's steps: nmcli connection
// reload, nmcli connection up per interface), the daemon running in the
// lab's sandbox on a private D-Bus.
func TestApplyNM(t *testing.T) {
	t.Parallel()
	netlab.Require(t, true, "NetworkManager", "nmcli", "nm-online", "dbus-daemon", "ip", "nsenter", "unshare")
	lab := netlab.New(t)
	lab.AddLink("eth0", applyMACs["eth0"])
	lab.AddLink("eth1", applyMACs["eth1"])
	dir := lab.Dir()
	sb, log := startNM(t, lab, dir)
	a := &applyLab{t: t, lab: lab, sb: sb, distro: "rhel9",
		files: []string{"/etc/NetworkManager/system-connections/enicfg-eth0.nmconnection", "/etc/NetworkManager/system-connections/enicfg-eth1.nmconnection",
			"/etc/NetworkManager/system-connections/enicfg-eth2.nmconnection"},
		expect: func(m *spec.Model) netlab.State {
			return netlab.Want(t, live.Expect{Layout: live.NM, MACs: applyMACs, NMMetrics: nmMetrics(lab.State(), m, nil)}, m)
		}}
	// NetworkManager is gone: nmcli cannot reach it, and the kernel keeps
	// what it had.
	a.fault = func() (string, func()) {
		if out, err := sb.Run(10*time.Second, nil, "sh", "-c", "kill $(cat /run/enicfg-nm.pid)"); err != nil {
			t.Fatalf("stopping NetworkManager: %v\n%s", err, out)
		}
		return "nmcli connection reload: exit status", func() {
			sb.Start(nil, "sh", "-c", "echo $$ > /run/enicfg-nm.pid; exec NetworkManager --no-daemon --debug --log-level=INFO >> "+log+" 2>&1")
			if out, err := sb.Run(60*time.Second, nil, "nm-online", "-q", "-t", "45"); err != nil {
				t.Fatalf("nm-online after a restart: %v\n%s", err, out)
			}
		}
	}
	applySequence(t, a)
}

// networkdLab is a sandbox of the lab with systemd-networkd on a private
// D-Bus (networkctl talks to it there); start starts networkd again (its
// process id is in the sandbox's /run/enicfg-networkd.pid), logs gives
// its log, stop stops it. extra is more setup for the sandbox.
func networkdLab(t *testing.T, lab *netlab.Lab, extra string) (sb *netlab.Sandbox, start, stop func(), logs func() string) {
	t.Helper()
	dir := lab.Dir()
	testenv.WriteFile(t, filepath.Join(dir, "dbus.conf"), []byte(netlab.BusConfig("/run/dbus/system_bus_socket")), 0o644)
	sb = lab.Sandbox(`
mount -o remount,ro /sys
mount -t tmpfs enicfg-run /run
mkdir -p /run/systemd/netif /run/systemd/network /run/dbus
chown systemd-network:systemd-network /run/systemd/netif
mount -t tmpfs enicfg-etc /etc/systemd/network
if [ -d /usr/lib/systemd/network ]; then mount -t tmpfs enicfg-lib /usr/lib/systemd/network; fi
cp ` + dir + `/dbus.conf /run/enicfg-dbus.conf
` + extra)
	sb.Start(nil, "dbus-daemon", "--config-file=/run/enicfg-dbus.conf", "--nofork", "--nopidfile")
	if out, err := sb.Run(10*time.Second, nil, "sh", "-c", "for i in $(seq 50); do [ -S /run/dbus/system_bus_socket ] && exit 0; sleep 0.1; done; exit 1"); err != nil {
		t.Fatalf("private D-Bus did not start: %v %s", err, out)
	}
	log := filepath.Join(dir, "networkd.log")
	logs = func() string {
		data, _ := os.ReadFile(log)
		return "--- networkd log (tail):\n" + tail(string(data), 80)
	}
	start = func() {
		sb.Start([]string{"SYSTEMD_LOG_LEVEL=debug", "SYSTEMD_LOG_TARGET=console", "SYSTEMD_LOG_COLOR=0"},
			"sh", "-c", "echo $$ > /run/enicfg-networkd.pid; exec "+networkdBin+" >> "+log+" 2>&1")
		if out, err := sb.Run(20*time.Second, nil, "sh", "-c", `for i in $(seq 100); do
	dbus-send --system --print-reply --dest=org.freedesktop.DBus / org.freedesktop.DBus.NameHasOwner string:org.freedesktop.network1 | grep -q 'boolean true' && exit 0
	sleep 0.1
done; exit 1`); err != nil {
			t.Fatalf("networkd is not on the bus: %v %s\n%s", err, out, logs())
		}
	}
	start()
	stop = func() {
		if out, err := sb.Run(10*time.Second, nil, "sh", "-c", "kill $(cat /run/enicfg-networkd.pid)"); err != nil {
			t.Fatalf("stopping networkd: %v\n%s", err, out)
		}
	}
	return sb, start, stop, logs
}

// TestApplyNetworkd: systemd-networkd with Amazon Linux 2023's steps
// (networkctl reload, networkctl reconfigure per interface).
func TestApplyNetworkd(t *testing.T) {
	t.Parallel()
	netlab.Require(t, true, networkdBin, "networkctl", "dbus-daemon", "dbus-send", "ip", "nsenter", "unshare")
	lab := netlab.New(t)
	lab.AddLink("eth0", applyMACs["eth0"])
	lab.AddLink("eth1", applyMACs["eth1"])
	sb, start, stop, logs := networkdLab(t, lab, "")
	a := &applyLab{t: t, lab: lab, sb: sb, distro: "amazonlinux2023", logs: logs,
		files: []string{"/etc/systemd/network/05-enicfg-eth0.network", "/etc/systemd/network/05-enicfg-eth1.network", "/etc/systemd/network/05-enicfg-eth2.network"},
		expect: func(m *spec.Model) netlab.State {
			return netlab.Want(t, live.Expect{Layout: live.Networkd, MACs: applyMACs}, m)
		}}
	// networkd is gone: networkctl cannot reach it.
	a.fault = func() (string, func()) {
		stop()
		return "networkctl reload: exit status", start
	}
	applySequence(t, a)
}

// TestApplyNetplan: Debian 12's netplan (0.106, in ubuntu2204's span) with
// its step, netplan apply, which generates networkd's files and has
// networkd (in the lab, on a private D-Bus) reload and reconfigure. The
// lab runs no init system and no udev daemon: systemctl and udevadm are
// stand-ins that do what netplan asks of them here (daemon-reload;
// is-active: inactive; stopping its wpa units; starting its OVS cleanup
// unit runs the unit's ExecStart; trigger, settle) and fail for anything
// else, so netplan's fallback (restart systemd-networkd) is
// an error, not a pass.
func TestApplyNetplan(t *testing.T) {
	t.Parallel()
	netlab.Require(t, true, "netplan", networkdBin, "networkctl", "dbus-daemon", "dbus-send", "ip", "nsenter", "unshare")
	lab := netlab.New(t)
	lab.AddLink("eth0", applyMACs["eth0"])
	lab.AddLink("eth1", applyMACs["eth1"])
	bin := filepath.Join(lab.Dir(), "standin")
	testenv.Mkdir(t, bin)
	testenv.WriteFile(t, filepath.Join(bin, "systemctl"), []byte(`#!/bin/sh
# The lab's stand-in for systemd's systemctl (no init system runs there).
case "$*" in
daemon-reload) exit 0 ;;
is-active*|"--quiet is-active"*) exit 3 ;;
"stop --no-block netplan-wpa-"*|"stop netplan-wpa-"*) exit 0 ;;
"start netplan-ovs-cleanup.service")
	# What the unit that netplan generated runs.
	exec $(sed -n 's/^ExecStart=//p' /run/systemd/system/netplan-ovs-cleanup.service) ;;
esac
echo "stand-in systemctl: $* is not done in the lab" >&2
exit 1
`), 0o755)
	testenv.WriteFile(t, filepath.Join(bin, "udevadm"), []byte(`#!/bin/sh
# The lab's stand-in for udevadm (no udev daemon runs there).
case "$1" in
trigger|settle) exit 0 ;;
esac
echo "stand-in udevadm: $* is not done in the lab" >&2
exit 1
`), 0o755)
	sb, start, stop, logs := networkdLab(t, lab, "mkdir -p /etc/netplan && mount -t tmpfs enicfg-netplan /etc/netplan\n")
	a := &applyLab{t: t, lab: lab, sb: sb, distro: "ubuntu2204", logs: logs, env: []string{"PATH=" + bin + ":/usr/sbin:/usr/bin:/sbin:/bin"},
		files: []string{"/etc/netplan/90-enicfg.yaml"},
		expect: func(m *spec.Model) netlab.State {
			return netlab.Want(t, live.Expect{Layout: live.Networkd, MACs: applyMACs, DHCPMetric: render.NetplanDHCPMetric}, m)
		}}
	// networkd is gone: netplan's networkctl fails, and so does its
	// fallback.
	a.fault = func() (string, func()) {
		stop()
		return "netplan apply: exit status", start
	}
	applySequence(t, a)
}

// TestApplyNetworkScripts: Red Hat's network-scripts 9.49.53 (CentOS 7,
// built from ../shared/compat) with centos7's step, service network
// restart, split by apply into stop (with the old files) and start.
func TestApplyNetworkScripts(t *testing.T) {
	t.Parallel()
	netlab.Require(t, true, "ip", "nsenter", "unshare", "service", "ipcalc-ng")
	var tree netlab.Tool
	for _, tr := range netlab.Compat(t, "initscripts") {
		if tr.Version == "9.49.53" {
			tree = tr
		}
	}
	if tree.Dir == "" {
		t.Fatal("no initscripts-9.49.53 build")
	}
	lab := netlab.New(t)
	lab.AddLink("eth0", applyMACs["eth0"])
	lab.AddLink("eth1", applyMACs["eth1"])
	dir := lab.Dir()
	cfg := filepath.Join(dir, "cfg")
	testenv.Mkdir(t, cfg)
	sb := networkScriptsSandbox(t, lab, tree.Dir, cfg, filepath.Join(dir, "ethtool.log"))
	var files []string
	for _, f := range []string{"ifcfg-", "route-", "rule-"} {
		for _, n := range []string{"eth0", "eth1", "eth2"} {
			files = append(files, rhelScriptsDir+f+n)
		}
	}
	a := &applyLab{t: t, lab: lab, sb: sb, distro: "centos7", env: []string{"PATH=/usr/sbin:/usr/bin:/sbin:/bin"}, files: files,
		expect: func(m *spec.Model) netlab.State {
			return netlab.Want(t, live.Expect{Layout: live.KernelRoutes, MACs: applyMACs}, m)
		}}
	// Another package's /sbin/ifup-local (which ifup-post runs for every
	// interface) deletes the new table's default route: the wait for check
	// times out.
	a.fault = func() (string, func()) {
		a.hook("/usr/sbin/ifup-local", "ip route del default table 1001")
		return "the host does not match after 3s:\n  eth1: missing route default via 10.21.0.1 dev eth1 table 1001", func() {
			a.hook("/usr/sbin/ifup-local", "")
		}
	}
	applySequence(t, a)
}

// TestApplyWicked: SUSE's wicked (the sle15-sp7 build of
// ../shared/compat, 0.6.79, in sles15's span) with sles15's step, wicked
// ifreload all, which reads /etc/sysconfig/network (compat:suse, wicked's
// default source); the daemons and a private D-Bus run in the lab's
// sandbox.
func TestApplyWicked(t *testing.T) {
	t.Parallel()
	netlab.Require(t, true, "dbus-daemon", "dbus-send", "unshare", "setsid", "ip", "nsenter")
	var prefix string
	for _, b := range wickedBuilds(t) {
		if b.version == "0.6.79" {
			prefix = b.prefix
		}
	}
	if prefix == "" {
		t.Fatal("no wicked 0.6.79 build")
	}
	lab := netlab.New(t)
	lab.AddLink("eth0", applyMACs["eth0"])
	lab.AddLink("eth1", applyMACs["eth1"])
	bin := filepath.Join(lab.Dir(), "bin")
	testenv.Mkdir(t, bin)
	if err := os.Symlink(prefix+"/sbin/wicked", filepath.Join(bin, "wicked")); err != nil {
		t.Fatal(err)
	}
	// The image's global sysconfig files, empty: wicked's built-in
	// defaults and the rendered files count.
	sb, env, logs, restart := startWicked(t, lab, prefix,
		"rm -rf /etc/sysconfig/network\nmkdir -p /etc/sysconfig/network\n: > /etc/sysconfig/network/config\n: > /etc/sysconfig/network/dhcp\n")
	var files []string
	for _, f := range []string{"ifcfg-", "ifroute-", "ifrule-"} {
		for _, n := range []string{"eth0", "eth1", "eth2"} {
			files = append(files, "/etc/sysconfig/network/"+f+n)
		}
	}
	a := &applyLab{t: t, lab: lab, sb: sb, distro: "sles15", logs: logs, files: files,
		// SUSE keeps static DNS servers in a global file enicfg does not
		// write (refused by name): the descriptions go without dns.
		edit: func(d string) string { return regexp.MustCompile(`(?m)^ *dns: .*\n`).ReplaceAllString(d, "") },
		env:  append(env, "PATH="+bin+":/usr/sbin:/usr/bin:/sbin:/bin"),
		expect: func(m *spec.Model) netlab.State {
			rendered := renderFor(t, m, "sles15")
			return netlab.Want(t, live.Expect{Layout: live.Wicked, MACs: applyMACs, AliasLabels: func(in *spec.Interface) bool { return labelled(rendered, in.Name) }}, m)
		}}
	// wicked's daemons are gone: wicked ifreload cannot reach them.
	a.fault = func() (string, func()) {
		restart(false)
		return "wicked ifreload all: exit status", func() { restart(true) }
	}
	applySequence(t, a)
}
