package render_test

import (
	"fmt"
	"net/netip"
	"slices"
	"testing"

	"github.com/enicfg/enicfg/internal/winmodel"
	"github.com/enicfg/enicfg/spec"
)

// convergeCases6 are the IPv6 cases of TestWindowsConverge: dual stack
// (static IPv6 with secondaries, a link-local router with a metric,
// routes via link-local and on-link, the MTU; a secondary ENI with a
// route_table and a global router, whose return path is its own default
// route at 9999; DHCPv6 with a secondary and no default route) and
// IPv6-only ENIs (SLAAC with the router advertisements' default route; a
// static secondary ENI with a table). Each prev is a different IPv6
// description an earlier run left.
var convergeCases6 = []convergeCase{
	{name: "dual-stack", target: "windows2022", ipv6: true, yaml: `
version: 1
interfaces:
  - name: eth0
    mac: "00:16:3e:00:00:01"
    address: 172.16.0.20/24
    gateway: 172.16.0.253
    metric: 10
    mtu: 9001
    ipv6:
      address: 2001:db8:10::20/64
      secondary_ips: [2001:db8:10::21, 2001:db8:10::22]
      gateway: fe80::1
      metric: 10
    routes:
      - to: 2001:db8:99::/48
        via: fe80::1
        metric: 20
      - to: 2001:db8:98::/48
  - name: eth1
    mac: "00:16:3e:00:00:02"
    address: 172.16.1.20/24
    gateway: 172.16.1.253
    route_table: 1001
    ipv6:
      address: 2001:db8:11::20/64
      secondary_ips: [2001:db8:11::21]
      gateway: 2001:db8:11::1
  - name: eth2
    mac: "00:16:3e:00:00:03"
    dhcp: true
    subnet: 172.16.2.0/24
    default_route: false
    ipv6:
      dhcp: true
      subnet: 2001:db8:12::/64
      secondary_ips: [2001:db8:12::21]
`, prev: `
version: 1
interfaces:
  - name: eth0
    mac: "00:16:3e:00:00:01"
    address: 172.16.0.20/24
    gateway: 172.16.0.253
    metric: 10
    ipv6:
      address: 2001:db8:10::20/48
      secondary_ips: [2001:db8:10::21, 2001:db8:10::30]
      gateway: fe80::2
      metric: 30
    routes:
      - to: 2001:db8:99::/48
        via: fe80::2
  - name: eth1
    mac: "00:16:3e:00:00:02"
    address: 172.16.1.20/24
    gateway: 172.16.1.253
    ipv6:
      slaac: true
      default_route: false
  - name: eth2
    mac: "00:16:3e:00:00:03"
    dhcp: true
    subnet: 172.16.2.0/24
    default_route: false
    ipv6:
      address: 2001:db8:12::50/64
      gateway: fe80::1
      default_route: true
      metric: 40
`},
	{name: "ipv6-only", target: "windows2022", ipv6: true, yaml: `
version: 1
interfaces:
  - name: eth0
    mac: "00:16:3e:00:00:01"
    ipv6:
      slaac: true
  - name: eth1
    mac: "00:16:3e:00:00:02"
    route_table: 1001
    ipv6:
      address: 2001:db8:21::10/64
      secondary_ips: [2001:db8:21::11, 2001:db8:21::12]
      gateway: fe80::1
    routes:
      - to: 2001:db8:97::/48
        via: 2001:db8:21::1
`, prev: `
version: 1
interfaces:
  - name: eth0
    mac: "00:16:3e:00:00:01"
    ipv6:
      address: 2001:db8:20::10/64
      gateway: fe80::1
  - name: eth1
    mac: "00:16:3e:00:00:02"
    address: 172.16.1.20/24
    gateway: 172.16.1.253
    ipv6:
      dhcp: true
      subnet: 2001:db8:21::/64
      secondary_ips: [2001:db8:21::12]
`},
}

// convergeStarts6 are the starting states of the IPv6 cases besides the
// general ones: IPv6 made by hand before any run of enicfg (the
// described addresses with another prefix or SkipAsSource, router
// discovery on), and, for the .ps1 only, IPv6 left by hand after a run
// (a static address and a default route that are not described, a route
// by another next hop), which the .cmd cannot see: no untranslated
// output lists IPv6 addresses or routes, and it knows only its record.
var convergeStarts6 = []convergeStart{
	{name: "ipv6-by-hand", ipv6: true, prepare: func(t *testing.T, h *winmodel.Host, c convergeCase, kind string) {
		m := scenario{name: c.name, yaml: c.yaml}.load(t)
		for k, in := range m.Interfaces {
			ips := in.IPv6.IPs()
			if len(ips) == 0 {
				continue
			}
			a := h.Adapters[k]
			// the first with a /48 and SkipAsSource, the others
			// without SkipAsSource
			a.Addrs = append(a.Addrs, winmodel.Addr{IP: ips[0].Addr().String(), Bits: 48, Skip: true, Origin: "Manual"})
			for _, p := range ips[1:] {
				a.Addrs = append(a.Addrs, winmodel.Addr{IP: p.Addr().String(), Bits: p.Bits(), Origin: "Manual"})
			}
		}
	}},
	{name: "ipv6-left-by-hand", ipv6: true, onlyPS: true, prepare: func(t *testing.T, h *winmodel.Host, c convergeCase, kind string) {
		m := scenario{name: c.name, yaml: c.yaml}.load(t)
		if code, err := runWindowsScript(t, h, c.target, m, kind); err != nil || code != 0 {
			t.Fatalf("the first run: exit %d, %v\n%s", code, err, h.Out.String())
		}
		for k, in := range m.Interfaces {
			if !in.IPv6.Enabled() {
				continue
			}
			a := h.Adapters[k]
			a.Addrs = append(a.Addrs, winmodel.Addr{IP: fmt.Sprintf("2001:db8:ffff::%x", k+1), Bits: 64, Origin: "Manual"})
			if !slices.ContainsFunc(a.Routes, func(r winmodel.Route) bool { return r.Prefix == "::/0" }) {
				a.Routes = append(a.Routes, winmodel.Route{Prefix: "::/0", NextHop: "fe80::99", Origin: "NetMgmt"})
			}
			for _, r := range in.IPv6.Routes {
				a.Routes = append(a.Routes, winmodel.Route{Prefix: r.To.String(), NextHop: "fe80::98", Origin: "NetMgmt"})
			}
		}
		h.Changes = nil
	}},
}

// freshLink6 is what the link of a fresh image offers IPv6: router
// advertisements from fe80::1 (the cloud's router) with the subnet as an
// autonomous prefix (a static interface must not take an address from
// them) or, for DHCPv6, with the M flag and no autonomous prefix, and a
// DHCPv6 server leasing <subnet>::d6.
func freshLink6(in *spec.Interface, k int) winmodel.Link6 {
	six := &in.IPv6
	sub := six.Subnet
	if !sub.IsValid() {
		sub = netip.MustParsePrefix(fmt.Sprintf("2001:db8:ee:%x::/64", k))
	}
	l := winmodel.Link6{Router: "fe80::1"}
	if six.Mode == spec.IPv6DHCP {
		b := sub.Masked().Addr().As16()
		b[15] = 0xd6
		l.Managed, l.Addr = true, netip.AddrFrom16(b)
	} else {
		l.Prefix = sub
	}
	return l
}

// checkWanted6 holds an adapter's IPv6 to the description, worked out
// here from the description: the static addresses (the secondaries
// SkipAsSource), DHCPv6's or SLAAC's address and nothing from router
// advertisements on a static interface; the routes (checkRoutes6);
// router discovery and managed address configuration; the IPv6 MTU. Without IPv6 described,
// the adapter's IPv6 is the image's.
func checkWanted6(t *testing.T, h *winmodel.Host, a *winmodel.Adapter, in *spec.Interface, kind string) {
	t.Helper()
	six := &in.IPv6
	if !six.Enabled() {
		return
	}
	var want, got []string
	for k, p := range six.IPs() {
		s := p.String() + " Manual"
		if k > 0 || six.Mode != spec.IPv6Static {
			s += " skip"
		}
		want = append(want, s)
	}
	switch six.Mode {
	case spec.IPv6DHCP:
		want = append(want, a.Link6.Addr.String()+"/128 Dhcp")
	case spec.IPv6SLAAC:
		want = append(want, "SLAAC in "+a.Link6.Prefix.String())
	}
	for _, x := range a.Addrs {
		if !x.Is6() || x.Origin == "WellKnown" {
			continue
		}
		s := fmt.Sprintf("%s/%d %s", x.IP, x.Bits, x.Origin)
		if x.Origin == "RouterAdvertisement" && a.Link6.Prefix.Contains(netip.MustParseAddr(x.IP)) {
			s = "SLAAC in " + a.Link6.Prefix.String()
		}
		if x.Skip {
			s += " skip"
		}
		got = append(got, s)
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("%s: IPv6 addresses %q, want %q", in.Name, got, want)
	}
	checkRoutes6(t, a, in)
	if rd := six.Mode != spec.IPv6Static; a.RouterDiscovery != rd {
		t.Errorf("%s: router discovery %v, want %v", in.Name, a.RouterDiscovery, rd)
	}
	if m := six.Mode == spec.IPv6DHCP; a.ManagedAddress != m {
		t.Errorf("%s: managed address configuration %v, want %v", in.Name, a.ManagedAddress, m)
	}
	if in.MTU != 0 && a.MTU6 != in.MTU {
		t.Errorf("%s: IPv6 MTU %d, want %d", in.Name, a.MTU6, in.MTU)
	}
}

// checkRoutes6: the IPv6 default route (the described router's with its
// metric, a secondary ENI's return path at 9999, or the advertisements')
// and the extra routes.
func checkRoutes6(t *testing.T, a *winmodel.Adapter, in *spec.Interface) {
	t.Helper()
	six := &in.IPv6
	var want, got []string
	switch {
	case six.DefaultRoute && six.GatewayRA:
		want = append(want, "::/0 via "+a.Link6.Router+" RouterAdvertisement")
	case six.DefaultRoute:
		r := "::/0 via " + six.Gateway.String()
		if six.HasMetric {
			r += fmt.Sprintf(" metric %d", six.Metric)
		}
		want = append(want, r)
	case !in.Primary && six.Gateway.IsValid() && (in.Table != 0 || len(six.SecondaryIPs) > 0):
		want = append(want, "::/0 via "+six.Gateway.String()+" metric 9999")
	}
	metrics := map[string]bool{"::/0": six.HasMetric || !six.DefaultRoute}
	for _, r := range six.Routes {
		via := "::"
		if r.Via.IsValid() {
			via = r.Via.String()
		}
		s := r.To.String() + " via " + via
		if r.HasMetric {
			s += fmt.Sprintf(" metric %d", r.Metric)
		}
		metrics[r.To.String()] = r.HasMetric
		want = append(want, s)
	}
	for _, r := range a.Routes {
		if !r.Is6() {
			continue
		}
		s := r.Prefix + " via " + r.NextHop
		if r.Origin == "RouterAdvertisement" {
			s += " RouterAdvertisement"
		} else if metrics[r.Prefix] {
			s += fmt.Sprintf(" metric %d", r.Metric)
		}
		got = append(got, s)
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("%s: IPv6 routes %q, want %q", in.Name, got, want)
	}
}
