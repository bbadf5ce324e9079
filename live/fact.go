// Package live is the description's IPv4 state in a running kernel: what
// a description implies there, in the way each family lays it out (Want),
// the host's state read through netlink (Read), and what differs between
// the two (Compare). `enicfg check` and the real-tool tests share it.
package live

import (
	"fmt"
	"net/netip"
	"strings"
)

// Kind is what a fact is about.
type Kind string

// The kinds of facts, in the order differences are listed.
const (
	KindLink    Kind = "link"
	KindAddress Kind = "address"
	KindRule    Kind = "rule"
	KindRoute   Kind = "route"
)

// Field is a set of a fact's values that are not checked.
type Field uint

// The values a wanted fact may leave open.
const (
	AnyPrefix Field = 1 << iota // address, route destination (a DHCP lease)
	AnyVia                      // a route's gateway (a DHCP router)
	AnyMetric                   // a route's metric (a daemon's own)
	AnySrc                      // a route's preferred source
	AnyLabel                    // an address's label
	AnyMAC
	AnyMTU
	AnyQueues
)

// Fact is one link, address, policy rule or route, as the kernel holds it
// or as a description wants it.
type Fact struct {
	Kind Kind
	// Dev is the link: the address's, the route's device; "" for rules.
	Dev string
	// Table is the table a route is in or a rule looks up (0: main).
	Table uint32
	// Prefix is the address with its prefix, the route's destination, or
	// the rule's source.
	Prefix netip.Prefix
	Via    netip.Addr // a route's gateway
	// Metric is a route's metric or a rule's priority.
	Metric uint32
	Src    netip.Addr // a route's preferred source
	Label  string     // an address's label
	MAC    string
	MTU    int
	Up     bool
	Queues int // 0: not known
	// Other holds what the fact has beyond the forms above (a rule's
	// fwmark, a multipath route); a wanted fact never has any.
	Other string

	// Any lists the values left open; Optional facts may be there or not
	// (what only some families add). Both only in wanted facts.
	Any      Field
	Optional bool
	// Line is where the description says so (0: not from one line), and
	// Iface the described interface the fact belongs to ("": its Dev).
	Line  int
	Iface string
	// V6 marks a wanted IPv6 fact whose prefix is open (a DHCPv6 or SLAAC
	// address): it matches IPv6 facts only.
	V6 bool
}

// Is6 tells whether the fact is about IPv6.
func (f Fact) Is6() bool {
	return f.V6 || (f.Prefix.IsValid() && f.Prefix.Addr().Is6()) || f.Via.Is6()
}

// key is what makes two facts "the same fact, with other values": a
// link's name; an address's IP on its link; a rule's source and table;
// a route's table, destination and device.
func (f Fact) key() string {
	switch f.Kind {
	case KindLink:
		return "link " + f.Dev
	case KindAddress:
		return fmt.Sprintf("address %s %s", f.Dev, f.Prefix.Addr())
	case KindRule:
		return fmt.Sprintf("rule %s %d", f.Prefix, f.Table)
	}
	return fmt.Sprintf("route %d %s %s", f.Table, f.Prefix, f.Dev)
}

func (f Fact) open(v Field) bool { return f.Any&v != 0 }

// String writes the fact the way ip(8) prints it, with "any" for an open
// value.
func (f Fact) String() string {
	var b strings.Builder
	switch f.Kind {
	case KindLink:
		f.link(&b)
	case KindAddress:
		b.WriteString("address ")
		b.WriteString(f.prefixText(f.Prefix.String()))
		if !f.open(AnyLabel) && f.Label != "" && f.Label != f.Dev {
			b.WriteString(" label " + f.Label)
		}
	case KindRule:
		fmt.Fprintf(&b, "rule %d: from %s lookup %s", f.Metric, f.from(), tableName(f.Table))
	default:
		f.route(&b)
	}
	if f.Other != "" {
		b.WriteString(" " + f.Other)
	}
	return b.String()
}

func (f Fact) link(b *strings.Builder) {
	b.WriteString("link " + f.Dev)
	if !f.open(AnyMAC) && f.MAC != "" {
		b.WriteString(" mac " + f.MAC)
	}
	if !f.open(AnyMTU) {
		fmt.Fprintf(b, " mtu %d", f.MTU)
	}
	if f.Up {
		b.WriteString(" up")
	} else {
		b.WriteString(" down")
	}
	if !f.open(AnyQueues) && f.Queues > 0 {
		fmt.Fprintf(b, " queues %d", f.Queues)
	}
}

func (f Fact) route(b *strings.Builder) {
	dst := f.Prefix.String()
	switch {
	case f.Prefix.IsValid() && f.Prefix.Bits() == 0:
		dst = "default"
	case f.Prefix.IsValid() && f.Prefix.Bits() == f.Prefix.Addr().BitLen():
		dst = f.Prefix.Addr().String()
	}
	b.WriteString("route " + f.prefixText(dst))
	switch {
	case f.open(AnyVia):
		b.WriteString(" via any")
	case f.Via.IsValid():
		b.WriteString(" via " + f.Via.String())
	}
	b.WriteString(" dev " + f.Dev)
	if f.Table != 0 {
		b.WriteString(" table " + tableName(f.Table))
	}
	switch {
	case f.open(AnyMetric):
	case f.Metric != 0:
		fmt.Fprintf(b, " metric %d", f.Metric)
	}
	switch {
	case f.open(AnySrc):
	case f.Src.IsValid():
		b.WriteString(" src " + f.Src.String())
	}
}

func (f Fact) prefixText(s string) string {
	if f.open(AnyPrefix) {
		if f.V6 {
			return "any (DHCPv6 or SLAAC)"
		}
		return "any (DHCP)"
	}
	return s
}

func (f Fact) from() string {
	if !f.Prefix.IsValid() || f.Prefix.Bits() == 0 {
		return "all"
	}
	if f.Prefix.Bits() == f.Prefix.Addr().BitLen() {
		return f.Prefix.Addr().String()
	}
	return f.Prefix.String()
}

func tableName(t uint32) string {
	switch t {
	case 0, 254:
		return "main"
	case 253:
		return "default"
	case 255:
		return "local"
	}
	return fmt.Sprint(t)
}

// State is a host's facts.
type State []Fact
