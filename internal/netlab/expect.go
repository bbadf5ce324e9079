package netlab

import (
	"fmt"
	"net/netip"

	"github.com/google/go-cmp/cmp"

	"github.com/enicfg/enicfg/spec"
)

// Expect says how a family lays the description out in the kernel, where
// families differ in ways that do not change what is routed.
type Expect struct {
	// MACs gives the MAC of every link in the test (the described one, or
	// one the test made up).
	MACs map[string]string
	// AliasLabels tells whether an interface's secondary IPs carry the
	// label <name>:<n> (ifupdown alias stanzas, network-scripts alias
	// files); nil: none do.
	AliasLabels func(*spec.Interface) bool
	// Leases: the address each DHCP interface gets from the test's DHCP
	// server, and Routers the router it announces.
	Leases  map[string]netip.Prefix
	Routers map[string]netip.Addr
	// KernelRoutes: the main table holds the kernel's prefix route of
	// each interface's subnet.
	KernelRoutes bool
	// Networkd: systemd-networkd's DHCP client adds the lease's prefix
	// route, a host route to the router and the default route with the
	// DHCP route metric (RouteMetric=; DHCPMetric when not described) and
	// the lease as
	// preferred source. It configures the static secondary IPs of a DHCP
	// interface before the lease, so the kernel's subnet route takes the
	// first of them as its source (and the lease is a "secondary" address
	// without a route of its own).
	Networkd   bool
	DHCPMetric int
	// NM: NetworkManager's way. Every route without a metric of its own
	// takes the profile's metric: the described one, else the one NM
	// picked for the device (NMMetrics: 100, 101, ... for Ethernet); every
	// address gets a prefix route of its own with itself as source; the
	// default route of a DHCP profile has the lease as source.
	NM        bool
	NMMetrics map[string]int
	// Only limits the expectation to these interfaces (nil: all).
	Only map[string]bool
}

// Want gives the state that the description m must produce.
func (e Expect) Want(m *spec.Model) State {
	s := State{Links: map[string]Link{}, Addrs: map[string][]string{}, Routes: map[string][]string{}}
	for _, in := range m.Interfaces {
		if e.Only != nil && !e.Only[in.Name] {
			continue
		}
		if e.NM {
			e.nmWant(&s, in)
			continue
		}
		e.want(&s, in)
	}
	s.sort()
	return s
}

// addRoute adds a route line to its table ("main" for 0).
func (s *State) addRoute(table uint32, line string) {
	key := "main"
	if table != 0 {
		key = fmt.Sprint(table)
	}
	s.Routes[key] = append(s.Routes[key], line)
}

// metricOf is the metric when it is set.
func metricOf(set bool, v uint32) *int {
	if !set {
		return nil
	}
	n := int(v)
	return &n
}

// want adds what one interface brings to the state, for the readers other
// than NetworkManager.
func (e Expect) want(s *State, in *spec.Interface) {
	mtu := 1500
	if in.MTU != 0 {
		mtu = in.MTU
	}
	s.Links[in.Name] = Link{MAC: e.MACs[in.Name], MTU: mtu, Up: true}
	primary := in.Address
	if in.DHCP {
		primary = e.Leases[in.Name]
	}
	dhcpMetric := metricOf(in.HasMetric, in.Metric)
	if e.Networkd && in.DHCP && !in.HasMetric {
		n := e.DHCPMetric
		dhcpMetric = &n
	}
	if primary.IsValid() {
		s.Addrs[in.Name] = append(s.Addrs[in.Name], fmt.Sprintf("%s label %s", primary, in.Name))
		if e.KernelRoutes {
			var m *int
			src := primary.Addr()
			switch {
			case e.Networkd && in.DHCP && len(in.SecondaryIPs) > 0:
				src = in.SecondaryIPs[0].Addr()
			case e.Networkd && in.DHCP:
				m = dhcpMetric
			}
			s.addRoute(0, RouteLine(primary.Masked().String(), "", in.Name, m, src.String()))
		}
	}
	for k, ip := range in.SecondaryIPs {
		label := in.Name
		if e.AliasLabels != nil && e.AliasLabels(in) {
			label = fmt.Sprintf("%s:%d", in.Name, k)
		}
		s.Addrs[in.Name] = append(s.Addrs[in.Name], fmt.Sprintf("%s label %s", ip, label))
	}
	if in.DefaultRoute {
		gw := in.Gateway
		if in.DHCP {
			gw = e.Routers[in.Name]
		}
		switch {
		case gw.IsValid() && e.Networkd && in.DHCP:
			src := primary.Addr().String()
			s.addRoute(0, RouteLine(gw.String(), "", in.Name, dhcpMetric, src))
			s.addRoute(0, RouteLine("default", gw.String(), in.Name, dhcpMetric, src))
		case gw.IsValid():
			s.addRoute(0, RouteLine("default", gw.String(), in.Name, metricOf(in.HasMetric, in.Metric), ""))
		}
	}
	for _, r := range in.Rules {
		s.Rules = append(s.Rules, ruleLine(r))
	}
	for _, r := range in.AllRoutes() {
		s.addRoute(r.Table, routeLine(r, nil))
	}
}

// nmWant adds NetworkManager's layout of one interface to s.
func (e Expect) nmWant(s *State, in *spec.Interface) {
	key := func(t uint32) string {
		if t == 0 {
			return "main"
		}
		return fmt.Sprint(t)
	}
	pm := e.NMMetrics[in.Name]
	if in.HasMetric && in.DefaultRoute {
		pm = int(in.Metric)
	}
	mtu := 1500
	if in.MTU != 0 {
		mtu = in.MTU
	}
	s.Links[in.Name] = Link{MAC: e.MACs[in.Name], MTU: mtu, Up: true}
	addrs := in.IPs()
	if in.DHCP {
		addrs = append(addrs, e.Leases[in.Name])
	}
	for _, a := range addrs {
		s.Addrs[in.Name] = append(s.Addrs[in.Name], fmt.Sprintf("%s label %s", a, in.Name))
		s.Routes["main"] = append(s.Routes["main"], RouteLine(a.Masked().String(), "", in.Name, &pm, a.Addr().String()))
	}
	if in.DefaultRoute {
		gw, src := in.Gateway.String(), ""
		if in.DHCP {
			gw, src = e.Routers[in.Name].String(), e.Leases[in.Name].Addr().String()
		}
		s.Routes["main"] = append(s.Routes["main"], RouteLine("default", gw, in.Name, &pm, src))
	}
	for _, r := range in.Rules {
		s.Rules = append(s.Rules, ruleLine(r))
	}
	for _, r := range append(append([]spec.Route{}, in.TableRoutes...), in.Routes...) {
		s.Routes[key(r.Table)] = append(s.Routes[key(r.Table)], routeLine(r, &pm))
	}
}

// ruleLine writes a rule as ip prints it.
func ruleLine(r spec.Rule) string {
	from := r.From.Addr().String()
	if r.From.Bits() != 32 {
		from = r.From.String()
	}
	return fmt.Sprintf("%d: from %s lookup %d", r.Priority, from, r.Table)
}

// routeLine writes a described route as ip prints it; a route without a
// metric of its own takes def (nil: none).
func routeLine(r spec.Route, def *int) string {
	dst := r.To.String()
	switch {
	case r.IsDefault():
		dst = "default"
	case r.To.Bits() == 32:
		dst = r.To.Addr().String() // ip prints a host route bare
	}
	via, src := "", ""
	if r.Via.IsValid() {
		via = r.Via.String()
	}
	if r.Src.IsValid() {
		src = r.Src.String()
	}
	m := def
	if r.HasMetric {
		n := int(r.Metric)
		m = &n
	}
	return RouteLine(dst, via, r.Dev, m, src)
}

// Diff compares a state read back with the wanted one: "" when equal.
func Diff(want, got State) string {
	return cmp.Diff(want, got)
}
