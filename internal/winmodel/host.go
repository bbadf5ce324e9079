package winmodel

import (
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

// Host models the Windows state that the scripts read and change:
// adapters with their IPv4 and IPv6 addresses (prefix, SkipAsSource,
// origin; IPv6's link-local, SLAAC and DHCPv6 addresses from what the
// link offers, router discovery, managed address configuration),
// routes (next hop, metric), DNS servers (static or from DHCP), the DHCP
// flag, IgnoreDefaultRoutes, dhcpstaticipcoexistence, the IP MTU and the
// driver's frame-size keyword, and the registry values the .cmd reads.
// The cmd.exe and PowerShell interpreters (cmd.go, ps.go) run a script
// against it through three doors:
// netsh, the other programs a .cmd runs (getmac, reg), and the cmdlets.
//
// The semantics follow Microsoft's documentation, cited where a step
// depends on it; what the documentation does not say is marked as this
// model's assumption, and docs/windows.md lists those as unconfirmed.
type Host struct {
	Adapters []*Adapter
	// Reg holds the registry keys that are not derived from an adapter
	// (enicfg's own, under HKLM\SOFTWARE\enicfg): key -> value -> data.
	Reg map[string]map[string]string
	// Changes lists every step that changed the state, in order.
	Changes []string
	// Out is what the script printed, stdout and stderr together.
	Out strings.Builder
	// Slept counts the waits (Start-Sleep, ping -n 3 127.0.0.1).
	Slept int
	// OnSleep, when set, runs at each wait: an adapter that appears late.
	OnSleep func(h *Host)
}

// Adapter is one network adapter.
type Adapter struct {
	Name, MAC, GUID string // MAC in Windows form, 00-16-3E-12-E7-27
	Index           int
	// Present is false for a ghost: the device is gone (a Xen PV to ENA
	// driver change) but Windows keeps its adapter, with the same MAC.
	Present bool
	// Up: connected and enabled.
	Up bool

	DHCP                bool
	Lease               Lease // what the DHCP server gives
	Addrs               []Addr
	Routes              []Route
	DNS                 []string // static DNS servers; none: the ones DHCP gives
	IgnoreDefaultRoutes bool
	Coexist             bool
	MTU                 int // the IP MTU (NlMtu)

	// Keyword is the driver's frame-size advanced property: "*JumboPacket"
	// (ENA 2.1 and later, Intel 82599: the frame with its 14-byte
	// header), "MTU" (ENA 1.5 and earlier, virtio NetKVM: the IP MTU), or
	// "" when the driver has none (the AWS PV driver: netsh only).
	Keyword      string
	KeywordValue int
	KeywordMin   int // a numeric property: its range
	KeywordMax   int
	KeywordValid []int // an enumerated property: its values
	// Restarts counts the adapter restarts (a changed advanced property
	// restarts it unless -NoRestart).
	Restarts int

	// IPv6: what the link offers (router advertisements, DHCPv6) and the
	// interface's IPv6 settings. Addrs and Routes hold both families; an
	// address or prefix with a colon is IPv6.
	Link6 Link6
	// RouterDiscovery: IPv6 router discovery, on by default ("This is the
	// default value", RouterDiscoveryEnabled of the unattend reference);
	// ManagedAddress: DHCPv6 for addresses (netsh managedaddress,
	// ManagedAddressConfiguration), off by default; IgnoreDefaultRoutes6:
	// default routes from router advertisements are ignored.
	RouterDiscovery      bool
	ManagedAddress       bool
	IgnoreDefaultRoutes6 bool
	MTU6                 int // the IPv6 MTU (NlMtu of the IPv6 interface)
}

// Link6 is what the adapter's link gives IPv6: router advertisements
// from Router (link-local) with an autonomous Prefix (SLAAC; invalid:
// none) and the M flag (Managed), and the address a DHCPv6 server leases
// (invalid: no server).
type Link6 struct {
	Router  string
	Prefix  netip.Prefix
	Managed bool
	Addr    netip.Addr
}

// Lease is what DHCP gives an adapter.
type Lease struct {
	Addr   netip.Prefix
	Router string
	DNS    []string
}

type Addr struct {
	IP     string
	Bits   int
	Skip   bool   // SkipAsSource
	Origin string // Manual or Dhcp
}

type Route struct {
	Prefix, NextHop string // NextHop 0.0.0.0: on-link
	Metric          int    // 0: not set, Windows' automatic metric
	Origin          string // NetMgmt (static), Gateway (netsh set address gateway=) or Dhcp
}

// String gives the adapter's state; addresses and routes are sets
// (their order is not Windows' state), DNS servers a list.
func (a *Adapter) String() string {
	return fmt.Sprintf("%s dhcp=%v addrs=%v routes=%v dns=%v ignoredefault=%v coexist=%v mtu=%d %s=%d restarts=%d rd=%v managed=%v ignoredefault6=%v mtu6=%d",
		a.Name, a.DHCP, sorted(a.Addrs), sorted(a.Routes), a.DNS, a.IgnoreDefaultRoutes, a.Coexist, a.MTU, a.Keyword, a.KeywordValue, a.Restarts,
		a.RouterDiscovery, a.ManagedAddress, a.IgnoreDefaultRoutes6, a.MTU6)
}

func sorted[T any](xs []T) []string {
	out := make([]string, len(xs))
	for k, x := range xs {
		out[k] = fmt.Sprint(x)
	}
	slices.Sort(out)
	return out
}

// State is the whole state in one string, to compare runs.
func (h *Host) State() string {
	var b strings.Builder
	for _, a := range h.Adapters {
		b.WriteString(a.String() + "\n")
	}
	keys := make([]string, 0, len(h.Reg))
	for k := range h.Reg {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "%s %v\n", k, h.Reg[k])
	}
	return b.String()
}

// change runs a step and records it when the state differs afterwards.
func (h *Host) change(what string, f func()) {
	before := h.State()
	f()
	if h.State() != before {
		h.Changes = append(h.Changes, what)
	}
}

// settle recomputes what DHCP gives: the lease's address and, unless
// IgnoreDefaultRoutes, its default route, while DHCP is on.
func (a *Adapter) settle() {
	a.Addrs = slices.DeleteFunc(a.Addrs, func(x Addr) bool { return !x.Is6() && x.Origin == "Dhcp" })
	a.Routes = slices.DeleteFunc(a.Routes, func(r Route) bool { return !r.Is6() && r.Origin == "Dhcp" })
	if !a.DHCP {
		return
	}
	if a.Lease.Addr.IsValid() {
		// An IPv6-only subnet has no DHCPv4 server: no lease.
		a.Addrs = append([]Addr{{IP: a.Lease.Addr.Addr().String(), Bits: a.Lease.Addr.Bits(), Origin: "Dhcp"}}, a.Addrs...)
	}
	if !a.IgnoreDefaultRoutes && a.Lease.Router != "" {
		a.Routes = append(a.Routes, Route{Prefix: "0.0.0.0/0", NextHop: a.Lease.Router, Origin: "Dhcp"})
	}
}

// SetDHCP turns DHCP on or off. On: the static (Manual) addresses and
// static default routes go, as with netsh set address source=dhcp
// (Microsoft: "Sets DHCP as the source"); that Windows also removes the
// static default route is this model's assumption. Off: the lease goes.
func (a *Adapter) SetDHCP(on bool) {
	if on && !a.DHCP {
		a.Addrs = slices.DeleteFunc(a.Addrs, func(x Addr) bool { return !x.Is6() && x.Origin == "Manual" })
		a.Routes = slices.DeleteFunc(a.Routes, func(r Route) bool { return r.Prefix == "0.0.0.0/0" })
	}
	a.DHCP = on
	a.settle()
}

// Is6 tells whether the address is IPv6.
func (x Addr) Is6() bool { return strings.Contains(x.IP, ":") }

// Is6 tells whether the route is IPv6.
func (r Route) Is6() bool { return strings.Contains(r.Prefix, ":") }

// LinkLocal is the adapter's IPv6 link-local address (fe80::/64 with an
// interface identifier of its own; Windows randomises it, the model
// derives it from the index).
func (a *Adapter) LinkLocal() string { return fmt.Sprintf("fe80::1:%x", a.Index) }

// slaacAddr is the address the adapter forms from a router
// advertisement's prefix (the model's interface identifier: the index).
func (a *Adapter) slaacAddr() string {
	b := a.Link6.Prefix.Masked().Addr().As16()
	b[14], b[15] = byte(a.Index>>8), byte(a.Index)
	b[13] = 0xaa
	return netip.AddrFrom16(b).String()
}

// Settle6 recomputes what the link gives IPv6: the link-local address
// always; with router discovery, a SLAAC address from the advertised
// prefix and, unless IgnoreDefaultRoutes6, the advertised default route;
// with managed address configuration (or router discovery and the RA's
// M flag), the DHCPv6 address as a /128 (DHCPv6 gives no prefix length,
// RFC 8415). That turning router discovery off removes what it gave at
// once is this model's assumption (Windows lets them expire).
func (a *Adapter) Settle6() {
	a.Addrs = slices.DeleteFunc(a.Addrs, func(x Addr) bool { return x.Is6() && x.Origin != "Manual" })
	a.Routes = slices.DeleteFunc(a.Routes, func(r Route) bool { return r.Is6() && r.Origin == "RouterAdvertisement" })
	a.Addrs = append(a.Addrs, Addr{IP: a.LinkLocal(), Bits: 64, Origin: "WellKnown"})
	l := a.Link6
	if a.RouterDiscovery && l.Router != "" {
		if l.Prefix.IsValid() {
			a.Addrs = append(a.Addrs, Addr{IP: a.slaacAddr(), Bits: l.Prefix.Bits(), Origin: "RouterAdvertisement"})
		}
		if !a.IgnoreDefaultRoutes6 {
			a.Routes = append(a.Routes, Route{Prefix: "::/0", NextHop: l.Router, Origin: "RouterAdvertisement"})
		}
	}
	if l.Addr.IsValid() && (a.ManagedAddress || a.RouterDiscovery && l.Router != "" && l.Managed) {
		a.Addrs = append(a.Addrs, Addr{IP: l.Addr.String(), Bits: 128, Origin: "Dhcp"})
	}
}

// EffectiveDNS is the list Windows uses: the static one, else DHCP's.
func (a *Adapter) EffectiveDNS() []string {
	if len(a.DNS) > 0 {
		return a.DNS
	}
	if a.DHCP {
		return a.Lease.DNS
	}
	return nil
}

// Adapter finds a present adapter by name (Windows compares names
// without case), or by interface index.
func (h *Host) adapterByName(name string) *Adapter {
	for _, a := range h.Adapters {
		if a.Present && strings.EqualFold(a.Name, name) {
			return a
		}
	}
	return nil
}

func (h *Host) adapterByIndex(i int) *Adapter {
	for _, a := range h.Adapters {
		if a.Present && a.Index == i {
			return a
		}
	}
	return nil
}

func (h *Host) adapterByGUID(g string) *Adapter {
	for _, a := range h.Adapters {
		if strings.EqualFold(a.GUID, g) {
			return a
		}
	}
	return nil
}

func (a *Adapter) addr(ip string) int {
	return slices.IndexFunc(a.Addrs, func(x Addr) bool { return x.IP == ip })
}

func (a *Adapter) route(prefix, nexthop string) int {
	return slices.IndexFunc(a.Routes, func(r Route) bool { return r.Prefix == prefix && r.NextHop == nexthop })
}

// addAddr adds a static address. Adding one to a DHCP adapter turns DHCP
// off unless dhcpstaticipcoexistence is on (netsh add address: "If the
// interface is currently configured for DHCP, DHCP is disabled when this
// command is executed"; the same holds for New-NetIPAddress).
func (a *Adapter) addAddr(ip string, bits int, skip bool) error {
	if a.addr(ip) >= 0 {
		return fmt.Errorf("The object already exists.")
	}
	x := Addr{IP: ip, Bits: bits, Skip: skip, Origin: "Manual"}
	if x.Is6() {
		// netsh interface ipv6 add address repeats the IPv4 text: "If
		// the interface is currently configured for DHCP, DHCP is
		// disabled". The model reads it as managed address
		// configuration turned off (the scripts set it after their
		// addresses, so they hold under either reading).
		a.ManagedAddress = false
		a.Addrs = append(a.Addrs, x)
		a.Settle6()
		return nil
	}
	if a.DHCP && !a.Coexist {
		a.SetDHCP(false)
	}
	a.Addrs = append(a.Addrs, x)
	return nil
}

func (a *Adapter) removeAddr(ip string) error {
	k := a.addr(ip)
	if k < 0 || a.Addrs[k].Origin != "Manual" {
		return fmt.Errorf("Element not found.")
	}
	a.Addrs = slices.Delete(a.Addrs, k, k+1)
	return nil
}

func (a *Adapter) addRoute(prefix, nexthop string, metric int) error {
	if a.route(prefix, nexthop) >= 0 {
		return fmt.Errorf("The object already exists.")
	}
	a.Routes = append(a.Routes, Route{Prefix: prefix, NextHop: nexthop, Metric: metric, Origin: "NetMgmt"})
	return nil
}

func (a *Adapter) removeRoute(prefix, nexthop string) error {
	k := a.route(prefix, nexthop)
	if k < 0 {
		return fmt.Errorf("Element not found.")
	}
	a.Routes = slices.Delete(a.Routes, k, k+1)
	return nil
}

// maskBits reads a dotted mask.
func maskBits(m string) (int, error) {
	ip := net.ParseIP(m).To4()
	if ip == nil {
		return 0, fmt.Errorf("bad mask %q", m)
	}
	ones, bits := net.IPMask(ip).Size()
	if bits == 0 {
		return 0, fmt.Errorf("bad mask %q", m)
	}
	return ones, nil
}

func bitsMask(n int) string { return net.IP(net.CIDRMask(n, 32)).String() }

// netsh runs "netsh interface ipv4 ..." (and "netsh interface set
// interface"), given the words after netsh with the quotes of name="..."
// taken away ("name=Ethernet 2"). It returns what netsh prints and its
// exit code: 1 for an error (Microsoft documents no other codes; that a
// failed command exits 1 is this model's assumption).
func (h *Host) netsh(args []string) (string, int) {
	if len(args) < 4 || args[0] != "interface" || args[1] != "ipv4" && args[1] != "ipv6" {
		return "The following command was not found: " + strings.Join(args, " ") + ".\r\n", 1
	}
	verb, obj := args[2], args[3]
	opt := map[string]string{}
	for _, a := range args[4:] {
		k, v, ok := strings.Cut(a, "=")
		if !ok {
			return "The syntax supplied for this command is not valid.\r\n", 1
		}
		opt[strings.ToLower(k)] = v
	}
	name := opt["name"]
	if name == "" {
		name = opt["interface"]
	}
	a := h.adapterByName(name)
	if a == nil {
		if n, err := strconv.Atoi(name); err == nil {
			a = h.adapterByIndex(n)
		}
	}
	if a == nil {
		return "The filename, directory name, or volume label syntax is incorrect.\r\n", 1
	}
	cmds := netshCommands
	if args[1] == "ipv6" {
		cmds = netshCommands6
	}
	run, ok := cmds[verb+" "+obj]
	if !ok {
		return "The following command was not found: " + strings.Join(args, " ") + ".\r\n", 1
	}
	return run(netshCall{h: h, a: a, opt: opt})
}

// netshCall is one netsh command on one adapter, with its options by
// lower-case tag.
type netshCall struct {
	h   *Host
	a   *Adapter
	opt map[string]string
}

// result is what netsh prints and its exit code.
func (c netshCall) result(err error) (string, int) {
	if err != nil {
		return err.Error() + "\r\n", 1
	}
	return "Ok.\r\n", 0
}

func (c netshCall) metric() int {
	m, _ := strconv.Atoi(c.opt["metric"])
	return m
}

// netshCommands6 are the commands of netsh interface ipv6 the model
// knows (their options as Microsoft's netsh-interface reference gives
// them: interface= names the adapter, address= takes a prefix length).
var netshCommands6 = map[string]func(netshCall) (string, int){
	"add address":      netshCall.addAddress6,
	"delete address":   netshCall.deleteAddress,
	"set interface":    netshCall.setInterface6,
	"set subinterface": netshCall.setSubinterface6,
	"add route":        netshCall.addRoute6,
	"set route":        netshCall.setRoute6,
	"delete route":     netshCall.deleteRoute6,
}

func (c netshCall) addAddress6() (string, int) {
	var err error
	c.h.change("netsh ipv6 add address "+c.a.Name+" "+c.opt["address"], func() {
		p, e := netip.ParsePrefix(c.opt["address"])
		if e != nil || !p.Addr().Is6() {
			err = fmt.Errorf("The parameter is incorrect.")
			return
		}
		err = c.a.addAddr(p.Addr().String(), p.Bits(), c.opt["skipassource"] == "true")
	})
	return c.result(err)
}

func (c netshCall) setInterface6() (string, int) {
	var err error
	c.h.change("netsh ipv6 set interface "+c.a.Name, func() {
		for k, f := range map[string]*bool{"routerdiscovery": &c.a.RouterDiscovery, "managedaddress": &c.a.ManagedAddress, "ignoredefaultroutes": &c.a.IgnoreDefaultRoutes6} {
			if v, ok := c.opt[k]; ok {
				*f = v == "enabled"
			}
		}
		c.a.Settle6()
	})
	return c.result(err)
}

func (c netshCall) setSubinterface6() (string, int) {
	var err error
	c.h.change("netsh ipv6 set subinterface "+c.a.Name, func() { c.a.MTU6, _ = strconv.Atoi(c.opt["mtu"]) })
	return c.result(err)
}

func (c netshCall) addRoute6() (string, int) {
	var err error
	c.h.change("netsh ipv6 add route "+c.a.Name+" "+c.opt["prefix"], func() {
		err = c.a.addRoute(c.opt["prefix"], or(c.opt["nexthop"], "::"), c.metric())
	})
	return c.result(err)
}

func (c netshCall) setRoute6() (string, int) {
	var err error
	c.h.change("netsh ipv6 set route "+c.a.Name+" "+c.opt["prefix"], func() {
		k := c.a.route(c.opt["prefix"], or(c.opt["nexthop"], "::"))
		if k < 0 || c.a.Routes[k].Origin == "RouterAdvertisement" {
			err = fmt.Errorf("Element not found.")
			return
		}
		if _, ok := c.opt["metric"]; ok {
			c.a.Routes[k].Metric = c.metric()
		}
	})
	return c.result(err)
}

func (c netshCall) deleteRoute6() (string, int) {
	var err error
	c.h.change("netsh ipv6 delete route "+c.a.Name+" "+c.opt["prefix"], func() {
		err = c.a.removeRoute(c.opt["prefix"], or(c.opt["nexthop"], "::"))
	})
	return c.result(err)
}

// netshCommands are the commands of netsh interface ipv4 the model knows.
var netshCommands = map[string]func(netshCall) (string, int){
	"set address":      netshCall.setAddress,
	"add address":      netshCall.addAddress,
	"delete address":   netshCall.deleteAddress,
	"set dnsservers":   netshCall.setDnsservers,
	"add dnsservers":   netshCall.addDnsservers,
	"set interface":    netshCall.setInterface,
	"set subinterface": netshCall.setSubinterface,
	"add route":        netshCall.addRoute,
	"set route":        netshCall.setRoute,
	"delete route":     netshCall.deleteRoute,
}

func (c netshCall) setAddress() (string, int) {
	var err error
	c.h.change("netsh set address "+c.a.Name, func() {
		switch c.opt["source"] {
		case "dhcp":
			c.a.SetDHCP(true)
		case "static":
			bits, e := maskBits(c.opt["mask"])
			if e != nil {
				err = e
				return
			}
			c.a.SetDHCP(false)
			c.a.Addrs = append(slices.DeleteFunc(c.a.Addrs, func(x Addr) bool { return !x.Is6() }), Addr{IP: c.opt["address"], Bits: bits, Origin: "Manual"})
			c.a.Routes = slices.DeleteFunc(c.a.Routes, func(r Route) bool { return r.Prefix == "0.0.0.0/0" })
			if gw := c.opt["gateway"]; gw != "" && gw != "none" {
				m, _ := strconv.Atoi(c.opt["gwmetric"])
				c.a.Routes = append(c.a.Routes, Route{Prefix: "0.0.0.0/0", NextHop: gw, Metric: m, Origin: "Gateway"})
			}
		default:
			err = fmt.Errorf("The parameter is incorrect.")
		}
	})
	return c.result(err)
}

func (c netshCall) addAddress() (string, int) {
	var err error
	c.h.change("netsh add address "+c.a.Name+" "+c.opt["address"], func() {
		bits, e := maskBits(c.opt["mask"])
		if e != nil {
			err = e
			return
		}
		err = c.a.addAddr(c.opt["address"], bits, c.opt["skipassource"] == "true")
	})
	return c.result(err)
}

func (c netshCall) deleteAddress() (string, int) {
	var err error
	c.h.change("netsh delete address "+c.a.Name+" "+c.opt["address"], func() { err = c.a.removeAddr(c.opt["address"]) })
	return c.result(err)
}

func (c netshCall) setDnsservers() (string, int) {
	var err error
	c.h.change("netsh set dnsservers "+c.a.Name, func() {
		switch {
		case c.opt["source"] == "dhcp":
			c.a.DNS = nil
		case c.opt["address"] == "none":
			c.a.DNS = nil
		default:
			c.a.DNS = []string{c.opt["address"]}
		}
	})
	return c.result(err)
}

func (c netshCall) addDnsservers() (string, int) {
	var err error
	c.h.change("netsh add dnsservers "+c.a.Name+" "+c.opt["address"], func() {
		if slices.Contains(c.a.DNS, c.opt["address"]) {
			err = fmt.Errorf("The object already exists.")
			return
		}
		k := len(c.a.DNS)
		if i, e := strconv.Atoi(c.opt["index"]); e == nil && i-1 < k {
			k = i - 1
		}
		c.a.DNS = slices.Insert(c.a.DNS, k, c.opt["address"])
	})
	return c.result(err)
}

func (c netshCall) setInterface() (string, int) {
	var err error
	c.h.change("netsh set interface "+c.a.Name, func() {
		if v, ok := c.opt["ignoredefaultroutes"]; ok {
			c.a.IgnoreDefaultRoutes = v == "enabled"
			c.a.settle()
		}
		if v, ok := c.opt["dhcpstaticipcoexistence"]; ok {
			c.a.Coexist = v == "enabled"
		}
	})
	return c.result(err)
}

func (c netshCall) setSubinterface() (string, int) {
	var err error
	c.h.change("netsh set subinterface "+c.a.Name, func() { c.a.MTU, _ = strconv.Atoi(c.opt["mtu"]) })
	return c.result(err)
}

func (c netshCall) addRoute() (string, int) {
	var err error
	c.h.change("netsh add route "+c.a.Name+" "+c.opt["prefix"], func() {
		err = c.a.addRoute(c.opt["prefix"], or(c.opt["nexthop"], "0.0.0.0"), c.metric())
	})
	return c.result(err)
}

func (c netshCall) setRoute() (string, int) {
	var err error
	c.h.change("netsh set route "+c.a.Name+" "+c.opt["prefix"], func() {
		k := c.a.route(c.opt["prefix"], or(c.opt["nexthop"], "0.0.0.0"))
		if k < 0 {
			err = fmt.Errorf("Element not found.")
			return
		}
		if _, ok := c.opt["metric"]; ok {
			c.a.Routes[k].Metric = c.metric()
		}
	})
	return c.result(err)
}

func (c netshCall) deleteRoute() (string, int) {
	var err error
	c.h.change("netsh delete route "+c.a.Name+" "+c.opt["prefix"], func() {
		err = c.a.removeRoute(c.opt["prefix"], or(c.opt["nexthop"], "0.0.0.0"))
	})
	return c.result(err)
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// getmac prints "getmac /fo csv /nh /v": one row per adapter, ghosts
// included (the report: a PV to ENA change leaves one with the
// same MAC), with the transport \Device\Tcpip_{GUID} only for a present,
// connected adapter; otherwise the text "Media disconnected" (what
// getmac prints there is translated; the scripts must not read it).
func (h *Host) getmac() string {
	var b strings.Builder
	for _, a := range h.Adapters {
		t := "Media disconnected"
		if a.Present && a.Up {
			t = `\Device\Tcpip_` + a.GUID
		}
		fmt.Fprintf(&b, "\"%s\",\"%s\",\"%s\",\"%s\"\r\n", a.Name, "Amazon Elastic Network Adapter", a.MAC, t)
	}
	return b.String()
}

const (
	regTcpip = `HKLM\SYSTEM\CurrentControlSet\Services\Tcpip\Parameters\Interfaces`
	regClass = `HKLM\SYSTEM\CurrentControlSet\Control\Class\{4D36E972-E325-11CE-BFC1-08002BE10318}`
)

// regValues gives the values of a registry key: the Tcpip interface key
// of an adapter and the driver (class) key are derived from the adapter;
// enicfg's own keys are in Reg. Each value is "TYPE data".
func (h *Host) regValues(key string) (map[string]string, bool) {
	if g, ok := strings.CutPrefix(key, regTcpip+`\`); ok {
		a := h.adapterByGUID(g)
		if a == nil {
			return nil, false
		}
		v := map[string]string{"EnableDHCP": "REG_DWORD 0x0"}
		if a.DHCP {
			v["EnableDHCP"] = "REG_DWORD 0x1"
			v["DhcpIPAddress"] = "REG_SZ " + a.Lease.Addr.Addr().String()
			v["DhcpNameServer"] = "REG_SZ " + strings.Join(a.Lease.DNS, " ")
		}
		var ips, masks []string
		for _, x := range a.Addrs {
			if x.Origin == "Manual" && !x.Is6() {
				ips = append(ips, x.IP)
				masks = append(masks, bitsMask(x.Bits))
			}
		}
		if len(ips) > 0 {
			v["IPAddress"] = "REG_MULTI_SZ " + strings.Join(ips, `\0`)
			v["SubnetMask"] = "REG_MULTI_SZ " + strings.Join(masks, `\0`)
		}
		// The default gateway that netsh set address gateway= sets, with
		// its metric (0: automatic), in the adapter's legacy TCP/IP key;
		// that netsh keeps these values is this model's assumption.
		var gws, gwms []string
		for _, r := range a.Routes {
			if r.Origin == "Gateway" {
				gws = append(gws, r.NextHop)
				gwms = append(gwms, strconv.Itoa(r.Metric))
			}
		}
		if len(gws) > 0 {
			v["DefaultGateway"] = "REG_MULTI_SZ " + strings.Join(gws, `\0`)
			v["DefaultGatewayMetric"] = "REG_MULTI_SZ " + strings.Join(gwms, `\0`)
		}
		// NameServer: the static servers, comma-separated; empty with DHCP's.
		v["NameServer"] = "REG_SZ " + strings.Join(a.DNS, ",")
		return v, true
	}
	if n, ok := strings.CutPrefix(key, regClass+`\`); ok {
		for k, a := range h.Adapters {
			if n == fmt.Sprintf("%04d", k) {
				v := map[string]string{"NetCfgInstanceId": "REG_SZ " + a.GUID}
				if a.Keyword != "" {
					v[a.Keyword] = "REG_SZ " + strconv.Itoa(a.KeywordValue)
				}
				return v, true
			}
		}
		return nil, false
	}
	v, ok := h.Reg[key]
	return v, ok
}

// reg runs "reg query KEY [/v NAME]" and "reg add KEY /v NAME /t TYPE /d
// DATA /f" (the words after reg, quotes taken away), printing as reg.exe
// does: the key's path, then "    NAME    TYPE    DATA" lines.
func (h *Host) reg(args []string) (string, int) {
	const notFound = "ERROR: The system was unable to find the specified registry key or value.\r\n"
	if len(args) < 2 {
		return "ERROR: Invalid syntax.\r\n", 1
	}
	key := args[1]
	opt := map[string]string{}
	for k := 2; k < len(args); k++ {
		switch strings.ToLower(args[k]) {
		case "/f":
			opt["/f"] = ""
		case "/v", "/t", "/d":
			if k+1 >= len(args) {
				return "ERROR: Invalid syntax.\r\n", 1
			}
			opt[strings.ToLower(args[k])] = args[k+1]
			k++
		default:
			return "ERROR: Invalid syntax.\r\n", 1
		}
	}
	switch strings.ToLower(args[0]) {
	case "query":
		vals, ok := h.regValues(key)
		if !ok {
			return notFound, 1
		}
		var names []string
		if n, ok := opt["/v"]; ok {
			if _, there := vals[n]; !there {
				return notFound, 1
			}
			names = []string{n}
		} else {
			for n := range vals {
				names = append(names, n)
			}
			slices.Sort(names)
		}
		var b strings.Builder
		b.WriteString("\r\n" + strings.Replace(key, "HKLM", "HKEY_LOCAL_MACHINE", 1) + "\r\n")
		for _, n := range names {
			typ, data, _ := strings.Cut(vals[n], " ")
			fmt.Fprintf(&b, "    %s    %s    %s\r\n", n, typ, data)
		}
		b.WriteString("\r\n")
		return b.String(), 0
	case "add":
		if !strings.HasPrefix(key, `HKLM\SOFTWARE\enicfg`) {
			return "ERROR: the model writes only enicfg's own keys\r\n", 1
		}
		h.change("reg add "+key, func() {
			if h.Reg == nil {
				h.Reg = map[string]map[string]string{}
			}
			if h.Reg[key] == nil {
				h.Reg[key] = map[string]string{}
			}
			h.Reg[key][opt["/v"]] = or(opt["/t"], "REG_SZ") + " " + opt["/d"]
		})
		return "The operation completed successfully.\r\n", 0
	}
	return "ERROR: Invalid syntax.\r\n", 1
}

// psObject is an object a cmdlet returns: property -> value (string,
// int, bool, []string or []int).
type psObject map[string]any

// cmdlet runs one cmdlet with its named parameters (values already
// evaluated: string, int, bool, []string) and its pipeline input. A
// parameter given without a value (-ResetServerAddresses) is true. An
// error is what the cmdlet would write to the error stream; with
// -ErrorAction SilentlyContinue the caller drops it.
func (h *Host) cmdlet(name string, p map[string]any, in []psObject) ([]psObject, error) {
	run, ok := cmdlets[name]
	if !ok {
		return nil, fmt.Errorf("The term '%s' is not recognized as the name of a cmdlet", name)
	}
	return run(cmdletCall{h: h, p: p, in: in})
}

// cmdletCall is one call of a cmdlet: the host, the named parameters and
// the pipeline input.
type cmdletCall struct {
	h  *Host
	p  map[string]any
	in []psObject
}

func (c cmdletCall) str(k string) string { s, _ := c.p[k].(string); return s }

func (c cmdletCall) num(k string) int {
	switch v := c.p[k].(type) {
	case int:
		return v
	case string:
		n, _ := strconv.Atoi(v)
		return n
	}
	return 0
}

// adapter is the adapter of -InterfaceIndex, else of -Name.
func (c cmdletCall) adapter() (*Adapter, error) {
	if _, ok := c.p["InterfaceIndex"]; ok {
		if a := c.h.adapterByIndex(c.num("InterfaceIndex")); a != nil {
			return a, nil
		}
		return nil, fmt.Errorf("No MSFT_NetIPInterface objects found with property 'InterfaceIndex' equal to '%d'", c.num("InterfaceIndex"))
	}
	if a := c.h.adapterByName(c.str("Name")); a != nil {
		return a, nil
	}
	return nil, fmt.Errorf("No MSFT_NetAdapter objects found with property 'Name' equal to '%s'", c.str("Name"))
}

// cmdlets are the cmdlets the model knows, each as Microsoft documents it.
var cmdlets = map[string]func(cmdletCall) ([]psObject, error){
	"Get-NetAdapter":                 cmdletCall.getNetAdapter,
	"Get-NetIPInterface":             cmdletCall.getNetIPInterface,
	"Set-NetIPInterface":             cmdletCall.setNetIPInterface,
	"Get-NetIPAddress":               cmdletCall.getNetIPAddress,
	"New-NetIPAddress":               cmdletCall.newNetIPAddress,
	"Remove-NetIPAddress":            cmdletCall.removeNetIPAddress,
	"Get-NetRoute":                   cmdletCall.getNetRoute,
	"New-NetRoute":                   cmdletCall.newNetRoute,
	"Set-NetRoute":                   cmdletCall.setNetRoute,
	"Remove-NetRoute":                cmdletCall.removeNetRoute,
	"Get-DnsClientServerAddress":     cmdletCall.getDnsClientServerAddress,
	"Set-DnsClientServerAddress":     cmdletCall.setDnsClientServerAddress,
	"Get-NetAdapterAdvancedProperty": cmdletCall.getNetAdapterAdvancedProperty,
	"Set-NetAdapterAdvancedProperty": cmdletCall.setNetAdapterAdvancedProperty,
}

func (c cmdletCall) getNetAdapter() ([]psObject, error) {
	var out []psObject
	for _, a := range c.h.Adapters {
		st := "Disconnected"
		switch {
		case !a.Present:
			st = "Not Present"
		case a.Up:
			st = "Up"
		}
		out = append(out, psObject{"Name": a.Name, "MacAddress": a.MAC, "ifIndex": a.Index, "InterfaceGuid": a.GUID, "Status": st})
	}
	return out, nil
}

// family is the -AddressFamily given: "IPv4", "IPv6" or "" (both).
func (c cmdletCall) family() string { return c.str("AddressFamily") }

// inFamily tells whether an address or prefix belongs to the family
// asked for.
func (c cmdletCall) inFamily(is6 bool) bool {
	f := c.family()
	return f == "" || (f == "IPv6") == is6
}

func onOff(b bool) string {
	if b {
		return "Enabled"
	}
	return "Disabled"
}

func (c cmdletCall) getNetIPInterface() ([]psObject, error) {
	a, err := c.adapter()
	if err != nil {
		return nil, err
	}
	if c.family() == "IPv6" {
		return []psObject{{"ifIndex": a.Index, "AddressFamily": "IPv6", "NlMtu": a.MTU6,
			"RouterDiscovery": onOff(a.RouterDiscovery), "ManagedAddressConfiguration": onOff(a.ManagedAddress),
			"IgnoreDefaultRoutes": onOff(a.IgnoreDefaultRoutes6)}}, nil
	}
	return []psObject{{"ifIndex": a.Index, "AddressFamily": "IPv4", "Dhcp": onOff(a.DHCP), "NlMtu": a.MTU, "IgnoreDefaultRoutes": onOff(a.IgnoreDefaultRoutes)}}, nil
}

func (c cmdletCall) setNetIPInterface() ([]psObject, error) {
	a, err := c.adapter()
	if err != nil {
		return nil, err
	}
	if c.family() == "IPv6" {
		c.h.change("Set-NetIPInterface IPv6 "+a.Name, func() {
			for k, f := range map[string]*bool{"RouterDiscovery": &a.RouterDiscovery, "ManagedAddressConfiguration": &a.ManagedAddress, "IgnoreDefaultRoutes": &a.IgnoreDefaultRoutes6} {
				if v, ok := c.p[k]; ok {
					*f = v == "Enabled"
				}
			}
			if _, ok := c.p["NlMtuBytes"]; ok {
				a.MTU6 = c.num("NlMtuBytes")
			}
			a.Settle6()
		})
		return nil, nil
	}
	if c.family() != "IPv4" {
		return nil, fmt.Errorf("Set-NetIPInterface: the model wants -AddressFamily")
	}
	c.h.change("Set-NetIPInterface "+a.Name, func() {
		if v, ok := c.p["Dhcp"]; ok {
			a.SetDHCP(v == "Enabled")
		}
		if v, ok := c.p["IgnoreDefaultRoutes"]; ok {
			a.IgnoreDefaultRoutes = v == "Enabled"
			a.settle()
		}
		if _, ok := c.p["NlMtuBytes"]; ok {
			a.MTU = c.num("NlMtuBytes")
		}
	})
	return nil, nil
}

func (c cmdletCall) getNetIPAddress() ([]psObject, error) {
	a, err := c.adapter()
	if err != nil {
		return nil, err
	}
	var out []psObject
	for _, x := range a.Addrs {
		if ip := c.str("IPAddress"); ip != "" && ip != x.IP || !c.inFamily(x.Is6()) {
			continue
		}
		out = append(out, psObject{"ifIndex": a.Index, "IPAddress": x.IP, "PrefixLength": x.Bits, "SkipAsSource": x.Skip, "PrefixOrigin": x.Origin})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("No MSFT_NetIPAddress objects found")
	}
	return out, nil
}

func (c cmdletCall) newNetIPAddress() ([]psObject, error) {
	a, err := c.adapter()
	if err != nil {
		return nil, err
	}
	skip, _ := c.p["SkipAsSource"].(bool)
	c.h.change("New-NetIPAddress "+a.Name+" "+c.str("IPAddress"), func() { err = a.addAddr(c.str("IPAddress"), c.num("PrefixLength"), skip) })
	if err != nil {
		return nil, err
	}
	return []psObject{{"IPAddress": c.str("IPAddress")}}, nil
}

func (c cmdletCall) removeNetIPAddress() ([]psObject, error) {
	for _, o := range c.in {
		a := c.h.adapterByIndex(o["ifIndex"].(int))
		var err error
		c.h.change("Remove-NetIPAddress "+a.Name+" "+o["IPAddress"].(string), func() { err = a.removeAddr(o["IPAddress"].(string)) })
		if err != nil {
			return nil, err
		}
	}
	return nil, nil
}

func (c cmdletCall) getNetRoute() ([]psObject, error) {
	a, err := c.adapter()
	if err != nil {
		return nil, err
	}
	var out []psObject
	for _, r := range a.Routes {
		if d := c.str("DestinationPrefix"); d != "" && d != r.Prefix || !c.inFamily(r.Is6()) {
			continue
		}
		m := r.Metric
		if m == 0 {
			m = 256 // New-NetRoute: "The default value is 256"
		}
		proto := map[string]string{"RouterAdvertisement": "RouterAdvertisement", "Dhcp": "Dhcp"}[r.Origin]
		out = append(out, psObject{"ifIndex": a.Index, "DestinationPrefix": r.Prefix, "NextHop": r.NextHop, "RouteMetric": m, "Protocol": or(proto, "NetMgmt")})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("No MSFT_NetRoute objects found")
	}
	return out, nil
}

// onLink is the next hop of an on-link route: 0.0.0.0 or ::.
func (c cmdletCall) onLink() string {
	if strings.Contains(c.str("DestinationPrefix"), ":") {
		return "::"
	}
	return "0.0.0.0"
}

func (c cmdletCall) newNetRoute() ([]psObject, error) {
	a, err := c.adapter()
	if err != nil {
		return nil, err
	}
	c.h.change("New-NetRoute "+a.Name+" "+c.str("DestinationPrefix"), func() {
		err = a.addRoute(c.str("DestinationPrefix"), or(c.str("NextHop"), c.onLink()), c.num("RouteMetric"))
	})
	if err != nil {
		return nil, err
	}
	return []psObject{{"DestinationPrefix": c.str("DestinationPrefix")}}, nil
}

func (c cmdletCall) setNetRoute() ([]psObject, error) {
	a, err := c.adapter()
	if err != nil {
		return nil, err
	}
	c.h.change("Set-NetRoute "+a.Name+" "+c.str("DestinationPrefix"), func() {
		k := a.route(c.str("DestinationPrefix"), or(c.str("NextHop"), c.onLink()))
		if k < 0 {
			err = fmt.Errorf("No MSFT_NetRoute objects found")
			return
		}
		a.Routes[k].Metric = c.num("RouteMetric")
	})
	return nil, err
}

func (c cmdletCall) removeNetRoute() ([]psObject, error) {
	for _, o := range c.in {
		a := c.h.adapterByIndex(o["ifIndex"].(int))
		var err error
		c.h.change("Remove-NetRoute "+a.Name+" "+o["DestinationPrefix"].(string), func() {
			// the route of the object: with its protocol, where a learnt
			// and a static route share prefix and next hop
			k := slices.IndexFunc(a.Routes, func(r Route) bool {
				p, _ := o["Protocol"].(string)
				proto := map[string]string{"RouterAdvertisement": "RouterAdvertisement", "Dhcp": "Dhcp"}[r.Origin]
				return r.Prefix == o["DestinationPrefix"] && r.NextHop == o["NextHop"] && (p == "" || or(proto, "NetMgmt") == p)
			})
			if k < 0 {
				err = fmt.Errorf("Element not found.")
				return
			}
			a.Routes = slices.Delete(a.Routes, k, k+1)
		})
		if err != nil {
			return nil, err
		}
	}
	return nil, nil
}

func (c cmdletCall) getDnsClientServerAddress() ([]psObject, error) {
	a, err := c.adapter()
	if err != nil {
		return nil, err
	}
	return []psObject{{"ServerAddresses": slices.Clone(a.EffectiveDNS())}}, nil
}

func (c cmdletCall) setDnsClientServerAddress() ([]psObject, error) {
	a, err := c.adapter()
	if err != nil {
		return nil, err
	}
	c.h.change("Set-DnsClientServerAddress "+a.Name, func() {
		if _, ok := c.p["ResetServerAddresses"]; ok {
			a.DNS = nil
			return
		}
		switch v := c.p["ServerAddresses"].(type) {
		case []string:
			a.DNS = slices.Clone(v)
		case string:
			a.DNS = []string{v}
		}
	})
	return nil, nil
}

func (c cmdletCall) getNetAdapterAdvancedProperty() ([]psObject, error) {
	a, err := c.adapter()
	if err != nil {
		return nil, err
	}
	if a.Keyword == "" || c.str("RegistryKeyword") != a.Keyword {
		return nil, fmt.Errorf("No matching keyword value found. The following are valid keyword values: ...")
	}
	o := psObject{"Name": a.Name, "RegistryKeyword": a.Keyword, "RegistryValue": []string{strconv.Itoa(a.KeywordValue)}}
	var valid []string
	for _, v := range a.KeywordValid {
		valid = append(valid, strconv.Itoa(v))
	}
	o["ValidRegistryValues"] = valid
	o["NumericParameterMinValue"] = a.KeywordMin
	o["NumericParameterMaxValue"] = a.KeywordMax
	return []psObject{o}, nil
}

func (c cmdletCall) setNetAdapterAdvancedProperty() ([]psObject, error) {
	a, err := c.adapter()
	if err != nil {
		return nil, err
	}
	if a.Keyword == "" || c.str("RegistryKeyword") != a.Keyword {
		return nil, fmt.Errorf("No matching keyword value found.")
	}
	v := c.num("RegistryValue")
	if len(a.KeywordValid) > 0 && !slices.Contains(a.KeywordValid, v) || len(a.KeywordValid) == 0 && (v < a.KeywordMin || v > a.KeywordMax) {
		return nil, fmt.Errorf("Value %d is not valid for %s", v, a.Keyword)
	}
	c.h.change("Set-NetAdapterAdvancedProperty "+a.Name, func() {
		a.KeywordValue = v
		if _, ok := c.p["NoRestart"]; !ok {
			a.Restarts++ // "Many advanced properties require restarting the network adapter"
		}
	})
	return nil, nil
}

// Example is the host of the smoke tests: one present, connected adapter
// ("Ethernet", 00-16-3E-12-E7-27, index 5) on DHCP, with a lease of
// 172.16.0.10/24, router 172.16.0.253 and DNS server 100.100.2.136.
func Example() *Host {
	a := &Adapter{
		Name: "Ethernet", MAC: "00-16-3E-12-E7-27", GUID: "{11111111-2222-3333-4444-555555555555}",
		Index: 5, Present: true, Up: true, MTU: 1500,
		Lease: Lease{Addr: netip.MustParsePrefix("172.16.0.10/24"), Router: "172.16.0.253", DNS: []string{"100.100.2.136"}},
	}
	a.SetDHCP(true)
	return &Host{Adapters: []*Adapter{a}}
}
