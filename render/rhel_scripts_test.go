package render_test

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/enicfg/enicfg/internal/netlab"
	"github.com/enicfg/enicfg/spec"
)

// InitscriptsEnv names an unpacked fedora-sysv/initscripts tree (with
// network-scripts/ and etc/rc.d/init.d/functions). No Debian package and
// no registry that CI reaches has it, so this test runs only where it is
// given (see docs/rhel.md for how to get it); ENICFG_REQUIRE_TOOLS does not
// make it required.
const InitscriptsEnv = "ENICFG_INITSCRIPTS"

// TestRHELNetworkScripts applies the centos7 files with Red Hat's own
// network-scripts (ifup -> ifup-eth -> ifup-aliases, ifup-routes) in a
// private network namespace, on Debian: /etc, /usr and /var are overlays,
// so no host file is written. DHCP runs Debian's dhclient and
// dhclient-script (Red Hat's -H option is dropped), leasing from dnsmasq.
// arping is a stub that finds no duplicate: ifup-eth probes every address
// (ARPCHECKn is per index) for up to 3 s, and the probes could only reach
// the test's own peer namespace. The kernel state must be the description;
// ifdown must leave no address or rule.
func TestRHELNetworkScripts(t *testing.T) {
	src := os.Getenv(InitscriptsEnv)
	if src == "" {
		t.Skipf("%s is not set: Red Hat's network-scripts are not available here (the other rhel checks ran)", InitscriptsEnv)
	}
	if _, err := os.Stat(filepath.Join(src, "network-scripts", "ifup-eth")); err != nil {
		t.Fatalf("%s=%s: %v", InitscriptsEnv, src, err)
	}
	netlab.Require(t, true, "ipcalc-ng", "dnsmasq", "dhclient", "ethtool")
	for _, sc := range seedScenarios {
		t.Run(sc.name, func(t *testing.T) {
			applyNetworkScripts(t, sc.load(t), src)
		})
	}
}

func applyNetworkScripts(t *testing.T, m *spec.Model, src string) {
	files := renderFor(t, m, "centos7")
	tn := newTestNet(t, m, nil, true)
	lab, mac, leases, routers := tn.Lab, tn.mac, tn.leases, tn.routers
	dir := lab.Dir()
	cfg := filepath.Join(dir, "cfg")
	if err := os.MkdirAll(cfg, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(cfg, path.Base(f.Path)), f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	log := filepath.Join(dir, "ethtool.log")
	sb := lab.Sandbox(fmt.Sprintf(`
for d in etc usr var; do
  mkdir -p %[1]s/$d-up %[1]s/$d-wk
  mount -t overlay enicfg-$d -o lowerdir=/$d,upperdir=%[1]s/$d-up,workdir=%[1]s/$d-wk /$d
done
mount -t tmpfs enicfg-run /run
mkdir -p /etc/sysconfig/network-scripts /etc/rc.d/init.d /var/lib/dhclient
cp %[2]s/network-scripts/* /etc/sysconfig/network-scripts/
cp %[2]s/etc/rc.d/init.d/functions /etc/rc.d/init.d/functions
rm -f /etc/init.d/functions; cp %[2]s/etc/rc.d/init.d/functions /etc/init.d/functions
printf 'NETWORKING=yes\nNOZEROCONF=yes\n' > /etc/sysconfig/network
cp %[3]s/* /etc/sysconfig/network-scripts/
rm -f /etc/dhcp/dhclient-enter-hooks.d/* /etc/dhcp/dhclient-exit-hooks.d/*
printf '#!/bin/sh\nexec /usr/bin/ipcalc-ng "$@"\n' > /usr/bin/ipcalc; chmod +x /usr/bin/ipcalc
printf '#!/bin/sh\nexit 0\n' > /usr/sbin/arping; chmod +x /usr/sbin/arping
ln -sf bash /usr/bin/sh
for s in ifup ifdown; do ln -sf /etc/sysconfig/network-scripts/$s /usr/sbin/$s; done
mv /usr/sbin/ethtool /usr/sbin/ethtool.real
cat > /usr/sbin/ethtool <<'EOF'
%[4]sEOF
chmod +x /usr/sbin/ethtool
mv /usr/sbin/dhclient /usr/sbin/dhclient.real
cat > /usr/sbin/dhclient <<'EOF'
#!/bin/bash
# Red Hat's dhclient takes -H HOSTNAME (a Red Hat patch); Debian's does not.
args=()
while [ $# -gt 0 ]; do
  case $1 in -H) shift ;; *) args+=("$1") ;; esac
  shift
done
exec /usr/sbin/dhclient.real "${args[@]}"
EOF
chmod +x /usr/sbin/dhclient
`, dir, src, cfg, ethtoolShim("/usr/sbin/ethtool.real", log)))

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
	aliasLabels := func(in *spec.Interface) bool { return in.DHCP }
	want := netlab.Expect{MACs: mac, AliasLabels: aliasLabels, Leases: leases, Routers: routers, KernelRoutes: true}.Want(m)
	if d := netlab.Diff(want, lab.State()); d != "" {
		t.Fatalf("after ifup, kernel state differs from the description (-want +got):\n%s\n%s", d, dump(files))
	}
	calls, _ := os.ReadFile(log)
	for _, in := range m.Interfaces {
		if in.Queues != 0 && !strings.Contains(string(calls), fmt.Sprintf("-L %s combined %d\n", in.Name, in.Queues)) {
			t.Errorf("%s: network-scripts did not run ethtool -L; calls:\n%s", in.Name, calls)
		}
	}
	for k := len(m.Interfaces) - 1; k >= 0; k-- {
		run("sh", "-c", "cd /etc/sysconfig/network-scripts && ifdown "+m.Interfaces[k].Name)
	}
	got := lab.State()
	if len(got.Addrs) > 0 || len(got.Rules) > 0 {
		t.Fatalf("ifdown left addresses %v, rules %v", got.Addrs, got.Rules)
	}
}
