package render

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/enicfg/enicfg/spec"
)

// suseIfsysctl is an ifsysctl-<if> file: the IPv6 settings wicked reads
// for the interface and applies before it sets addresses.
type suseIfsysctl struct {
	Header string
	Notes  []string
	Lines  []string
}

// ipv6Usable refuses what the target's reader cannot do with the
// interface's IPv6, and tells whether the rest can be written.
func (s SUSE) ipv6Usable(j *job, in *spec.Interface) bool {
	six := &in.IPv6
	if s.Sysconfig && (six.Mode != spec.IPv6Static || six.GatewayRA) {
		what := "ipv6." + six.Mode
		if six.Mode == spec.IPv6Static {
			what = "ipv6.gateway: ra"
		}
		j.refuse(in.Name, what, "enicfg writes IPv6 for SLES 11's sysconfig scripts as static addresses and routes only: their DHCPv6 client (dhcp6c) and the kernel's router advertisements are not held to a real SLES 11 here; describe the IPv6 address and router as static")
		return false
	}
	ra := six.GatewayRA && six.DefaultRoute
	if six.Mode != spec.IPv6Static && !ra {
		// The kernel installs the advertised router as the default
		// route while it accepts advertisements, and wicked has no
		// setting for that (accept_ra_defrtr).
		j.needs(in.Name, "ipv6."+six.Mode, "ifsysctl-<if> accept_ra_defrtr",
			"takes the prefix from router advertisements and the kernel then installs their router as the default route, which the description does not want (default_route: false or a gateway of its own); give the ENI a static IPv6 address")
		return false
	}
	if ra && six.HasMetric {
		j.needs(in.Name, "ipv6.metric", "ifsysctl-<if> ra_defrtr_metric",
			"leaves the default route of router advertisements at the kernel's metric 1024; give ipv6.gateway as an address")
		return false
	}
	if six.Mode == spec.IPv6SLAAC && !j.has("ifcfg BOOTPROTO=auto6") {
		j.needs(in.Name, "ipv6.slaac", "ifcfg BOOTPROTO=auto6", "has no BOOTPROTO for addresses from router advertisements")
		return false
	}
	return true
}

// ipv6 writes the interface's IPv6: BOOTPROTO (dhcp6, auto6 or static,
// with dhcp4 where IPv4 takes DHCP), the static addresses as IPADDR_n in
// CIDR form (after the IPv4 ones; no label: IPv6 addresses have none),
// the default route via a described router, and the ifsysctl-<if> that
// keeps router advertisements away from a static interface (accept_ra 0)
// and SLAAC addresses away from a DHCPv6 one (autoconf 0). It gives the
// routes with the IPv6 default route added, and the extra IPv6 routes
// that can be written.
//
// wicked 0.6.65 and later delete and re-add every IPv6 address on a
// repeated ifup to run duplicate address detection again (42b443fb),
// unless the interface has none (accept_dad 0); the kernel then drops the
// preferred source of the routes that had one, and wicked does not set
// it again (seen with 0.6.79 in TestWickedIfup). An interface with an
// IPv6 route from a source address gets accept_dad = 0.
func (s SUSE) ipv6(j *job, in *spec.Interface, f *suseIfcfg, routes []spec.Route) ([]spec.Route, []spec.Route) {
	six := &in.IPv6
	for k, p := range six.IPs() {
		suffix := fmt.Sprintf("_%d", len(in.SecondaryIPs)+k)
		if !in.HasIPv4() {
			suffix = ""
			if k > 0 {
				suffix = fmt.Sprintf("_%d", k-1)
			}
		}
		f.Addrs = append(f.Addrs, suseAddr{Suffix: suffix, CIDR: p.String()})
	}
	if six.DefaultRoute && six.Gateway.IsValid() {
		routes = append(routes, spec.Route{
			To: netip.PrefixFrom(netip.IPv6Unspecified(), 0), Via: six.Gateway, Dev: in.Name,
			HasMetric: six.HasMetric, Metric: six.Metric,
		})
	}
	name := strings.ReplaceAll(in.Name, ".", "/")
	var lines []string
	switch {
	case six.Mode == spec.IPv6Static && !(six.GatewayRA && six.DefaultRoute):
		lines = []string{"net.ipv6.conf." + name + ".accept_ra = 0", "net.ipv6.conf." + name + ".autoconf = 0"}
	case six.Mode != spec.IPv6SLAAC:
		lines = []string{"net.ipv6.conf." + name + ".autoconf = 0"}
	}
	var routes6 []spec.Route
	dad := false
	for _, r := range six.Routes {
		if r.Src.IsValid() && !s.Sysconfig {
			if !j.has("ifsysctl-<if> accept_dad") {
				j.needs(in.Name, "routes (to "+r.To.String()+")", "ifsysctl-<if> accept_dad",
					"deletes and re-adds the IPv6 addresses on a repeated ifup (from 0.6.65), and the route loses its source address")
				continue
			}
			dad = true
		}
		routes6 = append(routes6, r)
	}
	if dad {
		lines = append(lines, "net.ipv6.conf."+name+".accept_dad = 0")
	}
	if !j.has("ifsysctl-<if> file") {
		return routes, routes6 // SLES 11 GA: the kernel's defaults stay
	}
	if len(lines) > 0 {
		j.add(suseDir+"ifsysctl-"+in.Name, 0o644, "lines.tmpl", suseIfsysctl{
			Header: j.header("#"),
			Notes:  []string{"IPv6 settings of " + in.Name + ", ifsysctl(5): applied before the addresses are set."},
			Lines:  lines,
		})
	}
	return routes, routes6
}

// suseBootproto gives BOOTPROTO: dhcp6 or auto6 for the IPv6 written
// (six), with dhcp4 where IPv4 takes DHCP; dhcp4 for DHCP beside static
// IPv6 (dhcp would run DHCPv6 too, and add an address not described);
// dhcp for DHCP without IPv6, as before the IPv6 work (dhcp4 alone left
// one interface of two without its lease within wicked's 30 s in 2 of 14
// TestWickedIfup runs with 0.6.79; dhcp in none of 8); static otherwise.
// Static addresses (IPADDR_n) go with every form.
func suseBootproto(in *spec.Interface, six bool) string {
	v6 := ""
	if six {
		v6 = map[string]string{spec.IPv6DHCP: "dhcp6", spec.IPv6SLAAC: "auto6"}[in.IPv6.Mode]
	}
	switch {
	case in.DHCP && v6 != "":
		return "dhcp4+" + v6
	case in.DHCP && six:
		return "dhcp4"
	case in.DHCP:
		return "dhcp"
	case v6 != "":
		return v6
	}
	return "static"
}

// suseIfcfgKeys names the variables of an ifcfg file (shellKeys), the
// BOOTPROTO value ("ifcfg BOOTPROTO=dhcp4+dhcp6") and an IPv6 address
// in IPADDR ("ifcfg IPADDR IPv6").
func suseIfcfgKeys(data []byte) ([]string, error) {
	keys, err := shellKeys("ifcfg ", data)
	if err != nil {
		return nil, err
	}
	for _, l := range dataLines(data, "#") {
		k, v, _ := strings.Cut(l, "=")
		v = strings.Trim(v, `"'`)
		switch {
		case k == "BOOTPROTO" && v != "static" && v != "dhcp":
			keys = append(keys, "ifcfg BOOTPROTO="+v)
		case strings.HasPrefix(k, "IPADDR") && strings.Contains(v, ":"):
			keys = append(keys, "ifcfg IPADDR IPv6")
		}
	}
	return keys, nil
}

// suseIPv6Keys adds "<prefix> ipv6" for a file with an IPv6 line (an
// ifroute line whose columns hold a colon, an ifrule line of family
// ipv6) to the keys of ifroute or ifrule.
func suseIPv6Keys(prefix string, data []byte, keys []string) []string {
	for _, l := range dataLines(data, "#") {
		f := strings.Fields(l)
		if len(f) > 0 && (f[0] == "ipv6" || strings.Contains(f[0], ":") || len(f) > 1 && strings.Contains(f[1], ":")) {
			return append(keys, prefix+" ipv6")
		}
	}
	return keys
}

// ifsysctlKeys names the settings of an ifsysctl file:
// "ifsysctl-<if> accept_ra".
func ifsysctlKeys(data []byte) ([]string, error) {
	s := keySet{}
	s.add("ifsysctl-<if> file")
	for _, l := range dataLines(data, "#") {
		k, _, ok := strings.Cut(l, "=")
		parts := strings.Split(strings.TrimSpace(k), ".")
		if !ok || len(parts) != 5 {
			return nil, fmt.Errorf("line %q is not net.ipv6.conf.<if>.<key> = value", l)
		}
		s.add("ifsysctl-<if> " + parts[4])
	}
	return s.list(), nil
}
