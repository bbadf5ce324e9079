// Package importer reads a cloud instance's network interfaces from the
// cloud (its metadata service, or the JSON of its API) and writes them as
// a description of format version 1 that the user can review, keep and
// render.
//
// Each source gives an Instance: its ENIs with MAC, device order, IPs
// (primary first), subnet, gateway, EIPs and queues, as the cloud says
// them. Describe turns an Instance into the description, making the
// choices of Options (names, DHCP or static, a policy-routing table per
// secondary ENI) and writing each as plain YAML with a comment.
package importer

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strings"
)

// Instance is what a source says of one instance's network.
type Instance struct {
	Cloud  string // aliyun | aws: the description's cloud:
	Source string // the source and where it was read, for the header
	ID     string // the instance ID; "" when the source does not say
	ENIs   []ENI
	Notes  []string // facts the source could not give and how they were filled in
}

// ENI is one network interface as the cloud describes it.
type ENI struct {
	ID      string       // eni-...
	MAC     string       // colon form, lower case
	Card    int          // network card index (AWS); 0 otherwise
	Device  int          // device index; -1 when the source has none
	Primary bool         // the instance's primary ENI
	IPs     []netip.Addr // private IPv4s, the primary first
	Subnet  netip.Prefix // the subnet (vSwitch) CIDR
	Gateway netip.Addr   // the subnet's router
	EIPs    []EIP        // public IPs mapped to private ones (NAT)
	Queues  int          // combined channels; 0 when unknown

	// IPv6 are the ENI's IPv6 addresses, the primary first (none: no
	// IPv6); Subnet6 the subnet's IPv6 CIDR; Gateway6 the IPv6 router,
	// invalid when the source names none (AWS: router advertisements).
	// An ENI with IPv6 and no IPs is IPv6-only.
	IPv6     []netip.Addr
	Subnet6  netip.Prefix
	Gateway6 netip.Addr
	// SubnetID is the vSwitch or subnet ID where the source gives it, for
	// --ipv6-subnet and --ipv6-gateway.
	SubnetID string
}

// EIP is a public IP mapped to a private IP of the ENI.
type EIP struct{ Public, Private netip.Addr }

// DHCP says which ENIs take their primary IP from DHCP.
type DHCP string

// The choices of --dhcp.
const (
	DHCPNone      DHCP = "none"
	DHCPPrimary   DHCP = "primary"
	DHCPSecondary DHCP = "secondary"
	DHCPAll       DHCP = "all"
)

// Options are the choices Describe makes; each is written into the
// description where the user can change it.
type Options struct {
	NamePrefix    string // interface names: prefix + position in device order
	DHCP          DHCP   // which ENIs use DHCP (default none: the IPs are fixed for an ENI's life)
	PolicyRouting bool   // a table and rules per secondary ENI
	TableBase     uint32 // the first secondary ENI's table (Alibaba's docs: 1001)
}

// DefaultOptions are the importer's defaults.
func DefaultOptions() Options {
	return Options{NamePrefix: "eth", DHCP: DHCPNone, PolicyRouting: true, TableBase: 1001}
}

// sortENIs puts the ENIs in device order: the primary first, then by
// network card and device index, then by MAC where the source gives no
// index.
func (inst *Instance) sortENIs() {
	slices.SortStableFunc(inst.ENIs, func(a, b ENI) int {
		if a.Primary != b.Primary {
			if a.Primary {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(a.Card, b.Card), cmp.Compare(a.Device, b.Device), cmp.Compare(a.MAC, b.MAC))
	})
}

// check holds an instance to what a description needs: ENIs, one
// primary, each with a MAC and addresses: IPv4 inside its subnet with a
// gateway, IPv6 inside its IPv6 subnet.
func (inst *Instance) check() error {
	if len(inst.ENIs) == 0 {
		return fmt.Errorf("%s: the instance has no network interfaces", inst.Source)
	}
	primaries := 0
	for _, e := range inst.ENIs {
		if e.Primary {
			primaries++
		}
		what := fmt.Sprintf("%s: %s (%s)", inst.Source, e.ID, e.MAC)
		if err := e.check4(what); err != nil {
			return err
		}
		if err := e.check6(what, inst.Cloud); err != nil {
			return err
		}
	}
	if primaries != 1 {
		return fmt.Errorf("%s: %d primary network interfaces, want 1", inst.Source, primaries)
	}
	return nil
}

// check4 holds the ENI's MAC and IPv4 to what a description needs.
func (e *ENI) check4(what string) error {
	switch {
	case e.MAC == "":
		return fmt.Errorf("%s: no MAC address", what)
	case len(e.IPs) == 0 && len(e.IPv6) == 0:
		return fmt.Errorf("%s: no private IPv4 address and no IPv6 address", what)
	case len(e.IPs) == 0:
		return nil // IPv6-only
	case !e.Subnet.IsValid():
		return fmt.Errorf("%s: no subnet CIDR", what)
	case !e.Gateway.IsValid():
		return fmt.Errorf("%s: no gateway", what)
	}
	for _, ip := range e.IPs {
		if !e.Subnet.Contains(ip) {
			return fmt.Errorf("%s: %s is outside the subnet %s", what, ip, e.Subnet)
		}
	}
	return nil
}

// check6 holds the ENI's IPv6 to what a description needs: a subnet that
// holds the addresses, a router on the link (or, on AWS, none: the
// router of router advertisements).
func (e *ENI) check6(what, cloud string) error {
	if len(e.IPv6) == 0 {
		return nil
	}
	id := cmp.Or(e.SubnetID, "its subnet")
	if !e.Subnet6.IsValid() {
		return fmt.Errorf("%s: no IPv6 CIDR of %s: give --ipv6-subnet %s=CIDR", what, id, cmp.Or(e.SubnetID, "SUBNET"))
	}
	for _, ip := range e.IPv6 {
		switch {
		case !e.Subnet6.Contains(ip):
			return fmt.Errorf("%s: %s is outside the IPv6 subnet %s", what, ip, e.Subnet6)
		case ip.IsLinkLocalUnicast() || ip.IsMulticast() || ip == e.Subnet6.Addr():
			return fmt.Errorf("%s: %s cannot be an address of the interface", what, ip)
		}
	}
	gw := e.Gateway6
	switch {
	case !gw.IsValid() && cloud == "aws":
		return nil
	case !gw.IsValid():
		return fmt.Errorf("%s: no IPv6 gateway of %s (%s): give --ipv6-gateway %s=IP", what, id, e.Subnet6, cmp.Or(e.SubnetID, e.Subnet6.String()))
	case !gw.IsLinkLocalUnicast() && !e.Subnet6.Contains(gw):
		return fmt.Errorf("%s: the IPv6 gateway %s is outside the IPv6 subnet %s", what, gw, e.Subnet6)
	case slices.Contains(e.IPv6, gw):
		return fmt.Errorf("%s: the IPv6 gateway %s is an address of the interface", what, gw)
	}
	return nil
}

// resolvers are the clouds' VPC name servers: Alibaba Cloud DNS's
// 100.100.2.136 and 100.100.2.138, the Route 53 Resolver's
// 169.254.169.253 (sources in docs/checks.md).
var resolvers = map[string][]string{
	"aliyun": {"100.100.2.136", "100.100.2.138"},
	"aws":    {"169.254.169.253"},
}

func primaryDHCP(opt Options) bool { return opt.DHCP == DHCPPrimary || opt.DHCP == DHCPAll }

// Describe writes the instance as a description of format version 1:
// deterministic YAML with a comment on each choice. The warnings name
// what the description cannot carry (an EIP of a DHCP address), which is
// left in it as a comment.
func Describe(inst *Instance, opt Options) ([]byte, []string, error) {
	inst.sortENIs()
	if err := inst.check(); err != nil {
		return nil, nil, err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# Imported by enicfg import from %s", inst.Source)
	if inst.ID != "" {
		fmt.Fprintf(&b, ", instance %s", inst.ID)
	}
	b.WriteString(".\n# Review it, change what you need, and keep it: enicfg render reads it.\n")
	for _, n := range inst.Notes {
		b.WriteString("# " + n + "\n")
	}
	fmt.Fprintf(&b, "version: 1\ncloud: %s\n", inst.Cloud)
	writeDNS(&b, inst, opt)
	b.WriteString("interfaces:\n")
	table := opt.TableBase
	var warnings []string
	for k, e := range inst.ENIs {
		warnings = append(warnings, writeENI(&b, k, e, opt, table)...)
		if !e.Primary && opt.PolicyRouting {
			table++
		}
	}
	return []byte(b.String()), warnings, nil
}

// writeDNS writes the cloud's resolvers for a static primary: it gets
// no name servers from DHCP. The format's servers are IPv4, which an
// IPv6-only primary may not reach: it gets none, and a comment.
func writeDNS(b *strings.Builder, inst *Instance, opt Options) {
	servers := resolvers[inst.Cloud]
	if len(servers) == 0 || primaryDHCP(opt) {
		return
	}
	for _, e := range inst.ENIs {
		if e.Primary && len(e.IPs) == 0 {
			b.WriteString("# No dns: the primary is IPv6-only and the format's dns servers are IPv4; with --dhcp primary it takes them from DHCPv6.\n")
			return
		}
	}
	// The cloud's own resolvers, as docs/checks.md cites them.
	fmt.Fprintf(b, "dns:  # the %s VPC resolvers (a static primary gets none from DHCP)\n  servers: [%s]\n", inst.Cloud, strings.Join(servers, ", "))
}

// writeENI writes one interface of the description.
func writeENI(b *strings.Builder, k int, e ENI, opt Options, table uint32) (warnings []string) {
	dhcp := opt.DHCP == DHCPAll || e.Primary && opt.DHCP == DHCPPrimary || !e.Primary && opt.DHCP == DHCPSecondary
	name := fmt.Sprintf("%s%d", opt.NamePrefix, k)
	fmt.Fprintf(b, "  - name: %s", name)
	if e.Device >= 0 {
		fmt.Fprintf(b, "  # device index %d", e.Device)
		if e.Card > 0 {
			fmt.Fprintf(b, ", network card %d", e.Card)
		}
	}
	b.WriteString("\n")
	if e.ID != "" {
		fmt.Fprintf(b, "    description: %q\n", e.ID)
	}
	fmt.Fprintf(b, "    mac: %q\n", e.MAC)
	if e.Primary {
		b.WriteString("    primary: true\n")
	}
	if len(e.IPs) > 0 {
		writeIPv4(b, e, dhcp)
	}
	six := plan6(e, opt)
	if !e.Primary {
		b.WriteString("    default_route: false\n")
		if opt.PolicyRouting && six.table {
			fmt.Fprintf(b, "    route_table: %d  # replies from this ENI's IPs leave through it\n", table)
		}
	}
	if e.Queues > 0 {
		fmt.Fprintf(b, "    queues: %d\n", e.Queues)
	}
	if len(e.IPv6) > 0 {
		if w := writeIPv6(b, e, dhcp, six); w != "" {
			warnings = append(warnings, name+": "+w)
		}
	}
	return append(warnings, writeEIPs(b, e, dhcp, name)...)
}

// writeIPv4 writes the interface's IPv4 keys: its address or DHCP, the
// gateway and the secondary IPs.
func writeIPv4(b *strings.Builder, e ENI, dhcp bool) {
	if dhcp {
		fmt.Fprintf(b, "    dhcp: true  # the lease gives %s\n", e.IPs[0])
		fmt.Fprintf(b, "    subnet: %s\n", e.Subnet)
	} else {
		fmt.Fprintf(b, "    address: %s\n", netip.PrefixFrom(e.IPs[0], e.Subnet.Bits()))
	}
	fmt.Fprintf(b, "    gateway: %s\n", e.Gateway)
	if len(e.IPs) > 1 {
		b.WriteString("    secondary_ips:\n")
		for _, ip := range e.IPs[1:] {
			fmt.Fprintf(b, "      - %s\n", ip)
		}
	}
}

// writeEIPs writes the EIPs of the interface; one of a DHCP address
// cannot be described, and is a comment and a warning.
func writeEIPs(b *strings.Builder, e ENI, dhcp bool, name string) (warnings []string) {
	var eips []EIP
	for _, x := range e.EIPs {
		if dhcp && x.Private == e.IPs[0] {
			w := fmt.Sprintf("EIP %s maps to the DHCP address %s, which a DHCP interface cannot name", x.Public, x.Private)
			fmt.Fprintf(b, "    # %s\n", w)
			warnings = append(warnings, fmt.Sprintf("%s: %s: kept as a comment", name, w))
			continue
		}
		eips = append(eips, x)
	}
	if len(eips) > 0 {
		b.WriteString("    eips:\n")
		for _, x := range eips {
			fmt.Fprintf(b, "      - {public: %s, private: %s}\n", x.Public, x.Private)
		}
	}
	return warnings
}
