package netlab

import (
	"fmt"
	"net/netip"

	"github.com/google/go-cmp/cmp"

	"github.com/enicfg/enicfg/spec"
)

// Expect says how a family lays the description out in the kernel, where
// families differ in ways that do not change what is routed.
type Expect struct {
	// MACs gives the MAC of every link in the test (the described one, or
	// one the test made up).
	MACs map[string]string
	// AliasLabels tells whether an interface's secondary IPs carry the
	// label <name>:<n> (ifupdown alias stanzas, network-scripts alias
	// files); nil: none do.
	AliasLabels func(*spec.Interface) bool
	// Leases: the address each DHCP interface gets from the test's DHCP
	// server, and Routers the router it announces.
	Leases  map[string]netip.Prefix
	Routers map[string]netip.Addr
	// KernelRoutes: the main table holds the kernel's prefix route of
	// each interface's subnet.
	KernelRoutes bool
	// Only limits the expectation to these interfaces (nil: all).
	Only map[string]bool
}

// Want gives the state that the description m must produce.
func (e Expect) Want(m *spec.Model) State {
	s := State{Links: map[string]Link{}, Addrs: map[string][]string{}, Routes: map[string][]string{}}
	add := func(table uint32, line string) {
		key := "main"
		if table != 0 {
			key = fmt.Sprint(table)
		}
		s.Routes[key] = append(s.Routes[key], line)
	}
	metric := func(set bool, v uint32) *int {
		if !set {
			return nil
		}
		n := int(v)
		return &n
	}
	for _, in := range m.Interfaces {
		if e.Only != nil && !e.Only[in.Name] {
			continue
		}
		mtu := 1500
		if in.MTU != 0 {
			mtu = in.MTU
		}
		s.Links[in.Name] = Link{MAC: e.MACs[in.Name], MTU: mtu, Up: true}
		primary := in.Address
		if in.DHCP {
			primary = e.Leases[in.Name]
		}
		if primary.IsValid() {
			s.Addrs[in.Name] = append(s.Addrs[in.Name], fmt.Sprintf("%s label %s", primary, in.Name))
			if e.KernelRoutes {
				add(0, RouteLine(primary.Masked().String(), "", in.Name, nil, primary.Addr().String()))
			}
		}
		for k, ip := range in.SecondaryIPs {
			label := in.Name
			if e.AliasLabels != nil && e.AliasLabels(in) {
				label = fmt.Sprintf("%s:%d", in.Name, k)
			}
			s.Addrs[in.Name] = append(s.Addrs[in.Name], fmt.Sprintf("%s label %s", ip, label))
		}
		if in.DefaultRoute {
			gw := in.Gateway
			if in.DHCP {
				gw = e.Routers[in.Name]
			}
			if gw.IsValid() {
				add(0, RouteLine("default", gw.String(), in.Name, metric(in.HasMetric, in.Metric), ""))
			}
		}
		for _, r := range in.Rules {
			from := r.From.Addr().String()
			if r.From.Bits() != 32 {
				from = r.From.String()
			}
			s.Rules = append(s.Rules, fmt.Sprintf("%d: from %s lookup %d", r.Priority, from, r.Table))
		}
		for _, r := range append(append([]spec.Route{}, in.TableRoutes...), in.Routes...) {
			dst := r.To.String()
			switch {
			case r.IsDefault():
				dst = "default"
			case r.To.Bits() == 32:
				dst = r.To.Addr().String() // ip prints a host route bare
			}
			via, src := "", ""
			if r.Via.IsValid() {
				via = r.Via.String()
			}
			if r.Src.IsValid() {
				src = r.Src.String()
			}
			add(r.Table, RouteLine(dst, via, r.Dev, metric(r.HasMetric, r.Metric), src))
		}
	}
	s.sort()
	return s
}

// Diff compares a state read back with the wanted one: "" when equal.
func Diff(want, got State) string {
	return cmp.Diff(want, got)
}
