package importer

import (
	"cmp"
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"strings"
)

// awsRouter6Note says where an AWS ENI's IPv6 router comes from.
const awsRouter6Note = "AWS names no IPv6 router: the VPC router announces itself in router advertisements (gateway: ra), and a table's IPv6 default route needs its address: --ipv6-gateway (docs/import.md, IPv6)."

// six is how an ENI's IPv6 is written.
type six struct {
	gateway string // "ra", an address, or "": none (no IPv6 default route)
	comment string // on the gateway line
	table   bool   // the ENI may have its route_table
	leftOut bool   // the IPv6 is a comment: its table has no IPv6 router
}

// plan6 decides how the ENI's IPv6 goes into the description. A router
// the source names (or --ipv6-gateway) is the gateway. Without one (AWS),
// the primary takes the router of router advertisements (gateway: ra); a
// secondary ENI has no IPv6 default route, and under policy routing its
// table's IPv6 default route has no router: a dual-stack ENI keeps its
// IPv4 table and its IPv6 becomes a comment, an IPv6-only ENI gets no
// table.
func plan6(e ENI, opt Options) six {
	switch {
	case len(e.IPv6) == 0:
		return six{table: true}
	case e.Gateway6.IsValid():
		return six{gateway: e.Gateway6.String(), table: true}
	case e.Primary:
		return six{gateway: "ra", comment: "the cloud names no IPv6 router: router advertisements give it", table: true}
	case !opt.PolicyRouting:
		return six{table: true}
	case len(e.IPs) > 0:
		return six{table: true, leftOut: true}
	}
	return six{}
}

// writeIPv6 writes the ENI's ipv6 mapping (or, when its table has no
// IPv6 router, a comment) and gives the warning that names what is left
// out, or "".
func writeIPv6(b *strings.Builder, e ENI, dhcp bool, p six) string {
	key := cmp.Or(e.SubnetID, e.Subnet6.String())
	var l []string
	if dhcp {
		l = append(l, fmt.Sprintf("dhcp: true  # DHCPv6 gives %s", e.IPv6[0]), fmt.Sprintf("subnet: %s", e.Subnet6))
	} else {
		l = append(l, fmt.Sprintf("address: %s", netip.PrefixFrom(e.IPv6[0], e.Subnet6.Bits())))
	}
	if len(e.IPv6) > 1 {
		l = append(l, "secondary_ips:")
		for _, ip := range e.IPv6[1:] {
			l = append(l, fmt.Sprintf("  - %s", ip))
		}
	}
	if p.gateway != "" {
		g := "gateway: " + p.gateway
		if p.comment != "" {
			g += "  # " + p.comment
		}
		l = append(l, g)
	}
	const router = "give --ipv6-gateway %s=ADDR (the router of `ip -6 route show default` on the instance)"
	const fix, fixTable = router + ", or --no-policy-routing", router + " for a table of its own"
	switch {
	case p.leftOut:
		fmt.Fprintf(b, "    # IPv6 left out: its route_table's IPv6 default route needs the router's address, which the cloud does not give; "+fix+":\n", key)
		fmt.Fprintf(b, "    # ipv6:\n")
		for _, s := range l {
			fmt.Fprintf(b, "    #   %s\n", s)
		}
		return fmt.Sprintf("IPv6 %s left out as a comment: the IPv6 default route of its route_table needs the router's address, which the cloud does not give; "+fix, e.IPv6[0], key)
	case !p.table:
		fmt.Fprintf(b, "    # No route_table: its IPv6 default route needs the router's address, which the cloud does not give; "+fixTable+"\n", key)
	}
	b.WriteString("    ipv6:\n")
	for _, s := range l {
		fmt.Fprintf(b, "      %s\n", s)
	}
	if !p.table {
		return fmt.Sprintf("no route_table: replies from its IPv6 addresses leave by the main table, since its table's IPv6 default route needs the router's address, which the cloud does not give; "+fixTable, key)
	}
	return ""
}

// SetIPv6 fills in what the source does not say of IPv6, from the flags:
// subnets (--ipv6-subnet KEY=CIDR) and routers (--ipv6-gateway KEY=IP),
// KEY a vSwitch or subnet ID, or for a router the IPv6 CIDR too. A value
// the source gave must agree; a KEY that names no ENI with IPv6 is
// refused.
func (inst *Instance) SetIPv6(subnets, gateways map[string]string) error {
	for _, k := range slices.Sorted(maps.Keys(subnets)) {
		p, err := prefix6("--ipv6-subnet "+k, subnets[k])
		if err != nil {
			return err
		}
		if err := set6(inst, "--ipv6-subnet", k, p, false, func(e *ENI) *netip.Prefix { return &e.Subnet6 }); err != nil {
			return err
		}
	}
	for _, k := range slices.Sorted(maps.Keys(gateways)) {
		a, err := addr6("--ipv6-gateway "+k, gateways[k])
		if err != nil {
			return err
		}
		if err := set6(inst, "--ipv6-gateway", k, a, true, func(e *ENI) *netip.Addr { return &e.Gateway6 }); err != nil {
			return err
		}
	}
	return nil
}

// set6 sets the field of each ENI with IPv6 that key names (its subnet
// ID, or with byCIDR its IPv6 CIDR) to v.
func set6[T comparable](inst *Instance, flag, key string, v T, byCIDR bool, field func(*ENI) *T) error {
	found := false
	for k := range inst.ENIs {
		e := &inst.ENIs[k]
		if len(e.IPv6) == 0 || !(e.SubnetID != "" && e.SubnetID == key || byCIDR && e.Subnet6.IsValid() && e.Subnet6.String() == key) {
			continue
		}
		found = true
		var zero T
		if f := field(e); *f != zero && *f != v {
			return fmt.Errorf("%s %s=%v: %s (%s) has %v from %s", flag, key, v, e.ID, e.MAC, *f, inst.Source)
		} else {
			*f = v
		}
	}
	if !found {
		return fmt.Errorf("%s %s: no network interface with IPv6 is in %s", flag, key, key)
	}
	return nil
}
