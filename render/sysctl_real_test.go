package render_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/enicfg/enicfg/distros"
	"github.com/enicfg/enicfg/internal/netlab"
	"github.com/enicfg/enicfg/spec"
)

const (
	sysctlFile    = "/etc/sysctl.d/99-zz-enicfg.conf"
	sysctlRules   = "/etc/udev/rules.d/99-enicfg-sysctl.rules"
	systemdSysctl = "/lib/systemd/systemd-sysctl"
)

// hostCase is the same-subnet scenario of the seeds: eth0 and eth1 in one
// subnet, the default route on eth0 only, with the host settings under
// test. reaches tells whether a packet from outside the subnet that
// arrives on eth1 is taken (eth1's reverse path is eth0: strict drops it).
type hostCase struct {
	name, host, eth1 string
	reaches          bool
	// six gives eth1 IPv6 on an image that turned IPv6 off
	// (disable_ipv6=1 for all, default and every link).
	six bool
}

var hostCases = []hostCase{
	{"strict", "rp_filter: strict", "", false, false},
	{"loose", "rp_filter: loose", "", true, false},
	// conf.all must go down to 0, or the kernel's max(all, eth1) keeps
	// eth1 strict.
	{"strict-eth1-off", "rp_filter: strict", "rp_filter: off", true, false},
	{"off-eth1-strict", "rp_filter: off", "rp_filter: strict", false, false},
	{"loose-ipv6", "rp_filter: loose", "", true, true},
}

func (c hostCase) yaml() string {
	eth1 := ""
	if c.eth1 != "" {
		eth1 = "\n    " + c.eth1
	}
	if c.six {
		eth1 += "\n    ipv6:\n      address: 2001:db8::20/64"
	}
	return fmt.Sprintf(`version: 1
host:
  %s
  arp: own
interfaces:
  - name: eth0
    address: 10.0.0.10/24
    gateway: 10.0.0.253
  - name: eth1
    address: 10.0.0.20/24
    default_route: false%s
`, c.host, eth1)
}

// TestHostSysctl applies the host settings that every Linux target
// renders (each distinct file once) with both readers a target uses: the
// boot's (systemd-sysctl) and --apply's (procps sysctl -e -p), inside a
// private network namespace, reads every key back from
// /proc/sys/net/ipv4/conf, and sends a packet from outside the subnet to
// eth1's address through eth1: strict rp_filter must drop it, loose and
// off must let it through and the answer come back. Then eth1 is made
// anew, as a hot-plugged ENI: udev (udevadm test) must run the rendered
// rule's command for it, and that command must give it its settings.
func TestHostSysctl(t *testing.T) {
	netlab.Require(t, true, "ip", "sysctl", "ping", "udevadm", "unshare", systemdSysctl)
	for _, c := range hostCases {
		m, err := spec.Load(c.name+".yaml", []byte(c.yaml()))
		if err != nil {
			t.Fatal(err)
		}
		files := map[string]string{}
		for _, tgt := range distros.Expanded() {
			if tgt.Family == "windows" {
				continue
			}
			fs, _, err := tgt.Render(m, false)
			if err != nil {
				t.Fatalf("%s: %v", tgt.Name, err)
			}
			var data, rules []byte
			for _, f := range fs {
				switch f.Path {
				case sysctlFile:
					data = f.Data
				case sysctlRules:
					rules = f.Data
				}
			}
			if data == nil || rules == nil {
				t.Fatalf("%s: %s and %s are not both rendered", tgt.Name, sysctlFile, sysctlRules)
			}
			// The header names the target: one run per distinct content.
			files[dataOnly(data)+"\x00"+dataOnly(rules)] = tgt.Name
		}
		for content, first := range files {
			data, rules, _ := strings.Cut(content, "\x00")
			for _, reader := range []string{"systemd-sysctl", "sysctl"} {
				t.Run(c.name+"/"+first+"/"+reader, func(t *testing.T) {
					t.Parallel()
					applyHost(t, c, []byte(data), []byte(rules), reader)
				})
			}
		}
	}
}

// dataOnly drops the comment lines of a file.
func dataOnly(b []byte) string {
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

var sysctlLineRE = regexp.MustCompile(`^net\.(ipv4|ipv6)\.conf\.([A-Za-z0-9_-]+)\.([a-z_0-9]+) = ([0-9]+)$`)

func applyHost(t *testing.T, c hostCase, data, rules []byte, reader string) {
	lab := netlab.New(t)
	lab.AddLink("eth0", "02:00:00:00:10:01")
	lab.AddLink("eth1", "02:00:00:00:10:02")
	dir := lab.Dir()
	file := filepath.Join(dir, "99-zz-enicfg.conf")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	// The host side: what the family's own tool would have set.
	for _, cmd := range [][]string{
		{"ip", "addr", "add", "10.0.0.10/24", "dev", "eth0"},
		{"ip", "addr", "add", "10.0.0.20/24", "dev", "eth1"},
		{"ip", "link", "set", "eth0", "up"},
		{"ip", "link", "set", "eth1", "up"},
		{"ip", "route", "add", "default", "via", "10.0.0.253", "dev", "eth0"},
	} {
		if out, err := lab.Exec(10*time.Second, cmd...); err != nil {
			t.Fatalf("%v: %v\n%s", cmd, err, out)
		}
	}
	// The cloud side: the router on eth0's peer, a host outside the
	// subnet (10.0.9.9) that reaches 10.0.0.20 through eth1's peer.
	p0, p1 := lab.Peer("eth0"), lab.Peer("eth1")
	for _, cmd := range [][]string{
		{"sysctl", "-q", "-w", "net.ipv4.conf.all.rp_filter=0", "net.ipv4.conf.default.rp_filter=0", "net.ipv4.conf." + p0 + ".rp_filter=0", "net.ipv4.conf." + p1 + ".rp_filter=0"},
		{"ip", "addr", "add", "10.0.9.9/32", "dev", "lo"},
		{"ip", "addr", "add", "10.0.0.253/24", "dev", p0},
		{"ip", "addr", "add", "10.0.0.254/24", "dev", p1},
		{"ip", "route", "add", "10.0.0.20/32", "dev", p1, "src", "10.0.9.9"},
	} {
		if out, err := netlab.Run(t, 10*time.Second, "ip", append([]string{"netns", "exec", lab.Sink}, cmd...)...); err != nil {
			t.Fatalf("sink %v: %v\n%s", cmd, err, out)
		}
	}

	if c.six {
		// An image that turned IPv6 off: every link has disable_ipv6=1,
		// and so will a link made later.
		if out, err := lab.Exec(10*time.Second, "sh", "-c", "for f in /proc/sys/net/ipv6/conf/*/disable_ipv6; do echo 1 > $f; done"); err != nil {
			t.Fatalf("disable_ipv6: %v\n%s", err, out)
		}
	}
	apply := []string{"sysctl", "-q", "-e", "-p", file}
	if reader == "systemd-sysctl" {
		apply = []string{systemdSysctl, file}
	}
	if out, err := lab.Exec(20*time.Second, apply...); err != nil {
		t.Fatalf("%v: %v\n%s", apply, err, out)
	}
	want := checkSysctls(t, lab, data, "")

	// The independent expectation: eth1's effective rp_filter is the
	// larger of all and eth1 (ip-sysctl.rst), and strict drops the packet.
	eff := max(want["all.rp_filter"], want["eth1.rp_filter"])
	if (eff != "1") != c.reaches {
		t.Fatalf("%s: eth1's effective rp_filter is %s (all %s, eth1 %s), the description wants it to %s", c.name, eff, want["all.rp_filter"], want["eth1.rp_filter"], map[bool]string{true: "take the packet", false: "drop it"}[c.reaches])
	}
	out, err := netlab.Run(t, 10*time.Second, "ip", "netns", "exec", lab.Sink, "ping", "-c", "1", "-W", "2", "-I", "10.0.9.9", "10.0.0.20")
	if got := err == nil; got != c.reaches {
		t.Fatalf("%s: a ping from 10.0.9.9 to 10.0.0.20 through eth1: answered %v, want %v\n%s\n%s", c.name, got, c.reaches, out, data)
	}

	if c.six {
		pingIPv6(t, lab, p1)
	}

	// A hot-plugged eth1: the kernel gives it conf.default; udev must run
	// the rule's command, which gives it its own settings.
	if out, err := lab.Exec(10*time.Second, "ip", "link", "del", "eth1"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	lab.AddLink("eth1", "02:00:00:00:10:03")
	rf := filepath.Join(dir, "99-enicfg-sysctl.rules")
	if err := os.WriteFile(rf, rules, 0o644); err != nil {
		t.Fatal(err)
	}
	script := `set -e
mount --make-rprivate /
mount -t tmpfs enicfg-run /run
mount -t tmpfs enicfg-rules /etc/udev/rules.d
cp "$1" /etc/udev/rules.d/
udevadm test --action=add /sys/class/net/eth1 2>&1`
	out, err = lab.Exec(30*time.Second, "unshare", "-m", "--propagation", "private", "sh", "-c", script, "sh", rf)
	if err != nil {
		t.Fatalf("udevadm test: %v\n%s", err, out)
	}
	run := regexp.MustCompile(`run: '(/sbin/sysctl [^']*)'`).FindStringSubmatch(out)
	if run == nil || !strings.Contains(run[1], " -p "+sysctlFile) {
		t.Fatalf("udev would not run sysctl for a new eth1:\n%s", out)
	}
	// The command as udev would run it, on the test's copy of the file.
	args := strings.Fields(strings.Replace(run[1], sysctlFile, file, 1))
	if out, err := lab.Exec(20*time.Second, args...); err != nil {
		t.Fatalf("%v: %v\n%s", args, err, out)
	}
	checkSysctls(t, lab, data, "eth1")
}

// checkSysctls reads back every key of the file (of only the interface
// only, when not "") from /proc/sys/net/ipv4/conf and gives the file's
// values by "<if>.<key>".
func checkSysctls(t *testing.T, lab *netlab.Lab, data []byte, only string) map[string]string {
	t.Helper()
	want := map[string]string{}
	for _, l := range strings.Split(string(data), "\n") {
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		m := sysctlLineRE.FindStringSubmatch(l)
		if m == nil {
			t.Fatalf("not a sysctl line of ours: %q", l)
		}
		fam, link, key, val := m[1], m[2], m[3], m[4]
		want[link+"."+key] = val
		if only != "" && link != only {
			continue
		}
		proc := "/proc/sys/net/" + fam + "/conf/" + link + "/" + key
		got, err := lab.Exec(5*time.Second, "cat", proc)
		if err != nil {
			t.Fatalf("%s: %v", l, err)
		}
		if strings.TrimSpace(got) != val {
			t.Fatalf("%s is %s after the file set %s", proc, strings.TrimSpace(got), val)
		}
	}
	for _, k := range []string{"all.rp_filter", "eth0.rp_filter", "eth1.rp_filter", "all.arp_ignore", "eth1.arp_ignore", "eth1.arp_announce"} {
		if want[k] == "" {
			t.Fatalf("the file sets no %s:\n%s", k, data)
		}
	}
	return want
}

// pingIPv6 gives eth1 its IPv6 address (as the family's tool would, which
// the kernel refuses while disable_ipv6 is 1) and pings it from the
// peer: the file turned IPv6 back on for eth1.
func pingIPv6(t *testing.T, lab *netlab.Lab, peer string) {
	t.Helper()
	if out, err := lab.Exec(10*time.Second, "ip", "addr", "add", "2001:db8::20/64", "dev", "eth1", "nodad"); err != nil {
		t.Fatalf("IPv6 on eth1: %v\n%s", err, out)
	}
	if out, err := netlab.Run(t, 10*time.Second, "ip", "netns", "exec", lab.Sink, "ip", "addr", "add", "2001:db8::1/64", "dev", peer, "nodad"); err != nil {
		t.Fatalf("sink: %v\n%s", err, out)
	}
	if out, err := netlab.Run(t, 10*time.Second, "ip", "netns", "exec", lab.Sink, "ping", "-6", "-c", "1", "-W", "2", "2001:db8::20"); err != nil {
		t.Fatalf("ping -6 2001:db8::20 through eth1: %v\n%s", err, out)
	}
}
