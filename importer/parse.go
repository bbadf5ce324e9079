package importer

import (
	"fmt"
	"net"
	"net/netip"
	"regexp"
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
