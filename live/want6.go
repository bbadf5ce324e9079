package live

import (
	"net/netip"
)

// IPv6 in the kernel, as seen with ip(8) on Linux 6.1 (what the layouts
// share): an IPv6 route given without a metric gets 1024
// (IP6_RT_PRIO_USER), the kernel's prefix route of an address has 256
// (IP6_RT_PRIO_ADDRCONF) and no preferred source, router advertisements'
// default routes have 1024, and every link has its own fe80:: address and
// fe80::/64 route, which Read leaves out.
const (
	// Metric6User is the kernel's metric of an IPv6 route added without one.
	Metric6User = 1024
	// Metric6Prefix is the metric of the kernel's prefix route of an IPv6
	// address, and of an on-link prefix of router advertisements.
	Metric6Prefix = 256
)

// ipv6 adds the IPv6 facts of the interface: its addresses, the prefix
// routes, the default route in main, and its rules and routes.
func (w *ifaceWant) ipv6() {
	six := &w.in.IPv6
	for _, p := range six.IPs() {
		w.add(Fact{Kind: KindAddress, Dev: w.in.Name, Prefix: p, Line: w.in.OfIP(p.Addr())})
		if p.Bits() == 128 {
			w.hostRoute6(p, 0)
		}
	}
	w.dynamic6()
	w.prefixRoutes6()
	if six.DefaultRoute {
		w.defaultRoute6()
	}
	def, defOpen := w.metric6()
	for _, r := range six.Rules {
		w.add(Fact{Kind: KindRule, Prefix: r.From, Table: r.Table, Metric: r.Priority, Line: r.Line})
	}
	for _, r := range six.AllRoutes() {
		f := Fact{Kind: KindRoute, Dev: r.Dev, Table: r.Table, Prefix: r.To, Via: r.Via, Metric: def, Src: r.Src, Any: defOpen, Line: r.Line}
		if r.HasMetric {
			f.Metric, f.Any = r.Metric, 0
		}
		w.add(f)
	}
}

// metric6 is the metric of an IPv6 route described without one: the
// kernel's 1024, NetworkManager's profile metric, open in Common.
func (w *ifaceWant) metric6() (uint32, Field) {
	switch w.e.Layout {
	case NM:
		return w.nmMetric6()
	case Common:
		return 0, AnyMetric
	}
	return Metric6User, 0
}

// dynamic6 adds the address of DHCPv6 (a /128) or SLAAC (in the
// advertised /64): the one the lab knows, or an open one.
func (w *ifaceWant) dynamic6() {
	six := &w.in.IPv6
	known := w.e.Leases6
	if six.Mode == "slaac" {
		known = w.e.SLAAC
	} else if six.Mode != "dhcp" {
		return
	}
	f := Fact{Kind: KindAddress, Dev: w.in.Name, V6: true, Line: w.in.Lines.Of("ipv6")}
	if p, ok := known[w.in.Name]; ok {
		f.Prefix = p
	} else {
		f.Any |= AnyPrefix
	}
	w.add(f)
	if six.Mode == "dhcp" && w.e.Layout != Networkd { // networkd: no-prefixroute
		w.hostRoute6(f.Prefix, f.Any&AnyPrefix)
	}
}

// hostRoute6 adds the prefix route of a /128 address (a DHCPv6 lease):
// the kernel adds one for every address, this one to the address alone;
// NetworkManager adds its own at the profile's metric (seen with 1.42);
// Common accepts any.
func (w *ifaceWant) hostRoute6(p netip.Prefix, open Field) {
	f := Fact{Kind: KindRoute, Dev: w.in.Name, Prefix: p, Metric: Metric6Prefix, Any: open, V6: true, Line: w.in.Lines.Of("ipv6")}
	switch w.e.Layout {
	case NM:
		m, open := w.nmMetric6()
		f.Metric, f.Any = m, f.Any|open
	case Common:
		f.Optional, f.Any = true, f.Any|AnyMetric
	}
	w.add(f)
}

// prefix6 gives the interface's on-link IPv6 prefix: the described
// subnet, else the advertised one the lab knows.
func (w *ifaceWant) prefix6() netip.Prefix {
	if p := w.in.IPv6.Subnet; p.IsValid() {
		return p
	}
	return w.e.Prefixes6[w.in.Name]
}

// prefixRoutes6 adds the route to the on-link prefix: the kernel's (metric
// 256) for a static address or an advertised prefix, NetworkManager's at
// the profile's metric. A prefix that is not known (SLAAC without subnet)
// is open; Common accepts any metric.
func (w *ifaceWant) prefixRoutes6() {
	if w.e.Layout == Networkd {
		w.networkdPrefixRoutes6()
		return
	}
	p := w.prefix6()
	if p.IsValid() && p.Bits() == 128 {
		return
	}
	f := Fact{Kind: KindRoute, Dev: w.in.Name, Prefix: p, Metric: Metric6Prefix, V6: true, Line: w.in.Lines.Of("ipv6")}
	if !p.IsValid() {
		f.Any |= AnyPrefix
	}
	switch w.e.Layout {
	case NM:
		m, open := w.nmMetric6()
		f.Metric, f.Any = m, f.Any|open
	case Common:
		f.Any |= AnyMetric
		w.networkdCommon6(f)
	}
	w.add(f)
}

// defaultRoute6 adds the IPv6 default route in main: via the described
// router at the described metric (else the layout's), or the router of
// router advertisements.
func (w *ifaceWant) defaultRoute6() {
	six := &w.in.IPv6
	line := w.in.Lines.Of("ipv6.gateway")
	if !six.Gateway.IsValid() && !six.GatewayRA {
		return
	}
	f := Fact{Kind: KindRoute, Dev: w.in.Name, Prefix: netip.PrefixFrom(netip.IPv6Unspecified(), 0), Via: six.Gateway, Line: line}
	if six.GatewayRA {
		f.Via = w.e.Routers6[w.in.Name]
		if !f.Via.IsValid() {
			f.Any |= AnyVia
		}
	}
	switch {
	case six.HasMetric:
		f.Metric = six.Metric
	case w.e.Layout == NM:
		m, open := w.nmMetric6()
		f.Metric, f.Any = m, f.Any|open
	case w.e.Layout == Common:
		f.Any |= AnyMetric
	case w.e.Layout == Networkd && six.GatewayRA:
		f.Metric = w.networkdRAMetric()
	default:
		f.Metric = Metric6User
	}
	w.add(f)
}

// nmMetric6 is the [ipv6] profile's metric: the described IPv6 metric
// (route-metric=), else the one NetworkManager picked for the device
// (the same for both families), or open.
func (w *ifaceWant) nmMetric6() (uint32, Field) {
	if w.in.IPv6.HasMetric {
		return w.in.IPv6.Metric, 0
	}
	if m, ok := w.e.NMMetrics[w.in.Name]; ok {
		return uint32(m), 0
	}
	return 0, AnyMetric
}
