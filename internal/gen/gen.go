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
