package render_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/enicfg/enicfg/internal/gen"

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

// ipv6Scenarios are the IPv6 variants of the seeds, applied by every
// family's real tool: dual stack with tables, secondary IPv6 addresses and
// IPv6 routes; IPv6-only ENIs; eight dual-stack ENIs. ipv6LabScenarios
// need the lab's router: dnsmasq serves DHCPv6 and router advertisements.
var ipv6Scenarios = []scenario{
	{name: "dual-stack", file: "dual-stack-policy-routing.yaml"},
	{name: "ipv6-only", file: "ipv6-only.yaml"},
	{name: "dual-stack-8x4", yaml: gen.DualStack(8, 4, 4)},
}

var ipv6LabScenarios = []scenario{
	{name: "dhcpv6", yaml: `
version: 1
interfaces:
  - name: eth0
    address: 10.8.0.10/24
    gateway: 10.8.0.1
    ipv6:
      dhcp: true
      subnet: 2001:db8:80::/64
  - name: eth1
    default_route: false
    route_table: 1081
    ipv6:
      dhcp: true
      subnet: 2001:db8:81::/64
      secondary_ips: [2001:db8:81::99]
      gateway: fe80::1
`},
	{name: "slaac", yaml: `
version: 1
interfaces:
  - name: eth0
    address: 10.8.2.10/24
    gateway: 10.8.2.1
    ipv6:
      slaac: true
      metric: 500
  - name: eth1
    default_route: false
    ipv6:
      slaac: true
      subnet: 2001:db8:83::/64
      secondary_ips: [2001:db8:83::99]
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
	return loadDescription(t, sc.name, name, data)
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

// renderWhole renders a scenario for a target with --skip-unsupported,
// holds every refusal to the version data, and skips the test when the
// target refuses anything by version: there is nothing whole to apply.
func renderWhole(t *testing.T, tgt distros.Target, sc scenario) (*spec.Model, render.FileSet) {
	t.Helper()
	m := sc.load(t)
	files, refused := renderRefused(t, m, tgt.Name, true)
	refusedByVersion(t, refused)
	if len(refused) > 0 {
		t.Skipf("%s refuses %d features (by version): nothing whole to apply", tgt.Name, len(refused))
	}
	return m, files
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
		got := slices.Contains(servers, netlab.LeaseDNS(in))
		switch {
		case in.Primary && !got:
			t.Errorf("%s lacks the DNS server of the primary %s's lease (%s):\n%s", what, in.Name, netlab.LeaseDNS(in), text)
		case !in.Primary && got:
			t.Errorf("%s has the DNS server of the secondary ENI %s's lease (%s), which must be ignored:\n%s", what, in.Name, netlab.LeaseDNS(in), text)
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
