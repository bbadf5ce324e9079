package live

import (
	"net/netip"
	"strconv"

	"github.com/enicfg/enicfg/spec"
)

// Layout is how a family's software lays the same description out in the
// kernel, where families differ in ways that do not change what is routed.
type Layout int

const (
	// Common is what every family agrees on: what the layouts below add
	// is accepted but not required, and values the families choose for
	// themselves (metrics of routes without one, labels) are not checked.
	Common Layout = iota
	// KernelRoutes: ifupdown, network-scripts and wicked. The main table
	// holds the kernel's prefix route of each interface's subnet.
	KernelRoutes
	// Networkd: systemd-networkd (and netplan, which hands it the work).
	// Its DHCP client adds the lease's prefix route, a host route to the
	// router and the default route with the DHCP route metric
	// (RouteMetric=; DHCPMetric when not described) and the lease as
	// preferred source. It configures the static secondary IPs of a DHCP
	// interface before the lease, so the kernel's subnet route takes the
	// first of them as its source.
	Networkd
	// Wicked: SUSE's wicked, KernelRoutes but for a DHCP interface: wicked
	// adds its static secondary IPs at once and the lease later, so the
	// first secondary IP is the source of the subnet's prefix route, and
	// the DHCP default route has the lease as its source
	// (DHCLIENT_ROUTE_SET_SRC).
	Wicked
	// NM: NetworkManager (keyfile or ifcfg-rh). Every route without a
	// metric of its own takes the profile's metric: the described one,
	// else the one NetworkManager picks for the device (100, 101, ... for
	// Ethernet); every address gets a prefix route of its own with itself
	// as source; the default route of a DHCP profile has the lease as
	// source.
	NM
)

// NetworkdDHCPMetric is systemd-networkd's metric of DHCP routes when the
// .network file sets none (systemd.network(5): RouteMetric= "Defaults to
// 1024").
const NetworkdDHCPMetric = 1024

// Expect says what to expect of a host: the family's layout and, in
// tests, what the lab knows that a host does not tell (then nothing is
// left open).
type Expect struct {
	Layout Layout
	// MACs gives the MAC of links the description names no MAC for.
	MACs map[string]string
	// Leases and Routers: the address each DHCP interface gets and the
	// router its DHCP server announces.
	Leases  map[string]netip.Prefix
	Routers map[string]netip.Addr
	// NMMetrics: the metric NetworkManager picked for each device.
	NMMetrics map[string]int
	// DHCPMetric is networkd's metric of DHCP routes (0: NetworkdDHCPMetric).
	DHCPMetric int
	// AliasLabels tells whether an interface's secondary IPs carry the
	// label <name>:<n> (ifupdown alias stanzas, network-scripts alias
	// files); nil: labels are not checked.
	AliasLabels func(*spec.Interface) bool
	// DefaultMTU is the MTU of a link whose MTU is not described (0: not
	// checked).
	DefaultMTU int
	// Only limits the expectation to these interfaces (nil: all).
	Only map[string]bool

	// IPv6, what the lab knows: the address DHCPv6 gives each DHCPv6
	// interface (a /128), the address SLAAC makes on each SLAAC interface,
	// the prefix and router that router advertisements announce.
	Leases6   map[string]netip.Prefix
	SLAAC     map[string]netip.Prefix
	Prefixes6 map[string]netip.Prefix
	Routers6  map[string]netip.Addr
}

// ifaceWant is the expectation of one interface under construction.
type ifaceWant struct {
	e     Expect
	in    *spec.Interface
	facts State
}

// Want gives the facts that the description m implies.
func (e Expect) Want(m *spec.Model) State {
	var out State
	for _, in := range m.Interfaces {
		if e.Only != nil && !e.Only[in.Name] {
			continue
		}
		w := &ifaceWant{e: e, in: in}
		w.link()
		if in.HasIPv4() {
			if e.Layout == NM {
				w.nm()
			} else {
				w.kernel()
			}
		}
		w.rulesAndRoutes()
		if in.IPv6.Enabled() {
			w.ipv6()
		}
		out = append(out, w.facts...)
	}
	return out
}

func (w *ifaceWant) add(f Fact) {
	f.Iface = w.in.Name
	w.facts = append(w.facts, f)
}

func (w *ifaceWant) link() {
	in := w.in
	f := Fact{Kind: KindLink, Dev: in.Name, MAC: in.MAC, MTU: in.MTU, Up: true, Queues: in.Queues, Line: in.Lines.Item}
	if f.MAC == "" {
		f.MAC = w.e.MACs[in.Name]
	}
	if f.MAC == "" {
		f.Any |= AnyMAC
	}
	if f.MTU == 0 {
		f.MTU = w.e.DefaultMTU
	}
	if f.MTU == 0 {
		f.Any |= AnyMTU
	}
	if f.Queues == 0 {
		f.Any |= AnyQueues
	}
	w.add(f)
}

// lease gives the DHCP address: the known one, or an open fact.
func (w *ifaceWant) lease() (netip.Prefix, Field) {
	if l, ok := w.e.Leases[w.in.Name]; ok {
		return l, 0
	}
	return netip.Prefix{}, AnyPrefix
}

// router gives the DHCP router: the known one, the described gateway, or
// an open value.
func (w *ifaceWant) router() (netip.Addr, Field) {
	if r, ok := w.e.Routers[w.in.Name]; ok {
		return r, 0
	}
	if w.in.Gateway.IsValid() {
		return w.in.Gateway, 0
	}
	return netip.Addr{}, AnyVia
}

// address adds one address of the interface; label is its alias label.
func (w *ifaceWant) address(p netip.Prefix, open Field, label string, line int) {
	f := Fact{Kind: KindAddress, Dev: w.in.Name, Prefix: p, Label: label, Any: open, Line: line}
	if w.e.AliasLabels == nil {
		f.Any |= AnyLabel
	}
	w.add(f)
}

// metric gives the interface's described metric; when none is
// described, none (0) in a family's layout and open in the common one.
func (w *ifaceWant) metric() (uint32, Field) {
	switch {
	case w.in.HasMetric:
		return w.in.Metric, 0
	case w.e.Layout == Common:
		return 0, AnyMetric
	}
	return 0, 0
}

// kernel adds the addresses and main-table routes of every layout but
// NetworkManager's.
func (w *ifaceWant) kernel() {
	in := w.in
	primary, open, line := in.Address, Field(0), in.Lines.Of("address")
	if in.DHCP {
		primary, open = w.lease()
		line = in.Lines.Of("dhcp")
	}
	dhcpMetric, dhcpOpen := w.metric()
	if w.e.Layout == Networkd && in.DHCP && !in.HasMetric {
		dhcpMetric, dhcpOpen = uint32(w.e.DHCPMetric), 0
		if dhcpMetric == 0 {
			dhcpMetric = NetworkdDHCPMetric
		}
	}
	w.address(primary, open, in.Name, line)
	w.prefixRoute(primary, open, line, dhcpMetric, dhcpOpen)
	for k, ip := range in.SecondaryIPs {
		label := in.Name
		if w.e.AliasLabels != nil && w.e.AliasLabels(in) {
			label = in.Name + ":" + strconv.Itoa(k)
		}
		w.address(ip, 0, label, in.OfIP(ip.Addr()))
	}
	if in.DefaultRoute {
		w.defaultRoute(primary, open, dhcpMetric, dhcpOpen)
	}
}

// prefixRoute adds the kernel's route to the subnet of the primary
// address: required in the layouts that have it, accepted in Common.
func (w *ifaceWant) prefixRoute(primary netip.Prefix, open Field, line int, dhcpMetric uint32, dhcpOpen Field) {
	in := w.in
	f := Fact{Kind: KindRoute, Dev: in.Name, Prefix: primary.Masked(), Src: primary.Addr(), Any: open, Line: line}
	if open != 0 {
		f.Any |= AnySrc
		if in.Subnet.IsValid() {
			f.Prefix, f.Any = in.Subnet, AnySrc
		}
	}
	switch {
	case w.e.Layout == Common:
		f.Optional, f.Any = true, f.Any|AnySrc|AnyMetric
	case (w.e.Layout == Networkd || w.e.Layout == Wicked) && in.DHCP && len(in.SecondaryIPs) > 0:
		f.Src, f.Any = in.SecondaryIPs[0].Addr(), f.Any&^AnySrc
	case w.e.Layout == Networkd && in.DHCP:
		f.Metric, f.Any = dhcpMetric, f.Any|dhcpOpen
	}
	w.add(f)
}

// defaultRoute adds the interface's default route in the main table (and
// networkd's host route to a DHCP router).
func (w *ifaceWant) defaultRoute(primary netip.Prefix, open Field, dhcpMetric uint32, dhcpOpen Field) {
	in := w.in
	line := in.Lines.Of("gateway")
	if !in.HasGateway() {
		line = in.Lines.Of("default_route")
	}
	gw, gwOpen := in.Gateway, Field(0)
	if in.DHCP {
		gw, gwOpen = w.router()
	}
	if !gw.IsValid() && gwOpen == 0 {
		return
	}
	def := netip.PrefixFrom(netip.IPv4Unspecified(), 0)
	f := Fact{Kind: KindRoute, Dev: in.Name, Prefix: def, Via: gw, Any: gwOpen, Line: line}
	f.Metric, f.Any = w.metric()
	f.Any |= gwOpen
	switch {
	case w.e.Layout == Networkd && in.DHCP:
		f.Metric, f.Src, f.Any = dhcpMetric, primary.Addr(), gwOpen|dhcpOpen
		if open != 0 {
			f.Any |= AnySrc
		}
		// The host route to the router has no gateway: when the router is
		// not known, its destination is open instead.
		host := Fact{Kind: KindRoute, Dev: in.Name, Prefix: netip.PrefixFrom(gw, 32), Src: f.Src, Metric: dhcpMetric, Any: f.Any &^ AnyVia, Line: line}
		if gwOpen != 0 {
			host.Any |= AnyPrefix
		}
		w.add(host)
	case w.e.Layout == Wicked && in.DHCP && len(in.SecondaryIPs) > 0:
		f.Src = primary.Addr()
		if open != 0 {
			f.Any |= AnySrc
		}
	case w.e.Layout == Common:
		f.Any |= AnySrc
		if in.DHCP {
			host := Fact{Kind: KindRoute, Dev: in.Name, Prefix: netip.PrefixFrom(gw, 32), Any: AnySrc | AnyMetric, Optional: true, Line: line}
			if gwOpen != 0 {
				host.Any |= AnyPrefix
			}
			w.add(host)
		}
	}
	w.add(f)
}

// nm adds NetworkManager's addresses and main-table routes.
func (w *ifaceWant) nm() {
	in := w.in
	pm, pmOpen := w.nmMetric()
	type addr struct {
		p    netip.Prefix
		open Field
		line int
	}
	var addrs []addr
	for _, p := range in.IPs() {
		addrs = append(addrs, addr{p, 0, in.OfIP(p.Addr())})
	}
	lease, leaseOpen := netip.Prefix{}, Field(0)
	if in.DHCP {
		lease, leaseOpen = w.lease()
		addrs = append(addrs, addr{lease, leaseOpen, in.Lines.Of("dhcp")})
	}
	for _, a := range addrs {
		w.address(a.p, a.open, in.Name, a.line)
		f := Fact{Kind: KindRoute, Dev: in.Name, Prefix: a.p.Masked(), Metric: pm, Src: a.p.Addr(), Any: pmOpen | a.open, Line: a.line}
		if a.open != 0 {
			f.Any |= AnySrc
			if in.Subnet.IsValid() {
				f.Prefix, f.Any = in.Subnet, f.Any&^AnyPrefix
			}
		}
		w.add(f)
	}
	if !in.DefaultRoute {
		return
	}
	gw, gwOpen := in.Gateway, Field(0)
	var src netip.Addr
	srcOpen := Field(0)
	if in.DHCP {
		gw, gwOpen = w.router()
		src = lease.Addr()
		if leaseOpen != 0 {
			srcOpen = AnySrc
		}
	}
	if !gw.IsValid() && gwOpen == 0 {
		return
	}
	line := in.Lines.Of("gateway")
	w.add(Fact{Kind: KindRoute, Dev: in.Name, Prefix: netip.PrefixFrom(netip.IPv4Unspecified(), 0), Via: gw, Metric: pm, Src: src, Any: pmOpen | gwOpen | srcOpen, Line: line})
}

// nmMetric is the profile's metric: the described one, the one the lab
// knows NetworkManager picked, or open.
func (w *ifaceWant) nmMetric() (uint32, Field) {
	if w.in.HasMetric && w.in.DefaultRoute {
		return w.in.Metric, 0
	}
	if m, ok := w.e.NMMetrics[w.in.Name]; ok {
		return uint32(m), 0
	}
	return 0, AnyMetric
}

// rulesAndRoutes adds the policy rules, the route_table's routes and the
// extra routes.
func (w *ifaceWant) rulesAndRoutes() {
	in := w.in
	for _, r := range in.Rules {
		w.add(Fact{Kind: KindRule, Prefix: r.From, Table: r.Table, Metric: r.Priority, Line: r.Line})
	}
	var def uint32
	var defOpen Field
	if w.e.Layout == NM {
		def, defOpen = w.nmMetric()
	} else if w.e.Layout == Common {
		defOpen = AnyMetric // NetworkManager gives them the profile's
	}
	for _, r := range in.AllRoutes() {
		f := Fact{Kind: KindRoute, Dev: r.Dev, Table: r.Table, Prefix: r.To, Via: r.Via, Metric: def, Src: r.Src, Any: defOpen, Line: r.Line}
		if r.HasMetric {
			f.Metric, f.Any = r.Metric, 0
		}
		w.add(f)
	}
}
