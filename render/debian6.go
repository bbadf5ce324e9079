package render

import (
	"fmt"
	"strings"

	"github.com/enicfg/enicfg/spec"
)

// debianInet6 gives the interface's inet6 stanza: the static method
// (address, gateway, metric), dhcp (ISC dhclient -6) or auto (SLAAC), with
// the router advertisements' part set by accept_ra and sysctl, and the
// secondary addresses, table routes, rules and routes as ip -6 commands.
// Its pre-down commands are in Down.
func debianInet6(j *job, in *spec.Interface) debianStanza {
	six := &in.IPv6
	st := debianStanza{Name: in.Name, Family: "inet6"}
	var up, down []string
	if !in.HasIPv4() && in.MTU != 0 {
		// The inet6 methods set the IPv6 MTU only (0.8.6 on, by sysctl).
		up = append(up, fmt.Sprintf("pre-up ip link set dev %s mtu %d", in.Name, in.MTU))
	}
	// ra: the default route in main is the router of router
	// advertisements; the kernel installs it while accept_ra is on.
	ra := six.GatewayRA && six.DefaultRoute
	switch six.Mode {
	case spec.IPv6Static:
		st.Method = "static"
		st.Options = append(st.Options, "address "+six.Address.String())
	case spec.IPv6DHCP:
		// The lease is the address: no SLAAC beside it.
		st.Method = "dhcp"
		st.Options = append(st.Options, "autoconf 0")
	default:
		st.Method = "auto"
	}
	if six.Mode == spec.IPv6Static && !ra {
		// Nothing of the advertisements: no router, no prefix, no address
		// the description does not give (0.7.53 on do so by themselves
		// when gateway is set).
		st.Options = append(st.Options, "accept_ra 0")
	} else {
		// 2: the advertisements count even when the host forwards (the
		// auto method's own default from 0.7.48 on).
		if six.Mode != spec.IPv6SLAAC {
			st.Options = append(st.Options, "accept_ra 2")
		}
		up = append(up, debianSysctl6(in, "accept_ra_defrtr", map[bool]int{true: 1, false: 0}[ra]))
		if ra && six.HasMetric {
			if j.has("sysctl net.ipv6.conf.<if>.ra_defrtr_metric") {
				up = append(up, debianSysctl6(in, "ra_defrtr_metric", int(six.Metric)))
			} else {
				j.needs(in.Name, "ipv6.metric", "sysctl net.ipv6.conf.<if>.ra_defrtr_metric",
					"runs a kernel that puts the default route of router advertisements at metric 1024 whatever is asked (net.ipv6.conf.<if>.ra_defrtr_metric came with Linux 5.12); give ipv6.gateway as an address")
			}
		}
	}
	if !in.HasIPv4() {
		st.Options = debianDNS(in, st.Options)
	}
	up, down = debianGateway6(j, in, &st, up, down)
	up, down = debianRoutes6(in, up, down)
	st.Options = append(st.Options, up...)
	st.Down = down
	return st
}

// debianInet6Usable refuses what the target's ifupdown cannot do with
// the interface's IPv6.
func debianInet6Usable(j *job, in *spec.Interface) bool {
	if in.IPv6.Mode == spec.IPv6DHCP && !j.has("ifupdown iface inet6 dhcp") {
		j.needs(in.Name, "ipv6.dhcp", "ifupdown iface inet6 dhcp",
			"runs dhclient -6 before the link has its link-local address, and dhclient fails; describe the ENI's IPv6 address as static")
		return false
	}
	return true
}

// debianSysctl6 gives the pre-up command that sets an IPv6 key of the
// interface (a dot in its name is a slash in the key, as sysctl(8) asks).
func debianSysctl6(in *spec.Interface, key string, v int) string {
	return fmt.Sprintf("pre-up sysctl -q -w net.ipv6.conf.%s.%s=%d", strings.ReplaceAll(in.Name, ".", "/"), key, v)
}

// debianGateway6 writes the described IPv6 router as the default route:
// the static method's gateway (with its metric where the method has
// one), else ip -6 commands.
func debianGateway6(j *job, in *spec.Interface, st *debianStanza, up, down []string) ([]string, []string) {
	six := &in.IPv6
	if !six.DefaultRoute || !six.Gateway.IsValid() {
		return up, down
	}
	if six.Mode == spec.IPv6Static && (!six.HasMetric || j.has("ifupdown inet6 static metric")) {
		st.Options = append(st.Options, "gateway "+six.Gateway.String())
		if six.HasMetric {
			st.Options = append(st.Options, fmt.Sprintf("metric %d", six.Metric))
		}
		return up, down
	}
	r := fmt.Sprintf("default via %s dev %s", six.Gateway, in.Name)
	if six.HasMetric {
		r += fmt.Sprintf(" metric %d", six.Metric)
	}
	return append(up, "post-up ip -6 route add "+r), append(down, "pre-down ip -6 route del "+r+" || true")
}

// debianRoutes6 adds the commands of the secondary addresses (without
// duplicate address detection: a route may take one as its source at
// once), the table's routes, the rules and the extra routes, and the
// flush of the table's IPv6 routes (ip route flush table N takes IPv4
// only). The secondary addresses go last on the way down, after the
// routes that may send from them.
func debianRoutes6(in *spec.Interface, up, down []string) ([]string, []string) {
	six := &in.IPv6
	var last []string
	for _, ip := range six.SecondaryIPs {
		up = append(up, fmt.Sprintf("post-up ip -6 addr add %s dev %s nodad", ip, in.Name))
		last = append(last, fmt.Sprintf("pre-down ip -6 addr del %s dev %s || true", ip, in.Name))
	}
	for _, r := range six.TableRoutes {
		up = append(up, "post-up ip -6 route add "+ipRoute(r))
	}
	for _, r := range six.Rules {
		up = append(up, "post-up ip -6 rule add "+ipRule(r))
		down = append(down, "pre-down ip -6 rule del "+ipRule(r)+" || true")
	}
	for _, r := range six.Routes {
		up = append(up, "post-up ip -6 route add "+ipRoute(r))
		down = append(down, "pre-down ip -6 route del "+ipRoute(r)+" || true")
	}
	if in.Table != 0 && len(six.TableRoutes) > 0 {
		down = append(down, fmt.Sprintf("pre-down ip -6 route flush table %d || true", in.Table))
	}
	return up, append(down, last...)
}
