package live

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
	"unsafe"

	"github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"
)

// Scope says which of the host's facts to read: the links named (with
// their addresses and their routes in the main table), and every route of
// the tables given. Every IPv4 policy rule is read but the kernel's three
// default ones.
type Scope struct {
	Links  []string
	Tables []uint32
	// MACs gives the described MAC of links, to find a link that has
	// another name.
	MACs map[string]string
}

// ScopeOf is the part of the host that the description m speaks of.
func ScopeOf(m State) Scope {
	var s Scope
	for _, f := range m {
		switch {
		case f.Kind == KindLink:
			s.Links = append(s.Links, f.Dev)
			if f.MAC != "" && f.Any&AnyMAC == 0 {
				if s.MACs == nil {
					s.MACs = map[string]string{}
				}
				s.MACs[f.Dev] = f.MAC
			}
		case f.Kind == KindRule || (f.Kind == KindRoute && f.Table != 0):
			if !slices.Contains(s.Tables, f.Table) {
				s.Tables = append(s.Tables, f.Table)
			}
		}
	}
	return s
}

// Read reads the facts of scope in the network namespace of h (a handle
// of the process's own namespace: netlink.NewHandle()). Queues are the
// combined channels the driver reports through ethtool, read in the
// process's own namespace; a driver without combined channels (veth)
// reports none and its queues are not compared.
func Read(h *netlink.Handle, scope Scope) (State, error) {
	var s State
	byIndex := map[int]string{}
	for _, name := range scope.Links {
		l, err := linkOf(h, name, scope.MACs[name])
		if err != nil {
			return nil, err
		}
		if l == nil {
			continue
		}
		a := l.Attrs()
		byIndex[a.Index] = name
		link := Fact{Kind: KindLink, Dev: name, MAC: a.HardwareAddr.String(), MTU: a.MTU,
			Up: a.Flags&net.FlagUp != 0, Queues: combinedChannels(a.Name)}
		if a.Name != name {
			link.Other = "named " + a.Name
		}
		s = append(s, link)
		addrs, err := h.AddrList(l, netlink.FAMILY_ALL)
		if err != nil {
			return nil, fmt.Errorf("netlink: addresses of %s: %w", name, err)
		}
		for _, ad := range addrs {
			p, ok := prefixOf(ad.IPNet, 4)
			// The kernel gives every IPv6 link its link-local address.
			if !ok || (p.Addr().Is6() && p.Addr().IsLinkLocalUnicast()) {
				continue
			}
			f := Fact{Kind: KindAddress, Dev: name, Prefix: p, Label: ad.Label}
			if p.Addr().Is6() {
				f.Label = ""
				if ad.Flags&unix.IFA_F_DADFAILED != 0 {
					f.Other = "dadfailed"
				} else if ad.Flags&unix.IFA_F_TENTATIVE != 0 {
					f.Other = "tentative"
				}
			}
			s = append(s, f)
		}
	}
	for _, family := range []int{netlink.FAMILY_V4, netlink.FAMILY_V6} {
		rules, err := readRules(h, family)
		if err != nil {
			return nil, err
		}
		s = append(s, rules...)
		routes, err := readRoutes(h, scope, byIndex, family)
		if err != nil {
			return nil, err
		}
		s = append(s, routes...)
	}
	return s, nil
}

// linkOf finds a described link by its name, else by its MAC (the
// kernel's name is then another); nil when there is none.
func linkOf(h *netlink.Handle, name, mac string) (netlink.Link, error) {
	l, err := h.LinkByName(name)
	switch {
	case err == nil:
		return l, nil
	case !errors.As(err, new(netlink.LinkNotFoundError)):
		return nil, fmt.Errorf("netlink: link %s: %w", name, err)
	case mac == "":
		return nil, nil
	}
	all, err := h.LinkList()
	if err != nil {
		return nil, fmt.Errorf("netlink: links: %w", err)
	}
	for _, l := range all {
		if l.Attrs().HardwareAddr.String() == mac {
			return l, nil
		}
	}
	return nil, nil
}

// prefixOf converts a netlink prefix; nil is "all" of family 4 or 6.
func prefixOf(n *net.IPNet, family int) (netip.Prefix, bool) {
	if n == nil {
		if family == 6 {
			return netip.PrefixFrom(netip.IPv6Unspecified(), 0), true
		}
		return netip.PrefixFrom(netip.IPv4Unspecified(), 0), true
	}
	a, ok := netip.AddrFromSlice(n.IP)
	if !ok {
		return netip.Prefix{}, false
	}
	bits, _ := n.Mask.Size()
	return netip.PrefixFrom(a.Unmap(), bits), true
}

// defaultRules are the kernel's own rules, left out.
var defaultRules = map[[2]int]bool{{0, unix.RT_TABLE_LOCAL}: true, {32766, unix.RT_TABLE_MAIN}: true, {32767, unix.RT_TABLE_DEFAULT}: true}

// ipVersion is 4 or 6 for a netlink family.
func ipVersion(family int) int {
	if family == netlink.FAMILY_V6 {
		return 6
	}
	return 4
}

func readRules(h *netlink.Handle, family int) (State, error) {
	rules, err := h.RuleList(family)
	if err != nil {
		return nil, fmt.Errorf("netlink: rules: %w", err)
	}
	var s State
	for _, r := range rules {
		var other []string
		if r.Src == nil && r.Dst == nil && r.Mark == 0 && r.IifName == "" && r.OifName == "" && !r.Invert && defaultRules[[2]int{r.Priority, r.Table}] {
			continue
		}
		from, _ := prefixOf(r.Src, ipVersion(family))
		if r.Dst != nil {
			other = append(other, "to "+r.Dst.String())
		}
		if r.Mark != 0 {
			other = append(other, fmt.Sprintf("fwmark %#x", r.Mark))
		}
		if r.IifName != "" {
			other = append(other, "iif "+r.IifName)
		}
		if r.OifName != "" {
			other = append(other, "oif "+r.OifName)
		}
		if r.Invert {
			other = append(other, "not")
		}
		if r.Type != 0 && r.Type != unix.FR_ACT_TO_TBL {
			other = append(other, fmt.Sprintf("action %d", r.Type))
		}
		prio := max(r.Priority, 0)
		s = append(s, Fact{Kind: KindRule, Prefix: from, Table: tableOf(r.Table), Metric: uint32(prio), Other: strings.Join(other, " ")})
	}
	return s, nil
}

func tableOf(t int) uint32 {
	if t == unix.RT_TABLE_MAIN {
		return 0
	}
	return uint32(t)
}

// linkLocalRoute is the route the kernel gives every IPv6 link.
var linkLocalRoute = netip.MustParsePrefix("fe80::/64")

// readRoutes reads the unicast routes of family in the main table through
// the scope's links (but the kernel's fe80::/64 of every IPv6 link) and
// every route of its tables.
func readRoutes(h *netlink.Handle, scope Scope, byIndex map[int]string, family int) (State, error) {
	var s State
	var failed error
	err := h.RouteListFilteredIter(family, &netlink.Route{Table: unix.RT_TABLE_UNSPEC}, netlink.RT_FILTER_TABLE, func(r netlink.Route) bool {
		table := tableOf(r.Table)
		dev, ours := byIndex[r.LinkIndex]
		inTable := table != 0 && slices.Contains(scope.Tables, table)
		if (table == 0 && !ours) || (table != 0 && !inTable) || r.Type != unix.RTN_UNICAST {
			return true
		}
		if dev == "" && r.LinkIndex > 0 {
			if l, err := h.LinkByIndex(r.LinkIndex); err == nil {
				dev = l.Attrs().Name
			}
		}
		dst, ok := prefixOf(r.Dst, ipVersion(family))
		if !ok || (table == 0 && dst == linkLocalRoute) {
			return true
		}
		f := Fact{Kind: KindRoute, Dev: dev, Table: table, Prefix: dst, Metric: uint32(max(r.Priority, 0))}
		if gw, ok := netip.AddrFromSlice(r.Gw); ok {
			f.Via = gw.Unmap()
		}
		if src, ok := netip.AddrFromSlice(r.Src); ok {
			f.Src = src.Unmap()
		}
		if len(r.MultiPath) > 0 {
			f.Other = fmt.Sprintf("multipath (%d next hops)", len(r.MultiPath))
		}
		s = append(s, f)
		return true
	})
	if err != nil {
		failed = fmt.Errorf("netlink: routes: %w", err)
	}
	return s, failed
}

// ethtoolChannels is struct ethtool_channels of linux/ethtool.h.
type ethtoolChannels struct {
	cmd, maxRx, maxTx, maxOther, maxCombined, rx, tx, other, combined uint32
}

// ifreqData is struct ifreq with its union as a pointer (ifr_data).
type ifreqData struct {
	name [unix.IFNAMSIZ]byte
	data unsafe.Pointer
	_    [24 - unsafe.Sizeof(uintptr(0))]byte
}

// combinedChannels gives the combined channels of a link, or 0 when its
// driver has none (or cannot say).
func combinedChannels(name string) int {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return 0
	}
	defer unix.Close(fd)
	ch := ethtoolChannels{cmd: unix.ETHTOOL_GCHANNELS}
	var ifr ifreqData
	copy(ifr.name[:], name)
	ifr.data = unsafe.Pointer(&ch)
	if _, _, e := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), unix.SIOCETHTOOL, uintptr(unsafe.Pointer(&ifr))); e != 0 {
		return 0
	}
	if ch.maxCombined == 0 {
		return 0
	}
	return int(ch.combined)
}

// DefaultRouteLink gives the link of the main table's IPv4 default route
// with the lowest metric (the way in to the host), else that of the IPv6
// default route (an IPv6-only host), or "" when there is none.
func DefaultRouteLink(h *netlink.Handle) (string, error) {
	for _, family := range []int{netlink.FAMILY_V4, netlink.FAMILY_V6} {
		routes, err := h.RouteListFiltered(family, &netlink.Route{Table: unix.RT_TABLE_MAIN}, netlink.RT_FILTER_TABLE)
		if err != nil {
			return "", fmt.Errorf("netlink: routes: %w", err)
		}
		best, name := -1, ""
		for _, r := range routes {
			if p, ok := prefixOf(r.Dst, ipVersion(family)); !ok || p.Bits() != 0 || r.LinkIndex == 0 || r.Type != unix.RTN_UNICAST {
				continue
			}
			if best >= 0 && r.Priority >= best {
				continue
			}
			l, err := h.LinkByIndex(r.LinkIndex)
			if err != nil {
				continue
			}
			best, name = r.Priority, l.Attrs().Name
		}
		if name != "" {
			return name, nil
		}
	}
	return "", nil
}
