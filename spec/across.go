package spec

import (
	"fmt"
	"net/netip"

	"go.yaml.in/yaml/v3"
)

// across checks what spans interfaces and fills in the defaults that
// depend on the whole description (primary, default routes, rules): the
// defaults first where a check needs them (the primary decides which
// interface has a default route), each check on its own.
func (d *decoder) across(m *Model, nodes []*ifaceNodes, list *yaml.Node) {
	a := acrossDoc{d: d, m: m, nodes: nodes, list: list}
	a.uniqueNamesAndMACs()
	a.setPrimary()
	a.ipv6Defaults()
	a.checkDefaultRoutes()
	a.uniqueIPs()
	a.uniqueEIPs()
	a.ownTables()
	a.setTableRoutesAndRules()
	a.checkDefaultRoutes6()
	a.uniqueIPs6()
	a.setTableRoutesAndRules6()
	a.checkRouteClashes()
}

// acrossDoc is the description with the nodes of its interfaces, for the
// checks across interfaces.
type acrossDoc struct {
	d     *decoder
	m     *Model
	nodes []*ifaceNodes
	list  *yaml.Node // the interfaces list, for messages without a closer node
}

// or gives the first node that is there, else the list.
func (a acrossDoc) or(ns ...*yaml.Node) *yaml.Node {
	for _, n := range ns {
		if n != nil {
			return n
		}
	}
	return a.list
}

func (a acrossDoc) label(i *Interface) string {
	if i.Name != "" {
		return i.Name
	}
	return fmt.Sprintf("interfaces[%d]", i.Index)
}

// uniqueNamesAndMACs: names and MACs are unique.
func (a acrossDoc) uniqueNamesAndMACs() {
	names := map[string]*Interface{}
	macs := map[string]*Interface{}
	for k, in := range a.m.Interfaces {
		n := a.nodes[k]
		if in.Name != "" {
			if prev, dup := names[in.Name]; dup {
				a.d.at(n.name, "%s: name %q is already used by interfaces[%d]", a.label(in), in.Name, prev.Index)
			}
			names[in.Name] = in
		}
		if in.MAC != "" {
			if prev, dup := macs[in.MAC]; dup {
				a.d.at(n.mac, "%s: mac %s is already used by %s", a.label(in), in.MAC, a.label(prev))
			}
			macs[in.MAC] = in
		}
	}

}

// setPrimary makes exactly one interface primary: the one marked, else
// the first; the primary has the default route unless described.
func (a acrossDoc) setPrimary() {
	primary := -1
	for k, in := range a.m.Interfaces {
		if in.Primary {
			if primary >= 0 {
				a.d.at(a.nodes[k].primary, "%s: primary: true, but %s is already the primary interface", a.label(in), a.label(a.m.Interfaces[primary]))
				continue
			}
			primary = k
		}
	}
	if primary < 0 {
		if a.nodes[0].primarySet {
			a.d.at(a.nodes[0].primary, "%s: primary: false, and no other interface is primary", a.label(a.m.Interfaces[0]))
		} else {
			primary = 0
		}
	}
	for k, in := range a.m.Interfaces {
		in.Primary = k == primary
		if !a.nodes[k].defaultSet {
			in.DefaultRoute = in.Primary
		}
	}

}

// checkDefaultRoutes: each default route has a gateway (or DHCP), at most
// one has no metric, and no two share one.
func (a acrossDoc) checkDefaultRoutes() {
	var unset *Interface
	metrics := map[uint32]*Interface{}
	for k, in := range a.m.Interfaces {
		n := a.nodes[k]
		if !in.DefaultRoute {
			if in.HasMetric {
				a.d.warn(n.metric, "%s: metric %d has no effect: it is the metric of the default route, and default_route is false", a.label(in), in.Metric)
			}
			continue
		}
		if !in.DHCP && !in.Gateway.IsValid() && n.gateway == nil {
			a.d.at(a.or(n.defaultRoute, n.item), "%s: a default route needs gateway", a.label(in))
		}
		if !in.HasMetric {
			if unset != nil {
				a.d.at(a.or(n.defaultRoute, n.name, n.item), "%s: %s already has a default route without metric; give one of them a metric", a.label(in), a.label(unset))
			}
			unset = in
			continue
		}
		if prev, dup := metrics[in.Metric]; dup {
			a.d.at(n.metric, "%s: metric %d is already the default-route metric of %s", a.label(in), in.Metric, a.label(prev))
		}
		metrics[in.Metric] = in
	}

}

// uniqueIPs: every private IP appears once; a gateway is no address of the
// instance.
func (a acrossDoc) uniqueIPs() {
	ips := map[netip.Addr]*Interface{}
	for k, in := range a.m.Interfaces {
		n := a.nodes[k]
		if in.Address.IsValid() {
			if prev, dup := ips[in.Address.Addr()]; dup {
				a.d.at(n.address, "%s: address %s is already used by %s", a.label(in), in.Address.Addr(), a.label(prev))
			}
			ips[in.Address.Addr()] = in
		}
		for j, s := range in.SecondaryIPs {
			if prev, dup := ips[s.Addr()]; dup {
				a.d.at(n.secondaries[j], "%s: secondary IP %s is already used by %s", a.label(in), s.Addr(), a.label(prev))
			}
			ips[s.Addr()] = in
		}
	}
	for k, in := range a.m.Interfaces {
		if in.Gateway.IsValid() {
			if owner, bad := ips[in.Gateway]; bad {
				a.d.at(a.nodes[k].gateway, "%s: gateway %s is an address of %s, not a router", a.label(in), in.Gateway, a.label(owner))
			}
		}
	}

}

// uniqueEIPs: each public and each private IP of an EIP once.
func (a acrossDoc) uniqueEIPs() {
	pubs := map[netip.Addr]*Interface{}
	privs := map[netip.Addr]*Interface{}
	for k, in := range a.m.Interfaces {
		for j, e := range in.EIPs {
			if prev, dup := pubs[e.Public]; dup {
				a.d.at(a.nodes[k].eipPublic[j], "%s: EIP %s is already bound on %s", a.label(in), e.Public, a.label(prev))
			}
			pubs[e.Public] = in
			if _, dup := privs[e.Private]; dup {
				a.d.at(a.nodes[k].eipPrivate[j], "%s: private IP %s already has an EIP", a.label(in), e.Private)
			}
			privs[e.Private] = in
		}
	}

}

// ownTables: a route table belongs to one interface, and a route of
// another interface may not use it.
func (a acrossDoc) ownTables() {
	tables := map[uint32]*Interface{}
	for k, in := range a.m.Interfaces {
		if in.Table == 0 {
			continue
		}
		if prev, dup := tables[in.Table]; dup {
			a.d.at(a.nodes[k].table, "%s: route_table %d is already the table of %s", a.label(in), in.Table, a.label(prev))
		}
		tables[in.Table] = in
	}
	for k, in := range a.m.Interfaces {
		n := a.nodes[k]
		for j, r := range in.Routes {
			if owner, ok := tables[r.Table]; ok && owner != in {
				a.d.at(a.or(n.routeTables[j], n.routes[j]), "%s: route to %s: table %d is the route_table of %s", a.label(in), r.To, r.Table, a.label(owner))
			}
		}
		for j, r := range in.IPv6.Routes {
			if owner, ok := tables[r.Table]; ok && owner != in {
				a.d.at(a.or(n.routeTables6[j], n.routes6[j]), "%s: route to %s: table %d is the route_table of %s", a.label(in), r.To, r.Table, a.label(owner))
			}
		}
	}
}

// setTableRoutesAndRules makes each table's routes (the subnet, the
// default route via the gateway) and rules (from each IP, or from the
// subnet of a DHCP interface) explicit.
func (a acrossDoc) setTableRoutesAndRules() {
	for k, in := range a.m.Interfaces {
		if in.Table == 0 || !in.Subnet.IsValid() || !in.Gateway.IsValid() {
			continue
		}
		line := in.Lines.Of("route_table")
		in.TableRoutes = []Route{
			{To: in.Subnet, Dev: in.Name, Table: in.Table, Line: line},
			{To: netip.PrefixFrom(netip.IPv4Unspecified(), 0), Via: in.Gateway, Dev: in.Name, Table: in.Table, Line: line},
		}
		if in.DHCP {
			// The leased address is unknown: one rule for the whole subnet,
			// which is only right when no other interface has IPs there.
			for _, o := range a.m.Interfaces {
				if o == in {
					continue
				}
				overlap := o.Subnet.IsValid() && o.Subnet.Overlaps(in.Subnet)
				if overlap {
					a.d.at(a.nodes[k].table, "%s: route_table on a dhcp interface makes the rule \"from %s\", but %s is in that subnet too; give %s a static address instead",
						a.label(in), in.Subnet, a.label(o), a.label(in))
					break
				}
			}
			in.Rules = []Rule{{Priority: in.RulePriority, From: in.Subnet, Table: in.Table, Line: line}}
			continue
		}
		for _, ip := range in.IPs() {
			in.Rules = append(in.Rules, Rule{Priority: in.RulePriority, From: netip.PrefixFrom(ip.Addr(), 32), Table: in.Table, Line: in.OfIP(ip.Addr())})
		}
	}

}

// checkRouteClashes: routes of the same table, destination and metric
// clash in the kernel.
func (a acrossDoc) checkRouteClashes() {
	type routeKey struct {
		table  uint32
		to     netip.Prefix
		metric uint32
	}
	seen := map[routeKey]*Interface{}
	for _, in := range a.m.Interfaces {
		for _, r := range in.TableRoutes {
			seen[routeKey{r.Table, r.To, r.Metric}] = in
		}
		for _, r := range in.IPv6.TableRoutes {
			seen[routeKey{r.Table, r.To, ipv6UserMetric}] = in
		}
	}
	for k, in := range a.m.Interfaces {
		n := a.nodes[k]
		for _, list := range []struct {
			routes []Route
			nodes  []*yaml.Node
		}{{in.Routes, n.routes}, {in.IPv6.Routes, n.routes6}} {
			for j, r := range list.routes {
				key := routeKey{r.Table, r.To, r.Metric}
				if r.To.Addr().Is6() && !r.HasMetric {
					key.metric = ipv6UserMetric // what the kernel gives it
				}
				if prev, dup := seen[key]; dup {
					metric := "without metric"
					if r.HasMetric {
						metric = fmt.Sprintf("with metric %d", r.Metric)
					}
					a.d.at(list.nodes[j], "%s: a route to %s %s in table %s is already described for %s", a.label(in), r.To, metric, tableName(r.Table), a.label(prev))
				}
				seen[key] = in
			}
		}
	}
}

func tableName(t uint32) string {
	if t == 0 {
		return "main"
	}
	return fmt.Sprint(t)
}
