package netlab

import (
	"fmt"
	"net"
	"net/netip"
	"path/filepath"
	"testing"

	"github.com/enicfg/enicfg/live"
	"github.com/enicfg/enicfg/spec"
)

// IPv6Lab is what the lab's router gives each interface that takes IPv6
// from the network (DHCPv6, SLAAC, or its router from advertisements):
// the DHCPv6 address (a /128), the SLAAC address (EUI-64 of the link's
// MAC in the advertised /64), the advertised prefix, and the router's
// link-local address (known once the router runs).
type IPv6Lab struct {
	Leases   map[string]netip.Prefix
	SLAAC    map[string]netip.Prefix
	Prefixes map[string]netip.Prefix
	Routers  map[string]netip.Addr
}

// Fill gives e the lab's IPv6 knowledge.
func (l IPv6Lab) Fill(e live.Expect) live.Expect {
	e.Leases6, e.SLAAC, e.Prefixes6, e.Routers6 = l.Leases, l.SLAAC, l.Prefixes, l.Routers
	return e
}

// served6 tells whether the lab's router serves the interface's IPv6.
func served6(in *spec.Interface) bool {
	six := &in.IPv6
	return six.Mode == spec.IPv6DHCP || six.Mode == spec.IPv6SLAAC || six.GatewayRA
}

// Leases6 gives the IPv6 that the lab's router hands out: prefixes (the
// described subnet, else 2001:db8:f0<k>::/64), DHCPv6 addresses (::100
// plus the interface's position, avoiding the described ones) and SLAAC
// addresses. Routers are known only once the router runs.
func Leases6(m *spec.Model, macs map[string]string) IPv6Lab {
	l := IPv6Lab{Leases: map[string]netip.Prefix{}, SLAAC: map[string]netip.Prefix{}, Prefixes: map[string]netip.Prefix{}, Routers: map[string]netip.Addr{}}
	used := map[netip.Addr]bool{}
	for _, in := range m.Interfaces {
		for _, p := range in.IPv6.IPs() {
			used[p.Addr()] = true
		}
	}
	for k, in := range m.Interfaces {
		if !served6(in) {
			continue
		}
		prefix := in.IPv6.Subnet
		if !prefix.IsValid() {
			prefix = netip.MustParsePrefix(fmt.Sprintf("2001:db8:f0%02x::/64", k))
		}
		l.Prefixes[in.Name] = prefix
		switch in.IPv6.Mode {
		case spec.IPv6DHCP:
			a := prefix.Addr()
			for i := 0; i < 0x100+k || used[a]; i++ {
				a = a.Next()
			}
			used[a] = true
			l.Leases[in.Name] = netip.PrefixFrom(a, 128)
		case spec.IPv6SLAAC:
			l.SLAAC[in.Name] = netip.PrefixFrom(EUI64(prefix, macs[in.Name]), prefix.Bits())
		}
	}
	return l
}

// EUI64 gives the modified EUI-64 address of mac in prefix (RFC 4291
// appendix A), as the kernel's SLAAC makes it (addr_gen_mode 0).
func EUI64(prefix netip.Prefix, mac string) netip.Addr {
	hw, err := net.ParseMAC(mac)
	if err != nil || len(hw) != 6 {
		return netip.Addr{}
	}
	b := prefix.Masked().Addr().As16()
	b[8], b[9], b[10], b[11] = hw[0]^0x02, hw[1], hw[2], 0xff
	b[12], b[13], b[14], b[15] = 0xfe, hw[3], hw[4], hw[5]
	return netip.AddrFrom16(b)
}

// startRA runs dnsmasq as the IPv6 router on the peer of each interface
// that takes IPv6 from the network: router advertisements of the prefix
// (with the autonomous flag for SLAAC, the managed flag for DHCPv6) and,
// for DHCPv6, a range of exactly the interface's lease. The peer holds
// <prefix>::1 (dnsmasq needs an address in the range's prefix) and the
// link-local RouterLinkLocal, its only one (no address is generated: the
// kernel would add one only once the link under test is up), which is
// the router the advertisements announce.
func startRA(t *testing.T, lab *Lab, m *spec.Model, macs map[string]string) IPv6Lab {
	t.Helper()
	l := Leases6(m, macs)
	for _, in := range m.Interfaces {
		if !served6(in) {
			continue
		}
		Require(t, true, "dnsmasq")
		prefix, peer := l.Prefixes[in.Name], lab.Peer(in.Name)
		routerGlobal := prefix.Masked().Addr().Next()
		Must(t, "ip", "-n", lab.Sink, "addr", "add", netip.PrefixFrom(routerGlobal, prefix.Bits()).String(), "dev", peer, "nodad")
		Must(t, "ip", "-n", lab.Sink, "link", "set", peer, "addrgenmode", "none")
		Must(t, "ip", "-n", lab.Sink, "addr", "add", RouterLinkLocal.String()+"/64", "dev", peer, "nodad")
		l.Routers[in.Name] = RouterLinkLocal
		var rng string
		switch in.IPv6.Mode {
		case spec.IPv6SLAAC:
			rng = fmt.Sprintf("%s,ra-only,%d,1h", prefix.Masked().Addr(), prefix.Bits())
		case spec.IPv6DHCP:
			a := l.Leases[in.Name].Addr()
			rng = fmt.Sprintf("%s,%s,%d,1h", a, a, prefix.Bits())
		default: // a static address with the router of advertisements: no address to hand out
			a := prefix.Masked().Addr()
			for i := 0; i < 0xfff0; i++ {
				a = a.Next()
			}
			rng = fmt.Sprintf("%s,%s,%d,1h", a, a, prefix.Bits())
		}
		dir := t.TempDir()
		Start(t, "ip", "netns", "exec", lab.Sink, "dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null",
			"--no-resolv", "--no-hosts", "--port=0", "--user=root", "--group=root", "--bind-interfaces",
			"--interface="+peer, "--except-interface=lo", "--pid-file="+filepath.Join(dir, "pid"),
			"--dhcp-leasefile="+filepath.Join(dir, "leases"), "--dhcp-authoritative",
			"--enable-ra", "--ra-param="+peer+",4,1800", "--dhcp-range="+rng)
		waitForFile(t, filepath.Join(dir, "pid"), "dnsmasq (IPv6) on "+peer)
	}
	return l
}

// RouterLinkLocal is the lab router's link-local address on every link.
var RouterLinkLocal = netip.MustParseAddr("fe80::a:1")
