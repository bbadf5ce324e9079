package live

import (
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/enicfg/enicfg/spec"
)

// The expectations below are written by hand from the seeds and from what
// each family's software is documented to do, not printed by Want: a
// mistake in Want cannot confirm itself here, while the real-tool tests
// hold Want to the kernel.

// lab is what a test lab knows of the seed three-enis: the made-up MAC of
// eth0, its lease and router, the metrics NetworkManager picked.
var lab = Expect{
	MACs:        map[string]string{"eth0": "02:ee:00:00:00:01"},
	Leases:      map[string]netip.Prefix{"eth0": netip.MustParsePrefix("10.0.0.50/24")},
	Routers:     map[string]netip.Addr{"eth0": netip.MustParseAddr("10.0.0.253")},
	NMMetrics:   map[string]int{"eth0": 100, "eth1": 101, "eth2": 102},
	AliasLabels: func(*spec.Interface) bool { return false },
	DefaultMTU:  1500,
}

var threeENIsCommon = []string{
	"eth0: link eth0 up [open: mac mtu queues] (line 7)",
	"eth0: address any (DHCP) [open: prefix label] (line 8)",
	"eth0: ? route 10.0.0.0/24 dev eth0 [open: metric src] (line 8)",
	"eth0: ? route 10.0.0.253 dev eth0 [open: metric src] (line 10)",
	"eth0: route default via 10.0.0.253 dev eth0 [open: metric src] (line 10)",
	"eth1: link eth1 mac 00:16:3e:12:e7:27 up [open: mtu queues] (line 11)",
	"eth1: address 10.0.0.20/24 [open: label] (line 13)",
	"eth1: ? route 10.0.0.0/24 dev eth1 [open: metric src] (line 13)",
	"eth1: route default via 10.0.0.253 dev eth1 metric 1001 [open: src] (line 14)",
	"eth1: rule 1001: from 10.0.0.20 lookup 1001 (line 13)",
	"eth1: route 10.0.0.0/24 dev eth1 table 1001 [open: metric] (line 17)",
	"eth1: route default via 10.0.0.253 dev eth1 table 1001 [open: metric] (line 17)",
	"eth2: link eth2 mac 00:16:3e:12:16:ec up [open: mtu queues] (line 18)",
	"eth2: address 10.0.0.21/24 [open: label] (line 20)",
	"eth2: ? route 10.0.0.0/24 dev eth2 [open: metric src] (line 20)",
	"eth2: route default via 10.0.0.253 dev eth2 metric 1002 [open: src] (line 21)",
	"eth2: rule 1002: from 10.0.0.21 lookup 1002 (line 20)",
	"eth2: route 10.0.0.0/24 dev eth2 table 1002 [open: metric] (line 24)",
	"eth2: route default via 10.0.0.253 dev eth2 table 1002 [open: metric] (line 24)",
}

// threeENIsTables is what every layout but NetworkManager's has beside the
// main table's routes of each family: links, addresses, rules, tables.
var threeENIsTables = []string{
	"eth0: link eth0 mac 02:ee:00:00:00:01 mtu 1500 up [open: queues] (line 7)",
	"eth0: address 10.0.0.50/24 (line 8)",
	"eth1: link eth1 mac 00:16:3e:12:e7:27 mtu 1500 up [open: queues] (line 11)",
	"eth1: address 10.0.0.20/24 (line 13)",
	"eth1: rule 1001: from 10.0.0.20 lookup 1001 (line 13)",
	"eth1: route 10.0.0.0/24 dev eth1 table 1001 (line 17)",
	"eth1: route default via 10.0.0.253 dev eth1 table 1001 (line 17)",
	"eth2: link eth2 mac 00:16:3e:12:16:ec mtu 1500 up [open: queues] (line 18)",
	"eth2: address 10.0.0.21/24 (line 20)",
	"eth2: rule 1002: from 10.0.0.21 lookup 1002 (line 20)",
	"eth2: route 10.0.0.0/24 dev eth2 table 1002 (line 24)",
	"eth2: route default via 10.0.0.253 dev eth2 table 1002 (line 24)",
	"eth1: route 10.0.0.0/24 dev eth1 src 10.0.0.20 (line 13)",
	"eth1: route default via 10.0.0.253 dev eth1 metric 1001 (line 14)",
	"eth2: route 10.0.0.0/24 dev eth2 src 10.0.0.21 (line 20)",
	"eth2: route default via 10.0.0.253 dev eth2 metric 1002 (line 21)",
}

var threeENIsKernel = append(slices.Clone(threeENIsTables),
	// ifupdown's, network-scripts' and wicked's DHCP clients: the
	// kernel's prefix route and a default route without a metric.
	"eth0: route 10.0.0.0/24 dev eth0 src 10.0.0.50 (line 8)",
	"eth0: route default via 10.0.0.253 dev eth0 (line 10)",
)

var threeENIsNetworkd = append(slices.Clone(threeENIsTables),
	// networkd's DHCP client: metric 1024 and the lease as source on the
	// prefix route, a host route to the router and the default route.
	"eth0: route 10.0.0.0/24 dev eth0 metric 1024 src 10.0.0.50 (line 8)",
	"eth0: route 10.0.0.253 dev eth0 metric 1024 src 10.0.0.50 (line 10)",
	"eth0: route default via 10.0.0.253 dev eth0 metric 1024 src 10.0.0.50 (line 10)",
)

var threeENIsNM = []string{
	"eth0: link eth0 mac 02:ee:00:00:00:01 mtu 1500 up [open: queues] (line 7)",
	"eth0: address 10.0.0.50/24 (line 8)",
	"eth0: route 10.0.0.0/24 dev eth0 metric 100 src 10.0.0.50 (line 8)",
	"eth0: route default via 10.0.0.253 dev eth0 metric 100 src 10.0.0.50 (line 10)",
	"eth1: link eth1 mac 00:16:3e:12:e7:27 mtu 1500 up [open: queues] (line 11)",
	"eth1: address 10.0.0.20/24 (line 13)",
	"eth1: route 10.0.0.0/24 dev eth1 metric 1001 src 10.0.0.20 (line 13)",
	"eth1: route default via 10.0.0.253 dev eth1 metric 1001 (line 14)",
	"eth1: rule 1001: from 10.0.0.20 lookup 1001 (line 13)",
	// The profile's metric on the table's routes too.
	"eth1: route 10.0.0.0/24 dev eth1 table 1001 metric 1001 (line 17)",
	"eth1: route default via 10.0.0.253 dev eth1 table 1001 metric 1001 (line 17)",
	"eth2: link eth2 mac 00:16:3e:12:16:ec mtu 1500 up [open: queues] (line 18)",
	"eth2: address 10.0.0.21/24 (line 20)",
	"eth2: route 10.0.0.0/24 dev eth2 metric 1002 src 10.0.0.21 (line 20)",
	"eth2: route default via 10.0.0.253 dev eth2 metric 1002 (line 21)",
	"eth2: rule 1002: from 10.0.0.21 lookup 1002 (line 20)",
	"eth2: route 10.0.0.0/24 dev eth2 table 1002 metric 1002 (line 24)",
	"eth2: route default via 10.0.0.253 dev eth2 table 1002 metric 1002 (line 24)",
}

// natEIPNetworkd: the seed nat-eip (eth0 DHCP without subnet, eth1 static
// with two secondary IPs, no default route, a route with a source) for
// networkd, with ifupdown's alias labels left out (networkd labels every
// address with the link's name).
var natEIPNetworkd = []string{
	"eth0: link eth0 mac 02:ee:00:00:00:01 mtu 1500 up [open: queues] (line 8)",
	"eth0: address 192.168.200.21/24 (line 9)",
	"eth0: route 192.168.200.0/24 dev eth0 metric 1024 src 192.168.200.21 (line 9)",
	"eth0: route 192.168.200.1 dev eth0 metric 1024 src 192.168.200.21 (line 8)",
	"eth0: route default via 192.168.200.1 dev eth0 metric 1024 src 192.168.200.21 (line 8)",
	"eth1: link eth1 mac 00:16:3e:12:cc:8d mtu 1500 up [open: queues] (line 11)",
	"eth1: address 172.16.0.163/24 (line 13)",
	"eth1: address 172.16.0.164/24 (line 15)",
	"eth1: address 172.16.0.165/24 (line 15)",
	"eth1: route 172.16.0.0/24 dev eth1 src 172.16.0.163 (line 13)",
	"eth1: route 192.168.100.0/24 via 172.16.0.253 dev eth1 src 172.16.0.164 (line 25)",
}

// dhcpSecondariesNetworkd: a DHCP primary with static secondary IPs;
// networkd adds them before the lease, so the subnet's route takes the
// first of them as its source and has no metric.
var dhcpSecondariesNetworkd = []string{
	"eth0: link eth0 mac 02:ee:00:00:00:01 mtu 1500 up [open: queues] (line 7)",
	"eth0: address 10.0.0.50/24 (line 8)",
	"eth0: address 10.0.0.30/24 (line 12)",
	"eth0: address 10.0.0.31/24 (line 13)",
	"eth0: address 10.0.0.32/24 (line 14)",
	"eth0: route 10.0.0.0/24 dev eth0 src 10.0.0.30 (line 8)",
	"eth0: route 10.0.0.253 dev eth0 metric 1024 src 10.0.0.50 (line 10)",
	"eth0: route default via 10.0.0.253 dev eth0 metric 1024 src 10.0.0.50 (line 10)",
}

// dhcpSecondariesWicked: wicked adds the static secondary IPs at once and
// the lease later, so the subnet's route has the first secondary as its
// source, and the DHCP default route the lease (DHCLIENT_ROUTE_SET_SRC).
var dhcpSecondariesWicked = []string{
	"eth0: link eth0 mac 02:ee:00:00:00:01 mtu 1500 up [open: queues] (line 7)",
	"eth0: address 10.0.0.50/24 (line 8)",
	"eth0: address 10.0.0.30/24 (line 12)",
	"eth0: address 10.0.0.31/24 (line 13)",
	"eth0: address 10.0.0.32/24 (line 14)",
	"eth0: route 10.0.0.0/24 dev eth0 src 10.0.0.30 (line 8)",
	"eth0: route default via 10.0.0.253 dev eth0 src 10.0.0.50 (line 10)",
}

// dualStackKernel is the IPv6 of the example dual-stack-policy-routing
// in the kernel's layout: the kernel's /64 prefix route at 256 and no
// source, routes without a metric at 1024 (IP6_RT_PRIO_USER), the
// interface's metric on its IPv6 default route, the table's routes and a
// rule per static IPv6 address at the IPv4 rules' priority.
var dualStackKernel = []string{
	"eth0: address 2408:4000:1::10/64 (line 13)",
	"eth0: route 2408:4000:1::/64 dev eth0 metric 256 (line 13)",
	"eth0: route default via fe80::1 dev eth0 metric 1024 (line 14)",
	"eth1: address 2408:4000:1::20/64 (line 23)",
	"eth1: route 2408:4000:1::/64 dev eth1 metric 256 (line 23)",
	"eth1: route default via fe80::1 dev eth1 metric 1001 (line 24)",
	"eth1: rule 1001: from 2408:4000:1::20 lookup 1001 (line 23)",
	"eth1: route 2408:4000:1::/64 dev eth1 table 1001 metric 1024 (line 21)",
	"eth1: route default via fe80::1 dev eth1 table 1001 metric 1024 (line 21)",
	"eth2: address 2408:4000:1::21/64 (line 34)",
	"eth2: address 2408:4000:1::22/64 (line 35)",
	"eth2: address 2408:4000:1::23/64 (line 35)",
	"eth2: route 2408:4000:1::/64 dev eth2 metric 256 (line 34)",
	"eth2: route default via 2408:4000:1::1 dev eth2 metric 1002 (line 36)",
	"eth2: rule 1002: from 2408:4000:1::21 lookup 1002 (line 34)",
	"eth2: rule 1002: from 2408:4000:1::22 lookup 1002 (line 35)",
	"eth2: rule 1002: from 2408:4000:1::23 lookup 1002 (line 35)",
	"eth2: route 2408:4000:1::/64 dev eth2 table 1002 metric 1024 (line 31)",
	"eth2: route default via 2408:4000:1::1 dev eth2 table 1002 metric 1024 (line 31)",
	"eth2: route 2408:4000:9::/48 via 2408:4000:1::1 dev eth2 metric 60 (line 38)",
	"eth2: route 2408:4000:8::/48 via fe80::1 dev eth2 table 1002 metric 1024 src 2408:4000:1::22 (line 41)",
}

// ipv6OnlyCommon: the example ipv6-only in the common layout, which
// leaves the metrics that families choose open and expects no IPv4.
var ipv6OnlyCommon = []string{
	"eth0: link eth0 up [open: mac mtu queues] (line 7)",
	"eth0: address 2600:1f18:0:1::10/64 (line 9)",
	"eth0: route 2600:1f18:0:1::/64 dev eth0 [open: metric] (line 9)",
	"eth0: route default via fe80::1 dev eth0 [open: metric] (line 10)",
	"eth1: link eth1 mac 02:aa:00:00:00:02 up [open: mtu queues] (line 11)",
	"eth1: address 2600:1f18:0:2::10/64 (line 15)",
	"eth1: address 2600:1f18:0:2::11/64 (line 16)",
	"eth1: address 2600:1f18:0:2::12/64 (line 16)",
	"eth1: route 2600:1f18:0:2::/64 dev eth1 [open: metric] (line 15)",
	"eth1: rule 1001: from 2600:1f18:0:2::10 lookup 1001 (line 15)",
	"eth1: rule 1001: from 2600:1f18:0:2::11 lookup 1001 (line 16)",
	"eth1: rule 1001: from 2600:1f18:0:2::12 lookup 1001 (line 16)",
	"eth1: route 2600:1f18:0:2::/64 dev eth1 table 1001 [open: metric] (line 13)",
	"eth1: route default via fe80::1 dev eth1 table 1001 [open: metric] (line 13)",
	"eth1: route 2600:1f18:99::/48 via 2600:1f18:0:2::1 dev eth1 [open: metric] (line 19)",
}

// TestWantIPv6 holds Want's IPv6 to the hand-written expectations: the
// IPv6 facts of the dual-stack example (its IPv4 is the three-enis
// seed's, checked above), and the whole of the IPv6-only one.
func TestWantIPv6(t *testing.T) {
	for _, c := range []struct {
		name, file string
		e          Expect
		only6      bool
		want       []string
	}{
		{"dual-stack/kernel", "dual-stack-policy-routing.yaml", with(lab, KernelRoutes), true, dualStackKernel},
		{"ipv6-only/common", "ipv6-only.yaml", Expect{}, false, ipv6OnlyCommon},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := loadExample(t, c.file)
			var got []string
			for _, f := range c.e.Want(m) {
				if !c.only6 || f.Is6() {
					got = append(got, describe(f))
				}
			}
			want := slices.Clone(c.want)
			slices.Sort(want)
			slices.Sort(got)
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("(-hand-written +Want):\n%s", d)
			}
		})
	}
}

func TestWantSeeds(t *testing.T) {
	natLab := lab
	natLab.Leases = map[string]netip.Prefix{"eth0": netip.MustParsePrefix("192.168.200.21/24")}
	natLab.Routers = map[string]netip.Addr{"eth0": netip.MustParseAddr("192.168.200.1")}
	for _, c := range []struct {
		name, file string
		e          Expect
		want       []string
	}{
		{"three-enis/common", "three-enis-policy-routing.yaml", Expect{}, threeENIsCommon},
		{"three-enis/kernel", "three-enis-policy-routing.yaml", with(lab, KernelRoutes), threeENIsKernel},
		{"three-enis/networkd", "three-enis-policy-routing.yaml", with(lab, Networkd), threeENIsNetworkd},
		{"three-enis/nm", "three-enis-policy-routing.yaml", with(lab, NM), threeENIsNM},
		{"nat-eip/networkd", "nat-eip-secondary-eni.yaml", with(natLab, Networkd), natEIPNetworkd},
		{"dhcp-secondaries/networkd", "dhcp-primary-secondary-ips.yaml", with(lab, Networkd), dhcpSecondariesNetworkd},
		{"dhcp-secondaries/wicked", "dhcp-primary-secondary-ips.yaml", with(lab, Wicked), dhcpSecondariesWicked},
		{"three-enis/wicked", "three-enis-policy-routing.yaml", with(lab, Wicked), threeENIsKernel},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := loadExample(t, c.file)
			var got []string
			for _, f := range c.e.Want(m) {
				got = append(got, describe(f))
			}
			want := slices.Clone(c.want)
			slices.Sort(want)
			slices.Sort(got)
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("(-hand-written +Want):\n%s", d)
			}
		})
	}
}

func with(e Expect, l Layout) Expect {
	e.Layout = l
	return e
}

func loadExample(t *testing.T, name string) *spec.Model {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "examples", name))
	if err != nil {
		t.Fatal(err)
	}
	m, err := spec.Load(name, data)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// describe writes a wanted fact with its interface, whether it is
// optional ("? "), its open values and its line.
func describe(f Fact) string {
	var b strings.Builder
	b.WriteString(f.Iface + ": ")
	if f.Optional {
		b.WriteString("? ")
	}
	b.WriteString(f.String())
	var open []string
	for _, o := range []struct {
		f    Field
		name string
	}{{AnyMAC, "mac"}, {AnyMTU, "mtu"}, {AnyQueues, "queues"}, {AnyPrefix, "prefix"}, {AnyLabel, "label"}, {AnyVia, "via"}, {AnyMetric, "metric"}, {AnySrc, "src"}} {
		if f.Any&o.f != 0 {
			open = append(open, o.name)
		}
	}
	if len(open) > 0 {
		b.WriteString(" [open: " + strings.Join(open, " ") + "]")
	}
	fmt.Fprintf(&b, " (line %d)", f.Line)
	return b.String()
}
