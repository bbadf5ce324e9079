package spec

import (
	"fmt"
	"net/netip"

	"go.yaml.in/yaml/v3"
)

// across checks what spans interfaces and fills in the defaults that
// depend on the whole description (primary, default routes, rules).
func (d *decoder) across(m *Model, nodes []*ifaceNodes, list *yaml.Node) {
	or := func(ns ...*yaml.Node) *yaml.Node {
		for _, n := range ns {
			if n != nil {
				return n
			}
		}
		return list
	}
	label := func(i *Interface) string {
		if i.Name != "" {
			return i.Name
		}
		return fmt.Sprintf("interfaces[%d]", i.Index)
	}

	// Names and MACs are unique.
	names := map[string]*Interface{}
	macs := map[string]*Interface{}
	for k, in := range m.Interfaces {
		n := nodes[k]
		if in.Name != "" {
			if prev, dup := names[in.Name]; dup {
				d.at(n.name, "%s: name %q is already used by interfaces[%d]", label(in), in.Name, prev.Index)
			}
			names[in.Name] = in
		}
		if in.MAC != "" {
			if prev, dup := macs[in.MAC]; dup {
				d.at(n.mac, "%s: mac %s is already used by %s", label(in), in.MAC, label(prev))
			}
			macs[in.MAC] = in
		}
	}

	// Exactly one primary: the one marked, else the first.
	primary := -1
	for k, in := range m.Interfaces {
		if in.Primary {
			if primary >= 0 {
				d.at(nodes[k].primary, "%s: primary: true, but %s is already the primary interface", label(in), label(m.Interfaces[primary]))
				continue
			}
			primary = k
		}
	}
	if primary < 0 {
		if nodes[0].primarySet {
			d.at(nodes[0].primary, "%s: primary: false, and no other interface is primary", label(m.Interfaces[0]))
		} else {
			primary = 0
		}
	}
	for k, in := range m.Interfaces {
		in.Primary = k == primary
		if !nodes[k].defaultSet {
			in.DefaultRoute = in.Primary
		}
	}

	// Default routes and their metrics.
	var unset *Interface
	metrics := map[uint32]*Interface{}
	for k, in := range m.Interfaces {
		n := nodes[k]
		if !in.DefaultRoute {
			if in.HasMetric {
				d.warn(n.metric, "%s: metric %d has no effect: it is the metric of the default route, and default_route is false", label(in), in.Metric)
			}
			continue
		}
		if !in.DHCP && !in.Gateway.IsValid() && n.gateway == nil {
			d.at(or(n.defaultRoute, n.item), "%s: a default route needs gateway", label(in))
		}
		if !in.HasMetric {
			if unset != nil {
				d.at(or(n.defaultRoute, n.name, n.item), "%s: %s already has a default route without metric; give one of them a metric", label(in), label(unset))
			}
			unset = in
			continue
		}
		if prev, dup := metrics[in.Metric]; dup {
			d.at(n.metric, "%s: metric %d is already the default-route metric of %s", label(in), in.Metric, label(prev))
		}
		metrics[in.Metric] = in
	}

	// Every private IP appears once; a gateway is no address of the instance.
	ips := map[netip.Addr]*Interface{}
	for k, in := range m.Interfaces {
		n := nodes[k]
		if in.Address.IsValid() {
			if prev, dup := ips[in.Address.Addr()]; dup {
				d.at(n.address, "%s: address %s is already used by %s", label(in), in.Address.Addr(), label(prev))
			}
			ips[in.Address.Addr()] = in
		}
		for j, s := range in.SecondaryIPs {
			if prev, dup := ips[s.Addr()]; dup {
				d.at(n.secondaries[j], "%s: secondary IP %s is already used by %s", label(in), s.Addr(), label(prev))
			}
			ips[s.Addr()] = in
		}
	}
	for k, in := range m.Interfaces {
		if in.Gateway.IsValid() {
			if owner, bad := ips[in.Gateway]; bad {
				d.at(nodes[k].gateway, "%s: gateway %s is an address of %s, not a router", label(in), in.Gateway, label(owner))
			}
		}
	}

	// EIPs: each public and each private IP once.
	pubs := map[netip.Addr]*Interface{}
	privs := map[netip.Addr]*Interface{}
	for k, in := range m.Interfaces {
		for j, e := range in.EIPs {
			if prev, dup := pubs[e.Public]; dup {
				d.at(nodes[k].eipPublic[j], "%s: EIP %s is already bound on %s", label(in), e.Public, label(prev))
			}
			pubs[e.Public] = in
			if _, dup := privs[e.Private]; dup {
				d.at(nodes[k].eipPrivate[j], "%s: private IP %s already has an EIP", label(in), e.Private)
			}
			privs[e.Private] = in
		}
	}

	// Tables: never shared; rules and table routes made explicit.
	tables := map[uint32]*Interface{}
	for k, in := range m.Interfaces {
		if in.Table == 0 {
			continue
		}
		if prev, dup := tables[in.Table]; dup {
			d.at(nodes[k].table, "%s: route_table %d is already the table of %s", label(in), in.Table, label(prev))
		}
		tables[in.Table] = in
	}
	for k, in := range m.Interfaces {
		for j, r := range in.Routes {
			if owner, ok := tables[r.Table]; ok && owner != in {
				d.at(or(nodes[k].routeTables[j], nodes[k].routes[j]), "%s: route to %s: table %d is the route_table of %s", label(in), r.To, r.Table, label(owner))
			}
		}
	}
	for k, in := range m.Interfaces {
		if in.Table == 0 || !in.Subnet.IsValid() || !in.Gateway.IsValid() {
			continue
		}
		in.TableRoutes = []Route{
			{To: in.Subnet, Dev: in.Name, Table: in.Table},
			{To: netip.PrefixFrom(netip.IPv4Unspecified(), 0), Via: in.Gateway, Dev: in.Name, Table: in.Table},
		}
		if in.DHCP {
			// The leased address is unknown: one rule for the whole subnet,
			// which is only right when no other interface has IPs there.
			for _, o := range m.Interfaces {
				if o == in {
					continue
				}
				overlap := o.Subnet.IsValid() && o.Subnet.Overlaps(in.Subnet)
				if overlap {
					d.at(nodes[k].table, "%s: route_table on a dhcp interface makes the rule \"from %s\", but %s is in that subnet too; give %s a static address instead",
						label(in), in.Subnet, label(o), label(in))
					break
				}
			}
			in.Rules = []Rule{{Priority: in.RulePriority, From: in.Subnet, Table: in.Table}}
			continue
		}
		for _, ip := range in.IPs() {
			in.Rules = append(in.Rules, Rule{Priority: in.RulePriority, From: netip.PrefixFrom(ip.Addr(), 32), Table: in.Table})
		}
	}

	// Routes of the same table, destination and metric clash in the kernel.
	type routeKey struct {
		table  uint32
		to     netip.Prefix
		metric uint32
	}
	seen := map[routeKey]*Interface{}
	for _, in := range m.Interfaces {
		for _, r := range in.TableRoutes {
			seen[routeKey{r.Table, r.To, r.Metric}] = in
		}
	}
	for k, in := range m.Interfaces {
		for j, r := range in.Routes {
			key := routeKey{r.Table, r.To, r.Metric}
			if prev, dup := seen[key]; dup {
				metric := "without metric"
				if r.HasMetric {
					metric = fmt.Sprintf("with metric %d", r.Metric)
				}
				d.at(nodes[k].routes[j], "%s: a route to %s %s in table %s is already described for %s", label(in), r.To, metric, tableName(r.Table), label(prev))
			}
			seen[key] = in
		}
	}
}

func tableName(t uint32) string {
	if t == 0 {
		return "main"
	}
	return fmt.Sprint(t)
}
