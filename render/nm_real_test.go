package render_test

import (
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/enicfg/enicfg/internal/testenv"

	"github.com/enicfg/enicfg/internal/netlab"
	"github.com/enicfg/enicfg/live"
	"github.com/enicfg/enicfg/render"
	"github.com/enicfg/enicfg/spec"
)

// nmReader reads keyfiles with libnm's own keyfile reader (the daemon's
// code, through python3-gi) and prints every problem: reader warnings,
// groups and keys that are no setting property (NetworkManager ignores
// them silently), list entries (addresses, routes, rules) that do not
// survive a read and write, and verify() errors. It prints "ok FILE" for a
// clean file.
const nmReader = `
import re, sys
import gi
gi.require_version("NM", "1.0")
from gi.repository import GLib, NM
LIST = re.compile(r"^(address|route|routing-rule)(\d+)(_options)?$")
ALIASES = {"ethernet": "802-3-ethernet"}
def counts(kf):
    c = {}
    for g in kf.get_groups()[0]:
        for k in kf.get_keys(g)[0]:
            m = LIST.match(k)
            if m:
                f = g + "." + m.group(1) + (m.group(3) or "")
                c[f] = c.get(f, 0) + 1
    return c
for path in sys.argv[1:]:
    bad = []
    kf = GLib.KeyFile()
    kf.load_from_file(path, GLib.KeyFileFlags.NONE)
    def handler(keyfile, conn, htype, hdata, user):
        if htype == NM.KeyfileHandlerType.WARN:
            msg, sev = hdata.warn_get()
            bad.append("reader warning: %s" % msg)
        return True
    conn = NM.keyfile_read(kf, "/etc/NetworkManager/system-connections", NM.KeyfileHandlerFlags.NONE, handler, None)
    for g in kf.get_groups()[0]:
        setting = conn.get_setting_by_name(ALIASES.get(g, g))
        if setting is None:
            bad.append("unknown group [%s]" % g)
            continue
        props = {p.name for p in setting.list_properties()}
        for k in kf.get_keys(g)[0]:
            if k not in props and not (g in ("ipv4", "ipv6") and (LIST.match(k) or k == "gateway")):
                bad.append("unknown key %s.%s" % (g, k))
    out = NM.keyfile_write(conn, NM.KeyfileHandlerFlags.NONE, None, None)
    before, after = counts(kf), counts(out)
    for f, n in sorted(before.items()):
        if after.get(f, 0) != n:
            bad.append("%s: %d in the file, %d after reading" % (f, n, after.get(f, 0)))
    try:
        conn.verify()
    except GLib.Error as e:
        bad.append("verify: " + e.message)
    print(("ok " + path) if not bad else ("BAD " + path + ": " + "; ".join(bad)))
`

// TestNMKeyfiles: every keyfile passes libnm's keyfile reader with no
// warning and nothing dropped, and the real NetworkManager daemon (private
// D-Bus, private network and mount namespaces) activates them: the kernel's
// state must be exactly the description.
func TestNMKeyfiles(t *testing.T) {
	netlab.Require(t, true, "NetworkManager", "nmcli", "nm-online", "dbus-daemon", "/usr/bin/python3", "udevadm")
	if err := exec.Command("/usr/bin/python3", "-c", `import gi; gi.require_version("NM", "1.0")`).Run(); err != nil {
		testenv.Missing(t, "python3-gi with gir1.2-nm-1.0 is missing")
	}
	for _, sc := range slices.Concat(seedScenarios, ipv6Scenarios, ipv6LabScenarios, nmScenarios6) {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			m := sc.load(t)
			runNM(t, m, renderFor(t, m, "rhel9"))
		})
	}
}

const nmConf = `[main]
plugins=keyfile
dns=default
rc-manager=unmanaged
no-auto-default=*
auth-polkit=false
[keyfile]
path=/etc/NetworkManager/system-connections
[logging]
level=INFO
`

func runNM(t *testing.T, m *spec.Model, files render.FileSet) {
	t.Helper()
	dir := t.TempDir()
	kfDir := filepath.Join(dir, "keyfiles")
	os.MkdirAll(kfDir, 0o755)
	var keyfiles []string
	udev := map[string][]byte{}
	for _, f := range files {
		switch {
		case strings.HasSuffix(f.Path, ".nmconnection"):
			if f.Mode != 0o600 {
				t.Errorf("%s: mode %04o; NetworkManager ignores keyfiles that are not 0600", f.Path, f.Mode)
			}
			p := filepath.Join(kfDir, path.Base(f.Path))
			if err := os.WriteFile(p, f.Data, 0o600); err != nil {
				t.Fatal(err)
			}
			keyfiles = append(keyfiles, p)
		case strings.HasPrefix(f.Path, "/etc/udev/rules.d/"):
			udev[f.Path] = f.Data
		}
	}
	out, err := netlab.Run(t, 60*time.Second, "/usr/bin/python3", append([]string{"-c", nmReader}, keyfiles...)...)
	if err != nil {
		t.Fatalf("libnm keyfile reader: %v\n%s", err, out)
	}
	if strings.Contains(out, "BAD ") || strings.Count(out, "ok ") != len(keyfiles) {
		t.Fatalf("libnm keyfile reader:\n%s\n%s", out, dump(files))
	}

	tn := netlab.NewNet(t, m, nil, netlab.DHCPWithDNS)
	lab, mac, leases, routers := tn.Lab, tn.MACs, tn.Leases, tn.Routers
	checkQueueRules(t, lab, m, udev)

	// Images that turn IPv6 privacy extensions on (use_tempaddr=2, as
	// Ubuntu's /etc/sysctl.d/10-ipv6-privacy.conf does) give SLAAC
	// temporary addresses unless the profile says ip6-privacy=0: the
	// lab's default asks for them, and the kernel must hold none.
	if out, err := lab.Exec(10*time.Second, "sysctl", "-q", "-w", "net.ipv6.conf.default.use_tempaddr=2"); err != nil {
		t.Fatalf("sysctl: %v %s", err, out)
	}
	sb, log := startNM(t, lab, dir)
	var devices string
	for i := 0; i < 150; i++ {
		devices, _ = sb.Run(10*time.Second, nil, "nmcli", "-t", "-f", "DEVICE,STATE,CONNECTION", "device")
		if !strings.Contains(devices, ":connecting") {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	logText, _ := os.ReadFile(log)
	for _, in := range m.Interfaces {
		if !strings.Contains(devices, in.Name+":connected:enicfg-"+in.Name+"\n") {
			t.Errorf("%s is not connected with its profile:\n%s", in.Name, devices)
		}
	}
	// The metric NM picked for each device without a described one: that
	// of its first address's prefix route; all its routes must agree.
	got := lab.State()
	metrics := nmMetrics(got, m, leases)
	for _, in := range m.Interfaces {
		if !in.HasMetric && metrics[in.Name] < 100 {
			t.Errorf("%s: NetworkManager's metric %d, want its Ethernet default (100 or more)", in.Name, metrics[in.Name])
		}
	}
	want := netlab.Want(t, tn.IPv6.Fill(live.Expect{Layout: live.NM, MACs: mac, Leases: leases, Routers: routers, NMMetrics: metrics}), m)
	got = lab.WaitFor(10*time.Second, func(s netlab.State) bool { return netlab.Diff(want, s) == "" })
	if d := netlab.Diff(want, got); d != "" {
		t.Fatalf("kernel state differs from the description (-want +got):\n%s\n%s\n--- NetworkManager log (tail):\n%s", d, dump(files), tail(string(logText), 30))
	}
	checkNMDNS(t, sb, m)
	for _, l := range strings.Split(string(logText), "\n") {
		if strings.Contains(l, "keyfile") && strings.Contains(strings.ToLower(l), "warn") {
			t.Errorf("NetworkManager: %s", l)
		}
	}
	checkHost(t, tn.Lab, m, "nm", true)
}

// startNM runs a private D-Bus and NetworkManager in the lab's sandbox
// (its keyfiles: those in dir/keyfiles) and waits until it is up; it
// gives the sandbox and NetworkManager's log. NetworkManager's process id
// is in the sandbox's /run/enicfg-nm.pid.
func startNM(t *testing.T, lab *netlab.Lab, dir string) (*netlab.Sandbox, string) {
	t.Helper()
	testenv.WriteFile(t, filepath.Join(dir, "NetworkManager.conf"), []byte(nmConf), 0o644)
	testenv.WriteFile(t, filepath.Join(dir, "dbus.conf"), []byte(netlab.BusConfig("/run/dbus/system_bus_socket")), 0o644)
	// /run, NetworkManager's folders and its configuration are private;
	// /sys is read-only so that NetworkManager does not wait for udev;
	// /etc/resolv.conf is left alone (rc-manager=unmanaged): NM writes
	// its own to the private /run/NetworkManager/resolv.conf.
	sb := lab.Sandbox(fmt.Sprintf(`
mount -o remount,ro /sys
mount -t tmpfs enicfg-run /run
mkdir -p /run/dbus /run/NetworkManager
mount -t tmpfs enicfg-nmetc /etc/NetworkManager
if [ -d /var/lib/NetworkManager ]; then mount -t tmpfs enicfg-nmvar /var/lib/NetworkManager; fi
mkdir -p /etc/NetworkManager/system-connections /etc/NetworkManager/conf.d
cp %[1]s/NetworkManager.conf /etc/NetworkManager/NetworkManager.conf
cp %[1]s/dbus.conf /run/enicfg-dbus.conf
for f in %[1]s/keyfiles/*; do [ -e "$f" ] || continue; install -m 600 -o root -g root "$f" /etc/NetworkManager/system-connections/; done
`, dir))
	sb.Start(nil, "dbus-daemon", "--config-file=/run/enicfg-dbus.conf", "--nofork", "--nopidfile")
	if out, err := sb.Run(10*time.Second, nil, "sh", "-c", "for i in $(seq 50); do [ -S /run/dbus/system_bus_socket ] && exit 0; sleep 0.1; done; exit 1"); err != nil {
		t.Fatalf("private D-Bus did not start: %v %s", err, out)
	}
	log := filepath.Join(dir, "nm.log")
	sb.Start(nil, "sh", "-c", "echo $$ > /run/enicfg-nm.pid; exec NetworkManager --no-daemon --debug --log-level=INFO >> "+log+" 2>&1")
	if out, err := sb.Run(60*time.Second, nil, "nm-online", "-s", "-q", "-t", "45"); err != nil {
		logText, _ := os.ReadFile(log)
		t.Fatalf("nm-online: %v %s\n--- NetworkManager log (tail):\n%s", err, out, tail(string(logText), 40))
	}
	return sb, log
}

// nmMetrics gives the metric NetworkManager picked for each device: that
// of the prefix route of its first address (the static one, else the
// lease), whose source is that address.
func nmMetrics(s netlab.State, m *spec.Model, leases map[string]netip.Prefix) map[string]int {
	metrics := map[string]int{}
	for _, in := range m.Interfaces {
		first := leases[in.Name]
		if !in.DHCP {
			first = in.Address
		}
		re := regexp.MustCompile("^" + regexp.QuoteMeta(first.Masked().String()+" dev "+in.Name+" metric ") + `(\d+)` +
			regexp.QuoteMeta(" src "+first.Addr().String()) + "$")
		if !in.HasIPv4() {
			// IPv6-only: NetworkManager's own route to the IPv6 prefix
			// (without a source) has the device's metric.
			re = regexp.MustCompile("^" + regexp.QuoteMeta(in.IPv6.Subnet.String()+" dev "+in.Name+" metric ") + `(\d+)$`)
		}
		for _, r := range s.Routes["main"] {
			if sm := re.FindStringSubmatch(r); sm != nil {
				metrics[in.Name], _ = strconv.Atoi(sm[1])
			}
		}
	}
	return metrics
}

// checkQueueRules lets udev (udevadm test) process the rendered queue
// rules on each interface with queues: the ethtool command must be in
// the list of programs it runs for the device.
func checkQueueRules(t *testing.T, lab *netlab.Lab, m *spec.Model, files map[string][]byte) {
	t.Helper()
	rules := files["/etc/udev/rules.d/71-enicfg-queues.rules"]
	for _, in := range m.Interfaces {
		if in.Queues == 0 {
			continue
		}
		if rules == nil {
			t.Fatalf("%s has queues but no udev rule was rendered", in.Name)
		}
		rf := filepath.Join(lab.Dir(), "71-enicfg-queues.rules")
		testenv.WriteFile(t, rf, rules, 0o644)
		script := `set -e
mount --make-rprivate /
mount -t tmpfs enicfg-run /run
mount -t tmpfs enicfg-rules /etc/udev/rules.d
cp "$1" /etc/udev/rules.d/
udevadm test --action=add "/sys/class/net/$2" 2>&1`
		out, err := lab.Exec(30*time.Second, "unshare", "-m", "--propagation", "private", "sh", "-c", script, "sh", rf, in.Name)
		if err != nil {
			t.Fatalf("udevadm test: %v\n%s", err, out)
		}
		want := fmt.Sprintf("run: '/sbin/ethtool -L %s combined %d'", in.Name, in.Queues)
		if !strings.Contains(out, want) {
			t.Fatalf("udev would not run ethtool for %s (want %q):\n%s", in.Name, want, out)
		}
	}
}

// checkNMDNS reads each profile's DNS settings from the running daemon
// and the resolv.conf NetworkManager writes: every described server and
// search domain must be in both.
func checkNMDNS(t *testing.T, sb *netlab.Sandbox, m *spec.Model) {
	t.Helper()
	want := dnsWant(m)
	described := false
	for _, in := range m.Interfaces {
		described = described || !in.DNS.Empty()
	}
	rc, err := sb.Run(10*time.Second, nil, "cat", "/run/NetworkManager/resolv.conf")
	if err != nil && described {
		t.Fatalf("NetworkManager wrote no resolv.conf: %v %s", err, rc)
	}
	nameservers, search := resolvConf(rc)
	checkLeaseDNS(t, "NetworkManager's resolv.conf", m, nameservers, rc)
	for _, in := range m.Interfaces {
		// An IPv6-only profile keeps its search domains in [ipv6].
		fields := "ipv4.dns,ipv4.dns-search"
		if !in.HasIPv4() {
			fields = "ipv6.dns,ipv6.dns-search"
		}
		out, err := sb.Run(10*time.Second, nil, "nmcli", "-g", fields, "connection", "show", "enicfg-"+in.Name)
		if err != nil {
			t.Fatalf("nmcli: %v %s", err, out)
		}
		lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
		for len(lines) < 2 {
			lines = append(lines, "")
		}
		split := func(s string) []string {
			if s == "" {
				return nil
			}
			return strings.Split(s, ",")
		}
		checkDNS(t, "nmcli", in.Name, want[in.Name], split(lines[0]), split(lines[1]), false)
		for _, s := range want[in.Name][0] {
			if !slices.Contains(nameservers, s) {
				t.Errorf("NetworkManager's resolv.conf lacks %s's server %s:\n%s", in.Name, s, rc)
			}
		}
		for _, s := range want[in.Name][1] {
			if !slices.Contains(search, s) {
				t.Errorf("NetworkManager's resolv.conf lacks %s's search domain %s:\n%s", in.Name, s, rc)
			}
		}
	}
}
