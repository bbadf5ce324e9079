package render

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/enicfg/enicfg/spec"
)

// winIPv6 is an interface's IPv6 in both scripts: netsh interface ipv6
// in the .cmd, the NetTCPIP cmdlets with -AddressFamily IPv6 in the .ps1.
type winIPv6 struct {
	Mode string // spec.IPv6Static, IPv6DHCP or IPv6SLAAC
	// Addrs are the static addresses: the primary (static mode) first,
	// then the secondaries (SkipAsSource).
	Addrs []winAddr6
	// RouterDiscovery and ManagedAddress are netsh's values, enabled or
	// disabled; IgnoreDefaultRoutes is "" for a static interface (router
	// discovery is off: no default route comes from advertisements).
	RouterDiscovery, ManagedAddress, IgnoreDefaultRoutes string
	// Routes: the default route via the described router (or the return
	// path of a secondary ENI at 9999) first, then the extra routes.
	Routes []winRoute
	// NoGateway: the described router of an interface without a default
	// route; a default route through it is taken away.
	NoGateway  string
	ReturnPath bool
	// DefaultFromRA: the default route is the router advertisements'.
	DefaultFromRA bool
	MTU           int
	// What the .cmd records under HKLM\SOFTWARE\enicfg (no untranslated
	// output lists IPv6 addresses or routes): the addresses with their
	// prefix, and the routes as prefix@nexthop (:: on-link).
	AddrMark, RouteMark string
	Static              []string // the static IPs, for the .ps1
}

type winAddr6 struct {
	IP   string
	Bits int
	Skip bool
}

// winMinMTU6 is IPv6's minimum link MTU (RFC 8200; netsh's minmtu: "For
// IPv6, it's fixed at 1280").
const winMinMTU6 = 1280

// windowsIPv6 resolves an interface's IPv6, refusing by name what Windows
// cannot express; nil without IPv6.
func windowsIPv6(j *job, in *spec.Interface) *winIPv6 {
	six := &in.IPv6
	if !six.Enabled() {
		return nil
	}
	w := &winIPv6{Mode: six.Mode, RouterDiscovery: "enabled", ManagedAddress: "disabled"}
	switch six.Mode {
	case spec.IPv6Static:
		// Router discovery off: a static interface picks up no address
		// or route from router advertisements it was not told about.
		w.RouterDiscovery = "disabled"
		w.Addrs = append(w.Addrs, winAddr6{IP: six.Address.Addr().String(), Bits: six.Address.Bits()})
	case spec.IPv6DHCP:
		w.ManagedAddress = "enabled"
	}
	for _, p := range six.SecondaryIPs {
		w.Addrs = append(w.Addrs, winAddr6{IP: p.Addr().String(), Bits: p.Bits(), Skip: true})
	}
	windowsGateway6(j, in, w)
	windowsRoutes6(j, in, w)
	if in.MTU != 0 {
		if in.MTU < winMinMTU6 {
			j.refuse(in.Name, "mtu", "%d is below IPv6's minimum link MTU of %d (RFC 8200), and the interface has IPv6", in.MTU, winMinMTU6)
		} else {
			w.MTU = in.MTU
		}
	}
	w.marks()
	return w
}

// windowsGateway6 sets the IPv6 default route: the described router's,
// the router advertisements', or a secondary ENI's return path.
func windowsGateway6(j *job, in *spec.Interface, w *winIPv6) {
	six := &in.IPv6
	if six.Mode != spec.IPv6Static {
		// The default route of router advertisements is taken unless
		// the description names another router or no default route.
		w.IgnoreDefaultRoutes = "enabled"
		if six.GatewayRA && six.DefaultRoute {
			w.IgnoreDefaultRoutes, w.DefaultFromRA = "disabled", true
			if six.HasMetric {
				j.refuse(in.Name, "ipv6.metric", "the default route of router advertisements has a metric of Windows' own (New-NetRoute and netsh set it on routes they add, not on learnt ones); describe ipv6.gateway (the router's link-local address) to set it")
			}
			return
		}
	}
	gw := six.Gateway
	switch {
	case !gw.IsValid():
		// no router described (the format asks for one with a
		// route_table): no default route, no return path
	case six.DefaultRoute:
		r := winRoute{Prefix: "::/0", NextHop: gw.String()}
		if six.HasMetric {
			if six.Metric < 1 || six.Metric > maxWindowsMetric {
				j.refuse(in.Name, "ipv6.metric", "%d is outside 1 to %d, the route metrics Windows documents", six.Metric, maxWindowsMetric)
			} else {
				r.HasMetric, r.Metric = true, six.Metric
			}
		}
		w.Routes = append(w.Routes, r)
	case returnPath6(in):
		// As for IPv4: Windows sends with the strong host model, so a
		// default route of the ENI's own at the largest metric is the
		// return path of its IPv6 addresses (Linux's "from <ip> lookup
		// <table>") and the last choice for other traffic.
		w.ReturnPath = true
		w.Routes = append(w.Routes, winRoute{Prefix: "::/0", NextHop: gw.String(), HasMetric: true, Metric: maxWindowsMetric})
	default:
		w.NoGateway = gw.String()
	}
}

// returnPath6 tells whether a secondary ENI without an IPv6 default route
// in the main table needs one as the return path of its IPv6 addresses:
// it has a route_table or secondary IPv6 addresses, and a router.
func returnPath6(in *spec.Interface) bool {
	six := &in.IPv6
	return !in.Primary && !six.DefaultRoute && six.Gateway.IsValid() && (in.Table != 0 || len(six.SecondaryIPs) > 0)
}

// windowsRoutes6 adds the extra IPv6 routes; a route only for a table, or
// with a source other than the static primary, is refused.
func windowsRoutes6(j *job, in *spec.Interface, w *winIPv6) {
	var primary netip.Addr
	if in.IPv6.Mode == spec.IPv6Static {
		primary = in.IPv6.Address.Addr()
	}
	w.Routes = append(w.Routes, windowsRoutesOf(j, in.Name, "ipv6 routes", in.IPv6.Routes, primary, "the primary IPv6 address (secondaries are SkipAsSource)")...)
}

// marks fills in what the .cmd records and the .ps1 keeps.
func (w *winIPv6) marks() {
	var addrs, routes []string
	for _, a := range w.Addrs {
		addrs = append(addrs, fmt.Sprintf("%s/%d", a.IP, a.Bits))
		w.Static = append(w.Static, a.IP)
	}
	for _, r := range w.Routes {
		routes = append(routes, r.Prefix+"@"+r.Hop6())
	}
	w.AddrMark, w.RouteMark = strings.Join(addrs, " "), strings.Join(routes, " ")
}

// Hop6 is an IPv6 route's next hop, :: for an on-link route.
func (r winRoute) Hop6() string {
	if r.NextHop == "" {
		return netip.IPv6Unspecified().String()
	}
	return r.NextHop
}
