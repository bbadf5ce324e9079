package live

import (
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/enicfg/enicfg/spec"
)

// host turns wanted facts into the facts a host would report.
func host(want State) State {
	var s State
	for _, f := range want {
		f.Any, f.Optional, f.Line, f.Iface = 0, false, 0, ""
		s = append(s, f)
	}
	return s
}

func lines(ds []Difference) string {
	var out []string
	for _, d := range ds {
		out = append(out, d.String())
	}
	return strings.Join(out, "\n")
}

func TestCompareOneChange(t *testing.T) {
	m := loadExample(t, "three-enis-policy-routing.yaml")
	want := with(lab, KernelRoutes).Want(m)
	edit := func(f func(State) State) State { return f(host(want)) }
	find := func(s State, text string) int {
		i := slices.IndexFunc(s, func(f Fact) bool { return f.String() == text })
		if i < 0 {
			t.Fatalf("no fact %q", text)
		}
		return i
	}
	for _, c := range []struct {
		name string
		got  State
		want string
		line int
	}{
		{"same", host(want), "", 0},
		{"address removed", edit(func(s State) State {
			return slices.Delete(s, find(s, "address 10.0.0.20/24"), find(s, "address 10.0.0.20/24")+1)
		}), "eth1: missing address 10.0.0.20/24", 13},
		{"rule priority changed", edit(func(s State) State {
			s[find(s, "rule 1002: from 10.0.0.21 lookup 1002")].Metric = 2002
			return s
		}), "eth2: rule priority: described rule 1002: from 10.0.0.21 lookup 1002, host has rule 2002: from 10.0.0.21 lookup 1002", 20},
		{"table route deleted", edit(func(s State) State {
			i := find(s, "route default via 10.0.0.253 dev eth1 table 1001")
			return slices.Delete(s, i, i+1)
		}), "eth1: missing route default via 10.0.0.253 dev eth1 table 1001", 17},
		{"metric changed", edit(func(s State) State {
			s[find(s, "route default via 10.0.0.253 dev eth2 metric 1002")].Metric = 7
			return s
		}), "eth2: route metric: described route default via 10.0.0.253 dev eth2 metric 1002, host has route default via 10.0.0.253 dev eth2 metric 7", 21},
		{"extra address", edit(func(s State) State {
			return append(s, Fact{Kind: KindAddress, Dev: "eth2", Prefix: netip.MustParsePrefix("10.0.0.99/24"), Label: "eth2"})
		}), "eth2: extra address 10.0.0.99/24", 0},
		{"extra rule", edit(func(s State) State {
			return append(s, Fact{Kind: KindRule, Prefix: netip.MustParsePrefix("10.0.0.99/32"), Table: 1001, Metric: 1001})
		}), "extra rule 1001: from 10.0.0.99 lookup 1001", 0},
		{"rule with a fwmark", edit(func(s State) State {
			s[find(s, "rule 1001: from 10.0.0.20 lookup 1001")].Other = "fwmark 0x1"
			return s
		}), "eth1: rule other: described rule 1001: from 10.0.0.20 lookup 1001, host has rule 1001: from 10.0.0.20 lookup 1001 fwmark 0x1", 13},
		{"mtu", edit(func(s State) State {
			s[find(s, "link eth1 mac 00:16:3e:12:e7:27 mtu 1500 up")].MTU = 9000
			return s
		}), "eth1: link mtu: described link eth1 mac 00:16:3e:12:e7:27 mtu 1500 up, host has link eth1 mac 00:16:3e:12:e7:27 mtu 9000 up", 11},
		{"down", edit(func(s State) State {
			s[find(s, "link eth2 mac 00:16:3e:12:16:ec mtu 1500 up")].Up = false
			return s
		}), "eth2: link state: described link eth2 mac 00:16:3e:12:16:ec mtu 1500 up, host has link eth2 mac 00:16:3e:12:16:ec mtu 1500 down", 18},
	} {
		t.Run(c.name, func(t *testing.T) {
			ds := Compare(want, c.got)
			if got := lines(ds); got != c.want {
				t.Fatalf("differences:\n%s\nwant:\n%s", got, c.want)
			}
			if len(ds) == 1 && ds[0].Line != c.line {
				t.Errorf("line %d, want %d", ds[0].Line, c.line)
			}
		})
	}
}

// TestCommonAcceptsEveryLayout: the common expectation, which knows
// neither the lease nor the daemon's metrics, accepts what each family
// lays out, and still sees a changed rule in each.
func TestCommonAcceptsEveryLayout(t *testing.T) {
	for _, file := range []string{"three-enis-policy-routing.yaml", "nat-eip-secondary-eni.yaml", "dhcp-primary-secondary-ips.yaml", "multiqueue.yaml", "format-reference.yaml",
		"dual-stack-policy-routing.yaml", "ipv6-only.yaml"} {
		m := loadExample(t, file)
		common := Expect{}.Want(m)
		for _, l := range []Layout{KernelRoutes, Networkd, NM} {
			got := host(with(lab, l).Want(m))
			if ds := Compare(common, got); len(ds) > 0 {
				t.Errorf("%s, layout %d: %s", file, l, lines(ds))
			}
			i := slices.IndexFunc(got, func(f Fact) bool { return f.Kind == KindRule })
			if i < 0 {
				continue
			}
			got[i].Metric++
			if ds := Compare(common, got); len(ds) != 1 || ds[0].Change != Different {
				t.Errorf("%s, layout %d, a rule's priority changed: %s", file, l, lines(ds))
			}
		}
	}
}

// TestOpenFactsTakeWhatIsLeft: a DHCP lease (an open address) must not
// take the static address that an exact fact needs.
func TestOpenFactsTakeWhatIsLeft(t *testing.T) {
	p := netip.MustParsePrefix
	want := State{
		{Kind: KindAddress, Dev: "eth0", Any: AnyPrefix | AnyLabel},
		{Kind: KindAddress, Dev: "eth0", Prefix: p("10.0.0.30/24"), Any: AnyLabel},
	}
	got := State{
		{Kind: KindAddress, Dev: "eth0", Prefix: p("10.0.0.30/24"), Label: "eth0"},
		{Kind: KindAddress, Dev: "eth0", Prefix: p("10.0.0.77/24"), Label: "eth0"},
	}
	if ds := Compare(want, got); len(ds) > 0 {
		t.Fatal(lines(ds))
	}
	if ds := Compare(want, got[:1]); lines(ds) != "eth0: missing address any (DHCP)" {
		t.Fatalf("without the lease: %s", lines(ds))
	}
}

// TestOpenFactsKeepTheirFamily: an open IPv4 lease does not take an IPv6
// address, nor an open DHCPv6 address an IPv4 one.
func TestOpenFactsKeepTheirFamily(t *testing.T) {
	p := netip.MustParsePrefix
	want := State{
		{Kind: KindAddress, Dev: "eth0", Any: AnyPrefix | AnyLabel},
		{Kind: KindAddress, Dev: "eth0", Any: AnyPrefix, V6: true},
	}
	v4 := Fact{Kind: KindAddress, Dev: "eth0", Prefix: p("10.0.0.30/24"), Label: "eth0"}
	v6 := Fact{Kind: KindAddress, Dev: "eth0", Prefix: p("2001:db8::30/128")}
	if ds := Compare(want, State{v4, v6}); len(ds) > 0 {
		t.Fatal(lines(ds))
	}
	if ds := Compare(want, State{v4, v4}); lines(ds) != "eth0: extra address 10.0.0.30/24\neth0: missing address any (DHCPv6 or SLAAC)" {
		t.Fatalf("two IPv4 addresses: %s", lines(ds))
	}
	if ds := Compare(want, State{v6, v6}); lines(ds) != "eth0: extra address 2001:db8::30/128\neth0: missing address any (DHCP)" {
		t.Fatalf("two IPv6 addresses: %s", lines(ds))
	}
}

// TestRouterUnknown: with neither the router nor the lease known (a DHCP
// interface without gateway), networkd's host route to the router must
// not take the default route.
func TestRouterUnknown(t *testing.T) {
	m := loadExample(t, "nat-eip-secondary-eni.yaml")
	want := Expect{Layout: Networkd}.Want(m)
	known := Expect{Layout: Networkd, Leases: natLeases, Routers: natRouters, AliasLabels: func(*spec.Interface) bool { return false }}
	got := host(known.Want(m))
	// In either order of the host's routes (the kernel lists the default
	// route first).
	for range 2 {
		slices.Reverse(got)
		if ds := Compare(want, got); len(ds) > 0 {
			t.Fatal(lines(ds))
		}
	}
	common := Expect{}.Want(m)
	if ds := Compare(common, got); len(ds) > 0 {
		t.Fatal("common: " + lines(ds))
	}
}

var (
	natLeases  = map[string]netip.Prefix{"eth0": netip.MustParsePrefix("192.168.200.21/24")}
	natRouters = map[string]netip.Addr{"eth0": netip.MustParseAddr("192.168.200.1")}
)
