package spec

import (
	"fmt"
	"net/netip"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// DNS is the resolver configuration of an interface: the servers in the
// order they are asked, and the search domains.
type DNS struct {
	Servers []netip.Addr
	Search  []string
}

// Empty tells whether nothing is described.
func (d DNS) Empty() bool { return len(d.Servers) == 0 && len(d.Search) == 0 }

// Limits of resolv.conf(5), which every Linux family finally writes (or
// hands to systemd-resolved, which takes more): glibc's resolver uses at
// most three name servers (MAXNS) and, before glibc 2.26, at most six
// search domains in 256 characters.
const (
	MaxDNSServers = 3
	MaxDNSSearch  = 6
	maxSearchLen  = 256
)

var dnsFields = []field{
	{"servers", "array", "name servers (IPv4), asked in this order; at most 3"},
	{"search", "array", "search domains; at most 6"},
}

var hostFields = []field{
	{"rp_filter", "string", "reverse-path filter of every interface: strict | loose | off"},
	{"arp", "string", "own: each interface answers and announces ARP only for its own addresses (arp_ignore=1, arp_announce=2); any: the Linux default"},
}

// Reverse-path filter modes and ARP modes, as in the description.
const (
	RPStrict = "strict"
	RPLoose  = "loose"
	RPOff    = "off"
	ARPOwn   = "own"
	ARPAny   = "any"
)

// Host holds the kernel settings of the whole instance. An empty value is
// not described: the distribution's setting stays.
type Host struct {
	RPFilter string
	ARP      string
}

var domainRE = regexp.MustCompile(`^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$`)

// dns reads a dns mapping (of an interface, or the top-level default).
func (d *decoder) dns(parent *mapping, what string) (DNS, *yaml.Node, bool) {
	v := parent.val("dns")
	if v == nil {
		return DNS{}, nil, false
	}
	w := what + ": dns"
	mp := d.mapping(v, w, dnsFields)
	if mp == nil {
		return DNS{}, v, false
	}
	var out DNS
	if !mp.has("servers") && !mp.has("search") {
		d.at(mp.node, "%s: give servers, search or both", w)
	}
	if items, ln, ok := d.seq(mp, "servers", w); ok {
		if len(items) == 0 {
			d.at(ln, "%s: servers is empty: name at least one, or leave servers out", w)
		}
		if len(items) > MaxDNSServers {
			d.at(ln, "%s: %d servers, more than the %d that the resolver uses (resolv.conf(5): MAXNS)", w, len(items), MaxDNSServers)
		}
		seen := map[netip.Addr]bool{}
		strs, ok := d.strItems(items, w, "servers")
		if !ok {
			return out, mp.node, false
		}
		for _, it := range strs {
			a, msg := parseAddr4(it.Value)
			switch {
			case msg != "":
				d.at(it, "%s: server %s", w, msg)
			case a.IsUnspecified() || a.IsMulticast() || a == netip.AddrFrom4([4]byte{255, 255, 255, 255}):
				d.at(it, "%s: server %s is not a unicast address", w, a)
			case seen[a]:
				d.at(it, "%s: server %s is named twice", w, a)
			default:
				seen[a] = true
				out.Servers = append(out.Servers, a)
			}
		}
	}
	if items, ln, ok := d.seq(mp, "search", w); ok {
		if len(items) == 0 {
			d.at(ln, "%s: search is empty: name at least one domain, or leave search out", w)
		}
		if len(items) > MaxDNSSearch {
			d.at(ln, "%s: %d search domains, more than the %d that resolv.conf(5) allows", w, len(items), MaxDNSSearch)
		}
		total := 0
		seen := map[string]bool{}
		strs, ok := d.strItems(items, w, "search")
		if !ok {
			return out, mp.node, false
		}
		for _, it := range strs {
			s := strings.TrimSuffix(it.Value, ".")
			switch {
			case len(s) > 253 || !domainRE.MatchString(s):
				d.at(it, "%s: search domain %q is not a domain name (labels of A-Z a-z 0-9 -, separated by dots)", w, it.Value)
			case seen[strings.ToLower(s)]:
				d.at(it, "%s: search domain %s is named twice", w, s)
			default:
				seen[strings.ToLower(s)] = true
				total += len(s) + 1
				out.Search = append(out.Search, s)
			}
		}
		if total > maxSearchLen {
			d.at(ln, "%s: the search domains take %d characters, more than the %d of resolv.conf(5)", w, total, maxSearchLen)
		}
	}
	return out, mp.node, true
}

// choice reads a string key whose value is one of allowed.
func (d *decoder) choice(mp *mapping, key, what string, allowed ...string) (string, *yaml.Node) {
	s, n, ok := d.str(mp, key, what)
	if !ok {
		return "", nil
	}
	for _, a := range allowed {
		if s == a {
			return s, n
		}
	}
	d.at(n, "%s: %s %q is unknown: use %s", what, key, s, strings.Join(allowed, ", "))
	return "", nil
}

// host reads the top-level host mapping.
func (d *decoder) host(top *mapping) Host {
	v := top.val("host")
	if v == nil {
		return Host{}
	}
	mp := d.mapping(v, "host", hostFields)
	if mp == nil {
		return Host{}
	}
	var h Host
	h.RPFilter, _ = d.choice(mp, "rp_filter", "host", RPStrict, RPLoose, RPOff)
	h.ARP, _ = d.choice(mp, "arp", "host", ARPOwn, ARPAny)
	if len(mp.node.Content) == 0 {
		d.at(mp.node, "host: give rp_filter, arp or both")
	}
	return h
}

// Sysctl is one kernel setting of the host section, as sysctl.d(5)
// writes it.
type Sysctl struct {
	Key, Value string
}

var rpValue = map[string]int{RPOff: 0, RPStrict: 1, RPLoose: 2}

// Sysctls gives the kernel settings that the host section and the
// interfaces' rp_filter and arp describe, in a fixed order: for each
// setting conf.all, conf.default, then every interface that has a value
// (its own, else the host's).
//
// The kernel uses the larger of conf.all and conf.<if> for rp_filter,
// arp_ignore and arp_announce (Documentation/networking/ip-sysctl.rst), so
// conf.all is the smallest value described (0 when only interfaces name
// one): each described interface then gets exactly its own value, and the
// others keep theirs. conf.default is the host's value, which the kernel
// copies to interfaces that appear later.
func (m *Model) Sysctls() []Sysctl {
	var out []Sysctl
	type setting struct {
		keys   []string
		values func(mode string) []int
		host   string
		own    func(*Interface) string
	}
	settings := []setting{
		{[]string{"rp_filter"}, func(s string) []int { return []int{rpValue[s]} }, m.Host.RPFilter, func(i *Interface) string { return i.RPFilter }},
		{[]string{"arp_ignore", "arp_announce"}, func(s string) []int {
			if s == ARPOwn {
				return []int{1, 2}
			}
			return []int{0, 0}
		}, m.Host.ARP, func(i *Interface) string { return i.ARP }},
	}
	for _, s := range settings {
		var named []*Interface
		for _, in := range m.Interfaces {
			if effective(s.own(in), s.host) != "" {
				named = append(named, in)
			}
		}
		if len(named) == 0 {
			continue
		}
		for k, key := range s.keys {
			low := 0
			if s.host != "" {
				low = s.values(s.host)[k]
				for _, in := range named {
					low = min(low, s.values(effective(s.own(in), s.host))[k])
				}
			}
			out = append(out, Sysctl{"net.ipv4.conf.all." + key, fmt.Sprint(low)})
			if s.host != "" {
				out = append(out, Sysctl{"net.ipv4.conf.default." + key, fmt.Sprint(s.values(s.host)[k])})
			}
			for _, in := range named {
				out = append(out, Sysctl{"net.ipv4.conf." + in.Name + "." + key, fmt.Sprint(s.values(effective(s.own(in), s.host))[k])})
			}
		}
	}
	// IPv6 on an interface needs it enabled there: images that turn IPv6
	// off do it with disable_ipv6, which conf.all copies to every
	// interface and conf.default to new ones.
	for _, in := range m.Interfaces {
		if in.IPv6.Enabled() {
			out = append(out, Sysctl{"net.ipv6.conf." + in.Name + ".disable_ipv6", "0"})
		}
	}
	return out
}

// effective is an interface's own setting, else the host's.
func effective(own, host string) string {
	if own != "" {
		return own
	}
	return host
}
