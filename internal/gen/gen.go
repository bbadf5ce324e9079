// Package gen writes synthetic descriptions for benchmarks and tests.
package gen

import (
	"fmt"
	"strings"
)

// Description gives n ENIs with ips private IPs each (the primary
// included), every one with its own subnet, MAC, metric and table.
func Description(n, ips int) string {
	var b strings.Builder
	b.WriteString("version: 1\ninterfaces:\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "  - name: eth%d\n    mac: \"02:00:00:00:%02x:01\"\n    address: 10.%d.0.10/16\n    gateway: 10.%d.0.1\n", i, i, 100+i, 100+i)
		fmt.Fprintf(&b, "    default_route: true\n    metric: %d\n    route_table: %d\n", 100+i, 1000+i)
		if ips > 1 {
			b.WriteString("    secondary_ips: [")
			for k := 1; k < ips; k++ {
				if k > 1 {
					b.WriteString(", ")
				}
				fmt.Fprintf(&b, "10.%d.1.%d", 100+i, k)
			}
			b.WriteString("]\n")
		}
	}
	return b.String()
}
