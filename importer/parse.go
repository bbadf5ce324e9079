package importer

import (
	"cmp"
	"fmt"
	"net"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
)

// The forms a source's values must have before they reach the
// description.
var (
	idForm = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$`)
)

// addr4 reads an IPv4 address the source gave under key.
func addr4(key, s string) (netip.Addr, error) {
	a, err := netip.ParseAddr(strings.TrimSpace(s))
	if err != nil || !a.Is4() {
		return netip.Addr{}, fmt.Errorf("%s: %q is not an IPv4 address", key, s)
	}
	return a, nil
}

// prefix4 reads an IPv4 CIDR the source gave under key.
func prefix4(key, s string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(strings.TrimSpace(s))
	if err != nil || !p.Addr().Is4() || p != p.Masked() {
		return netip.Prefix{}, fmt.Errorf("%s: %q is not an IPv4 CIDR block", key, s)
	}
	return p, nil
}

// mac reads a MAC address in colon or dash form into lower-case colon form.
func macOf(key, s string) (string, error) {
	hw, err := net.ParseMAC(strings.ReplaceAll(strings.TrimSpace(s), "-", ":"))
	if err != nil || len(hw) != 6 {
		return "", fmt.Errorf("%s: %q is not a MAC address", key, s)
	}
	return hw.String(), nil
}

// id reads an identifier (instance, ENI) the source gave under key.
func id(key, s string) (string, error) {
	s = strings.TrimSpace(s)
	if !idForm.MatchString(s) {
		return "", fmt.Errorf("%s: %q is not an identifier", key, s)
	}
	return s, nil
}

// addIP appends ip once, keeping the order.
func addIP(list []netip.Addr, ip netip.Addr) []netip.Addr {
	for _, x := range list {
		if x == ip {
			return list
		}
	}
	return append(list, ip)
}

// addr6 reads an IPv6 address the source gave under key.
func addr6(key, s string) (netip.Addr, error) {
	a, err := netip.ParseAddr(strings.TrimSpace(s))
	if err != nil || !a.Is6() || a.Is4In6() || a.Zone() != "" {
		return netip.Addr{}, fmt.Errorf("%s: %q is not an IPv6 address", key, s)
	}
	return a, nil
}

// prefix6 reads an IPv6 CIDR the source gave under key.
func prefix6(key, s string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(strings.TrimSpace(s))
	if err != nil || !p.Addr().Is6() || p.Addr().Is4In6() || p != p.Masked() || p.Bits() < 1 || p.Bits() > 127 {
		return netip.Prefix{}, fmt.Errorf("%s: %q is not an IPv6 CIDR block", key, s)
	}
	return p, nil
}

// bracketList reads Alibaba's list of IPv6 addresses: "[a,b]", the items
// bare (as its metadata documents ipv6s) or quoted (as private-ipv4s).
func bracketList(key, s string) ([]netip.Addr, error) {
	s = strings.TrimSpace(s)
	inner, open := strings.CutPrefix(s, "[")
	inner, closed := strings.CutSuffix(inner, "]")
	if !open || !closed {
		return nil, fmt.Errorf("%s: %q is not a list of addresses in brackets", key, s)
	}
	var out []netip.Addr
	if strings.TrimSpace(inner) == "" {
		return nil, nil
	}
	for _, item := range strings.Split(inner, ",") {
		item = strings.TrimSpace(item)
		if unq, err := strconv.Unquote(item); err == nil {
			item = unq
		}
		a, err := addr6(key, item)
		if err != nil {
			return nil, err
		}
		out = addIP(out, a)
	}
	return out, nil
}

// subnetOf6 picks, of the IPv6 CIDR blocks given under key, the one that
// holds every address; an address in none, or addresses in two, are
// refused (the description has one IPv6 subnet an interface).
func subnetOf6(key string, blocks []netip.Prefix, ips []netip.Addr) (netip.Prefix, error) {
	for _, b := range blocks {
		if !b.Contains(ips[0]) {
			continue
		}
		for _, ip := range ips[1:] {
			if !b.Contains(ip) {
				return netip.Prefix{}, fmt.Errorf("%s: %s is outside %s, which holds %s: the addresses of an interface must share one IPv6 CIDR block", key, ip, b, ips[0])
			}
		}
		return b, nil
	}
	var bs []string
	for _, b := range blocks {
		bs = append(bs, b.String())
	}
	return netip.Prefix{}, fmt.Errorf("%s: %s is outside %s", key, ips[0], cmp.Or(strings.Join(bs, ", "), "the blocks (none given)"))
}
