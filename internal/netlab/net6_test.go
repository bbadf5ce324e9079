package netlab_test

import (
	"strings"
	"testing"
	"time"

	"github.com/enicfg/enicfg/internal/netlab"
	"github.com/enicfg/enicfg/live"
	"github.com/enicfg/enicfg/spec"
)

// TestKernelIPv6 holds the IPv6 expectation of the kernel layout (live's
// want6.go) and the lab's router to the kernel itself: an interface set
// up with ip(8) as the description says (static addresses, a link-local
// router, a table with its rule, routes with and without metric), and one
// whose address and default route come from the lab's router advertisements
// (the kernel's own SLAAC), read back exactly.
func TestKernelIPv6(t *testing.T) {
	netlab.Require(t, true, "ip", "dnsmasq", "dhclient")
	m, err := spec.Load("t.yaml", []byte(`
version: 1
interfaces:
  - name: eth0
    ipv6:
      slaac: true
  - name: eth1
    address: 10.9.1.10/24
    gateway: 10.9.1.1
    default_route: false
    route_table: 901
    ipv6:
      address: 2001:db8:91::10/64
      secondary_ips: [2001:db8:91::11]
      gateway: fe80::1
    routes:
      - to: 2001:db8:99::/48
        via: 2001:db8:91::1
        metric: 60
      - to: 2001:db8:98::/48
        via: fe80::1
        table: 901
        src: 2001:db8:91::11
  - name: eth2
    default_route: false
    ipv6:
      dhcp: true
`))
	if err != nil {
		t.Fatal(err)
	}
	n := netlab.NewNet(t, m, nil, netlab.DHCPServed)
	ip := func(args ...string) {
		t.Helper()
		netlab.Must(t, "ip", append([]string{"-n", n.NS}, args...)...)
	}
	ip("link", "set", "eth0", "up")
	ip("link", "set", "eth1", "up")
	// eth2: no default route from the advertisements; its address from
	// ISC dhclient -6 (what ifupdown's inet6 dhcp runs).
	netlab.Must(t, "ip", "netns", "exec", n.NS, "sysctl", "-q", "-w", "net.ipv6.conf.eth2.accept_ra_defrtr=0")
	ip("link", "set", "eth2", "up")
	// dhclient binds to the link-local address, once DAD has passed.
	for i := 0; i < 100; i++ {
		out := netlab.Must(t, "ip", "-n", n.NS, "-6", "addr", "show", "dev", "eth2", "scope", "link")
		if strings.Contains(out, "fe80") && !strings.Contains(out, "tentative") {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	dir := t.TempDir()
	if out, err := n.Exec(60*time.Second, "dhclient", "-6", "-1", "-v", "-lf", dir+"/leases", "-pf", dir+"/pid", "eth2"); err != nil {
		t.Fatalf("dhclient -6: %v\n%s", err, out)
	}
	t.Cleanup(func() { n.Exec(10*time.Second, "dhclient", "-6", "-x", "-pf", dir+"/pid", "eth2") })
	ip("addr", "add", "10.9.1.10/24", "dev", "eth1")
	ip("addr", "add", "2001:db8:91::10/64", "dev", "eth1", "nodad")
	ip("addr", "add", "2001:db8:91::11/64", "dev", "eth1", "nodad")
	for _, cmd := range []string{
		"route add 10.9.1.0/24 dev eth1 table 901", "route add default via 10.9.1.1 dev eth1 table 901",
		"rule add from 10.9.1.10 table 901 priority 901",
		"-6 route add 2001:db8:91::/64 dev eth1 table 901", "-6 route add default via fe80::1 dev eth1 table 901",
		"-6 rule add from 2001:db8:91::10 table 901 priority 901", "-6 rule add from 2001:db8:91::11 table 901 priority 901",
		"-6 route add 2001:db8:99::/48 via 2001:db8:91::1 dev eth1 metric 60",
		"-6 route add 2001:db8:98::/48 via fe80::1 dev eth1 table 901 src 2001:db8:91::11",
	} {
		ip(strings.Fields(cmd)...)
	}
	want := netlab.Want(t, n.IPv6.Fill(live.Expect{Layout: live.KernelRoutes, MACs: n.MACs}), m)
	got := n.WaitFor(20*time.Second, func(s netlab.State) bool { return netlab.Diff(want, s) == "" })
	if d := netlab.Diff(want, got); d != "" {
		t.Fatalf("the kernel's IPv6 state differs from the expectation (-want +got):\n%s", d)
	}
}
