package spec

import (
	"net/netip"
)

// Clouds are the values of `cloud`.
const (
	CloudGeneric = "generic"
	CloudAliyun  = "aliyun"
	CloudAWS     = "aws"
)

// Model is a validated description in which every default is explicit.
// Renderers read it and nothing else.
type Model struct {
	Cloud      string
	Interfaces []*Interface // in the order of the description
	// Host is the kernel settings of the instance; Sysctls gives them as
	// keys.
	Host Host
	// Warnings are positioned remarks about values that have no effect.
	Warnings ErrorList
}

// Interface is one ENI, resolved.
type Interface struct {
	Index   int    // position in the description, from 0
	Name    string // Linux device name
	Primary bool   // the instance's primary ENI
	DHCP    bool   // the primary private IP comes from DHCP
	MAC     string // lower-case colon form, "" when not described

	// Subnet is the vSwitch CIDR. It is always valid for a static interface
	// (the masked address) and for a DHCP interface that gives `subnet`.
	Subnet netip.Prefix
	// Address is the static primary private IP with its prefix; invalid
	// (zero) for a DHCP interface.
	Address netip.Prefix
	// Gateway is the vSwitch gateway; invalid when not described.
	Gateway netip.Addr
	// SecondaryIPs carry the prefix of the subnet.
	SecondaryIPs []netip.Prefix

	// DefaultRoute tells whether the interface carries a default route in
	// the main table; HasMetric/Metric give that route's metric.
	DefaultRoute bool
	HasMetric    bool
	Metric       uint32

	// Table is the policy-routing table (0: none). TableRoutes are its
	// routes and Rules its rules, both in the order they are applied.
	Table        uint32
	RulePriority uint32
	TableRoutes  []Route
	Rules        []Rule

	MTU    int // 0: not described
	Queues int // 0: not described

	EIPs        []EIP
	Routes      []Route // extra static routes, in the order described
	Description string
	WindowsName string

	// DNS is the interface's resolver configuration: its own, or for the
	// primary the description's top-level dns when it names none.
	DNS DNS
	// RPFilter and ARP are this interface's own kernel settings ("": the
	// host's, if any).
	RPFilter string
	ARP      string

	// IPv6 is the interface's IPv6 (Mode "": none). Subnet, Address,
	// Gateway, SecondaryIPs, Routes and the rest above are IPv4.
	IPv6 IPv6 `json:",omitzero"`

	// Lines are the description's lines of the interface's values, for
	// messages about a running host.
	Lines Lines `json:"-"`
}

// Lines gives where an interface's values are in the description.
type Lines struct {
	Item        int            // the interface's own item
	Keys        map[string]int // each key given, by its name in the format
	Secondaries []int          // each secondary IP, like SecondaryIPs
}

// Of gives the line of key, or the interface's line when key is not given.
func (l Lines) Of(key string) int {
	if n := l.Keys[key]; n > 0 {
		return n
	}
	return l.Item
}

// OfIP gives the line of one of the interface's private IPs (the address,
// or a secondary IP), or the interface's line.
func (i *Interface) OfIP(a netip.Addr) int {
	for k, p := range i.SecondaryIPs {
		if p.Addr() == a && k < len(i.Lines.Secondaries) {
			return i.Lines.Secondaries[k]
		}
	}
	if i.Address.IsValid() && i.Address.Addr() == a {
		return i.Lines.Of("address")
	}
	for k, p := range i.IPv6.SecondaryIPs {
		if p.Addr() == a && k < len(i.IPv6.Secondaries) {
			return i.IPv6.Secondaries[k]
		}
	}
	if i.IPv6.Address.IsValid() && i.IPv6.Address.Addr() == a {
		return i.Lines.Of("ipv6.address")
	}
	return i.Lines.Item
}

// Route is a static route through an interface (IPv4, or IPv6 in
// Interface.IPv6).
type Route struct {
	To        netip.Prefix
	Via       netip.Addr // invalid: a device route (scope link)
	Dev       string
	HasMetric bool
	Metric    uint32
	Table     uint32     // 0: the main table
	Src       netip.Addr // invalid: none
	Line      int        `json:"-"` // in the description (0: not known)
}

// IsDefault tells whether the route is a default route.
func (r Route) IsDefault() bool { return r.To.Bits() == 0 }

// Rule is a source-based policy-routing rule.
type Rule struct {
	Priority uint32
	From     netip.Prefix // a host (/32, /128), or the subnet of a DHCP (or SLAAC) interface
	Table    uint32
	Line     int `json:"-"` // in the description (0: not known)
}

// EIP is an elastic IP bound in NAT mode to a private IP of an interface.
type EIP struct {
	Public  netip.Addr
	Private netip.Addr
}

// IPs gives every private IP of the interface that the description
// knows, with its prefix: the static primary first, then the secondaries.
func (i *Interface) IPs() []netip.Prefix {
	out := make([]netip.Prefix, 0, len(i.SecondaryIPs)+1)
	if i.Address.IsValid() {
		out = append(out, i.Address)
	}
	return append(out, i.SecondaryIPs...)
}

// AllRoutes gives the routes of the interface's own table (route_table)
// followed by the described extra routes, in a new slice.
func (i *Interface) AllRoutes() []Route {
	return append(append(make([]Route, 0, len(i.TableRoutes)+len(i.Routes)), i.TableRoutes...), i.Routes...)
}

// HasSubnet tells whether the subnet is known.
func (i *Interface) HasSubnet() bool { return i.Subnet.IsValid() }

// HasGateway tells whether a gateway is described.
func (i *Interface) HasGateway() bool { return i.Gateway.IsValid() }

// Primary gives the primary interface of the model.
func (m *Model) Primary() *Interface {
	for _, i := range m.Interfaces {
		if i.Primary {
			return i
		}
	}
	return nil
}
