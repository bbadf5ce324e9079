package render

import (
	"fmt"
	"net/netip"
	"strings"
	"text/template"

	"go.yaml.in/yaml/v3"

	"github.com/enicfg/enicfg/internal/syntax"
	"github.com/enicfg/enicfg/live"
	"github.com/enicfg/enicfg/spec"
	"github.com/enicfg/enicfg/templates"
	"github.com/enicfg/enicfg/versions"
)

// Netplan renders one netplan file, /etc/netplan/90-enicfg.yaml (mode
// 0600), for the networkd renderer: it sorts after cloud-init's
// 50-cloud-init.yaml, so its scalars win (netplan-generate(8), "Handling
// multiple files"). netplan has no multiqueue key: a .link file of ours
// sets CombinedChannels= and, sorting before netplan's own
// 10-netplan-<if>.link, carries the name and the MTU too (before 0.99
// netplan writes the MTU only into its own .link, which ours shadows).
// Where udev is older than CombinedChannels=, a udev rule runs ethtool.
type Netplan struct{}

const netplanPath = "/etc/netplan/90-enicfg.yaml"

var netplanFamily = &Family{
	Name: "netplan",
	Dirs: []string{"/etc/sysctl.d", "/etc/netplan", "/etc/systemd/network", "/etc/udev/rules.d"},
	Files: []FileRule{
		{Glob: sysctlPath, Format: sysctlFormat},
		{Glob: udevSysctlPath, Format: udevFormat},
		{Glob: netplanPath, Format: netplanFormat},
		{Glob: "/etc/systemd/network/05-enicfg-*.link", Format: linkFormat},
		{Glob: udevQueuesPath, Format: udevFormat},
	},
	Constructs: join(sysctlConstructs, netplanConstructs, linkConstructs, udevConstructs),
	Variants: []Variant{{
		Reader:   "netplan (networkd renderer)",
		Tools:    []versions.Tool{versions.Netplan, versions.Systemd, versions.Udev},
		Files:    []string{netplanPath, "/etc/systemd/network/05-enicfg-<if>.link (queues)", udevQueuesPath + " (queues, udev before CombinedChannels=)"},
		Renderer: Netplan{},
		Kernel:   &live.Expect{Layout: live.Networkd, DHCPMetric: NetplanDHCPMetric},
	}},
	Templates: templates.Lazy("netplan", template.FuncMap{}),
}

func init() { register(netplanFamily) }

type netplanFile struct {
	Header string
	Ifaces []netplanIface
}

type netplanIface struct {
	Name, MAC                  string
	Notes                      []string
	DHCP                       bool
	Overrides, NoRoutes, NoDNS bool
	DHCPMetric                 string
	// DHCP6 and its dhcp6-overrides (the same keys as dhcp4's), AcceptRA
	// the value of accept-ra ("": not written).
	DHCP6                         bool
	Overrides6, NoRoutes6, NoDNS6 bool
	DHCPMetric6, AcceptRA         string
	RANoDNS                       bool
	Addrs                         []string
	MTU                           int
	DNS, Search                   []string
	Routes                        []netplanRoute
	Rules                         []netplanRule
}

type netplanRoute struct {
	To, Via, Metric, Table, From string
}

type netplanRule struct {
	From            string
	Table, Priority uint32
}

// netplanMax is the largest table or metric that netplan writes as it is:
// it formats them as signed 32-bit numbers (Table=%d; Metric=%d before
// 0.107), so 2^31 and more reach networkd negative. 2^32-1 is its "unset"
// metric, dropped without a word.
const (
	netplanMax   = 1<<31 - 1
	netplanUnset = 1<<32 - 1
)

// metricKey gives the construct that writes a metric: the value forms
// that not every netplan takes as it is.
func metricKey(base string, m uint32) string {
	switch {
	case m == netplanUnset:
		return base + " = 2^32-1"
	case m > netplanMax && base == "netplan routes[].metric":
		return base + " >= 2^31"
	}
	return base
}

// route gives a route in netplan's terms, or refuses it (false).
func (p *netplanJob) route(in *spec.Interface, feature string, r spec.Route) (netplanRoute, bool) {
	nr := netplanRoute{To: r.To.String()} // 0.0.0.0/0: "default" needs netplan 0.103
	ok := true
	need := func(key, what string) {
		if !p.has(key) {
			p.needs(in.Name, feature, key, what)
			ok = false
		}
	}
	if r.Via.IsValid() {
		nr.Via = r.Via.String()
	} else {
		need("netplan routes[] scope: link without via", fmt.Sprintf("refuses the route to %s without a gateway (and then generates nothing at all)", r.To))
	}
	if r.HasMetric {
		nr.Metric = fmt.Sprint(r.Metric)
		need(metricKey("netplan routes[].metric", r.Metric), fmt.Sprintf("does not write metric %d as it is", r.Metric))
	}
	if r.Table != 0 {
		nr.Table = fmt.Sprint(r.Table)
		if r.Table > netplanMax {
			need("netplan routes[].table >= 2^31", fmt.Sprintf("writes table %d as a negative number", r.Table))
		}
	}
	if r.Src.IsValid() {
		nr.From = r.Src.String()
		need("netplan routes[].from", "writes the route's source as From=, which networkd does not know")
	}
	return nr, ok
}

type netplanJob struct{ *job }

// Render implements Renderer.
func (Netplan) Render(m *spec.Model, opt Options) (FileSet, []Unsupported, error) {
	p := &netplanJob{newJob(netplanFamily, Netplan{}, opt)}
	f := netplanFile{Header: p.header("#")}
	channels := p.has("link [Link] CombinedChannels")
	for _, in := range m.Interfaces {
		f.Ifaces = append(f.Ifaces, p.iface(in))
		if in.Queues != 0 && channels {
			p.linkFile(in, true)
		}
	}
	if !channels {
		p.udevQueues(m, "udev reads CombinedChannels= in .link files only from systemd 239 on")
	}
	p.add(netplanPath, 0o600, "netplan.tmpl", f)
	p.sysctls(m)
	return p.done()
}

func (p *netplanJob) iface(in *spec.Interface) netplanIface {
	ni := netplanIface{Name: in.Name, MAC: in.MAC, DHCP: in.DHCP, MTU: in.MTU, Notes: notes(in)}
	for _, ip := range in.IPs() {
		ni.Addrs = append(ni.Addrs, ip.String())
	}
	ni.DNS, ni.Search = dnsStrings(in.DNS)
	if in.DHCP {
		p.dhcp(in, &ni)
	} else if in.DefaultRoute {
		r := spec.Route{To: defaultRoute, Via: in.Gateway, Dev: in.Name, HasMetric: in.HasMetric, Metric: in.Metric}
		if nr, ok := p.route(in, "metric", r); ok {
			ni.Routes = append(ni.Routes, nr)
		}
	}
	tableOK := in.Table <= netplanMax
	if !tableOK {
		p.needs(in.Name, "route_table", "netplan routing-policy[].table >= 2^31", fmt.Sprintf("writes table %d as a negative number", in.Table))
	}
	p.routesAndRules(in, &ni, in.TableRoutes, in.Routes, in.Rules, tableOK)
	p.ipv6(in, &ni, tableOK)
	return ni
}

// routesAndRules adds a family's table routes and rules (when the table
// can be written) and its extra routes.
func (p *netplanJob) routesAndRules(in *spec.Interface, ni *netplanIface, table, routes []spec.Route, rules []spec.Rule, tableOK bool) {
	for _, r := range table {
		if nr, ok := p.route(in, "route_table", r); ok && tableOK {
			ni.Routes = append(ni.Routes, nr)
		}
	}
	for _, r := range routes {
		if nr, ok := p.route(in, "routes", r); ok {
			ni.Routes = append(ni.Routes, nr)
		}
	}
	if tableOK {
		for _, r := range rules {
			ni.Rules = append(ni.Rules, netplanRule{From: hostOrPrefix(r.From), Table: r.Table, Priority: r.Priority})
		}
	}
}

// ipv6 adds the interface's IPv6: its static addresses, dhcp6, the
// default route via the described router (a route to ::/0: gateway6
// warns from 0.103 on), the table routes, rules and routes, and what
// networkd may take from router advertisements (accept-ra).
func (p *netplanJob) ipv6(in *spec.Interface, ni *netplanIface, tableOK bool) {
	six := &in.IPv6
	if !six.Enabled() {
		return
	}
	for _, ip := range six.IPs() {
		ni.Addrs = append(ni.Addrs, ip.String())
	}
	if six.DefaultRoute && six.Gateway.IsValid() {
		r := spec.Route{To: netip.PrefixFrom(netip.IPv6Unspecified(), 0), Via: six.Gateway, Dev: in.Name, HasMetric: six.HasMetric, Metric: six.Metric}
		if nr, ok := p.route(in, "ipv6.metric", r); ok {
			ni.Routes = append(ni.Routes, nr)
		}
	}
	p.routesAndRules(in, ni, six.TableRoutes, six.Routes, six.Rules, tableOK)
	ni.DHCP6 = six.Mode == spec.IPv6DHCP
	if six.Mode == spec.IPv6Static && !six.GatewayRA {
		ni.AcceptRA = "false"
		return
	}
	ni.AcceptRA = "true"
	if six.Mode == spec.IPv6Static {
		p.needs(in.Name, "ipv6.gateway ra", "netplan accept-ra: true without SLAAC and DHCPv6", "lets networkd add a SLAAC or DHCPv6 address of its own to a static interface, as the advertisement's flags say")
	}
	p.ra(in, ni)
}

// ra says what networkd takes from router advertisements under netplan,
// which has no key for their default route: it is refused where the
// description keeps it out of main; its metric is networkd's metric of
// DHCP routes ([DHCP] RouteMetric=, which netplan writes for dhcp4 and
// dhcp6 alike, 100 unless overridden), else networkd's 1024.
func (p *netplanJob) ra(in *spec.Interface, ni *netplanIface) {
	six := &in.IPv6
	if !six.DefaultRoute || !six.GatewayRA {
		feature := "ipv6 default_route: false"
		if six.DefaultRoute {
			feature = "ipv6.gateway " + six.Gateway.String()
		}
		p.needs(in.Name, feature, "netplan ra-overrides.use-gateway", "lets networkd install the router of router advertisements as a default route in main (accept-ra: false would lose the advertised prefix and DHCPv6)")
	}
	if six.HasMetric && six.Mode == spec.IPv6DHCP {
		if k := metricKey("netplan dhcp6-overrides.route-metric", six.Metric); p.has(k) {
			ni.DHCPMetric6 = fmt.Sprint(six.Metric)
		} else {
			p.needs(in.Name, "ipv6.metric", k, fmt.Sprintf("has no other way to set metric %d for the routes of router advertisements", six.Metric))
		}
	} else if six.HasMetric && netplanRAMetric(in, ni) != six.Metric {
		p.needs(in.Name, "ipv6.metric", "netplan ra-overrides.route-metric", fmt.Sprintf("lets networkd give the routes of router advertisements metric %d, not %d", netplanRAMetric(in, ni), six.Metric))
	}
	// The DNS servers of a secondary ENI's advertisements (RDNSS) stay:
	// ra-overrides.use-dns came with 1.1, which no target has alone.
	if !in.Primary && six.Mode == spec.IPv6DHCP {
		if p.has("netplan dhcp6-overrides.use-dns") {
			ni.NoDNS6 = true
		} else {
			p.needs(in.Name, "ipv6.dhcp", "netplan dhcp6-overrides.use-dns", "would take the DNS servers of a secondary ENI's DHCPv6 lease")
		}
	}
	p.sameOverrides(in, ni)
}

// netplanRAMetric is the metric networkd gives the routes of router
// advertisements of an interface without dhcp6 under netplan.
func netplanRAMetric(in *spec.Interface, ni *netplanIface) uint32 {
	if !in.DHCP {
		return live.NetworkdDHCPMetric
	}
	if ni.DHCPMetric != "" {
		var m uint32
		fmt.Sscan(ni.DHCPMetric, &m)
		return m
	}
	return NetplanDHCPMetric
}

// sameOverrides: networkd has one [DHCP] section, and netplan refuses
// dhcp4-overrides and dhcp6-overrides that differ (src/networkd.c
// combine_dhcp_overrides): with both, dhcp6's are dhcp4's.
func (p *netplanJob) sameOverrides(in *spec.Interface, ni *netplanIface) {
	ni.Overrides6 = ni.NoRoutes6 || ni.NoDNS6 || ni.DHCPMetric6 != ""
	if !in.DHCP || !ni.DHCP6 {
		return
	}
	four := [3]string{fmt.Sprint(ni.NoRoutes), fmt.Sprint(ni.NoDNS), ni.DHCPMetric}
	six := [3]string{fmt.Sprint(ni.NoRoutes), fmt.Sprint(ni.NoDNS6), ni.DHCPMetric6}
	if six[2] == "" {
		six[2] = four[2]
	}
	if four != six {
		p.needs(in.Name, "ipv6.dhcp", "netplan dhcp4-overrides and dhcp6-overrides that differ", "writes one [DHCP] section for DHCPv4 and DHCPv6")
	}
	ni.NoRoutes6, ni.NoDNS6, ni.DHCPMetric6 = ni.NoRoutes, ni.NoDNS, ni.DHCPMetric
	ni.Overrides6 = ni.Overrides
}

// dhcp sets what the DHCP client may take from the lease: no routes on an
// ENI without the default route, no DNS servers from a secondary ENI, the
// metric of the default route. Each needs a dhcp4-overrides key.
func (p *netplanJob) dhcp(in *spec.Interface, ni *netplanIface) {
	if !in.DefaultRoute {
		if p.has("netplan dhcp4-overrides.use-routes") {
			ni.NoRoutes = true
		} else {
			p.needs(in.Name, "default_route: false", "netplan dhcp4-overrides.use-routes", "would install the DHCP router as a default route (netplan has no other key that stops it)")
		}
	}
	if !in.Primary {
		if p.has("netplan dhcp4-overrides.use-dns") {
			ni.NoDNS = true
		} else {
			p.needs(in.Name, "dhcp", "netplan dhcp4-overrides.use-dns", "would take the DNS servers of a secondary ENI's lease")
		}
	}
	if in.DefaultRoute && in.HasMetric {
		if k := metricKey("netplan dhcp4-overrides.route-metric", in.Metric); p.has(k) {
			ni.DHCPMetric = fmt.Sprint(in.Metric)
		} else {
			p.needs(in.Name, "metric", k, fmt.Sprintf("has no other way to set metric %d for the DHCP default route", in.Metric))
		}
	}
	ni.Overrides = ni.NoRoutes || ni.NoDNS || ni.DHCPMetric != ""
}

// NetplanDHCPMetric is the metric netplan's .network files give DHCP
// routes of an ethernet without dhcp4-overrides (src/networkd.c writes
// RouteMetric=100, "NetworkManager compatible route metrics", in every
// release from 0.36.3 to 1.1.2 of ../shared/compat).
const NetplanDHCPMetric = 100

// Activation implements Renderer: netplan apply generates the backend's
// files and has it take every interface again.
func (Netplan) Activation(_ *spec.Model, files FileSet, opt Options) Activation {
	return Activation{Start: with(udevApply(files, opt.Coverage), "netplan apply"), All: true}
}

// netplanFormat is netplan's YAML. Its keys are the paths below an
// ethernet ("netplan routes[].table"), with the forms of value that
// matter: a route without via, numbers of 2^31 and more.
var netplanFormat = Format{Name: "netplan YAML", Check: syntax.YAML, Keys: netplanKeys}

func hasScopeLink(n *yaml.Node) bool {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == "scope" && n.Content[i+1].Value == "link" {
			return true
		}
	}
	return false
}

func netplanKeys(data []byte) ([]string, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	s := keySet{}
	var walk func(n *yaml.Node, at string)
	walk = func(n *yaml.Node, at string) {
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				walk(c, at)
			}
		case yaml.MappingNode:
			hasVia := false
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i].Value, n.Content[i+1]
				if k == "via" {
					hasVia = true
				}
				var key string
				switch {
				case at == "network.ethernets":
					key = "ethernets" // the interface's own name
				case at == "":
					key = k
				default:
					key = at + "." + k
				}
				if at != "network.ethernets" {
					s.add("netplan " + key)
				}
				if v.Kind == yaml.ScalarNode && (k == "table" || k == "metric" || k == "route-metric") {
					var num uint64
					if _, err := fmt.Sscan(v.Value, &num); err == nil {
						switch {
						case num == netplanUnset && k != "table":
							s.add("netplan " + key + " = 2^32-1")
						case num > netplanMax && k != "route-metric":
							s.add("netplan " + key + " >= 2^31")
						}
					}
				}
				walk(v, key)
			}
			if at == "ethernets.routes[]" && !hasVia {
				if hasScopeLink(n) {
					s.add("netplan routes[] scope: link without via")
				} else {
					s.add("netplan routes[] without via")
				}
			}
		case yaml.SequenceNode:
			for _, c := range n.Content {
				walk(c, at+"[]")
			}
		}
	}
	walk(&doc, "")
	// Below an ethernet, keys are named without the "network.ethernets."
	// prefix.
	out := keySet{}
	for _, k := range s.list() {
		out.add(strings.Replace(k, "netplan ethernets.", "netplan ", 1))
	}
	return out.list(), nil
}

// netplanConstructs: every key of netplan's YAML that the renderer can
// write, with the netplan release that first parsed it as meant (first
// release tag of canonical/netplan that holds the commit), and what
// systemd must do with netplan's output.
var netplanConstructs = versions.Table{
	{Key: "netplan network", Tool: versions.Netplan, Since: "0.1", Source: netplanBase},
	{Key: "netplan network.version", Tool: versions.Netplan, Since: "0.1", Source: netplanBase},
	{Key: "netplan network.renderer", Tool: versions.Netplan, Since: "0.1", Source: "canonical/netplan 4176dcf3 \"Add renderer:\" (0.1)"},
	{Key: "netplan network.ethernets", Tool: versions.Netplan, Since: "0.1", Source: netplanBase},
	{Key: "netplan match", Tool: versions.Netplan, Since: "0.1", Source: "canonical/netplan 55a0e2f9 \"Allow matching on MAC addresses\" (0.1)"},
	{Key: "netplan match.macaddress", Tool: versions.Netplan, Since: "0.1", Source: "canonical/netplan 55a0e2f9 \"Allow matching on MAC addresses\" (0.1)"},
	{Key: "netplan set-name", Tool: versions.Netplan, Since: "0.1", Source: "canonical/netplan 8883d83d (0.1)"},
	{Key: "netplan dhcp4", Tool: versions.Netplan, Since: "0.1", Source: "canonical/netplan 502c2f99 \"Add dhcp4: flag\" (0.1)"},
	{Key: "netplan addresses", Tool: versions.Netplan, Since: "0.1", Source: "canonical/netplan 19fbdf6a \"Add addresses: field\" (0.1)"},
	{Key: "netplan mtu", Tool: versions.Netplan, Since: "0.21", Source: "canonical/netplan 7cb90d54 \"Add support for setting MTU on devices\" (0.21)",
		Note: "Before 0.99 (77fcd4db) netplan writes the MTU only into its own .link, which enicfg's .link shadows: enicfg's .link carries MTUBytes= too."},
	{Key: "netplan routes", Tool: versions.Netplan, Since: "0.16", Source: netplanRoutes},
	{Key: "netplan routes[].to", Tool: versions.Netplan, Since: "0.16", Source: netplanRoutes},
	{Key: "netplan routes[].via", Tool: versions.Netplan, Since: "0.16", Source: netplanRoutes},
	{Key: "netplan routes[].metric", Tool: versions.Netplan, Since: "0.16", Source: netplanRoutes},
	{Key: "netplan routes[].metric >= 2^31", Tool: versions.Netplan, Since: "0.107", Source: "canonical/netplan 8f733b2b \"routes: fix metric rendering\" (PR #367, 0.107): Metric=%d became %u"},
	{Key: "netplan routes[].metric = 2^32-1", Tool: versions.Netplan, Never: true, Source: netplanUnsetSrc},
	{Key: "netplan routes[].table", Tool: versions.Netplan, Since: "0.34", Source: netplanPolicy},
	{Key: "netplan routes[].table >= 2^31", Tool: versions.Netplan, Never: true, Source: "canonical/netplan src/networkd.c write_route: Table=%d of an unsigned value in every release to 1.2.2; networkd rejects the negative number and puts the route into the main table"},
	{Key: "netplan routes[].from", Tool: versions.Netplan, Since: "0.40", Source: "canonical/netplan 1985d477 \"networkd: route source is PreferredSource= not From=\" (0.40); 0.34 to 0.36 write From=, which networkd does not know"},
	{Key: "netplan routes[].scope", Tool: versions.Netplan, Since: "0.34", Source: netplanPolicy},
	{Key: "netplan routes[] scope: link without via", Tool: versions.Netplan, Rejected: true, Since: "0.40", Source: "canonical/netplan b4f4c637 \"Fix support for link-scope routes\" (0.40); before: \"unicast route must include both a 'to' and 'via' IP\""},
	{Key: "netplan routing-policy", Tool: versions.Netplan, Since: "0.34", Source: netplanPolicy},
	{Key: "netplan routing-policy[].from", Tool: versions.Netplan, Since: "0.34", Source: netplanPolicy},
	{Key: "netplan routing-policy[].table", Tool: versions.Netplan, Since: "0.34", Source: netplanPolicy},
	{Key: "netplan routing-policy[].table >= 2^31", Tool: versions.Netplan, Never: true, Source: "canonical/netplan src/networkd.c write_ip_rule: Table=%d in every release to 1.2.2; networkd rejects the negative number and the rule looks up the main table"},
	{Key: "netplan routing-policy[].priority", Tool: versions.Netplan, Since: "0.34", Source: netplanPolicy},
	{Key: "netplan dhcp4-overrides", Tool: versions.Netplan, Rejected: true, Since: "0.90", Source: netplanOverrides},
	{Key: "netplan dhcp4-overrides.use-dns", Tool: versions.Netplan, Rejected: true, Since: "0.90", Source: netplanOverrides},
	{Key: "netplan dhcp4-overrides.use-routes", Tool: versions.Netplan, Rejected: true, Since: "0.95", Source: "canonical/netplan 8827aeb9 \"dhcp overrides: make it possible to ignore routes from DHCP\" (0.95)"},
	{Key: "netplan dhcp4-overrides.use-routes", Tool: versions.Systemd, Since: "215", Broken: []versions.Version{"245"},
		Source: "netplan writes [DHCP] UseRoutes=false; systemd 245 installs the DHCP gateway even then (systemd ad098b14 \"network: Allow to configure GW even UseRoutes=false\"); from 246 UseGateway= defaults to UseRoutes="},
	{Key: "netplan dhcp4-overrides.route-metric", Tool: versions.Netplan, Rejected: true, Since: "0.95", Source: "canonical/netplan ddd8efd5 \"dhcp overrides: add override for route metric\" (0.95)"},
	{Key: "netplan dhcp4-overrides.route-metric = 2^32-1", Tool: versions.Netplan, Never: true, Source: netplanUnsetSrc},
	{Key: "netplan dhcp6", Tool: versions.Netplan, Since: "0.10", Source: "canonical/netplan e2545837, Add \"dhcp6:\" option (0.10)"},
	{Key: "netplan accept-ra", Tool: versions.Netplan, Since: "0.28", Source: "canonical/netplan 18e0ef8e \"Introduce 'accept-ra' to allow toggling RAs\" (0.28): IPv6AcceptRA= in the .network file"},
	{Key: "netplan dhcp6-overrides", Tool: versions.Netplan, Rejected: true, Since: "0.90", Source: netplanOverrides},
	{Key: "netplan dhcp6-overrides.use-dns", Tool: versions.Netplan, Rejected: true, Since: "0.90", Source: netplanOverrides + "; dhcp4 and dhcp6 share the handlers"},
	{Key: "netplan dhcp6-overrides.route-metric", Tool: versions.Netplan, Rejected: true, Since: "0.95", Source: "canonical/netplan ddd8efd5 \"dhcp overrides: add override for route metric\" (0.95); netplan writes it as [DHCP] RouteMetric=, which networkd gives the routes of router advertisements too"},
	{Key: "netplan dhcp6-overrides.route-metric = 2^32-1", Tool: versions.Netplan, Never: true, Source: netplanUnsetSrc},
	{Key: "netplan dhcp6-overrides.use-routes", Tool: versions.Netplan, Rejected: true, Since: "0.95", Source: "canonical/netplan 8827aeb9 \"dhcp overrides: make it possible to ignore routes from DHCP\" (0.95)"},
	{Key: "netplan dhcp4-overrides and dhcp6-overrides that differ", Tool: versions.Netplan, Never: true, Source: "canonical/netplan src/networkd.c combine_dhcp_overrides (0.90 to 1.1.2): \"networkd requires that ... has the same value in both dhcp4_overrides and dhcp6_overrides\""},
	{Key: "netplan accept-ra: true without SLAAC and DHCPv6", Tool: versions.Netplan, Never: true, Source: "networkd takes an address by SLAAC or starts DHCPv6 as the advertisement's flags say ([IPv6AcceptRA] UseAutonomousPrefix=, DHCPv6Client=); netplan 1.1.2 has no key for either (src/parse.c); seen: netplan 1.0 and networkd 252 gave a static interface the lab's DHCPv6 address"},
	{Key: "netplan ra-overrides.use-gateway", Tool: versions.Netplan, Never: true, Source: "canonical/netplan src/parse.c ra_overrides_handlers in 1.1.2: use-dns, use-domains and table only; no release keeps the advertised router out of main but accept-ra: false (ra-overrides: canonical/netplan 44b2a5c2, 1.1)"},
	{Key: "netplan ra-overrides.route-metric", Tool: versions.Netplan, Never: true, Source: "canonical/netplan src/parse.c ra_overrides_handlers in 1.1.2 has no route-metric: the advertised routes take networkd's DHCP route metric ([DHCP] RouteMetric= of dhcp4 or dhcp6, 100), else 1024"},
	{Key: "netplan nameservers", Tool: versions.Netplan, Since: "0.13", Source: netplanDNS},
	{Key: "netplan nameservers.addresses", Tool: versions.Netplan, Since: "0.13", Source: netplanDNS},
	{Key: "netplan nameservers.search", Tool: versions.Netplan, Since: "0.13", Source: netplanDNS},
	{Key: "run: netplan apply", Tool: versions.Netplan, Since: "0.6", Source: "canonical/netplan 3e3f926b \"Add initial netplan CLI\" (0.6)"},
}

const (
	netplanDNS       = "canonical/netplan b4f44d3f \"Add support for nameservers\" (0.13): DNS= and Domains= in the .network file"
	netplanBase      = "canonical/netplan c0cd0b0e and 8883d83d, src/parse.c (0.1)"
	netplanRoutes    = "canonical/netplan 8498f9c7 \"Add support for specifying routes.\" (0.16)"
	netplanPolicy    = "canonical/netplan e4c98e35 \"routing: implement more extensive routes: options and routing-policy:\" (0.34)"
	netplanOverrides = "canonical/netplan db6a8d99 \"Split dhcp-options into dchp4-overrides and dhcp6-overrides\" (0.90); 0.40.1 says \"unknown key dhcp4-overrides\""
	netplanUnsetSrc  = "netplan's NETPLAN_METRIC_UNSPEC is G_MAXUINT: a metric of 4294967295 is dropped without a word (netplan 0.106 generate, checked)"
)

// hostOrPrefix writes a /32 or /128 as a bare address, as ip(8) prints it.
func hostOrPrefix(p netip.Prefix) string {
	if p.Bits() == p.Addr().BitLen() {
		return p.Addr().String()
	}
	return p.String()
}
