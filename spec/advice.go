package spec

import (
	"fmt"
	"net/netip"
	"slices"

	"go.yaml.in/yaml/v3"
)

// Checks are the names of the warnings about the clouds' pitfalls; each is
// a section of docs/checks.md with the provider's documentation.
const (
	CheckRouteBack    = "route-back"
	CheckSharedSubnet = "shared-subnet"
	CheckDHCPDefault  = "dhcp-default-route"
	CheckCloudMTU     = "cloud-mtu"
	CheckTableBypass  = "table-bypass"
	CheckReserved     = "cloud-reserved"
	CheckNoDNS        = "no-dns"
)

// cloudMTU is the largest MTU each provider documents for an ENI.
var cloudMTU = map[string]int{CloudAliyun: 8500, CloudAWS: 9001}

// CloudMaxMTU gives the largest MTU that cloud supports, or 0 when unknown.
func CloudMaxMTU(cloud string) int { return cloudMTU[cloud] }

// cloudDNS gives the provider's resolvers, as a sentence, for subnet.
func cloudDNS(cloud string) string {
	switch cloud {
	case CloudAliyun:
		return "Alibaba Cloud's VPC resolvers are 100.100.2.136 and 100.100.2.138"
	case CloudAWS:
		return "the Amazon VPC resolver is 169.254.169.253, also at the VPC's base address + 2 (for a VPC 172.31.0.0/16: 172.31.0.2)"
	}
	return "name the servers of your network"
}

// advise warns about what is valid but fails in the cloud. Each warning
// names the reason and the fix, and the check (docs/checks.md).
func (d *decoder) advise(m *Model, nodes []*ifaceNodes) {
	primary := m.Primary()
	if primary == nil {
		return
	}
	a := advisor{d: d, m: m, primary: primary}
	for k, in := range m.Interfaces {
		if !in.Primary {
			a.secondary(in, nodes[k])
		}
		a.each(in, nodes[k])
	}
	n := nodes[slices.Index(m.Interfaces, primary)]
	switch {
	case len(primary.DNS.Servers) > 0 || primary.DHCP:
	case primary.HasIPv4():
		a.say(pick(n.address, n.name), CheckNoDNS,
			"%s: the primary interface is static and no DNS server is described: DHCP's servers are gone, and the instance may resolve no names after the next boot; add dns: {servers: [...]} (%s)",
			primary.Name, cloudDNS(m.Cloud))
	case primary.IPv6.Mode == IPv6Static:
		// DHCPv6 and router advertisements (RDNSS) still give servers
		// to an IPv6-only primary that takes its address from them.
		a.say(pick(n.name, n.item), CheckNoDNS,
			"%s: the primary interface is IPv6-only and static: DHCPv6's servers are gone, and dns servers are IPv4 in this format, so the instance keeps the resolvers its image names; give the primary dhcp: true or slaac: true under ipv6 to take them from the network",
			primary.Name)
	}
}

// advisor gives the warnings of advise.
type advisor struct {
	d       *decoder
	m       *Model
	primary *Interface
}

// say warns at n, naming the check; nothing without a node.
func (a advisor) say(n *yaml.Node, check, format string, args ...any) {
	if n == nil {
		return
	}
	a.d.warn(n, "%s (check %s, docs/checks.md)", fmt.Sprintf(format, args...), check)
}

// pick gives the first node that is there.
func pick(ns ...*yaml.Node) *yaml.Node {
	for _, n := range ns {
		if n != nil {
			return n
		}
	}
	return nil
}

// secondary: the checks of a secondary ENI (replies, shared subnets, a
// DHCP default route).
func (a advisor) secondary(in *Interface, n *ifaceNodes) {
	// Replies from a secondary ENI's addresses.
	if in.Table == 0 && (len(in.EIPs) > 0 || len(in.SecondaryIPs) > 0) {
		what := "secondary IPs"
		if len(in.EIPs) > 0 {
			what = "EIPs"
		}
		a.say(pick(n.eipList, n.secondaryList), CheckRouteBack,
			"%s: the %s of this secondary ENI have no route back: without route_table, replies leave by the main table's default route (%s) with a source address that ENI does not own, and the cloud's source check drops them; add route_table (and gateway) so that every address of %s gets \"from <ip> lookup <table>\"",
			in.Name, what, a.primary.Name, in.Name)
	}
	// Two ENIs in one subnet.
	if in.Table == 0 && in.Subnet.IsValid() {
		for _, o := range a.m.Interfaces {
			if o != in && o.Subnet.IsValid() && o.Subnet.Overlaps(in.Subnet) && (o.Primary || o.Index < in.Index) {
				a.say(pick(n.subnet, n.address, n.name), CheckSharedSubnet,
					"%s: %s is in the subnet of %s too, without policy routing: traffic to %s's addresses comes in on %s but the answers leave by %s (asymmetric routing), and a strict rp_filter (RHEL's default) drops what arrives on %s for the subnet; add route_table to %s",
					in.Name, in.Name, o.Name, in.Name, in.Name, o.Name, in.Name, in.Name)
				break
			}
		}
	}
	// A DHCP secondary ENI with a default route in the main table.
	if in.DHCP && in.DefaultRoute && in.Table == 0 {
		a.say(pick(n.defaultRoute, n.name), CheckDHCPDefault,
			"%s: this secondary ENI takes its DHCP default route into the main table beside %s's: connections may leave by %s with %s's address; keep default_route: false and give %s a route_table for its own replies",
			in.Name, a.primary.Name, in.Name, in.Name, in.Name)
	}
}

// each: the checks of every interface (MTU, routes a table bypasses, the
// cloud's reserved addresses).
func (a advisor) each(in *Interface, n *ifaceNodes) {
	if max := CloudMaxMTU(a.m.Cloud); max > 0 && in.MTU > max {
		a.say(n.mtu, CheckCloudMTU, "%s: mtu %d is above the %d that %s supports on an ENI: larger frames are dropped; use mtu: %d or less", in.Name, in.MTU, max, a.m.Cloud, max)
	}
	if in.Table != 0 {
		for j, r := range in.Routes {
			// Traffic from the interface's addresses takes the table's
			// default route via the gateway: the same as the route's
			// own unless it names another next hop or none.
			if r.Table == 0 && r.Via != in.Gateway {
				a.say(n.routes[j], CheckTableBypass,
					"%s: the route to %s is in the main table, but traffic from %s's addresses looks up table %d first (rule priority %d, before the main table's 32766) and leaves by its default route: add table: %d to the route (a second route) if that traffic should take it",
					in.Name, r.To, in.Name, in.Table, in.RulePriority, in.Table)
			}
		}
	}
	for _, bad := range reservedProblems(a.m.Cloud, in) {
		a.say(pick(bad.node(n), n.name), CheckReserved, "%s: %s", in.Name, bad.msg)
	}
}

type reservedProblem struct {
	field string // address, gateway or secondary_ips
	index int
	msg   string
}

func (r reservedProblem) node(n *ifaceNodes) *yaml.Node {
	switch r.field {
	case "address":
		return n.address
	case "gateway":
		return n.gateway
	default:
		if r.index < len(n.secondaries) {
			return n.secondaries[r.index]
		}
	}
	return nil
}

// reservedProblems checks the addresses and the gateway against the
// addresses the cloud keeps in every subnet.
func reservedProblems(cloud string, in *Interface) []reservedProblem {
	if !in.Subnet.IsValid() {
		return nil
	}
	base := in.Subnet.Masked().Addr()
	var out []reservedProblem
	switch cloud {
	case CloudAWS:
		router := base.Next()
		reserved := map[netip.Addr]string{router: "the VPC router", router.Next(): "the Amazon DNS server", router.Next().Next(): "reserved by AWS for future use"}
		check := func(field string, idx int, a netip.Addr) {
			if why, bad := reserved[a]; bad {
				out = append(out, reservedProblem{field, idx, fmt.Sprintf("%s %s is %s: AWS keeps the first four addresses of every subnet; use another address", field, a, why)})
			}
		}
		if in.Address.IsValid() {
			check("address", 0, in.Address.Addr())
		}
		for k, s := range in.SecondaryIPs {
			check("secondary_ips", k, s.Addr())
		}
		if in.Gateway.IsValid() && in.Gateway != router {
			out = append(out, reservedProblem{"gateway", 0, fmt.Sprintf("gateway %s is not the VPC router: AWS's router is the subnet's base address + 1, %s; use gateway: %s", in.Gateway, router, router)})
		}
	case CloudAliyun:
		last := lastAddr(in.Subnet)
		var tail []netip.Addr
		for a, k := last, 0; k < 3; a, k = a.Prev(), k+1 {
			tail = append(tail, a)
		}
		check := func(field string, idx int, a netip.Addr) {
			if a == tail[1] || a == tail[2] {
				out = append(out, reservedProblem{field, idx, fmt.Sprintf("%s %s is one of the last three addresses of %s, which Alibaba Cloud keeps for the vSwitch (%s is its gateway); use another address", field, a, in.Subnet, tail[2])})
			}
		}
		if in.Address.IsValid() {
			check("address", 0, in.Address.Addr())
		}
		for k, s := range in.SecondaryIPs {
			check("secondary_ips", k, s.Addr())
		}
		if in.Gateway.IsValid() && in.Gateway != tail[2] {
			out = append(out, reservedProblem{"gateway", 0, fmt.Sprintf("gateway %s is not the vSwitch gateway: Alibaba Cloud's gateway is the third address from the end of the vSwitch, %s; use gateway: %s", in.Gateway, tail[2], tail[2])})
		}
	}
	return out
}
