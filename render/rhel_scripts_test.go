package render_test

import (
	"fmt"
	"net/netip"
	"os"
	"path"
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

const rhelScriptsDir = "/etc/sysconfig/network-scripts/"

// TestRHELNetworkScripts applies the files of the network-scripts
// targets with Red Hat's own network-scripts, at the releases they ship
// (../shared/compat, built by .ci/compat-build; ENICFG_COMPAT): 9.03.61
// (RHEL 6's last) takes the output of every target and point release that
// covers it, 9.49.53 (RHEL 7's last) likewise (the 8x20 case for the
// releases only, and only the three-ENI seed for the point releases
// between the first and the newest), and the newest (main) the centos7
// files of the three-ENI seed. They run ifup -> ifup-eth -> ifup-aliases, ifup-routes
// in a private network namespace, on Debian: /etc, /usr and /var are
// overlays, so no host file is written. DHCP runs Debian's dhclient and
// dhclient-script (Red Hat's -H option is dropped), leasing from dnsmasq.
// arping is a stub that finds no duplicate: ifup-eth probes every address
// for up to 3 s, and the probes could only reach the test's own peer
// namespace. The kernel state must be the description; ifdown must leave
// no address or rule. Each distinct file set is applied once per release.
func TestRHELNetworkScripts(t *testing.T) {
	trees := netlab.Compat(t, "initscripts")
	netlab.Require(t, true, "ipcalc-ng", "dnsmasq", "dhclient", "ethtool")
	var mu sync.Mutex
	applied := map[string]bool{}
	for _, tree := range trees {
		v := versions.Version(tree.Version)
		for _, tgt := range distros.Expanded() {
			span, ok := tgt.Coverage().Span(versions.Initscripts)
			switch {
			case !ok:
				continue
			case !v.Valid() && tgt.Name != "centos7" && tgt.Name != "centos7.9": // the newest: centos7's seeds, centos7.9's IPv6
				continue
			case v.Valid() && !inSpan(span, v):
				continue
			}
			for _, sc := range rhelScriptsScenarios() {
				// Every scenario for the release itself and for its newest
				// point release; the three-ENI seed (static secondaries,
				// rules, table routes) for the point releases between
				// (their files differ from those only in the form of the
				// netmask and the secondaries), the dual-stack example
				// likewise; the newest scripts take the three-ENI seed and
				// every IPv6 scenario.
				between := tgt.Release().Name != tgt.Releases[0].Name &&
					tgt.Release().Name != tgt.Releases[len(tgt.Releases)-1].Name
				switch {
				case sc.name == "large-8x20" && tgt.Release().Name != tgt.Releases[0].Name:
					continue // the largest case for the releases themselves only
				case !v.Valid():
					if (sc.name == "three-enis" && tgt.Name != "centos7") || (sc.name != "three-enis" && (tgt.Name != "centos7.9" || !rhelIPv6Scenario(sc))) {
						continue // the newest scripts: the IPv4 seed as centos7, the IPv6 ones as centos7.9
					}
				case between && sc.name != "three-enis" && sc.name != "dual-stack":
					continue
				}
				t.Run(tree.Version+"/"+tgt.Name+"/"+sc.name, func(t *testing.T) {
					t.Parallel()
					m, files, refused := rhelScriptsRender(t, tgt, sc)
					id := tree.Version + "\x00" + sc.name + "\x00" + seen(nil, files)
					mu.Lock()
					done := applied[id]
					applied[id] = true
					mu.Unlock()
					if done {
						t.Skip("the same files were applied with this release for another target")
					}
					applyNetworkScripts(t, m, files, tree, refused)
				})
			}
		}
	}
}

func applyNetworkScripts(t *testing.T, m *spec.Model, files render.FileSet, tree netlab.Tool, refused []render.Unsupported) {
	src := tree.Dir
	tn := netlab.NewNet(t, m, nil, netlab.DHCPWithDNS)
	lab, mac, leases, routers := tn.Lab, tn.MACs, tn.Leases, tn.Routers
	dir := lab.Dir()
	cfg := filepath.Join(dir, "cfg")
	if err := os.MkdirAll(cfg, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasPrefix(f.Path, rhelScriptsDir) {
			if err := os.WriteFile(filepath.Join(cfg, path.Base(f.Path)), f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	log := filepath.Join(dir, "ethtool.log")
	sb := networkScriptsSandbox(t, lab, src, cfg, log)

	run := func(args ...string) {
		t.Helper()
		out, err := sb.Run(120*time.Second, []string{"PATH=/usr/sbin:/usr/bin"}, args...)
		if err != nil {
			t.Fatalf("%s: %v\n%s\n%s", strings.Join(args, " "), err, out, dump(files))
		}
		if strings.Contains(out, "Error") || strings.Contains(out, "RTNETLINK") {
			t.Fatalf("%s printed an error:\n%s\n%s", strings.Join(args, " "), out, dump(files))
		}
	}
	for _, in := range m.Interfaces {
		run("sh", "-c", "cd /etc/sysconfig/network-scripts && ifup "+in.Name)
	}
	aliasLabels := func(in *spec.Interface) bool {
		for _, f := range files {
			if strings.HasPrefix(path.Base(f.Path), "ifcfg-"+in.Name+":") {
				return true
			}
		}
		return false
	}
	want := netlab.Want(t, tn.IPv6.Fill(live.Expect{Layout: live.KernelRoutes, MACs: mac, AliasLabels: aliasLabels, Leases: leases, Routers: routers}), m)
	// Router advertisements come every few seconds: wait for their routes.
	// The ifup of a later interface deletes every advertised default route
	// at once (seen with main and 9.49.53 under load, with ip -6 monitor:
	// both ENIs' routes deleted in the same millisecond, as the kernel's
	// purge of default routers does); each comes back with its link's next
	// advertisement, which dnsmasq sends some 4 to 15 s apart.
	got := lab.WaitFor(45*time.Second, func(s netlab.State) bool { return netlab.Diff(want, s) == "" })
	if d := netlab.Diff(want, got); d != "" {
		t.Fatalf("after ifup, kernel state differs from the description (-want +got):\n%s\n%s", d, dump(files))
	}
	checkScriptsDNSAndQueues(t, sb, m, files, log)
	if len(refused) == 0 {
		checkHost(t, tn.Lab, m, "rhel", true)
	} else {
		checkRefusedHost(t, tn.Lab, m, refused)
	}
	for k := len(m.Interfaces) - 1; k >= 0; k-- {
		run("sh", "-c", "cd /etc/sysconfig/network-scripts && ifdown "+m.Interfaces[k].Name)
	}
	got = lab.State()
	if len(got.Addrs) > 0 || len(got.Rules) > 0 {
		t.Fatalf("ifdown left addresses %v, rules %v", got.Addrs, got.Rules)
	}
}

// networkScriptsSandbox gives a sandbox of the lab with a release's
// network scripts (the tree src built by .ci/compat-build) in
// /etc/sysconfig/network-scripts and its init script in
// /etc/init.d/network, the files of cfg beside them, and shims for what
// Debian's tools do otherwise (ethtool logs to log).
func networkScriptsSandbox(t *testing.T, lab *netlab.Lab, src, cfg, log string) *netlab.Sandbox {
	t.Helper()
	dir := lab.Dir()
	// The release's own consoletype, usleep and ipcalc (RHEL 6 and 7's
	// scripts call ipcalc with its old options); the newest scripts use
	// ipcalc-ng.
	ipcalc := `printf '#!/bin/sh\nexec /usr/bin/ipcalc-ng "$@"\n' > /usr/bin/ipcalc; chmod +x /usr/bin/ipcalc`
	if _, err := os.Stat(filepath.Join(src, "helpers", "ipcalc")); err == nil {
		ipcalc = fmt.Sprintf("cp %s/helpers/ipcalc /usr/bin/ipcalc; ln -sf /usr/bin/ipcalc /bin/ipcalc 2>/dev/null || true", src)
	}
	helpers := fmt.Sprintf("cp %[1]s/helpers/consoletype /usr/sbin/consoletype; cp %[1]s/helpers/usleep /usr/bin/usleep", src)
	return lab.Sandbox(fmt.Sprintf(`
for d in etc usr var; do
  mkdir -p %[1]s/$d-up %[1]s/$d-wk
  mount -t overlay enicfg-$d -o lowerdir=/$d,upperdir=%[1]s/$d-up,workdir=%[1]s/$d-wk /$d
done
mount -t tmpfs enicfg-run /run
mkdir -p /run/netreport /run/lock/subsys /etc/sysconfig/network-scripts /etc/rc.d/init.d /var/lib/dhclient
cp %[2]s/network-scripts/* /etc/sysconfig/network-scripts/
cp %[2]s/etc/rc.d/init.d/functions /etc/rc.d/init.d/functions
rm -f /etc/init.d/functions; cp %[2]s/etc/rc.d/init.d/functions /etc/init.d/functions
printf 'NETWORKING=yes\nNOZEROCONF=yes\n' > /etc/sysconfig/network
rm -f /etc/resolv.conf; printf 'nameserver 192.0.2.53\nsearch image.example\n' > /etc/resolv.conf
for f in %[3]s/*; do [ -e "$f" ] || continue; cp "$f" /etc/sysconfig/network-scripts/; done
rm -f /etc/dhcp/dhclient-enter-hooks.d/* /etc/dhcp/dhclient-exit-hooks.d/*
%[5]s
%[6]s
printf '#!/bin/sh\nexit 0\n' > /usr/sbin/arping; chmod +x /usr/sbin/arping
ln -sf bash /usr/bin/sh
for s in ifup ifdown; do ln -sf /etc/sysconfig/network-scripts/$s /usr/sbin/$s; done
for n in %[2]s/rc.d/init.d/network %[2]s/etc/rc.d/init.d/network; do [ -f "$n" ] && cp "$n" /etc/init.d/network; done
mv /usr/sbin/ethtool /usr/sbin/ethtool.real
cat > /usr/sbin/ethtool <<'EOF'
%[4]sEOF
chmod +x /usr/sbin/ethtool
mv /usr/sbin/dhclient /usr/sbin/dhclient.real
cat > /usr/sbin/dhclient <<'EOF'
#!/bin/bash
# Red Hat's dhclient takes -H HOSTNAME (a Red Hat patch); Debian's does not.
# Red Hat's dhclient-script (dhcp package, not initscripts) sources the
# interface's ifcfg and gives the default route its METRIC; Debian's takes
# the metric from IF_METRIC, which dhclient -e hands to it: pass it on.
# Red Hat's also writes resolv.conf only when PEERDNS is not no: PEERDNS
# goes the same way, to the enter hook below.
args=()
while [ $# -gt 0 ]; do
  case $1 in -H) shift ;; *) args+=("$1") ;; esac
  shift
done
iface=${args[${#args[@]}-1]}
metric=
if [ -f "/etc/sysconfig/network-scripts/ifcfg-$iface" ]; then
  metric=$(. "/etc/sysconfig/network-scripts/ifcfg-$iface"; echo "$METRIC")
fi
peerdns=
if [ -f "/etc/sysconfig/network-scripts/ifcfg-$iface" ]; then
  peerdns=$(. "/etc/sysconfig/network-scripts/ifcfg-$iface"; echo "$PEERDNS")
fi
exec /usr/sbin/dhclient.real ${metric:+-e IF_METRIC=$metric} ${peerdns:+-e PEERDNS=$peerdns} "${args[@]}"
EOF
chmod +x /usr/sbin/dhclient
cat > /etc/dhcp/dhclient-enter-hooks.d/enicfg-peerdns <<'EOF'
if [ "$PEERDNS" = no ]; then make_resolv_conf() { :; }; fi
EOF
`, dir, src, cfg, ethtoolShim("/usr/sbin/ethtool.real", log), ipcalc, helpers))
}

// rhelScriptsScenarios are the scenarios that network-scripts apply: the
// seeds, and the IPv6 ones (static, DHCPv6 and SLAAC from the lab's
// router, IPv6-only interfaces).
func rhelScriptsScenarios() []scenario {
	return append(append(append([]scenario{}, seedScenarios...), ipv6Scenarios...), ipv6LabScenarios...)
}

// rhelIPv6Scenario tells whether sc is one of the IPv6 scenarios.
func rhelIPv6Scenario(sc scenario) bool {
	for _, s := range append(append([]scenario{}, ipv6Scenarios...), ipv6LabScenarios...) {
		if s.name == sc.name {
			return true
		}
	}
	return false
}

// rhelScriptsRender renders a scenario like renderWhole, except for what
// no version of network-scripts can express: those refusals are applied
// anyway, and the model is changed to what the scripts do instead (the
// expectation follows the kernel, not the description). A router
// advertisement's default route keeps the kernel's metric (ipv6.metric
// refused); a SLAAC interface takes it into main (ipv6.default_route or
// ipv6.gateway refused).
func rhelScriptsRender(t *testing.T, tgt distros.Target, sc scenario) (*spec.Model, render.FileSet, []render.Unsupported) {
	t.Helper()
	m := sc.load(t)
	files, refused := renderRefused(t, m, tgt.Name, true)
	refusedByVersion(t, refused)
	for _, u := range refused {
		if !strings.HasPrefix(u.Why, "no version of network-scripts") {
			t.Skipf("%s refuses %s of %s (by version): nothing whole to apply", tgt.Name, u.Feature, u.Interface)
		}
	}
	for _, u := range refused {
		var in *spec.Interface
		for _, i := range m.Interfaces {
			if i.Name == u.Interface {
				in = i
			}
		}
		switch u.Feature {
		case "ipv6.metric":
			in.IPv6.HasMetric, in.IPv6.Metric = false, 0
		case "ipv6.secondary_ips":
			in.IPv6.SecondaryIPs, in.IPv6.Secondaries = nil, nil
		case "ipv6.default_route", "ipv6.gateway":
			in.IPv6.DefaultRoute, in.IPv6.GatewayRA, in.IPv6.Gateway = true, true, netip.Addr{}
		default:
			t.Fatalf("%s: refusal %s has no known effect", tgt.Name, u)
		}
	}
	return m, files, refused
}

// checkRefusedHost: where network-scripts cannot do what the description
// says, enicfg check must see the host differ on those interfaces.
func checkRefusedHost(t *testing.T, lab *netlab.Lab, m *spec.Model, refused []render.Unsupported) {
	t.Helper()
	v, ok := descriptions.Load(m)
	if !ok {
		t.Fatal("checkRefusedHost: the description was not loaded with loadDescription")
	}
	file := filepath.Join(lab.Dir(), "description.yaml")
	if err := os.WriteFile(file, v.(describedAs).yaml, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, out := runCheck(t, lab, file, "rhel")
	if code == 0 {
		t.Fatalf("enicfg check: the host matches the description, though network-scripts were refused %v:\n%s", refused, out)
	}
	for _, u := range refused {
		if !strings.Contains(out, u.Interface+":") {
			t.Errorf("enicfg check names no difference of %s (refused %s):\n%s", u.Interface, u.Feature, out)
		}
	}
}

// checkScriptsDNSAndQueues checks what network-scripts wrote to
// resolv.conf and the ethtool calls they made.
func checkScriptsDNSAndQueues(t *testing.T, sb *netlab.Sandbox, m *spec.Model, files render.FileSet, log string) {
	t.Helper()
	// DNS of the leases: dhclient-script writes the primary's, and
	// PEERDNS=no keeps a secondary ENI's out.
	if rc, err := sb.Run(10*time.Second, nil, "cat", "/etc/resolv.conf"); err == nil {
		servers, _ := resolvConf(rc)
		checkLeaseDNS(t, "network-scripts' resolv.conf", m, servers, rc)
	} else {
		t.Fatalf("resolv.conf: %v %s", err, rc)
	}
	// DNS: ifup-post puts the primary's DNSn in place of the image's
	// nameserver lines and its DOMAIN first on the search line.
	if p := m.Primary(); !p.DNS.Empty() {
		rc, err := sb.Run(10*time.Second, nil, "cat", "/etc/resolv.conf")
		if err != nil {
			t.Fatalf("resolv.conf: %v %s", err, rc)
		}
		servers, search := resolvConf(rc)
		want := dnsWant(m)[p.Name]
		if len(search) > len(want[1]) {
			search = search[:len(want[1])] // the image's own domains may follow
		}
		checkDNS(t, "network-scripts' resolv.conf", p.Name, want, servers, search, false)
	}
	// Queues: network-scripts run ethtool -L where the release reads the
	// form; else the udev rule must say it (udev itself is checked in the
	// NetworkManager test).
	calls, _ := os.ReadFile(log)
	for _, in := range m.Interfaces {
		want := fmt.Sprintf("-L %s combined %d", in.Name, in.Queues)
		switch {
		case in.Queues == 0:
		case strings.Contains(string(fileOf(t, files, rhelScriptsDir+"ifcfg-"+in.Name)), "ETHTOOL_OPTS="):
			if !strings.Contains(string(calls), want+"\n") {
				t.Errorf("%s: network-scripts did not run ethtool %s; calls:\n%s", in.Name, want, calls)
			}
		case !strings.Contains(string(fileOf(t, files, "/etc/udev/rules.d/71-enicfg-queues.rules")), "ethtool "+strings.Replace(want, in.Name, "$name", 1)):
			t.Errorf("%s: neither ETHTOOL_OPTS nor a udev rule sets the queues", in.Name)
		}
	}
}
