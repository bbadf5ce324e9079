package live

import "net/netip"

// IPv6 as systemd-networkd lays it out (systemd 252 in the lab, for the
// networkd and netplan families): networkd runs its own client of router
// advertisements (the kernel's is off). It adds the advertised on-link
// prefix as a route of its own (proto ra) at the metric of advertised
// routes, beside the kernel's prefix route (256) of a static address in
// the same prefix, and adds SLAAC and DHCPv6 addresses with no prefix
// route of the kernel's (no-prefixroute): a DHCPv6 /128 has no route.

// networkdRA tells whether networkd takes the interface's router
// advertisements: DHCPv6 and SLAAC interfaces, and a static one whose
// router comes from them (the families write IPv6AcceptRA=no otherwise).
func (w *ifaceWant) networkdRA() bool {
	six := &w.in.IPv6
	return six.Mode == "dhcp" || six.Mode == "slaac" || six.GatewayRA
}

// networkdRAMetric is the metric of the routes networkd takes from router
// advertisements: the described IPv6 metric ([IPv6AcceptRA] RouteMetric=,
// or netplan's [DHCP] RouteMetric=, which sets it too), else the family's
// DHCP route metric on an interface with DHCP (netplan writes [DHCP]
// RouteMetric=100), else networkd's 1024.
func (w *ifaceWant) networkdRAMetric() uint32 {
	six := &w.in.IPv6
	switch {
	case six.HasMetric:
		return six.Metric
	case (w.in.DHCP || six.Mode == "dhcp") && w.e.DHCPMetric != 0:
		return uint32(w.e.DHCPMetric)
	}
	return NetworkdDHCPMetric
}

// networkdPrefixRoutes6 adds the routes to the on-link prefix: the
// kernel's (256) when a static address is in it, networkd's own (at the
// advertised routes' metric) when it takes router advertisements.
func (w *ifaceWant) networkdPrefixRoutes6() {
	six := &w.in.IPv6
	line := w.in.Lines.Of("ipv6")
	kernel := map[netip.Prefix]bool{}
	for _, p := range six.IPs() {
		if p.Bits() < 128 && !kernel[p.Masked()] {
			kernel[p.Masked()] = true
			w.add(Fact{Kind: KindRoute, Dev: w.in.Name, Prefix: p.Masked(), Metric: Metric6Prefix, V6: true, Line: line})
		}
	}
	if !w.networkdRA() {
		return
	}
	f := Fact{Kind: KindRoute, Dev: w.in.Name, Prefix: w.prefix6(), Metric: w.networkdRAMetric(), V6: true, Line: line}
	if !f.Prefix.IsValid() {
		f.Any |= AnyPrefix
	}
	w.add(f)
}

// networkdCommon6 lets the common layout accept networkd's own route to
// the advertised prefix beside the kernel's route of a static address in
// it (f, the common layout's prefix route): a second one, optional.
func (w *ifaceWant) networkdCommon6(f Fact) {
	if w.networkdRA() && len(w.in.IPv6.IPs()) > 0 {
		f.Optional = true
		w.add(f)
	}
}
