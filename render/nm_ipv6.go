package render

import (
	"fmt"
	"net/netip"

	"github.com/enicfg/enicfg/spec"
	"github.com/enicfg/enicfg/versions"
)

// nmFile6 is a keyfile's [ipv6] group. An interface without IPv6 keeps
// method=auto, as the keyfiles always had (NetworkManager's default).
type nmFile6 struct {
	Method       string
	Addrs        []string
	Gateway      string
	NeverDefault bool
	Metric       string
	NoDNS        bool
	AddrGen      string
	Privacy      string
	Search       string
	Routes       []nmRoute
	Rules        []string
}

// keyfileIPv6 gives the [ipv6] group of the interface:
//
//   - static: method=manual (NetworkManager handles no router
//     advertisements then), the addresses, gateway= the router;
//   - DHCPv6: method=auto: NetworkManager asks DHCPv6 when the
//     advertisement has the managed flag (method=dhcp would take no
//     route from advertisements: neither the on-link prefix nor the
//     default route);
//   - SLAAC: method=auto with addr-gen-mode=eui64, the address the
//     cloud's and the kernel's SLAAC make (a keyfile without the key
//     reads as eui64 up to 1.38, and from 1.40 on as the configuration's
//     ipv6.addr-gen-mode default, which an image may set to
//     stable-privacy).
//
// The auto method has ip6-privacy=0: without it NetworkManager takes
// the global default of its configuration, else the host's
// net.ipv6.conf.default.use_tempaddr (2 on images that turn privacy
// extensions on), and adds temporary addresses the cloud never assigned
// to the ENI, which outgoing connections would then use.
//
// A static interface whose router comes from router advertisements is
// refused: method=manual takes nothing of them, and method=auto also
// adds the advertisement's SLAAC address and starts DHCPv6 when its
// managed flag is set; no release has a key that takes only the router.
//
// A router described on a DHCPv6 or SLAAC interface is a default route
// (::/0 via it) with never-default=true, so that the advertised one stays
// out; without a default route, never-default=true too. The table's
// routes, the extra routes and the rules go into the group as for IPv4.
func keyfileIPv6(j *job, in *spec.Interface) nmFile6 {
	six := &in.IPv6
	f := nmFile6{Method: "auto"}
	if !six.Enabled() {
		return f
	}
	if six.Mode == spec.IPv6Static && six.GatewayRA && six.DefaultRoute {
		j.refuse(in.Name, "ipv6.gateway ra", "NetworkManager (every release) takes nothing of router advertisements with a static address (ipv6.method=manual), and with ipv6.method=auto it also adds the advertised SLAAC address and starts DHCPv6 when the managed flag is set: give ipv6.gateway as an address (the router's fe80:: address), or describe the ENI with dhcp: true")
	}
	for _, ip := range six.IPs() {
		f.Addrs = append(f.Addrs, ip.String())
	}
	metric, hasMetric := six.Metric, six.HasMetric
	if hasMetric {
		f.Metric = fmt.Sprint(metric)
	}
	switch six.Mode {
	case spec.IPv6Static:
		f.Method = "manual"
		if six.DefaultRoute && six.Gateway.IsValid() {
			f.Gateway = six.Gateway.String()
		}
		f.NeverDefault = !six.DefaultRoute
	case spec.IPv6SLAAC:
		f.AddrGen = "eui64"
		fallthrough
	default:
		f.Privacy = "0"
		f.NeverDefault = !six.DefaultRoute || six.Gateway.IsValid()
		if six.DefaultRoute && six.Gateway.IsValid() {
			def := spec.Route{To: defaultRoute6, Via: six.Gateway, HasMetric: hasMetric, Metric: metric}
			f.Routes = append(f.Routes, nmRouteOf6(def))
		}
		f.NoDNS = !in.Primary
	}
	for _, r := range six.AllRoutes() {
		f.Routes = append(f.Routes, nmRouteOf6(r))
	}
	for _, r := range six.Rules {
		f.Rules = append(f.Rules, fmt.Sprintf("priority %d from %s table %d", r.Priority, r.From, r.Table))
	}
	return f
}

var defaultRoute6 = netip.PrefixFrom(netip.IPv6Unspecified(), 0)

// nmRouteOf6 is nmRouteOf for IPv6: a route without a router but with a
// metric names the unspecified router "::".
func nmRouteOf6(r spec.Route) nmRoute {
	nr := nmRouteOf(r)
	if !r.Via.IsValid() && r.HasMetric {
		nr.Route = fmt.Sprintf("%s,::,%d", r.To, r.Metric)
	}
	return nr
}

// nmIPv4Method is the [ipv4] method: disabled on an IPv6-only interface.
func nmIPv4Method(in *spec.Interface) string {
	switch {
	case !in.HasIPv4():
		return "disabled"
	case in.DHCP:
		return "auto"
	}
	return "manual"
}

// nmConstructs6 are the keys of the [ipv6] group (the method's rows are
// in nmConstructs). Every nm target has NetworkManager 1.36 or newer.
var nmConstructs6 = versions.Table{
	{Key: "keyfile [ipv6] addressN", Tool: versions.NetworkManager, Since: "0.9.8.0", Source: "NetworkManager cca9cfc8 \"keyfile: read and write a nicer format for IPv4 and IPv6 addresses and routes\" (0.9.8.0)"},
	{Key: "keyfile [ipv6] routeN", Tool: versions.NetworkManager, Since: "0.9.8.0", Source: "NetworkManager cca9cfc8 \"keyfile: read and write a nicer format for IPv4 and IPv6 addresses and routes\" (0.9.8.0)"},
	{Key: "keyfile [ipv6] gateway", Tool: versions.NetworkManager, Since: "1.0.0", Source: "NetworkManager f17699f4 \"libnm-core: add NMSettingIPConfig:gateway\" (1.0.0), for both families; a link-local gateway is accepted (nm_setting_ip_config gateway verify: any IPv6 address)"},
	{Key: "keyfile [ipv6] never-default", Tool: versions.NetworkManager, Since: "0.8", Source: "NetworkManager 90bd1ad5 \"Install and fix up libnm-util IPv6 config stuff\" (NM_SETTING_IP6_CONFIG_NEVER_DEFAULT, first tagged 0.7.997); keyfile reads [ipv6] from 0.8 (a74e2cfd)"},
	{Key: "keyfile [ipv6] route-metric", Tool: versions.NetworkManager, Since: "1.0.0", Source: "NetworkManager ce7fc351 \"libnm: add NMSettingIPConfig:route-metric\" (1.0.0), for both families; it is also the metric of the routes of router advertisements"},
	{Key: "keyfile [ipv6] ignore-auto-dns", Tool: versions.NetworkManager, Since: "0.8", Source: "NetworkManager 567396ad (NM_SETTING_IP6_CONFIG_IGNORE_AUTO_DNS, 0.7.1); keyfile reads [ipv6] from 0.8 (a74e2cfd); for IPv6 it drops the servers of DHCPv6 and of advertisements (RDNSS)"},
	{Key: "keyfile [ipv6] dns-search", Tool: versions.NetworkManager, Since: "0.8", Source: "NetworkManager 5a516abc (NM_SETTING_IP6_CONFIG_DNS_SEARCH, 0.7.1); keyfile reads [ipv6] from 0.8 (a74e2cfd); a list of domains, each followed by ';'"},
	{Key: "keyfile [ipv6] ip6-privacy", Tool: versions.NetworkManager, Since: "0.9.4.0", Source: "NetworkManager 788720ab \"libnm-util: add a property for IPv6 Privacy Extensions to NMSettingIP6Config\" (2012, first tagged 0.9.3.995, a 0.9.4 pre-release); -1 (the default) falls back to the configuration's ipv6.ip6-privacy, then to net.ipv6.conf.default.use_tempaddr (1.42 src/core/devices/nm-device.c _prop_get_ipv6_ip6_privacy); 0 disables temporary addresses"},
	{Key: "keyfile [ipv6] addr-gen-mode", Tool: versions.NetworkManager, Since: "1.2.0", Source: "NetworkManager 60811b48 \"setting-ip6-config: add addr-gen-mode property\" and f70c8f3d \"keyfile: add support for addr-gen-mode property\" (1.2.0; NEWS 1.2: stable-privacy addresses, RFC 7217); the key's absence reads as eui64, from 1.40 on as default-or-eui64 (the configuration's ipv6.addr-gen-mode)"},
	{Key: "keyfile [ipv6] routeN_options", Tool: versions.NetworkManager, Since: "1.8.0", Source: "NetworkManager cdfa6251 \"keyfile: support route options\" (1.8.0)"},
	{Key: "keyfile [ipv6] routeN_options src", Tool: versions.NetworkManager, Since: "1.8.0", Source: "NetworkManager 54e58eb9 and 80dfb8cd: route attribute src (1.8.0, NEWS 1.8)"},
	{Key: "keyfile [ipv6] routeN_options table", Tool: versions.NetworkManager, Since: "1.10.0", Source: "NetworkManager 5b0f895e \"libnm,core: add TABLE attribute for routes settings\" (1.10.0)"},
	{Key: "keyfile [ipv6] routing-ruleN", Tool: versions.NetworkManager, Since: "1.18.0", Source: "NetworkManager 6e6d1e07 \"libnm: add API to NMSettingIPConfig for routing rules\" (1.18.0)"},
}
