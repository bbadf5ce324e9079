// Package gen writes synthetic descriptions for benchmarks and tests.
package gen

import (
	"fmt"
	"strings"
)

// Description gives n ENIs (up to 62500) with ips private IPs each (the
// primary included, up to 240), every one with its own /24 subnet, MAC,
// metric and table.
func Description(n, ips int) string {
	var b strings.Builder
	b.WriteString("version: 1\ninterfaces:\n")
	for i := 0; i < n; i++ {
		net := fmt.Sprintf("10.%d.%d", 100+i/250, i%250)
		fmt.Fprintf(&b, "  - name: eth%d\n    mac: \"02:00:00:%02x:%02x:01\"\n    address: %s.10/24\n    gateway: %s.1\n", i, i>>8, i&0xff, net, net)
		fmt.Fprintf(&b, "    default_route: true\n    metric: %d\n    route_table: %d\n", 100+i, 1000+i)
		if ips > 1 {
			b.WriteString("    secondary_ips: [")
			for k := 1; k < ips; k++ {
				if k > 1 {
					b.WriteString(", ")
				}
				fmt.Fprintf(&b, "%s.%d", net, 10+k)
			}
			b.WriteString("]\n")
		}
	}
	return b.String()
}

// DualStack gives Description(n, ips) with IPv6 on every ENI: a static
// address in its own /64 (2001:db8:<i>::10), ips6-1 secondary IPv6
// addresses, the router at ::1 of the /64, the same metric and table.
func DualStack(n, ips, ips6 int) string {
	lines := strings.SplitAfter(Description(n, ips), "\n")
	var b strings.Builder
	i := -1
	for _, l := range lines {
		if strings.HasPrefix(l, "  - name: ") {
			if i >= 0 {
				ipv6Block(&b, i, ips6)
			}
			i++
		}
		b.WriteString(l)
	}
	if i >= 0 {
		ipv6Block(&b, i, ips6)
	}
	return b.String()
}

func ipv6Block(b *strings.Builder, i, ips6 int) {
	fmt.Fprintf(b, "    ipv6:\n      address: 2001:db8:%x::10/64\n      gateway: 2001:db8:%x::1\n", i, i)
	if ips6 > 1 {
		b.WriteString("      secondary_ips: [")
		for k := 1; k < ips6; k++ {
			if k > 1 {
				b.WriteString(", ")
			}
			fmt.Fprintf(b, "2001:db8:%x::%x", i, 0x10+k)
		}
		b.WriteString("]\n")
	}
}
