package winmodel

import (
	"net/netip"
	"slices"
	"testing"
)

// ipv6Adapter is an adapter on a link with router advertisements from
// fe80::1 (prefix 2001:db8:1::/64, M flag) and a DHCPv6 server, router
// discovery on as Windows has it.
func ipv6Adapter() (*Host, *Adapter) {
	a := &Adapter{Name: "Ethernet", MAC: "00-16-3E-00-00-01", GUID: "{1}", Index: 7, Present: true, Up: true, RouterDiscovery: true,
		Link6: Link6{Router: "fe80::1", Prefix: netip.MustParsePrefix("2001:db8:1::/64"), Managed: true, Addr: netip.MustParseAddr("2001:db8:1::d6")}}
	a.Settle6()
	return &Host{Adapters: []*Adapter{a}}, a
}

func origins(a *Adapter) (addrs, routes []string) {
	for _, x := range a.Addrs {
		addrs = append(addrs, x.Origin+" "+x.IP)
	}
	for _, r := range a.Routes {
		routes = append(routes, r.Origin+" "+r.Prefix+" "+r.NextHop)
	}
	slices.Sort(addrs)
	slices.Sort(routes)
	return addrs, routes
}

// TestIPv6Link pins what the link gives: with router discovery, a SLAAC
// address, the advertised default route and (M flag) the DHCPv6 /128;
// without it, the link-local address only; the advertised default route
// goes with ignoredefaultroutes.
func TestIPv6Link(t *testing.T) {
	h, a := ipv6Adapter()
	addrs, routes := origins(a)
	want := []string{"Dhcp 2001:db8:1::d6", "RouterAdvertisement 2001:db8:1::aa:7", "WellKnown fe80::1:7"}
	if !slices.Equal(addrs, want) || !slices.Equal(routes, []string{"RouterAdvertisement ::/0 fe80::1"}) {
		t.Fatalf("fresh: %q %q, want %q and the advertised ::/0", addrs, routes, want)
	}
	if out, code := h.netsh([]string{"interface", "ipv6", "set", "interface", "interface=Ethernet", "ignoredefaultroutes=enabled"}); code != 0 {
		t.Fatal(out)
	}
	if _, routes := origins(a); len(routes) != 0 {
		t.Errorf("ignoredefaultroutes=enabled kept %q", routes)
	}
	if out, code := h.netsh([]string{"interface", "ipv6", "set", "interface", "interface=Ethernet", "routerdiscovery=disabled"}); code != 0 {
		t.Fatal(out)
	}
	if addrs, _ := origins(a); !slices.Equal(addrs, []string{"WellKnown fe80::1:7"}) {
		t.Errorf("router discovery off: %q, want the link-local address only", addrs)
	}
}

// TestIPv6AddAddress: netsh ipv6 add address takes address/len and
// skipassource, turns managed address configuration off (the model's
// reading of the reference), and a second add fails; the link-local
// address cannot be deleted; ipv4 and ipv6 commands keep apart.
func TestIPv6AddAddress(t *testing.T) {
	h, a := ipv6Adapter()
	a.ManagedAddress = true
	add := []string{"interface", "ipv6", "add", "address", "interface=Ethernet", "address=2001:db8:1::10/64", "skipassource=true"}
	if out, code := h.netsh(add); code != 0 {
		t.Fatal(out)
	}
	if a.ManagedAddress {
		t.Error("add address left managed address configuration on")
	}
	k := a.addr("2001:db8:1::10")
	if k < 0 || a.Addrs[k] != (Addr{IP: "2001:db8:1::10", Bits: 64, Skip: true, Origin: "Manual"}) {
		t.Fatalf("added %v", a.Addrs)
	}
	if _, code := h.netsh(add); code != 1 {
		t.Error("a second add address succeeded")
	}
	if _, code := h.netsh([]string{"interface", "ipv6", "delete", "address", "interface=Ethernet", "address=" + a.LinkLocal()}); code != 1 {
		t.Error("deleted the link-local address")
	}
	if _, code := h.netsh([]string{"interface", "ipv6", "add", "address", "interface=Ethernet", "address=10.0.0.5/24"}); code != 1 {
		t.Error("netsh ipv6 took an IPv4 address")
	}
	// IPv4 DHCP on keeps the static IPv6 address.
	a.SetDHCP(true)
	if a.addr("2001:db8:1::10") < 0 {
		t.Error("DHCPv4 on removed a static IPv6 address")
	}
}

// TestIPv6Cmdlets: -AddressFamily filters addresses and routes, and
// Remove-NetRoute removes the route of its object's protocol where a
// static and an advertised route share prefix and next hop.
func TestIPv6Cmdlets(t *testing.T) {
	h, a := ipv6Adapter()
	a.Addrs = append(a.Addrs, Addr{IP: "10.0.0.5", Bits: 24, Origin: "Manual"})
	// a static ::/0 via the advertising router beside the advertised one
	a.Routes = append(a.Routes, Route{Prefix: "::/0", NextHop: "fe80::1", Metric: 10, Origin: "NetMgmt"})
	got, err := h.cmdlet("Get-NetIPAddress", map[string]any{"InterfaceIndex": 7, "AddressFamily": "IPv4"}, nil)
	if err != nil || len(got) != 1 || got[0]["IPAddress"] != "10.0.0.5" {
		t.Errorf("IPv4 addresses %v, %v", got, err)
	}
	rs, err := h.cmdlet("Get-NetRoute", map[string]any{"InterfaceIndex": 7, "AddressFamily": "IPv6", "DestinationPrefix": "::/0"}, nil)
	if err != nil || len(rs) != 2 {
		t.Fatalf("IPv6 default routes %v, %v", rs, err)
	}
	var static []psObject
	for _, r := range rs {
		if r["Protocol"] == "NetMgmt" {
			static = append(static, r)
		}
	}
	if _, err := h.cmdlet("Remove-NetRoute", map[string]any{}, static); err != nil {
		t.Fatal(err)
	}
	if _, routes := origins(a); !slices.Equal(routes, []string{"RouterAdvertisement ::/0 fe80::1"}) {
		t.Errorf("after removing the static route: %q", routes)
	}
}
