package spec

import (
	"fmt"
	"io"
	"net/netip"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"
)

// Read loads a description from r; name is used in error positions.
func Read(name string, r io.Reader) (*Model, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return Load(name, data)
}

// Load decodes and validates a description. The error, when not nil, is an
// ErrorList holding every problem found, each with file, line and column.
func Load(name string, data []byte) (*Model, error) {
	d := &decoder{errs: errs{file: name}}
	root := d.parse(data)
	if root == nil {
		return nil, d.err()
	}
	m := d.description(root)
	if err := d.err(); err != nil {
		return nil, err
	}
	sort.SliceStable(d.warns, func(i, j int) bool {
		a, b := d.warns[i], d.warns[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	m.Warnings = d.warns
	return m, nil
}

// ifaceNodes keeps the positions of an interface's values for the checks
// that span interfaces.
type ifaceNodes struct {
	item, name, primary, mac, address, gateway, subnet *yaml.Node
	defaultRoute, metric, table, secondaryList         *yaml.Node
	eipList, mtu, dns, rpFilter                        *yaml.Node
	six                                                *ipv6Nodes
	secondaries                                        []*yaml.Node
	eipPublic, eipPrivate                              []*yaml.Node
	routes                                             []*yaml.Node // item of each route
	routeTables                                        []*yaml.Node // table value of each route, or nil
	routes6, routeTables6                              []*yaml.Node // the same for IPv6 routes
	primarySet                                         bool
	defaultSet                                         bool
}

var (
	nameRE     = regexp.MustCompile(`^[A-Za-z0-9_-]{1,15}$`)
	macRE      = regexp.MustCompile(`^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$`)
	reserved   = map[uint32]string{0: "unspec", 253: "default", 254: "main", 255: "local"}
	badNames   = map[string]bool{"lo": true, "all": true, "default": true}
	cloudLimit = map[string]int{CloudAliyun: 20, CloudAWS: 50}
)

// CloudIPLimit gives the most private IPs one ENI may have under cloud, or
// 0 when the cloud sets no limit.
func CloudIPLimit(cloud string) int { return cloudLimit[cloud] }

func (d *decoder) description(root *yaml.Node) *Model {
	top := d.mapping(root, "description", topFields)
	if top == nil {
		return nil
	}
	if !top.has("version") {
		d.at(top.node, "version is required (version: 1)")
	} else if v, n, ok := d.integer(top, "version", "description", -1<<62, 1<<62); ok && v != 1 {
		d.at(n, "version %d is not supported: this enicfg reads version 1", v)
	}
	m := &Model{Cloud: CloudGeneric}
	if s, n, ok := d.str(top, "cloud", "description"); ok {
		switch s {
		case CloudAliyun, CloudAWS, CloudGeneric:
			m.Cloud = s
		default:
			d.at(n, "cloud %q is unknown: use aliyun, aws or generic", s)
		}
	}
	topDNS, _, _ := d.dns(top, "description")
	m.Host = d.host(top)
	if !top.has("interfaces") {
		d.at(top.node, "interfaces is required: a list of at least one interface")
		return m
	}
	items, listNode, ok := d.seq(top, "interfaces", "description")
	if !ok {
		return m
	}
	if len(items) == 0 {
		d.at(listNode, "interfaces is empty: describe at least one interface")
		return m
	}
	if len(items) > MaxInterfaces {
		d.at(listNode, "%d interfaces, more than the %d this tool accepts", len(items), MaxInterfaces)
		return m
	}
	nodes := make([]*ifaceNodes, 0, len(items))
	for i, item := range items {
		iface, n := d.iface(item, i, m.Cloud)
		if d.budget {
			return m
		}
		if iface != nil {
			m.Interfaces = append(m.Interfaces, iface)
			nodes = append(nodes, n)
		}
	}
	if len(m.Interfaces) > 0 {
		d.across(m, nodes, listNode)
		if p := m.Primary(); p != nil && p.DNS.Empty() {
			p.DNS = topDNS
		}
		d.advise(m, nodes)
	}
	return m
}

func parseAddr4(s string) (netip.Addr, string) {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, fmt.Sprintf("%q is not an IPv4 address", s)
	}
	if !a.Is4() {
		return netip.Addr{}, fmt.Sprintf("%s is not IPv4 (IPv6 goes under the interface's ipv6)", s)
	}
	return a, ""
}

func parsePrefix4(s string) (netip.Prefix, string) {
	if !strings.Contains(s, "/") {
		return netip.Prefix{}, fmt.Sprintf("%q is not in CIDR form (address/prefix)", s)
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, fmt.Sprintf("%q is not an IPv4 CIDR", s)
	}
	if !p.Addr().Is4() {
		return netip.Prefix{}, fmt.Sprintf("%s is not IPv4 (IPv6 goes under the interface's ipv6)", s)
	}
	return p, ""
}

// lastAddr gives the broadcast address of p.
func lastAddr(p netip.Prefix) netip.Addr {
	a := p.Masked().Addr().As4()
	host := uint32(1)<<(32-p.Bits()) - 1
	v := uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(a[2])<<8 | uint32(a[3])
	v |= host
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// hostProblem says why a is no usable host address of subnet, or "".
func hostProblem(a netip.Addr, subnet netip.Prefix) string {
	switch {
	case !subnet.Contains(a):
		return fmt.Sprintf("%s is outside the subnet %s", a, subnet)
	case a == subnet.Masked().Addr():
		return fmt.Sprintf("%s is the network address of %s", a, subnet)
	case a == lastAddr(subnet):
		return fmt.Sprintf("%s is the broadcast address of %s", a, subnet)
	}
	return ""
}

// textProblem checks free text for what may reach a config file.
func textProblem(s string, max int, strictQuotes bool) string {
	if s == "" {
		return "is empty"
	}
	if len(s) > max {
		return fmt.Sprintf("is %d bytes long, the limit is %d", len(s), max)
	}
	for _, r := range s {
		switch {
		case r == '"' || r == '\'':
			return fmt.Sprintf("contains the quote %q: quotes are not allowed", r)
		case strictQuotes && strings.ContainsRune("‘’‚‛“”„‟′″", r):
			return fmt.Sprintf("contains the quotation mark %q, which PowerShell reads as a quote", r)
		case r != ' ' && !unicode.IsPrint(r):
			return fmt.Sprintf("contains the control or invisible character %U", r)
		}
	}
	if strings.TrimSpace(s) != s {
		return "has leading or trailing blanks"
	}
	return ""
}

// iface reads one interface; nil when its item is not a mapping or the
// error budget is spent (the checks across interfaces then skip it).
func (d *decoder) iface(item *yaml.Node, idx int, cloud string) (*Interface, *ifaceNodes) {
	what := fmt.Sprintf("interfaces[%d]", idx)
	mp := d.mapping(item, what, ifaceFields)
	if mp == nil {
		return nil, nil
	}
	in := &Interface{Index: idx}
	nd := &ifaceNodes{item: mp.node}
	what = d.ifaceIdentity(mp, in, nd, what)
	d.ifaceAddressing(mp, in, nd, what)
	if !d.ifaceSecondaries(mp, in, nd, what, cloud) {
		return nil, nil
	}
	nd.six = d.ifaceIPv6(mp, in, what)
	d.ipv6Only(mp, in, what)
	d.ifaceRouting(mp, in, nd, what)
	if !d.ifaceEIPs(mp, in, nd, what) || !d.ifaceRoutes(mp, in, nd, what) {
		return nil, nil
	}
	d.ifaceText(mp, in, nd, what)
	in.Lines = Lines{Item: mp.node.Line, Keys: map[string]int{}}
	for i, k := range mp.keys {
		if k != nil {
			in.Lines.Keys[mp.fields[i].Key] = k.Line
		}
	}
	for _, n := range nd.secondaries {
		in.Lines.Secondaries = append(in.Lines.Secondaries, n.Line)
	}
	if six := nd.six; six != nil {
		in.Lines.Keys["ipv6"] = six.node.Line
		for key, n := range map[string]*yaml.Node{"address": six.address, "gateway": six.gateway, "subnet": six.subnet, "metric": six.metric, "default_route": six.defaultRoute} {
			if n != nil {
				in.Lines.Keys["ipv6."+key] = n.Line
			}
		}
	}
	return in, nd
}

// ifaceIdentity reads name, primary, dhcp and mac; it gives the name to
// use in messages from here on (the interface's name once it is valid).
func (d *decoder) ifaceIdentity(mp *mapping, in *Interface, nd *ifaceNodes, what string) string {
	if !mp.has("name") {
		d.at(mp.node, "%s: name is required", what)
	} else if s, n, ok := d.str(mp, "name", what); ok {
		nd.name = n
		switch {
		case !nameRE.MatchString(s):
			d.at(n, "%s: name %q must be 1 to 15 characters of A-Z a-z 0-9 _ -", what, s)
		case badNames[s]:
			d.at(n, "%s: name %q is reserved by Linux", what, s)
		default:
			in.Name = s
			what = s
		}
	}
	if b, n, ok := d.boolean(mp, "primary", what); ok {
		in.Primary, nd.primary, nd.primarySet = b, n, true
	}
	if b, _, ok := d.boolean(mp, "dhcp", what); ok {
		in.DHCP = b
	}
	if s, n, ok := d.str(mp, "mac", what); ok {
		nd.mac = n
		if !macRE.MatchString(s) {
			d.at(n, "%s: mac %q must be six hex octets separated by colons", what, s)
		} else {
			s = strings.ToLower(s)
			var first byte
			fmt.Sscanf(s[:2], "%02x", &first)
			switch {
			case first&1 == 1:
				d.at(n, "%s: mac %s is a multicast address", what, s)
			case s == "00:00:00:00:00:00":
				d.at(n, "%s: mac %s is all zeros", what, s)
			default:
				in.MAC = s
			}
		}
	}

	return what
}

// ifaceAddressing reads address (xor dhcp), subnet and gateway.
func (d *decoder) ifaceAddressing(mp *mapping, in *Interface, nd *ifaceNodes, what string) {
	addrNode := (*yaml.Node)(nil)
	if s, n, ok := d.str(mp, "address", what); ok {
		addrNode, nd.address = n, n
		if p, msg := parsePrefix4(s); msg != "" {
			d.at(n, "%s: address %s", what, msg)
		} else if p.Bits() > 30 || p.Bits() < 1 {
			d.at(n, "%s: address %s: the prefix must be between /1 and /30 (a subnet with hosts and a gateway)", what, s)
		} else if msg := hostProblem(p.Addr(), p); msg != "" {
			d.at(n, "%s: address %s", what, msg)
		} else {
			in.Address = p
			in.Subnet = p.Masked()
		}
	}
	if in.DHCP && mp.has("address") {
		d.at(addrNode, "%s: address and dhcp: true are mutually exclusive", what)
	}
	if !in.DHCP && !mp.has("address") && !mp.has("ipv6") {
		d.at(mp.node, "%s: one of address (static), dhcp: true or ipv6 is required", what)
	}
	if s, n, ok := d.str(mp, "subnet", what); ok {
		nd.subnet = n
		if p, msg := parsePrefix4(s); msg != "" {
			d.at(n, "%s: subnet %s", what, msg)
		} else if p != p.Masked() {
			d.at(n, "%s: subnet %s has host bits set (did you mean %s?)", what, s, p.Masked())
		} else if p.Bits() > 30 || p.Bits() < 1 {
			d.at(n, "%s: subnet %s: the prefix must be between /1 and /30", what, s)
		} else if in.Address.IsValid() && in.Subnet != p {
			d.at(n, "%s: subnet %s does not hold the address %s", what, p, in.Address)
		} else {
			in.Subnet = p
		}
	}
	if s, n, ok := d.str(mp, "gateway", what); ok {
		nd.gateway = n
		if a, msg := parseAddr4(s); msg != "" {
			d.at(n, "%s: gateway %s", what, msg)
		} else if in.Subnet.IsValid() {
			if msg := hostProblem(a, in.Subnet); msg != "" {
				d.at(n, "%s: gateway %s", what, msg)
			} else {
				in.Gateway = a
			}
		} else if !mp.has("address") {
			in.Gateway = a // DHCP without subnet: the gateway cannot be checked
		}
	}

}

// ifaceSecondaries reads secondary_ips, each with the subnet's prefix;
// false: the error budget is spent.
func (d *decoder) ifaceSecondaries(mp *mapping, in *Interface, nd *ifaceNodes, what, cloud string) bool {
	if items, ln, ok := d.seq(mp, "secondary_ips", what); ok {
		nd.secondaryList = ln
		if !in.Subnet.IsValid() && in.DHCP && nd.subnet == nil {
			d.at(ln, "%s: secondary_ips on a dhcp interface need subnet (the vSwitch CIDR) for their prefix", what)
		}
		strs, ok := d.strItems(items, what, "secondary_ips")
		if !ok {
			return false
		}
		for _, it := range strs {
			var a netip.Addr
			bits := -1
			if strings.Contains(it.Value, "/") {
				p, msg := parsePrefix4(it.Value)
				if msg != "" {
					d.at(it, "%s: secondary IP %s", what, msg)
					continue
				}
				a, bits = p.Addr(), p.Bits()
			} else {
				var msg string
				if a, msg = parseAddr4(it.Value); msg != "" {
					d.at(it, "%s: secondary IP %s", what, msg)
					continue
				}
			}
			if !in.Subnet.IsValid() {
				continue
			}
			if bits >= 0 && bits != in.Subnet.Bits() {
				d.at(it, "%s: secondary IP %s: prefix /%d differs from the subnet's /%d", what, it.Value, bits, in.Subnet.Bits())
				continue
			}
			if msg := hostProblem(a, in.Subnet); msg != "" {
				d.at(it, "%s: secondary IP %s", what, msg)
				continue
			}
			in.SecondaryIPs = append(in.SecondaryIPs, netip.PrefixFrom(a, in.Subnet.Bits()))
			nd.secondaries = append(nd.secondaries, it)
		}
		if lim := CloudIPLimit(cloud); lim > 0 && len(items)+1 > lim {
			d.at(ln, "%s: %d private IPs (the primary and %d secondary), more than the %d per ENI that %s allows (cloud: %s)",
				what, len(items)+1, len(items), lim, cloud, cloud)
		}
	}

	return true
}

// ifaceRouting reads default_route, metric, route_table, rule_priority,
// mtu and queues.
func (d *decoder) ifaceRouting(mp *mapping, in *Interface, nd *ifaceNodes, what string) {
	if b, n, ok := d.boolean(mp, "default_route", what); ok {
		in.DefaultRoute, nd.defaultRoute, nd.defaultSet = b, n, true
	}
	if v, n, ok := d.integer(mp, "metric", what, 0, 1<<32-1); ok {
		in.HasMetric, in.Metric, nd.metric = true, uint32(v), n
	}
	if v, n, ok := d.integer(mp, "route_table", what, 0, 1<<32-1); ok {
		nd.table = n
		if r, bad := reserved[uint32(v)]; bad {
			d.at(n, "%s: route_table %d is reserved (%s)", what, v, r)
		} else {
			in.Table = uint32(v)
			if !in.HasIPv4() {
				// IPv6-only: the IPv6 checks in across.
			} else if !in.Gateway.IsValid() && nd.gateway == nil {
				d.at(n, "%s: route_table needs gateway: the table's default route goes via it", what)
			}
			if !in.Subnet.IsValid() && nd.subnet == nil && in.DHCP {
				d.at(n, "%s: route_table on a dhcp interface needs subnet (the vSwitch CIDR)", what)
			}
		}
	}
	if v, n, ok := d.integer(mp, "rule_priority", what, 1, 32765); ok {
		if !mp.has("route_table") {
			d.at(n, "%s: rule_priority needs route_table", what)
		}
		in.RulePriority = uint32(v)
	} else if in.Table != 0 && !mp.has("rule_priority") {
		if in.Table < 32766 {
			in.RulePriority = in.Table
		} else {
			d.at(nd.table, "%s: route_table %d is not below 32766, so rule_priority is required (1 to 32765)", what, in.Table)
		}
	}
	if v, n, ok := d.integer(mp, "mtu", what, 68, 65535); ok {
		in.MTU, nd.mtu = int(v), n
	}
	if v, _, ok := d.integer(mp, "queues", what, 1, 256); ok {
		in.Queues = int(v)
	}

}

// ifaceEIPs reads eips; false: the error budget is spent.
func (d *decoder) ifaceEIPs(mp *mapping, in *Interface, nd *ifaceNodes, what string) bool {
	list, ok := d.items(mp, "eips", what, eipFields, func(em *mapping, w string) {
		if e, ok := d.eip(em, in, nd, w); ok {
			in.EIPs = append(in.EIPs, e)
		}
	})
	nd.eipList = list
	return ok
}

// items reads the sequence key of mappings with the given fields and
// calls each for every good one, with its name (what: key[k]). It gives
// the sequence's node (nil when absent); false: the error budget is spent.
func (d *decoder) items(mp *mapping, key, what string, fields []field, each func(m *mapping, w string)) (*yaml.Node, bool) {
	items, list, ok := d.seq(mp, key, what)
	if !ok {
		return nil, true
	}
	for k, it := range items {
		w := fmt.Sprintf("%s: %s[%d]", what, key, k)
		m := d.mapping(it, w, fields)
		if m == nil {
			if d.budget {
				return list, false
			}
			continue
		}
		each(m, w)
	}
	return list, true
}

// eip reads one EIP: a public unicast address and a private IP of the
// interface.
func (d *decoder) eip(em *mapping, in *Interface, nd *ifaceNodes, w string) (EIP, bool) {
	var e EIP
	good := true
	for _, key := range []string{"public", "private"} {
		if !em.has(key) {
			d.at(em.node, "%s: %s is required", w, key)
			good = false
		}
	}
	if s, n, ok := d.str(em, "public", w); ok {
		if a, msg := parseAddr4(s); msg != "" {
			d.at(n, "%s: public %s", w, msg)
			good = false
		} else if why := notPublic(a); why != "" {
			d.at(n, "%s: public %s is not a public unicast IPv4 (%s)", w, a, why)
			good = false
		} else {
			e.Public = a
			nd.eipPublic = append(nd.eipPublic, n)
		}
	} else {
		good = false
	}
	if s, n, ok := d.str(em, "private", w); ok {
		if a, msg := parseAddr4(s); msg != "" {
			d.at(n, "%s: private %s", w, msg)
			good = false
		} else if !slices.ContainsFunc(in.IPs(), func(p netip.Prefix) bool { return p.Addr() == a }) {
			if in.DHCP {
				d.at(n, "%s: private %s is not a secondary IP of this interface (the DHCP address is not known to the description)", w, a)
			} else {
				d.at(n, "%s: private %s is not an IP of this interface", w, a)
			}
			good = false
		} else {
			e.Private = a
			nd.eipPrivate = append(nd.eipPrivate, n)
		}
	} else {
		good = false
	}
	return e, good
}

// ifaceRoutes reads routes; false: the error budget is spent.
func (d *decoder) ifaceRoutes(mp *mapping, in *Interface, nd *ifaceNodes, what string) bool {
	_, ok := d.items(mp, "routes", what, routeFields, func(rm *mapping, w string) {
		r, tableNode, good := d.route(rm, in, w)
		if !good || !r.To.IsValid() {
			return
		}
		subnet, table := in.Subnet, in.Table
		if r.To.Addr().Is6() {
			subnet = in.IPv6.Subnet
			if !in.IPv6.Enabled() {
				table = 0
			}
		}
		switch {
		case r.IsDefault() && r.Table == 0:
			d.at(rm.node, "%s: a default route in the main table is set with gateway and default_route, not routes", w)
		case r.Table != 0 && r.Table == table && (r.IsDefault() || r.To == subnet):
			d.at(rm.node, "%s: table %d already holds %s for route_table", w, r.Table, r.To)
		case r.Table == 0 && r.To == subnet && !r.Via.IsValid():
			d.at(rm.node, "%s: %s is the subnet's own route, which the kernel adds", w, r.To)
		case r.To.Addr().Is6():
			r.Line = rm.node.Line
			in.IPv6.Routes = append(in.IPv6.Routes, r)
			nd.routes6 = append(nd.routes6, rm.node)
			nd.routeTables6 = append(nd.routeTables6, tableNode)
		default:
			r.Line = rm.node.Line
			in.Routes = append(in.Routes, r)
			nd.routes = append(nd.routes, rm.node)
			nd.routeTables = append(nd.routeTables, tableNode)
		}
	})
	return ok
}

// route reads one extra route and the node of its table.
func (d *decoder) route(rm *mapping, in *Interface, w string) (Route, *yaml.Node, bool) {
	r := Route{Dev: in.Name}
	good := true
	if !rm.has("to") {
		d.at(rm.node, "%s: to is required", w)
		good = false
	} else if s, n, ok := d.str(rm, "to", w); ok {
		if p, err := netip.ParsePrefix(s); err == nil && p.Addr().Is6() && !p.Addr().Is4In6() && p.Addr().Zone() == "" {
			if p != p.Masked() {
				d.at(n, "%s: to %s has host bits set (did you mean %s?)", w, s, p.Masked())
				good = false
			} else {
				r.To = p
			}
		} else if p, msg := parsePrefix4(s); msg != "" {
			d.at(n, "%s: to %s", w, msg)
			good = false
		} else if p != p.Masked() {
			d.at(n, "%s: to %s has host bits set (did you mean %s?)", w, s, p.Masked())
			good = false
		} else {
			r.To = p
		}
	} else {
		good = false
	}
	six := r.To.IsValid() && r.To.Addr().Is6()
	if six {
		good = d.route6(rm, in, &r, w) && good
	} else if s, n, ok := d.str(rm, "via", w); ok {
		if a, msg := parseAddr4(s); msg != "" {
			d.at(n, "%s: via %s", w, msg)
			good = false
		} else if in.Subnet.IsValid() && hostProblem(a, in.Subnet) != "" {
			d.at(n, "%s: via %s", w, hostProblem(a, in.Subnet))
			good = false
		} else {
			r.Via = a
		}
	} else if rm.has("via") {
		good = false
	}
	if v, _, ok := d.integer(rm, "metric", w, 0, 1<<32-1); ok {
		r.HasMetric, r.Metric = true, uint32(v)
	}
	var tableNode *yaml.Node
	if v, n, ok := d.integer(rm, "table", w, 0, 1<<32-1); ok {
		tableNode = n
		if name, bad := reserved[uint32(v)]; bad && v != 254 {
			d.at(n, "%s: table %d is reserved (%s)", w, v, name)
			good = false
		} else if v != 254 {
			r.Table = uint32(v)
		}
	}
	if six {
		// route6 read src
	} else if s, n, ok := d.str(rm, "src", w); ok {
		if a, msg := parseAddr4(s); msg != "" {
			d.at(n, "%s: src %s", w, msg)
			good = false
		} else if !slices.ContainsFunc(in.IPs(), func(p netip.Prefix) bool { return p.Addr() == a }) {
			d.at(n, "%s: src %s is not an IP of this interface", w, a)
			good = false
		} else {
			r.Src = a
		}
	}
	return r, tableNode, good
}

// ifaceText reads description, dns, rp_filter, arp and windows_name.
func (d *decoder) ifaceText(mp *mapping, in *Interface, nd *ifaceNodes, what string) {
	if s, n, ok := d.str(mp, "description", what); ok {
		if msg := textProblem(s, 255, false); msg != "" {
			d.at(n, "%s: description %s", what, msg)
		} else {
			in.Description = s
		}
	}
	in.DNS, nd.dns, _ = d.dns(mp, what)
	in.RPFilter, nd.rpFilter = d.choice(mp, "rp_filter", what, RPStrict, RPLoose, RPOff)
	in.ARP, _ = d.choice(mp, "arp", what, ARPOwn, ARPAny)
	if s, n, ok := d.str(mp, "windows_name", what); ok {
		if msg := textProblem(s, 255, true); msg != "" {
			d.at(n, "%s: windows_name %s", what, msg)
		} else {
			in.WindowsName = s
		}
	}
}

// notPublic says why a is not a globally routable unicast IPv4, or "".
func notPublic(a netip.Addr) string {
	for _, r := range specialPurpose {
		if r.p.Contains(a) {
			return r.why
		}
	}
	return ""
}

type special struct {
	p   netip.Prefix
	why string
}

// specialPurpose is the IANA IPv4 special-purpose registry's not globally
// reachable blocks, plus multicast and the reserved class E.
var specialPurpose = []special{
	{netip.MustParsePrefix("0.0.0.0/8"), `"this network", RFC 791`},
	{netip.MustParsePrefix("10.0.0.0/8"), "private, RFC 1918"},
	{netip.MustParsePrefix("100.64.0.0/10"), "shared address space, RFC 6598"},
	{netip.MustParsePrefix("127.0.0.0/8"), "loopback"},
	{netip.MustParsePrefix("169.254.0.0/16"), "link-local"},
	{netip.MustParsePrefix("172.16.0.0/12"), "private, RFC 1918"},
	{netip.MustParsePrefix("192.0.0.0/24"), "IETF protocol assignments"},
	{netip.MustParsePrefix("192.0.2.0/24"), "documentation, RFC 5737"},
	{netip.MustParsePrefix("192.88.99.0/24"), "6to4 relay anycast"},
	{netip.MustParsePrefix("192.168.0.0/16"), "private, RFC 1918"},
	{netip.MustParsePrefix("198.18.0.0/15"), "benchmarking, RFC 2544"},
	{netip.MustParsePrefix("198.51.100.0/24"), "documentation, RFC 5737"},
	{netip.MustParsePrefix("203.0.113.0/24"), "documentation, RFC 5737"},
	{netip.MustParsePrefix("224.0.0.0/4"), "multicast"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved"},
}
