package render_test

import (
	"fmt"
	"github.com/enicfg/enicfg/internal/gen"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/enicfg/enicfg/distros"
	"github.com/enicfg/enicfg/internal/netlab"
	"github.com/enicfg/enicfg/render"
	"github.com/enicfg/enicfg/spec"
)

// scenario is a description that the real-tool tests apply.
type scenario struct {
	name string
	file string // under examples/, or "" with yaml
	yaml string
}

// seedScenarios are the seeds' scenarios and the largest case, applied by
// every family's real tool.
var seedScenarios = []scenario{
	{name: "nat-eip", file: "nat-eip-secondary-eni.yaml"},
	{name: "three-enis", file: "three-enis-policy-routing.yaml"},
	{name: "dhcp-secondaries", file: "dhcp-primary-secondary-ips.yaml"},
	{name: "multiqueue", file: "multiqueue.yaml"},
	{name: "format-reference", file: "format-reference.yaml"},
	{name: "routes", yaml: `
version: 1
interfaces:
  - name: eth0
    address: 10.1.0.10/24
    gateway: 10.1.0.1
    secondary_ips: [10.1.0.11]
    route_table: 100
    rule_priority: 500
    routes:
      - to: 192.168.0.0/16
        via: 10.1.0.1
      - to: 172.31.0.0/16
      - to: 10.9.0.0/16
        via: 10.1.0.254
        metric: 50
      - to: 10.8.0.0/16
        via: 10.1.0.1
        table: 100
        src: 10.1.0.11
      - to: 0.0.0.0/0
        via: 10.1.0.254
        table: 200
`},
	{name: "dhcp-metrics", yaml: `
version: 1
interfaces:
  - name: eth0
    dhcp: true
    subnet: 10.4.0.0/24
    metric: 1234
    secondary_ips: [10.4.0.30, 10.4.0.31]
  - name: eth1
    dhcp: true
    subnet: 10.5.0.0/24
    gateway: 10.5.0.1
    default_route: true
    metric: 2345
    route_table: 1005
    rule_priority: 777
`},
	{name: "big-numbers", yaml: `
version: 1
interfaces:
  - name: eth0
    address: 10.3.0.10/24
    gateway: 10.3.0.1
    metric: 3000000000
    secondary_ips: [10.3.0.11]
    route_table: 3000000000
    rule_priority: 3000
    routes:
      - to: 10.30.0.0/16
        via: 10.3.0.1
        metric: 4294967295
`},
	{name: "dns-primary", yaml: `
version: 1
dns:
  servers: [10.6.0.2, 10.6.0.3]
  search: [corp.example, example.internal]
host:
  rp_filter: loose
  arp: own
interfaces:
  - name: eth0
    address: 10.6.0.10/24
    gateway: 10.6.0.1
  - name: eth1
    address: 10.6.1.10/24
    gateway: 10.6.1.1
    default_route: false
    route_table: 1006
`},
	{name: "dns-secondary", yaml: `
version: 1
interfaces:
  - name: eth0
    dhcp: true
  - name: eth1
    address: 10.6.2.10/24
    gateway: 10.6.2.1
    default_route: false
    route_table: 1007
    rp_filter: loose
    dns:
      servers: [10.6.2.2]
      search: [eth1.example]
`},
	{name: "large-8x20", yaml: gen.Description(8, 20)},
	{name: "hostile-text", yaml: `
version: 1
interfaces:
  - name: eth0
    address: 10.7.0.10/24
    gateway: 10.7.0.1
    secondary_ips: [10.7.0.11]
    route_table: 700
    description: "$(touch ` + canary + `) ` + "`touch " + canary + "`" + ` ; touch ` + canary + ` | & < > * ? ~ { } [ ] % ^ ! # ＄（ｒｅｂｏｏｔ） \\"
    windows_name: "Ethernet %PATH% ^& | > < !x!"
`},
}

// canary is the file that a command hidden in the hostile-text scenario
// would create; TestMain fails the run if it exists.
const canary = "/tmp/enicfg-canary-ran"

func (sc scenario) load(t *testing.T) *spec.Model {
	t.Helper()
	data := []byte(sc.yaml)
	name := sc.name + ".yaml"
	if sc.file != "" {
		var err error
		name = "examples/" + sc.file
		if data, err = os.ReadFile(filepath.Join("..", "examples", sc.file)); err != nil {
			t.Fatal(err)
		}
	}
	m, err := spec.Load(name, data)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return m
}

func renderFor(t *testing.T, m *spec.Model, distro string) render.FileSet {
	t.Helper()
	return renderWith(t, m, distro, false)
}

// renderWith renders for distro, with or without --skip-unsupported.
func renderWith(t *testing.T, m *spec.Model, distro string, skip bool) render.FileSet {
	t.Helper()
	files, _ := renderRefused(t, m, distro, skip)
	return files
}

// renderRefused renders for distro and gives the refusals that skip
// turned into warnings too.
func renderRefused(t *testing.T, m *spec.Model, distro string, skip bool) (render.FileSet, []render.Unsupported) {
	t.Helper()
	tgt, err := distros.Lookup(distro)
	if err != nil {
		t.Fatal(err)
	}
	files, refused, err := tgt.Render(m, skip)
	if err != nil {
		t.Fatal(err)
	}
	return files, refused
}

func fileOf(t *testing.T, files render.FileSet, path string) []byte {
	t.Helper()
	for _, f := range files {
		if f.Path == path {
			return f.Data
		}
	}
	t.Fatalf("no %s in the rendered files", path)
	return nil
}

// macs gives every interface a MAC: the described one, or a made-up one.
func macs(m *spec.Model) map[string]string {
	out := map[string]string{}
	for k, in := range m.Interfaces {
		out[in.Name] = in.MAC
		if in.MAC == "" {
			out[in.Name] = fmt.Sprintf("02:ee:00:00:00:%02x", k+1)
		}
	}
	return out
}

// leases gives the address the test's DHCP server hands to each DHCP
// interface: in its subnet when described (avoiding the described IPs),
// else in a made-up one; and the router it announces.
func leases(m *spec.Model) (map[string]netip.Prefix, map[string]netip.Addr) {
	used := map[netip.Addr]bool{}
	for _, in := range m.Interfaces {
		for _, p := range in.IPs() {
			used[p.Addr()] = true
		}
		if in.Gateway.IsValid() {
			used[in.Gateway] = true
		}
	}
	l, r := map[string]netip.Prefix{}, map[string]netip.Addr{}
	for k, in := range m.Interfaces {
		if !in.DHCP {
			continue
		}
		subnet := in.Subnet
		if !subnet.IsValid() {
			subnet = netip.MustParsePrefix(fmt.Sprintf("192.168.%d.0/24", 200+k))
		}
		a := subnet.Addr().Next()
		for i := 0; i < 19 || used[a]; i++ {
			a = a.Next()
		}
		used[a] = true
		l[in.Name] = netip.PrefixFrom(a, subnet.Bits())
		gw := in.Gateway
		if !gw.IsValid() {
			gw = subnet.Addr().Next()
		}
		r[in.Name] = gw
	}
	return l, r
}

// udevApply lets udev (udevadm test, in a private mount namespace of the
// lab) see the rendered udev rules and .link files at their paths (files
// maps an absolute path to its content; netplan's generated .link files
// can be among them). Each MAC-bound link is created under a temporary
// name with its MAC and must be renamed to the described name; a link
// that a .link file of ours configures must get that file applied.
func udevApply(t *testing.T, lab *netlab.Lab, m *spec.Model, mac map[string]string, files map[string][]byte) {
	t.Helper()
	stage := filepath.Join(lab.Dir(), "udev")
	var copies []string
	for p, data := range files {
		local := filepath.Join(stage, p)
		if err := os.MkdirAll(filepath.Dir(local), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(local, data, 0o644); err != nil {
			t.Fatal(err)
		}
		copies = append(copies, fmt.Sprintf("mkdir -p %s && cp %s %s", filepath.Dir(p), local, p))
	}
	script := "set -e\nmount --make-rprivate /\nmount -t tmpfs enicfg-run /run\n" +
		"mount -t tmpfs enicfg-rules /etc/udev/rules.d\n" +
		"if [ -d /etc/systemd/network ]; then mount -t tmpfs enicfg-links /etc/systemd/network; fi\n" +
		strings.Join(copies, "\n") + "\nudevadm test --action=add \"/sys/class/net/$1\" 2>&1\n"
	for k, in := range m.Interfaces {
		link := "/etc/systemd/network/05-enicfg-" + in.Name + ".link"
		_, hasLink := files[link]
		rename := in.MAC != "" && (files["/etc/udev/rules.d/70-enicfg-net.rules"] != nil || hasLink)
		if !rename {
			lab.AddLink(in.Name, mac[in.Name])
			if len(files) == 0 {
				continue
			}
			// Every .link file that matches the link applies (a netplan
			// before 0.99 sets the MTU only in its own .link).
		}
		netlab.Require(t, true, "udevadm")
		dev := in.Name
		if rename {
			dev = fmt.Sprintf("tmp%d", k)
			lab.AddLink(dev, mac[in.Name])
		}
		out, err := lab.Exec(30*time.Second, "unshare", "-m", "--propagation", "private", "sh", "-c", script, "sh", dev)
		if err != nil {
			t.Fatalf("udevadm test: %v\n%s", err, out)
		}
		if rename {
			if !strings.Contains(out, fmt.Sprintf("renamed from '%s' to '%s'", dev, in.Name)) {
				t.Fatalf("udev did not rename %s (MAC %s) to %s:\n%s", dev, in.MAC, in.Name, out)
			}
			lab.Rename(dev, in.Name)
		}
		if hasLink && !strings.Contains(out, "ID_NET_LINK_FILE="+link+"\n") {
			t.Fatalf("udev did not apply %s to %s:\n%s", link, in.Name, out)
		}
		for _, l := range strings.Split(out, "\n") {
			if strings.Contains(l, "enicfg") && (strings.Contains(l, "Unknown") || strings.Contains(l, "Failed to parse") || strings.Contains(l, "ignoring")) {
				t.Fatalf("udev complains about our files: %s", l)
			}
		}
	}
}

// startDHCP runs dnsmasq on the peer of each DHCP interface, in the sink
// namespace, handing out the test's lease for that interface's MAC (and,
// with dns, the interface's leaseDNS as its DNS server).
func startDHCP(t *testing.T, lab *netlab.Lab, m *spec.Model, mac map[string]string, dns bool) (map[string]netip.Prefix, map[string]netip.Addr) {
	t.Helper()
	l, routers := leases(m)
	if len(l) == 0 {
		return l, routers
	}
	netlab.Require(t, true, "dnsmasq")
	for _, in := range m.Interfaces {
		if !in.DHCP {
			continue
		}
		lease, gw := l[in.Name], routers[in.Name]
		peer := lab.Peer(in.Name)
		netlab.Must(t, "ip", "-n", lab.Sink, "addr", "add", netip.PrefixFrom(gw, lease.Bits()).String(), "dev", peer)
		mask := net4Mask(lease.Bits())
		dir := t.TempDir()
		args := []string{"netns", "exec", lab.Sink, "dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null",
			"--no-resolv", "--no-hosts", "--port=0", "--user=root", "--group=root", "--bind-interfaces",
			"--interface=" + peer, "--except-interface=lo", "--pid-file=" + filepath.Join(dir, "pid"),
			"--dhcp-leasefile=" + filepath.Join(dir, "leases"), "--dhcp-authoritative",
			fmt.Sprintf("--dhcp-range=%s,static,%s,1h", lease.Masked().Addr(), mask),
			fmt.Sprintf("--dhcp-host=%s,%s", mac[in.Name], lease.Addr()),
			"--dhcp-option=option:router," + gw.String(),
		}
		if dns {
			args = append(args, "--dhcp-option=option:dns-server,"+leaseDNS(in))
		}
		netlab.Start(t, "ip", args...)
	}
	return l, routers
}

func net4Mask(bits int) string {
	m := ^uint32(0) << (32 - bits)
	return fmt.Sprintf("%d.%d.%d.%d", m>>24, m>>16&0xff, m>>8&0xff, m&0xff)
}

// testNet is a lab whose links carry the description's names and MACs,
// with the address and router that DHCP gives each DHCP interface there.
type testNet struct {
	*netlab.Lab
	mac     map[string]string
	leases  map[string]netip.Prefix
	routers map[string]netip.Addr
}

// dhcpServe says what the lab's DHCP server does.
type dhcpServe int

const (
	dhcpNone    dhcpServe = iota // leases only computed, for tests that stand in for the client
	dhcpServed                   // dnsmasq hands out the leases with a router
	dhcpWithDNS                  // and a DNS server, leaseDNS, per interface
)

// leaseDNS is the DNS server the lab's DHCP hands an interface with
// dhcpWithDNS: one per interface, so that a test sees whose lease a
// resolv.conf line came from.
func leaseDNS(in *spec.Interface) string { return fmt.Sprintf("198.51.100.%d", 10+in.Index) }

// newTestNet makes the lab. udev applies the rendered rules and .link files
// of udev (by path) to name the MAC-bound links; with dhcpServed or
// dhcpWithDNS, dnsmasq on the peers hands out the leases.
func newTestNet(t *testing.T, m *spec.Model, udev map[string][]byte, serve dhcpServe) *testNet {
	t.Helper()
	n := &testNet{Lab: netlab.New(t), mac: macs(m)}
	udevApply(t, n.Lab, m, n.mac, udev)
	if serve != dhcpNone {
		n.leases, n.routers = startDHCP(t, n.Lab, m, n.mac, serve == dhcpWithDNS)
	} else {
		n.leases, n.routers = leases(m)
	}
	return n
}

// ruleFile gives a rendered 70-enicfg-net.rules (nil: none) by its path.
func ruleFile(rules []byte) map[string][]byte {
	if rules == nil {
		return nil
	}
	return map[string][]byte{"/etc/udev/rules.d/70-enicfg-net.rules": rules}
}

// dnsWant gives the servers and search domains that each interface of m
// must end up with.
func dnsWant(m *spec.Model) map[string][2][]string {
	out := map[string][2][]string{}
	for _, in := range m.Interfaces {
		var servers []string
		for _, a := range in.DNS.Servers {
			servers = append(servers, a.String())
		}
		out[in.Name] = [2][]string{servers, in.DNS.Search}
	}
	return out
}

// checkDNS compares what a tool reports for an interface with the
// description: the described servers first and in order (a DHCP lease may
// add its own after them, when extra), the search domains exactly.
func checkDNS(t *testing.T, tool, ifname string, want [2][]string, servers, search []string, extra bool) {
	t.Helper()
	ok := len(servers) >= len(want[0]) && slices.Equal(servers[:len(want[0])], want[0])
	if !extra && len(servers) != len(want[0]) {
		ok = false
	}
	if !ok || !slices.Equal(search, want[1]) {
		t.Errorf("%s: %s has DNS servers %v and search %v, the description %v and %v", tool, ifname, servers, search, want[0], want[1])
	}
}

// checkLeaseDNS holds a resolv.conf to the DNS servers of the DHCP leases
// (dhcpWithDNS): the primary ENI's lease gives the instance its servers;
// a secondary ENI's lease must not add or replace them (its servers are
// those of another network's DHCP: ignore-auto-dns, PEERDNS=no).
func checkLeaseDNS(t *testing.T, what string, m *spec.Model, servers []string, text string) {
	t.Helper()
	for _, in := range m.Interfaces {
		if !in.DHCP {
			continue
		}
		got := slices.Contains(servers, leaseDNS(in))
		switch {
		case in.Primary && !got:
			t.Errorf("%s lacks the DNS server of the primary %s's lease (%s):\n%s", what, in.Name, leaseDNS(in), text)
		case !in.Primary && got:
			t.Errorf("%s has the DNS server of the secondary ENI %s's lease (%s), which must be ignored:\n%s", what, in.Name, leaseDNS(in), text)
		}
	}
}

// resolvConf reads the nameserver and search lines of a resolv.conf.
func resolvConf(text string) (servers, search []string) {
	for _, l := range strings.Split(text, "\n") {
		f := strings.Fields(l)
		switch {
		case len(f) == 2 && f[0] == "nameserver":
			servers = append(servers, f[1])
		case len(f) > 1 && f[0] == "search":
			search = append(search, f[1:]...)
		}
	}
	return servers, search
}
