package render

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/enicfg/enicfg/spec"
)

// rhelIPv6 is the IPv6 part of an ifcfg file.
//
// network-scripts (ifup-ipv6, run by ifup-eth): IPV6INIT=yes, the static
// addresses as IPV6ADDR and IPV6ADDR_SECONDARIES, DHCPV6C=yes for DHCPv6,
// and IPV6_AUTOCONF, which sets accept_ra and autoconf: yes for SLAAC, no
// where no router advertisement is wanted (their default route would go
// into main). Its IPV6_DEFAULTGW route always gets metric 1 and a second
// one fails silently ("File exists" is ignored), so the default route is
// a route6-<if> line with the described metric instead.
//
// NetworkManager's ifcfg-rh: the same address keys; IPV6_AUTOCONF=yes is
// method auto (router advertisements, and DHCPv6 when they say managed),
// no with DHCPV6C=yes method dhcp, no alone manual; IPV6_DEFAULTGW (read
// only beside a static address), IPV6_DEFROUTE and IPV6_ROUTE_METRIC;
// rules as ROUTING_RULE6_<n>.
type rhelIPv6 struct {
	Init          bool
	Autoconf      string // yes, no or "" (the reader's default)
	ForceAcceptRA bool
	DHCPv6        bool
	Addr          string
	Secondaries   string
	DefaultGW     string
	DefRoute      string // NetworkManager only
	Metric        string // NetworkManager only
	Rules         []rhelRule
}

// wantsRA tells whether the interface takes its default route from
// router advertisements.
func rhelWantsRA(six *spec.IPv6) bool { return six.GatewayRA && six.DefaultRoute }

// ipv6 fills the IPv6 keys of f and gives the interface's route6 lines.
func (r RHEL) ipv6(j *job, in *spec.Interface, f *rhelIfcfg) []string {
	six := &in.IPv6
	if !six.Enabled() {
		return nil
	}
	v := &f.IPv6
	v.Init = true
	if six.Address.IsValid() {
		v.Addr = six.Address.String()
	}
	var secs []string
	for _, p := range six.SecondaryIPs {
		secs = append(secs, p.String())
	}
	v.Secondaries = strings.Join(secs, " ")
	v.DHCPv6 = six.Mode == spec.IPv6DHCP
	if r.NetworkManager {
		return r.ipv6NM(j, in, v)
	}
	return r.ipv6Scripts(j, in, v)
}

// ipv6Scripts sets what network-scripts read: IPV6_AUTOCONF, and the
// default route as a route6 line.
func (r RHEL) ipv6Scripts(j *job, in *spec.Interface, v *rhelIPv6) []string {
	six := &in.IPv6
	ra := rhelWantsRA(six)
	switch {
	case six.Mode == spec.IPv6SLAAC:
		v.Autoconf = "yes"
		if !ra {
			feature := "ipv6.default_route"
			if six.DefaultRoute {
				feature = "ipv6.gateway"
			}
			j.refuse(in.Name, feature, "no version of network-scripts keeps the default route of router advertisements out of the main table: SLAAC needs accept_ra, which installs it (IPV6_AUTOCONF=yes)")
		}
	case !ra:
		v.Autoconf = "no" // accept_ra off: no route nor address from advertisements
	case j.has("ifcfg IPV6_FORCE_ACCEPT_RA"):
		v.Autoconf, v.ForceAcceptRA = "no", true // accept_ra on, no address from advertisements
	default:
		v.Autoconf = "yes" // accept_ra comes only with autoconf before 9.49.38
	}
	if ra && six.HasMetric {
		j.refuse(in.Name, "ipv6.metric", "no version of network-scripts sets the metric of the default route of router advertisements: the kernel gives it 1024")
	}
	var lines []string
	if six.Mode == spec.IPv6DHCP && !j.has("ifcfg DHCPV6C") {
		v.DHCPv6 = false
		j.needs(in.Name, "ipv6.dhcp", "ifcfg DHCPV6C", "starts dhclient -6 while the link-local address is still tentative (DAD), and it fails")
	} else if six.Mode == spec.IPv6DHCP {
		lines = r.dhcpv6Scripts(j, in, v)
	}
	if six.DefaultRoute && six.Gateway.IsValid() && six.Mode != spec.IPv6SLAAC {
		lines = append(lines, ipRoute(spec.Route{To: netip.PrefixFrom(netip.IPv6Unspecified(), 0), Via: six.Gateway, Dev: in.Name, HasMetric: six.HasMetric, Metric: six.Metric}))
	}
	return lines
}

// dhcpv6Scripts: dhclient -6 runs after ifup-ipv6, and dhclient-script's
// PREINIT6 flushes every static global address (`ip -6 addr flush dev
// <if> scope global permanent`): secondary IPs are refused. Without
// router advertisements (IPV6_AUTOCONF=no) the subnet is not on-link
// (the lease is a /128): its route is a route6 line at the kernel's
// metric of a prefix route.
func (r RHEL) dhcpv6Scripts(j *job, in *spec.Interface, v *rhelIPv6) []string {
	six := &in.IPv6
	if v.Secondaries != "" {
		v.Secondaries = ""
		j.refuse(in.Name, "ipv6.secondary_ips", "no version of network-scripts keeps static IPv6 addresses beside DHCPV6C: ifup-ipv6 adds IPV6ADDR_SECONDARIES, then dhclient -6 starts and dhclient-script (PREINIT6) flushes every static global IPv6 address of the interface")
	}
	if v.Autoconf == "no" && !v.ForceAcceptRA && six.Subnet.IsValid() {
		return []string{ipRoute(spec.Route{To: six.Subnet, Dev: in.Name, HasMetric: true, Metric: 256})}
	}
	return nil
}

// ipv6NM sets what NetworkManager's ifcfg-rh reads: the method, the
// default route and its metric.
func (r RHEL) ipv6NM(j *job, in *spec.Interface, v *rhelIPv6) []string {
	six := &in.IPv6
	ra := rhelWantsRA(six)
	v.DefRoute = "no"
	if ra || six.Mode == spec.IPv6SLAAC {
		v.Autoconf = "yes"
		v.DHCPv6 = false // method auto: DHCPv6 when the advertisement says managed; DHCPV6C is not read
	} else {
		v.Autoconf = "no"
	}
	var lines []string
	if six.DefaultRoute {
		if six.HasMetric {
			v.Metric = fmt.Sprint(six.Metric)
		}
		switch {
		case ra:
			v.DefRoute = "yes"
		case six.Mode == spec.IPv6Static:
			v.DefRoute, v.DefaultGW = "yes", six.Gateway.String()
		case j.has("route6-<if> default"):
			// IPV6_DEFAULTGW is read only beside a static address, and
			// IPV6_DEFROUTE=no keeps advertisements' router out: a
			// manual default route, which never-default does not touch.
			lines = append(lines, ipRoute(spec.Route{To: netip.PrefixFrom(netip.IPv6Unspecified(), 0), Via: six.Gateway, Dev: in.Name}))
		default:
			j.needs(in.Name, "ipv6.gateway", "route6-<if> default", "reads IPV6_DEFAULTGW only beside a static IPv6 address, and ignores a default route in route6-<if>")
		}
	}
	if len(six.Rules) > 0 && !j.has("ifcfg ROUTING_RULE6_n") {
		j.needs(in.Name, "route_table", "ifcfg ROUTING_RULE6_n", "reads no IPv6 policy rule from ifcfg files (and never reads rule6-<if>)")
	} else {
		for k, rule := range six.Rules {
			v.Rules = append(v.Rules, rhelRule{N: k + 1, Rule: ipRule(rule)})
		}
	}
	return lines
}

// routes6 writes route6-<if> (the default route of network-scripts, the
// table's and the described IPv6 routes) and, for network-scripts,
// rule6-<if>.
func (r RHEL) routes6(j *job, in *spec.Interface, lines []string) {
	six := &in.IPv6
	routes := six.AllRoutes()
	rulesOK := r.NetworkManager || len(six.Rules) == 0 || j.has("rule6-<if> file")
	if !rulesOK {
		// No rule would lead to the table: its routes are left out too.
		j.needs(in.Name, "route_table", "rule6-<if> file", "reads no rule6-<if> (IPv6 policy rules)")
		routes = six.Routes
	}
	for k, rt := range routes {
		if rt.IsDefault() && !j.has("route6-<if> default") {
			feature := "route_table"
			if k >= len(routes)-len(six.Routes) {
				feature = "routes (" + rt.To.String() + ")"
			}
			j.needs(in.Name, feature, "route6-<if> default", "ignores a default route in route6-<if> (\"ignoring manual default route\"), the table's IPv6 one included")
			continue
		}
		if rt.Src.IsValid() && !j.has("route6-<if> src") {
			j.needs(in.Name, "routes ("+rt.To.String()+")", "route6-<if> src", "adds route6-<if> lines while the addresses are still tentative (DAD): the kernel refuses the src (\"Invalid source address\")")
			continue
		}
		lines = append(lines, ipRoute(rt))
	}
	if len(lines) > 0 {
		rhelLinesFile(j, "route6-"+in.Name, "IPv6 routes of "+in.Name+", one `ip -6 route add` argument list per line.", lines)
	}
	if r.NetworkManager || len(six.Rules) == 0 || !rulesOK {
		return
	}
	var rules []string
	for _, rule := range six.Rules {
		rules = append(rules, ipRule(rule))
	}
	rhelLinesFile(j, "rule6-"+in.Name, "IPv6 policy rules of "+in.Name+", one `ip -6 rule add` argument list per line.", rules)
}
