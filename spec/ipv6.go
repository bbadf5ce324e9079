package spec

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// IPv6 addressing modes, as Model gives them.
const (
	IPv6Static = "static" // ipv6.address
	IPv6DHCP   = "dhcp"   // ipv6.dhcp: true (DHCPv6, stateful)
	IPv6SLAAC  = "slaac"  // ipv6.slaac: true (addresses from router advertisements)
)

// GatewayRA is the value of ipv6.gateway that takes the default router
// from router advertisements.
const GatewayRA = "ra"

var ipv6Fields = []field{
	{"address", "string", "static primary IPv6 address in CIDR form (usually /64)"},
	{"dhcp", "boolean", "the primary IPv6 address comes from DHCPv6"},
	{"slaac", "boolean", "the IPv6 addresses come from router advertisements (SLAAC)"},
	{"subnet", "string", "the vSwitch IPv6 CIDR; needed with dhcp or slaac when there are secondary_ips or a route_table"},
	{"secondary_ips", "array", "secondary IPv6 addresses of this ENI"},
	{"gateway", "string", "IPv6 router: a global address in the subnet, a link-local fe80:: address, or ra (learnt from router advertisements)"},
	{"default_route", "boolean", "carry an IPv6 default route in the main table; default: the interface's default_route"},
	{"metric", "integer", "metric of this ENI's IPv6 default route; default: the interface's metric"},
}

// IPv6 is an interface's IPv6 configuration; its zero value (Mode "")
// is none.
type IPv6 struct {
	Mode string // "", IPv6Static, IPv6DHCP or IPv6SLAAC
	// Address is the static primary address with its prefix (zero unless
	// static); Subnet is its prefix, or the described subnet.
	Address netip.Prefix
	Subnet  netip.Prefix
	// SecondaryIPs carry the subnet's prefix.
	SecondaryIPs []netip.Prefix
	// Gateway is the router (global or link-local); invalid when it comes
	// from router advertisements (GatewayRA) or is not described.
	Gateway   netip.Addr
	GatewayRA bool
	// DefaultRoute tells whether the interface carries an IPv6 default
	// route in the main table, with HasMetric/Metric.
	DefaultRoute bool
	HasMetric    bool
	Metric       uint32
	// TableRoutes and Rules are the interface's route_table for IPv6 (same
	// table number and rule priority as IPv4's); Routes the described
	// extra IPv6 routes.
	TableRoutes []Route
	Rules       []Rule
	Routes      []Route
	// Secondaries is the line of each secondary IP.
	Secondaries []int `json:"-"`
}

// Enabled tells whether the interface has IPv6 configured.
func (v *IPv6) Enabled() bool { return v.Mode != "" }

// IPs gives the static IPv6 addresses: the primary first, then the
// secondaries.
func (v *IPv6) IPs() []netip.Prefix {
	out := make([]netip.Prefix, 0, len(v.SecondaryIPs)+1)
	if v.Address.IsValid() {
		out = append(out, v.Address)
	}
	return append(out, v.SecondaryIPs...)
}

// AllRoutes gives the IPv6 table's routes followed by the extra routes.
func (v *IPv6) AllRoutes() []Route {
	return append(append(make([]Route, 0, len(v.TableRoutes)+len(v.Routes)), v.TableRoutes...), v.Routes...)
}

// HasIPv4 tells whether the interface has IPv4 (static or DHCP); an
// interface without it is IPv6-only.
func (i *Interface) HasIPv4() bool { return i.DHCP || i.Address.IsValid() }

// ipv6Nodes are the positions of an interface's IPv6 values.
type ipv6Nodes struct {
	node, address, gateway, subnet, metric, defaultRoute *yaml.Node
	secondaries                                          []*yaml.Node
	defaultSet                                           bool
}

func parseAddr6(s string) (netip.Addr, string) {
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return netip.Addr{}, fmt.Sprintf("%q is not an IPv6 address", s)
	}
	if !a.Is6() || a.Is4In6() {
		return netip.Addr{}, fmt.Sprintf("%s is not IPv6 (IPv4 goes in the interface's own keys)", s)
	}
	return a, ""
}

func parsePrefix6(s string) (netip.Prefix, string) {
	if !strings.Contains(s, "/") {
		return netip.Prefix{}, fmt.Sprintf("%q is not in CIDR form (address/prefix)", s)
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, fmt.Sprintf("%q is not an IPv6 CIDR", s)
	}
	if !p.Addr().Is6() || p.Addr().Is4In6() {
		return netip.Prefix{}, fmt.Sprintf("%s is not IPv6 (IPv4 goes in the interface's own keys)", s)
	}
	return p, ""
}

// host6Problem says why a cannot be an address of an interface in
// subnet, or "".
func host6Problem(a netip.Addr, subnet netip.Prefix) string {
	switch {
	case a.IsLinkLocalUnicast():
		return fmt.Sprintf("%s is link-local: the kernel gives every interface its own", a)
	case a.IsMulticast() || a.IsLoopback() || a.IsUnspecified():
		return fmt.Sprintf("%s is not a unicast address", a)
	case subnet.IsValid() && !subnet.Contains(a):
		return fmt.Sprintf("%s is outside the subnet %s", a, subnet)
	case subnet.IsValid() && subnet.Bits() < 127 && a == subnet.Masked().Addr():
		return fmt.Sprintf("%s is the subnet-router anycast address of %s (RFC 4291)", a, subnet)
	}
	return ""
}

// router6Problem says why a cannot be a next hop of an interface in
// subnet (invalid: not known), or "": a link-local address, or a
// unicast address inside the subnet.
func router6Problem(a netip.Addr, subnet netip.Prefix) string {
	switch {
	case a.IsLinkLocalUnicast():
		return ""
	case a.IsMulticast() || a.IsLoopback() || a.IsUnspecified():
		return fmt.Sprintf("%s is not a unicast address", a)
	case !subnet.IsValid():
		return "" // dhcp or slaac without subnet: it cannot be checked
	case !subnet.Contains(a):
		return fmt.Sprintf("%s is outside the IPv6 subnet %s (a router off the subnet is reached by its link-local address)", a, subnet)
	}
	return ""
}

// ifaceIPv6 reads the interface's ipv6 mapping.
func (d *decoder) ifaceIPv6(mp *mapping, in *Interface, what string) *ipv6Nodes {
	v := mp.val("ipv6")
	if v == nil {
		return nil
	}
	w := what + ": ipv6"
	m6 := d.mapping(v, w, ipv6Fields)
	if m6 == nil {
		return nil
	}
	nd := &ipv6Nodes{node: m6.node}
	six := &in.IPv6
	d.ipv6Mode(m6, six, nd, w)
	if s, n, ok := d.str(m6, "subnet", w); ok {
		nd.subnet = n
		if p, msg := parsePrefix6(s); msg != "" {
			d.at(n, "%s: subnet %s", w, msg)
		} else if p != p.Masked() {
			d.at(n, "%s: subnet %s has host bits set (did you mean %s?)", w, s, p.Masked())
		} else if p.Bits() < 1 || p.Bits() > 127 {
			d.at(n, "%s: subnet %s: the prefix must be between /1 and /127", w, s)
		} else if six.Address.IsValid() && six.Subnet != p {
			d.at(n, "%s: subnet %s does not hold the address %s", w, p, six.Address)
		} else {
			six.Subnet = p
		}
	}
	d.ipv6Secondaries(m6, six, nd, w)
	if s, n, ok := d.str(m6, "gateway", w); ok {
		nd.gateway = n
		if s == GatewayRA {
			six.GatewayRA = true
		} else if a, msg := parseAddr6(s); msg != "" {
			d.at(n, "%s: gateway %s (or ra: the router of router advertisements)", w, msg)
		} else if msg := router6Problem(a, six.Subnet); msg != "" {
			d.at(n, "%s: gateway %s", w, msg)
		} else if slices.ContainsFunc(six.IPs(), func(p netip.Prefix) bool { return p.Addr() == a }) {
			d.at(n, "%s: gateway %s is an address of this interface, not a router", w, a)
		} else {
			six.Gateway = a
		}
	}
	if b, n, ok := d.boolean(m6, "default_route", w); ok {
		six.DefaultRoute, nd.defaultRoute, nd.defaultSet = b, n, true
	}
	if val, n, ok := d.integer(m6, "metric", w, 0, 1<<32-1); ok {
		six.HasMetric, six.Metric, nd.metric = true, uint32(val), n
	}
	for _, n := range nd.secondaries {
		six.Secondaries = append(six.Secondaries, n.Line)
	}
	return nd
}

// ipv6Mode reads address, dhcp and slaac: exactly one of them.
func (d *decoder) ipv6Mode(m6 *mapping, six *IPv6, nd *ipv6Nodes, w string) {
	var modes []string
	if s, n, ok := d.str(m6, "address", w); ok {
		nd.address = n
		modes = append(modes, "address")
		if p, msg := parsePrefix6(s); msg != "" {
			d.at(n, "%s: address %s", w, msg)
		} else if p.Bits() < 1 {
			d.at(n, "%s: address %s: the prefix must be between /1 and /128", w, s)
		} else if msg := host6Problem(p.Addr(), p); msg != "" {
			d.at(n, "%s: address %s", w, msg)
		} else {
			six.Mode, six.Address, six.Subnet = IPv6Static, p, p.Masked()
		}
	}
	for _, key := range []string{"dhcp", "slaac"} {
		if b, n, ok := d.boolean(m6, key, w); ok {
			if !b {
				d.at(n, "%s: %s: false says nothing: leave it out", w, key)
				continue
			}
			modes = append(modes, key+": true")
			if len(modes) == 1 {
				six.Mode = map[string]string{"dhcp": IPv6DHCP, "slaac": IPv6SLAAC}[key]
			}
		}
	}
	switch {
	case len(modes) > 1:
		d.at(m6.node, "%s: %s are mutually exclusive", w, strings.Join(modes, " and "))
		six.Mode = ""
	case len(modes) == 0:
		d.at(m6.node, "%s: one of address (static), dhcp: true (DHCPv6) or slaac: true is required", w)
	case six.Mode == "":
		six.Mode = IPv6Static // a bad address: keep checking the rest
	}
}

// ipv6Secondaries reads ipv6.secondary_ips.
func (d *decoder) ipv6Secondaries(m6 *mapping, six *IPv6, nd *ipv6Nodes, w string) {
	items, ln, ok := d.seq(m6, "secondary_ips", w)
	if !ok {
		return
	}
	if !six.Subnet.IsValid() && nd.subnet == nil && six.Mode != IPv6Static {
		d.at(ln, "%s: secondary_ips with dhcp or slaac need subnet (the vSwitch IPv6 CIDR) for their prefix", w)
	}
	strs, ok := d.strItems(items, w, "secondary_ips")
	if !ok {
		return
	}
	for _, it := range strs {
		s := it.Value
		bits := -1
		if i := strings.IndexByte(s, '/'); i >= 0 {
			p, msg := parsePrefix6(s)
			if msg != "" {
				d.at(it, "%s: secondary IP %s", w, msg)
				continue
			}
			s, bits = p.Addr().String(), p.Bits()
		}
		a, msg := parseAddr6(s)
		if msg != "" {
			d.at(it, "%s: secondary IP %s", w, msg)
			continue
		}
		if !six.Subnet.IsValid() {
			continue
		}
		if bits >= 0 && bits != six.Subnet.Bits() {
			d.at(it, "%s: secondary IP %s: prefix /%d differs from the subnet's /%d", w, it.Value, bits, six.Subnet.Bits())
			continue
		}
		if msg := host6Problem(a, six.Subnet); msg != "" {
			d.at(it, "%s: secondary IP %s", w, msg)
			continue
		}
		six.SecondaryIPs = append(six.SecondaryIPs, netip.PrefixFrom(a, six.Subnet.Bits()))
		nd.secondaries = append(nd.secondaries, it)
	}
}

// route6 checks an extra route whose destination is IPv6: its via
// (link-local, or inside the IPv6 subnet) and src (a static IPv6 address
// of the interface).
func (d *decoder) route6(rm *mapping, in *Interface, r *Route, w string) bool {
	good := true
	if s, n, ok := d.str(rm, "via", w); ok {
		if a, msg := route6Addr(s); msg != "" {
			d.at(n, "%s: via %s", w, msg)
			good = false
		} else if msg := router6Problem(a, in.IPv6.Subnet); msg != "" {
			d.at(n, "%s: via %s", w, msg)
			good = false
		} else {
			r.Via = a
		}
	} else if rm.has("via") {
		good = false
	}
	if s, n, ok := d.str(rm, "src", w); ok {
		if a, msg := route6Addr(s); msg != "" {
			d.at(n, "%s: src %s", w, msg)
			good = false
		} else if !slices.ContainsFunc(in.IPv6.IPs(), func(p netip.Prefix) bool { return p.Addr() == a }) {
			d.at(n, "%s: src %s is not a static IPv6 address of this interface", w, a)
			good = false
		} else {
			r.Src = a
		}
	}
	if good && !in.IPv6.Enabled() {
		d.at(rm.node, "%s: an IPv6 route needs IPv6 on the interface (ipv6:)", w)
		good = false
	}
	return good
}

// ipv6Only refuses the IPv4 keys on an interface without IPv4.
func (d *decoder) ipv6Only(mp *mapping, in *Interface, what string) {
	if in.HasIPv4() || mp.has("address") || mp.has("dhcp") || !mp.has("ipv6") {
		return
	}
	for _, key := range []string{"subnet", "gateway", "secondary_ips", "eips"} {
		if n := mp.val(key); n != nil {
			d.at(n, "%s: %s is IPv4, and the interface is IPv6-only (no address, no dhcp); IPv6 goes under ipv6", what, key)
		}
	}
}

// ipv6Defaults gives each IPv6 interface its default route (the
// interface's default_route unless ipv6 names one) and metric, and an
// IPv6-only interface no IPv4 default route. A DHCPv6 or SLAAC interface
// without a gateway takes the router of router advertisements: DHCPv6
// gives no routes (RFC 8415).
func (a acrossDoc) ipv6Defaults() {
	for k, in := range a.m.Interfaces {
		six, n := &in.IPv6, a.nodes[k].six
		if !six.Enabled() || n == nil {
			continue
		}
		if !n.defaultSet {
			six.DefaultRoute = in.DefaultRoute
		}
		if !six.HasMetric && in.HasMetric {
			six.HasMetric, six.Metric = true, in.Metric
		}
		if !in.HasIPv4() {
			in.DefaultRoute, in.HasMetric, in.Metric = false, false, 0
		}
		if six.Mode != IPv6Static && !six.Gateway.IsValid() && n.gateway == nil {
			six.GatewayRA = six.DefaultRoute
		}
		if six.GatewayRA && !six.DefaultRoute {
			a.d.warn(n.gateway, "%s: ipv6: gateway ra has no effect: it gives the default route, and default_route is false", a.label(in))
		}
	}
}

// checkDefaultRoutes6: each IPv6 default route has a router, at most one
// has no metric, and no two share one.
func (a acrossDoc) checkDefaultRoutes6() {
	var unset *Interface
	metrics := map[uint32]*Interface{}
	for k, in := range a.m.Interfaces {
		six, n := &in.IPv6, a.nodes[k].six
		if !six.Enabled() || n == nil || !six.DefaultRoute {
			continue
		}
		at := a.or(n.defaultRoute, n.node)
		if !six.Gateway.IsValid() && !six.GatewayRA && n.gateway == nil {
			a.d.at(at, "%s: ipv6: a default route needs gateway (an IPv6 router, or ra)", a.label(in))
		}
		if !six.HasMetric {
			if unset != nil {
				a.d.at(at, "%s: %s already has an IPv6 default route without metric; give one of them a metric", a.label(in), a.label(unset))
			}
			unset = in
			continue
		}
		if prev, dup := metrics[six.Metric]; dup {
			a.d.at(a.or(n.metric, at), "%s: metric %d is already the IPv6 default-route metric of %s", a.label(in), six.Metric, a.label(prev))
		}
		metrics[six.Metric] = in
	}
	// The kernel gives an IPv6 route without a metric 1024, and merges two
	// IPv6 routes via routers with the same destination and metric into
	// one with two next hops (seen with Linux 6.1 and systemd-networkd).
	if prev, clash := metrics[ipv6UserMetric]; clash && unset != nil {
		k := slices.Index(a.m.Interfaces, prev)
		n := a.nodes[k].six
		a.d.at(a.or(n.metric, n.node), "%s: IPv6 metric %d is the kernel's metric of %s's IPv6 default route, which has none: the kernel would merge the two into one route with two next hops; give one of them another metric",
			a.label(prev), ipv6UserMetric, a.label(unset))
	}
}

// ipv6UserMetric is the metric the kernel gives an IPv6 route added
// without one (IP6_RT_PRIO_USER).
const ipv6UserMetric = 1024

// uniqueIPs6: every IPv6 address appears once, and no router is an
// address of the instance.
func (a acrossDoc) uniqueIPs6() {
	ips := map[netip.Addr]*Interface{}
	for k, in := range a.m.Interfaces {
		six, n := &in.IPv6, a.nodes[k].six
		if n == nil {
			continue
		}
		if six.Address.IsValid() {
			if prev, dup := ips[six.Address.Addr()]; dup {
				a.d.at(n.address, "%s: ipv6: address %s is already used by %s", a.label(in), six.Address.Addr(), a.label(prev))
			}
			ips[six.Address.Addr()] = in
		}
		for j, s := range six.SecondaryIPs {
			if prev, dup := ips[s.Addr()]; dup {
				a.d.at(n.secondaries[j], "%s: ipv6: secondary IP %s is already used by %s", a.label(in), s.Addr(), a.label(prev))
			}
			ips[s.Addr()] = in
		}
	}
	for k, in := range a.m.Interfaces {
		if gw := in.IPv6.Gateway; gw.IsValid() {
			if owner, bad := ips[gw]; bad {
				a.d.at(a.nodes[k].six.gateway, "%s: ipv6: gateway %s is an address of %s, not a router", a.label(in), gw, a.label(owner))
			}
		}
	}
}

// setTableRoutesAndRules6 gives the route_table of an IPv6 interface its
// IPv6 routes (the subnet, the default route via the router) and rules
// (from each static IPv6 address, or from the subnet of a DHCPv6 or SLAAC
// interface), at the IPv4 rules' priority.
func (a acrossDoc) setTableRoutesAndRules6() {
	for k, in := range a.m.Interfaces {
		six, n := &in.IPv6, a.nodes[k].six
		if in.Table == 0 || !six.Enabled() || n == nil {
			continue
		}
		at := a.or(a.nodes[k].table, n.node)
		if !six.Gateway.IsValid() {
			if n.gateway == nil || six.GatewayRA {
				a.d.at(at, "%s: route_table with ipv6 needs ipv6.gateway as an address (global or fe80::): the table's IPv6 default route goes via it", a.label(in))
			}
			continue
		}
		if six.Mode != IPv6Static && !six.Subnet.IsValid() {
			if n.subnet == nil {
				a.d.at(at, "%s: route_table with ipv6 dhcp or slaac needs ipv6.subnet: the rule is \"from\" the subnet", a.label(in))
			}
			continue
		}
		line := in.Lines.Of("route_table")
		six.TableRoutes = []Route{
			{To: six.Subnet, Dev: in.Name, Table: in.Table, Line: line},
			{To: netip.PrefixFrom(netip.IPv6Unspecified(), 0), Via: six.Gateway, Dev: in.Name, Table: in.Table, Line: line},
		}
		if six.Mode != IPv6Static {
			for _, o := range a.m.Interfaces {
				if o != in && o.IPv6.Subnet.IsValid() && o.IPv6.Subnet.Overlaps(six.Subnet) {
					a.d.at(at, "%s: route_table on an ipv6 %s interface makes the rule \"from %s\", but %s is in that subnet too; give %s a static IPv6 address instead",
						a.label(in), six.Mode, six.Subnet, a.label(o), a.label(in))
					break
				}
			}
			six.Rules = []Rule{{Priority: in.RulePriority, From: six.Subnet, Table: in.Table, Line: line}}
			continue
		}
		for _, ip := range six.IPs() {
			six.Rules = append(six.Rules, Rule{Priority: in.RulePriority, From: netip.PrefixFrom(ip.Addr(), 128), Table: in.Table, Line: in.OfIP(ip.Addr())})
		}
	}
}

// route6Addr reads the via or src of an IPv6 route.
func route6Addr(s string) (netip.Addr, string) {
	if a, err := netip.ParseAddr(s); err == nil && a.Is4() {
		return netip.Addr{}, fmt.Sprintf("%s is IPv4, and the route's destination is IPv6", s)
	}
	return parseAddr6(s)
}
