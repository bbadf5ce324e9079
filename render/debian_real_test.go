package render_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/enicfg/enicfg/distros"
	"github.com/enicfg/enicfg/internal/netlab"
	"github.com/enicfg/enicfg/live"
	"github.com/enicfg/enicfg/render"
	"github.com/enicfg/enicfg/spec"
	"github.com/enicfg/enicfg/versions"
)

// ifupdownBuild is one ifupdown: Debian's own, or one built from
// ../shared/compat at a release the targets ship.
type ifupdownBuild struct {
	version versions.Version
	bin     string // the folder of ifup, ifdown and ifquery
}

// ifupdownBuilds gives Debian's ifupdown and those of ENICFG_COMPAT.
func ifupdownBuilds(t *testing.T) []ifupdownBuild {
	t.Helper()
	out, err := exec.Command("dpkg-query", "-W", "-f", "${Version}", "ifupdown").Output()
	if err != nil {
		t.Fatalf("dpkg-query ifupdown: %v", err)
	}
	builds := []ifupdownBuild{{version: versions.Version(debianVersion.FindString(string(out))), bin: "/usr/sbin"}}
	for _, tool := range netlab.Compat(t, "ifupdown") {
		builds = append(builds, ifupdownBuild{version: versions.Version(tool.Version), bin: tool.Dir})
	}
	return builds
}

// series tells whether two versions share their first two components
// (0.7.47.2 and 0.7.53.1): the build that stands in for a release whose
// own version is not at hand.
func series(a, b versions.Version) bool {
	pa, pb := strings.Split(string(a), "."), strings.Split(string(b), ".")
	return len(pa) > 1 && len(pb) > 1 && pa[0] == pb[0] && pa[1] == pb[1]
}

// TestDebianIfupdown applies the rendered /etc/network/interfaces of every
// debian target and point release with the real ifupdown it ships (Debian
// 12's 0.8.41, and 0.7.53.1 and 0.8.19 built from ../shared/compat; a
// target whose own release is not at hand, Ubuntu 14.04's 0.7.47.2 and
// 16.04's 0.8.10, takes the build of its series) inside a private network
// namespace: links carry the described MACs and get their names from the
// rendered udev rule, DHCP interfaces lease from a dnsmasq on their peer,
// and the kernel's addresses (with labels), rules and routes of every
// table must be exactly the described ones. A second ifup must succeed
// and change nothing, ifdown must leave nothing behind, and ifup must then
// give the same state again. Each distinct file with each build once.
func TestDebianIfupdown(t *testing.T) {
	netlab.Require(t, true, "ifup", "ifdown", "ifquery", "ip", "nsenter", "unshare", "ethtool", "dpkg-query")
	builds := ifupdownBuilds(t)
	var mu sync.Mutex
	applied := map[string]bool{}
	for _, tgt := range distros.Expanded() {
		if tgt.Family != "debian" {
			continue
		}
		span, _ := tgt.Coverage().Span(versions.Ifupdown)
		var use []ifupdownBuild
		for _, b := range builds {
			if inSpan(span, b.version) {
				use = append(use, b)
			}
		}
		if len(use) == 0 {
			for _, b := range builds {
				if series(b.version, span.First) || series(b.version, span.Last) {
					use = append(use, b)
				}
			}
		}
		if len(use) == 0 {
			t.Errorf("%s: no ifupdown build covers %s to %s", tgt.Name, span.First, span.Last)
		}
		for i, b := range use {
			for _, sc := range debianScenarios() {
				if sc.name == "large-8x20" && i != len(use)-1 {
					continue // the largest case with the newest build only
				}
				t.Run(tgt.Name+"/"+string(b.version)+"/"+sc.name, func(t *testing.T) {
					t.Parallel()
					m := sc.load(t)
					files, refused := renderRefused(t, m, tgt.Name, true)
					if len(refused) > 0 {
						t.Skipf("%s refuses %d features: nothing whole to apply", tgt.Name, len(refused))
					}
					id := string(b.version) + "\x00" + sc.name + "\x00" + seen(nil, files)
					mu.Lock()
					done := applied[id]
					applied[id] = true
					mu.Unlock()
					if done {
						t.Skip("the same files were applied with this build for another target")
					}
					applyDebian(t, m, files, b)
				})
			}
		}
	}
}

// debianScenarios are the seeds and the IPv6 scenarios (the lab's
// router serves DHCPv6 and router advertisements to those that need it),
// and IPv6-only interfaces with DNS and MTU in their inet6 stanza (no
// queues: resolvconf's /usr overlay would hide the ethtool shim).
func debianScenarios() []scenario {
	out := append(append(append([]scenario{}, seedScenarios...), ipv6Scenarios...), ipv6LabScenarios...)
	return append(out, scenario{name: "ipv6-only-dns", yaml: `
version: 1
interfaces:
  - name: eth0
    mtu: 9000
    dns:
      servers: [10.0.0.2]
      search: [example.internal]
    ipv6:
      address: 2001:db8:1::10/64
      gateway: fe80::1
  - name: eth1
    default_route: false
    dns:
      servers: [10.0.1.2]
      search: [one.example.internal]
    ipv6:
      dhcp: true
  - name: eth2
    default_route: false
    dns:
      servers: [10.0.2.2]
      search: [two.example.internal]
    ipv6:
      slaac: true
`})
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

func applyDebian(t *testing.T, m *spec.Model, files render.FileSet, b ifupdownBuild) {
	ifaces := fileOf(t, files, "/etc/network/interfaces")
	udevFiles := map[string][]byte{}
	for _, f := range files {
		if f.Path == "/etc/udev/rules.d/70-enicfg-net.rules" {
			udevFiles[f.Path] = f.Data
		}
	}

	tn := netlab.NewNet(t, m, udevFiles, netlab.DHCPServed)
	lab := tn.Lab

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
	if out, err := netlab.Run(t, 10*time.Second, filepath.Join(b.bin, "ifquery"), "-i", file, "--list"); err != nil {
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
mkdir -p /run/network
if [ -d /var/lib/dhcp ]; then mount -t tmpfs enicfg-dhcp /var/lib/dhcp; fi
cp /usr/sbin/ethtool %[2]s/ethtool.real
mount --bind %[2]s/ethtool /usr/sbin/ethtool
`, dir, shim) + resolvconfSetup(t, m, dir))
	var env []string
	dns := describesDNS(m)
	ifupdown := func(cmd string) {
		t.Helper()
		args := []string{filepath.Join(b.bin, cmd), "-v", "-i", file}
		if !dns {
			args = append(args, "--no-scripts")
		}
		if b.version.AtLeast("0.8") {
			args = append(args, "--state-dir", state) // 0.7 keeps it in /run/network, private here
		}
		out, err := sb.Run(90*time.Second, env, append(args, "-a")...)
		if err != nil {
			t.Fatalf("%s -a: %v\n%s\n--- interfaces:\n%s", cmd, err, out, ifaces)
		}
	}

	check := debianCheck(t, tn, m, ifaces)

	ifupdown("ifup")
	check("after ifup -a")
	checkResolvconf(t, sb, m, true)
	ifupdown("ifup")
	check("after a second ifup -a")
	ifupdown("ifdown")
	left := lab.State().Leftovers()
	if len(left) > 0 {
		t.Fatalf("ifdown -a left:\n%s", strings.Join(left, "\n"))
	}
	checkResolvconf(t, sb, m, false)
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
	checkHost(t, tn.Lab, m, "debian", true)
}

// debianCheck gives the check of the kernel state against the
// description (IPv4 and IPv6) after a step.
func debianCheck(t *testing.T, tn *netlab.Net, m *spec.Model, ifaces []byte) func(when string) {
	want := netlab.Want(t, tn.IPv6.Fill(live.Expect{Layout: live.KernelRoutes, MACs: tn.MACs, AliasLabels: func(*spec.Interface) bool { return true }, Leases: tn.Leases, Routers: tn.Routers}), m)
	return func(when string) {
		t.Helper()
		// Addresses and routes of router advertisements come when the
		// router answers; the rest is there when ifup returns.
		got := tn.State()
		if debianServed6(m) {
			got = tn.WaitFor(20*time.Second, func(s netlab.State) bool { return netlab.Diff(want, s) == "" })
		}
		if d := netlab.Diff(want, got); d != "" {
			t.Fatalf("%s: kernel state differs from the description (-want +got):\n%s\n--- interfaces:\n%s", when, d, ifaces)
		}
	}
}

// debianServed6 tells whether an interface of m takes IPv6 from the lab's
// router (DHCPv6, SLAAC, or its router from advertisements).
func debianServed6(m *spec.Model) bool {
	for _, in := range m.Interfaces {
		if six := &in.IPv6; six.Mode == spec.IPv6DHCP || six.Mode == spec.IPv6SLAAC || six.GatewayRA {
			return true
		}
	}
	return false
}

// TestUdevFinalName: Debian 8 and Ubuntu 14.04 generate
// /etc/udev/rules.d/70-persistent-net.rules, which sorts after enicfg's
// 70-enicfg-net.rules and names the NIC again. The real udev must keep
// the described name, because enicfg's rule assigns it with NAME:= (the
// final assignment); with a plain NAME= the rival file wins, as the
// control shows.
func TestUdevFinalName(t *testing.T) {
	netlab.Require(t, true, "udevadm", "unshare")
	m := (scenario{name: "mac", yaml: "version: 1\ninterfaces:\n  - name: eth1\n    mac: \"00:16:3e:00:00:07\"\n    address: 10.0.0.10/24\n    gateway: 10.0.0.1\n"}).load(t)
	ours := fileOf(t, renderFor(t, m, "debian8"), udevNamesFile)
	// As 75-persistent-net-generator writes it, for the kernel's name
	// (less DRIVERS=="?*": a veth has no driver link).
	rival := []byte(`SUBSYSTEM=="net", ACTION=="add", ATTR{address}=="00:16:3e:00:00:07", ATTR{dev_id}=="0x0", ATTR{type}=="1", KERNEL=="tmp*", NAME="eth9"` + "\n")
	for _, c := range []struct {
		name, want string
		rule       []byte
	}{
		{"NAME:=", "eth1", ours},
		{"control NAME=", "eth9", []byte(strings.Replace(string(ours), "NAME:=", "NAME=", 1))},
	} {
		t.Run(c.name, func(t *testing.T) {
			lab := netlab.New(t)
			lab.AddLink("tmp0", "00:16:3e:00:00:07")
			stage := filepath.Join(lab.Dir(), "rules")
			if err := os.MkdirAll(stage, 0o755); err != nil {
				t.Fatal(err)
			}
			for n, d := range map[string][]byte{"70-enicfg-net.rules": c.rule, "70-persistent-net.rules": rival} {
				if err := os.WriteFile(filepath.Join(stage, n), d, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			out, err := lab.Exec(30*time.Second, "unshare", "-m", "--propagation", "private", "sh", "-c",
				"set -e; mount -t tmpfs enicfg-run /run; mount --bind \"$1\" /etc/udev/rules.d; udevadm test --action=add /sys/class/net/tmp0 2>&1", "sh", stage)
			if err != nil {
				t.Fatalf("udevadm test: %v\n%s", err, out)
			}
			if !strings.Contains(out, "renamed from 'tmp0' to '"+c.want+"'") {
				t.Fatalf("udev did not name the NIC %s:\n%s", c.want, out)
			}
		})
	}
}

const udevNamesFile = "/etc/udev/rules.d/70-enicfg-net.rules"

// describesDNS tells whether any interface of m has DNS settings.
func describesDNS(m *spec.Model) bool {
	for _, in := range m.Interfaces {
		if !in.DNS.Empty() {
			return true
		}
	}
	return false
}

// resolvconfSetup gives the sandbox's setup for a description with DNS:
// ifupdown runs its hook scripts, and the only ones are those of Debian's
// resolvconf package (unpacked beside the old tools by .ci/run), which
// hand dns-nameservers and dns-search to resolvconf; /usr is an overlay
// for its program, /run is private.
func resolvconfSetup(t *testing.T, m *spec.Model, dir string) string {
	if !describesDNS(m) {
		return ""
	}
	rc := netlab.Compat(t, "resolvconf")[0].Dir
	return fmt.Sprintf(`
for d in if-pre-up.d if-up.d if-down.d if-post-down.d; do rm -rf /etc/network/$d; mkdir -p /etc/network/$d; done
cp %[1]s/etc/network/if-up.d/000resolvconf /etc/network/if-up.d/
cp %[1]s/etc/network/if-down.d/resolvconf /etc/network/if-down.d/
cp %[1]s/etc/dhcp/dhclient-enter-hooks.d/resolvconf /etc/dhcp/dhclient-enter-hooks.d/
rm -rf /etc/resolvconf && cp -a %[1]s/etc/resolvconf /etc/
mkdir -p %[2]s/usr-up %[2]s/usr-wk
mount -t overlay enicfg-usr -o lowerdir=/usr,upperdir=%[2]s/usr-up,workdir=%[2]s/usr-wk /usr
cp %[1]s/sbin/resolvconf /usr/sbin/resolvconf
mkdir -p /usr/lib/resolvconf && cp %[1]s/lib/resolvconf/* /usr/lib/resolvconf/
mkdir -p /run/resolvconf/interface
rm -f /etc/resolv.conf && ln -s /run/resolvconf/resolv.conf /etc/resolv.conf
/sbin/resolvconf --enable-updates
`, rc, dir)
}

// checkResolvconf reads what resolvconf got from ifupdown for each
// interface (/run/resolvconf/interface/<if>.inet) and the resolv.conf it
// made: after ifup, every described server and search domain, in order;
// after ifdown, nothing of ours.
func checkResolvconf(t *testing.T, sb *netlab.Sandbox, m *spec.Model, up bool) {
	t.Helper()
	if !describesDNS(m) {
		return
	}
	want := dnsWant(m)
	merged, _ := sb.Run(10*time.Second, nil, "cat", "/run/resolvconf/resolv.conf")
	for _, in := range m.Interfaces {
		// The hook names the record by the stanza's family: an
		// IPv6-only interface's DNS is in its inet6 stanza.
		family := ".inet"
		if !in.HasIPv4() {
			family = ".inet6"
		}
		rec, err := sb.Run(10*time.Second, nil, "cat", "/run/resolvconf/interface/"+in.Name+family)
		if !up {
			if err == nil {
				t.Errorf("after ifdown, resolvconf still has %s's record:\n%s", in.Name, rec)
			}
			continue
		}
		if in.DNS.Empty() {
			if err == nil {
				t.Errorf("%s describes no DNS but resolvconf has a record:\n%s", in.Name, rec)
			}
			continue
		}
		if err != nil {
			t.Fatalf("resolvconf has no record of %s: %v %s", in.Name, err, rec)
		}
		servers, search := resolvConf(rec)
		checkDNS(t, "resolvconf", in.Name, want[in.Name], servers, search, false)
		for _, s := range want[in.Name][0] {
			if !strings.Contains(merged, "nameserver "+s+"\n") {
				t.Errorf("resolvconf's resolv.conf lacks %s's server %s:\n%s", in.Name, s, merged)
			}
		}
	}
}
