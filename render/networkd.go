package render

import (
	"fmt"
	"strconv"
	"strings"
	"text/template"

	"github.com/enicfg/enicfg/internal/syntax"
	"github.com/enicfg/enicfg/live"
	"github.com/enicfg/enicfg/spec"
	"github.com/enicfg/enicfg/templates"
	"github.com/enicfg/enicfg/versions"
)

// Networkd renders systemd-networkd .network files, one per interface,
// and .link files for MAC naming and multiqueue. The files are named
// 05-enicfg-<if>: networkd applies only the first .network file that
// matches a link (amazon-ec2-net-utils issue 146), and 05-enicfg sorts
// before the files of other generators: cloud-init's 10-cloud-init-*,
// netplan's 10-netplan-*, amazon-ec2-net-utils' 70-* and 80-ec2.
type Networkd struct{}

var networkdFamily = &Family{
	Name: "networkd",
	Dirs: []string{"/etc/sysctl.d", "/etc/systemd/network", "/etc/udev/rules.d"},
	Files: []FileRule{
		{Glob: sysctlPath, Format: sysctlFormat},
		{Glob: udevSysctlPath, Format: udevFormat},
		{Glob: "/etc/systemd/network/05-enicfg-*.network", Format: networkdFormat},
		{Glob: "/etc/systemd/network/05-enicfg-*.link", Format: linkFormat},
		{Glob: udevQueuesPath, Format: udevFormat},
	},
	Constructs: join(sysctlConstructs, networkdConstructs, linkConstructs, udevConstructs),
	Variants: []Variant{{
		Reader:   "systemd-networkd",
		Tools:    []versions.Tool{versions.Systemd, versions.Udev},
		Files:    []string{"/etc/systemd/network/05-enicfg-<if>.network", "/etc/systemd/network/05-enicfg-<if>.link (mac, queues)", udevQueuesPath + " (queues, udev before CombinedChannels=)"},
		Renderer: Networkd{},
		Kernel:   &live.Expect{Layout: live.Networkd},
	}},
	Templates: templates.Lazy("networkd", template.FuncMap{}),
}

func init() { register(networkdFamily) }

type networkdFile struct {
	Header, Name, MAC string
	Notes             []string
	MTU               int
	// DHCP is the value of [Network] DHCP=: ipv4, ipv6, yes or no.
	DHCP string
	// AcceptRA is [Network] IPv6AcceptRA= ("": not written), RAKeys
	// the [IPv6AcceptRA] lines and DHCPv6Keys the [DHCPv6] lines.
	AcceptRA   string
	RAKeys     []string
	DHCPv6Keys []string
	DNS        []string
	Domains    string
	Addrs      []string
	Routes     []networkdRoute
	Rules      []networkdRule
	// DHCPSection is [DHCPv4], or [DHCP] before systemd 243; DHCPKeys
	// are its lines.
	DHCPSection string
	DHCPKeys    []string
}

type networkdRoute struct {
	Destination, Gateway, Scope, Metric, Table, Src string
}

type networkdRule struct {
	From            string
	Table, Priority uint32
}

// networkdRoutes gives a route in networkd's [Route] terms.
func networkdRouteOf(r spec.Route) networkdRoute {
	nr := networkdRoute{}
	if !r.IsDefault() {
		nr.Destination = r.To.String()
	}
	if r.Via.IsValid() {
		nr.Gateway = r.Via.String()
	} else {
		nr.Scope = "link"
	}
	if r.HasMetric {
		nr.Metric = fmt.Sprint(r.Metric)
	}
	if r.Table != 0 {
		nr.Table = fmt.Sprint(r.Table)
	}
	if r.Src.IsValid() {
		nr.Src = r.Src.String()
	}
	return nr
}

// Render implements Renderer.
func (Networkd) Render(m *spec.Model, opt Options) (FileSet, []Unsupported, error) {
	j := newJob(networkdFamily, Networkd{}, opt)
	channels := j.has("link [Link] CombinedChannels")
	for _, in := range m.Interfaces {
		f := networkdFile{Header: j.header("#"), Name: in.Name, MAC: in.MAC, MTU: in.MTU, DHCP: networkdDHCPValue(in)}
		for _, n := range notes(in) {
			f.Notes = append(f.Notes, systemdComment(n))
		}
		for _, ip := range in.IPs() {
			f.Addrs = append(f.Addrs, ip.String())
		}
		// One DNS= per server (a list in one DNS= needs systemd 2xx).
		servers, search := dnsStrings(in.DNS)
		f.DNS, f.Domains = servers, strings.Join(search, " ")
		if in.DHCP {
			networkdDHCP(j, in, &f)
		} else if in.DefaultRoute {
			r := networkdRoute{Gateway: in.Gateway.String()}
			if in.HasMetric {
				r.Metric = fmt.Sprint(in.Metric)
			}
			f.Routes = append(f.Routes, r)
		}
		for _, r := range in.TableRoutes {
			f.Routes = append(f.Routes, networkdRouteOf(r))
		}
		for _, r := range in.Routes {
			f.Routes = append(f.Routes, networkdRouteOf(r))
		}
		for _, r := range in.Rules {
			f.Rules = append(f.Rules, networkdRule{From: r.From.String(), Table: r.Table, Priority: r.Priority})
		}
		networkdIPv6(j, in, &f)
		j.add("/etc/systemd/network/05-enicfg-"+in.Name+".network", 0o644, "network.tmpl", f)
		if channels || in.MAC != "" {
			j.linkFile(in, channels)
		}
	}
	if !channels {
		j.udevQueues(m, "udev reads CombinedChannels= in .link files only from systemd 239 on")
	}
	j.sysctls(m)
	return j.done()
}

// networkdDHCP says what the DHCP client may take from the lease, in the
// [DHCPv4] section (systemd 243) or the older [DHCP]: no default route on
// an ENI without one (UseGateway=no, systemd 246), the metric of the
// default route, no DNS servers from a secondary ENI.
func networkdDHCP(j *job, in *spec.Interface, f *networkdFile) {
	sec := "DHCPv4"
	if !j.has("network [DHCPv4]") {
		sec = "DHCP"
	}
	f.DHCPSection = sec
	if !in.DefaultRoute {
		// UseRoutes=no kept the gateway out up to v244 too, but v245
		// installs it anyway, and every target's span reaches past 245.
		if sec == "DHCPv4" && j.has("network [DHCPv4] UseGateway") {
			f.DHCPKeys = append(f.DHCPKeys, "UseGateway=no")
		} else {
			j.needs(in.Name, "default_route: false", "network [DHCPv4] UseGateway", "would install the DHCP router as a default route")
		}
	}
	if in.DefaultRoute && in.HasMetric {
		f.DHCPKeys = append(f.DHCPKeys, fmt.Sprintf("RouteMetric=%d", in.Metric))
	}
	if !in.Primary {
		f.DHCPKeys = append(f.DHCPKeys, "UseDNS=no")
	}
}

// Activation implements Renderer: networkctl reload and reconfigure
// (systemd 244), else a restart of systemd-networkd.
func (Networkd) Activation(m *spec.Model, files FileSet, opt Options) Activation {
	udev := udevApply(files, opt.Coverage)
	if k, _ := networkdConstructs.Lookup("run: networkctl reload"); !opt.Coverage.Has(k) {
		return Activation{Start: with(udev, "systemctl restart systemd-networkd"), All: true}
	}
	return Activation{Start: with(with(udev, "networkctl reload"), eachInterface(m, "networkctl reconfigure ")...), Links: eachInterface(m, "")}
}

// networkdFormat is a systemd .network file; its keys are "network
// [Section] Key", with the values whose form matters ("network [Network]
// DHCP=ipv4", "network [Route] Scope=link").
var networkdFormat = Format{Name: "systemd .network", Check: syntax.Ini, Keys: func(data []byte) ([]string, error) {
	return iniKeys(data, func(s keySet, e iniEntry) {
		k := fmt.Sprintf("network [%s] %s", e.Section, e.Key)
		s.add("network ["+e.Section+"]", k)
		switch e.Key {
		case "DHCP", "Scope":
			s.add(k + "=" + e.Value)
		case "Table":
			if n, err := strconv.ParseUint(e.Value, 10, 32); err == nil && n >= 256 && e.Section == "Route" {
				s.add(k + " >= 256")
			}
		}
	})
}}

// networkdConstructs: every section, key and command of the networkd
// family, with the systemd release that brought it: the first release
// tag of systemd that holds the commit (systemd/systemd-stable has the
// same history and tags), and its NEWS.
var networkdConstructs = versions.Table{
	{Key: "network [Match]", Tool: versions.Systemd, Since: "209", Source: networkdBase},
	{Key: "network [Match] MACAddress", Tool: versions.Systemd, Since: "209", Source: networkdBase},
	{Key: "network [Match] Name", Tool: versions.Systemd, Since: "209", Source: networkdBase},
	{Key: "network [Link]", Tool: versions.Systemd, Since: "218", Source: "systemd c106cc36 \"networkd: add basic [Link] settings to .network files\" (v218)"},
	{Key: "network [Link] MTUBytes", Tool: versions.Systemd, Since: "218", Source: "systemd c106cc36 \"networkd: add basic [Link] settings to .network files\" (v218)"},
	{Key: "network [Network]", Tool: versions.Systemd, Since: "209", Source: networkdBase},
	{Key: "network [Network] DHCP", Tool: versions.Systemd, Since: "209", Source: "systemd f5be5601 \"networkd: add DHCPv4 support\" (v209)"},
	{Key: "network [Network] DHCP=ipv4", Tool: versions.Systemd, Since: "219", Source: "systemd cb9fc36a \"networkd: introduce an AddressFamilyBoolean enum type\" (v219); v215 to v218 know only v4"},
	{Key: "network [Network] DHCP=no", Tool: versions.Systemd, Since: "209", Source: "systemd f5be5601 (v209): DHCP= is a boolean"},
	{Key: "network [Address]", Tool: versions.Systemd, Since: "209", Source: "systemd 6ae115c1 \"networkd: add support for [Address] sections\" (v209)"},
	{Key: "network [Address] Address", Tool: versions.Systemd, Since: "209", Source: "systemd 6ae115c1 \"networkd: add support for [Address] sections\" (v209)"},
	{Key: "network [Route]", Tool: versions.Systemd, Since: "209", Source: srcNetworkdRoute},
	{Key: "network [Route] Destination", Tool: versions.Systemd, Since: "209", Source: srcNetworkdRoute},
	{Key: "network [Route] Gateway", Tool: versions.Systemd, Since: "209", Source: srcNetworkdRoute},
	{Key: "network [Route] Metric", Tool: versions.Systemd, Since: "216", Source: "systemd 5d8e593d \"networkd: make metric of routes configurable\" (v216, NEWS 216)"},
	{Key: "network [Route] Scope", Tool: versions.Systemd, Since: "219", Source: networkdScope},
	{Key: "network [Route] Scope=link", Tool: versions.Systemd, Since: "219", Source: networkdScope},
	{Key: "network [Route] Table", Tool: versions.Systemd, Since: "230", Source: "systemd c953b24c \"networkd: add support to set route table\" (v230)"},
	{Key: "network [Route] Table >= 256", Tool: versions.Systemd, Since: "234", Source: "systemd 14d20d2b \"networkd: fix route table from unsigned char to uint32_t\" (v234)"},
	{Key: "network [Route] PreferredSource", Tool: versions.Systemd, Since: "227", Source: "systemd 0d07e595 (v227), NEWS 227: \"Configuring PreferredSource= for static routes in .network files\""},
	{Key: "network [RoutingPolicyRule]", Tool: versions.Systemd, Since: "235", Source: srcNetworkdRule},
	{Key: "network [RoutingPolicyRule] From", Tool: versions.Systemd, Since: "235", Source: srcNetworkdRule},
	{Key: "network [RoutingPolicyRule] Table", Tool: versions.Systemd, Since: "235", Source: srcNetworkdRule},
	{Key: "network [RoutingPolicyRule] Priority", Tool: versions.Systemd, Since: "235", Source: srcNetworkdRule},
	{Key: "network [DHCP]", Tool: versions.Systemd, Since: "215", Source: "systemd NEWS 215: \"the [DHCPv4] section known in older systemd-networkd versions has been renamed to [DHCP]\"; still read in v256"},
	{Key: "network [DHCP] RouteMetric", Tool: versions.Systemd, Since: "217", Source: "systemd 84b5b79a \"networkd: allow specification of DHCP route metric\" (v217, NEWS 217)"},
	{Key: "network [Network] DNS", Tool: versions.Systemd, Since: "209", Source: "systemd 3bef724f \"networkd: generate resolv.conf\" (v209): DNS= in [Network], one address per line"},
	{Key: "network [Network] Domains", Tool: versions.Systemd, Since: "216", Source: "systemd 6192b846 \"networkd: add support for Domains= to .network files\" (v216)"},
	{Key: "network [DHCP] UseDNS", Tool: versions.Systemd, Since: "215", Source: "systemd ed942a9e (v215)"},
	{Key: "network [DHCPv4]", Tool: versions.Systemd, Since: "243", Source: networkdDHCPv4},
	{Key: "network [DHCPv4] UseGateway", Tool: versions.Systemd, Since: "246", Source: "systemd b4531227 \"network: add a flag to ignore gateway provided by DHCP server\" (v246, NEWS 246)",
		Note: "UseRoutes=no kept the gateway out in v215 to v244, but v245 installs it anyway (systemd ad098b14), so nothing older does the job on every version."},
	{Key: "network [DHCPv4] RouteMetric", Tool: versions.Systemd, Since: "243", Source: networkdDHCPv4},
	{Key: "network [DHCPv4] UseDNS", Tool: versions.Systemd, Since: "243", Source: networkdDHCPv4},
	{Key: "network [Network] DHCP=ipv6", Tool: versions.Systemd, Since: "219", Source: "systemd cb9fc36a \"networkd: introduce an AddressFamilyBoolean enum type\" (v219): ipv4, ipv6, yes, no"},
	{Key: "network [Network] DHCP=yes", Tool: versions.Systemd, Since: "219", Source: "systemd cb9fc36a (v219): yes is DHCPv4 and DHCPv6; before, DHCP= was DHCPv4 only"},
	{Key: "network [Network] IPv6AcceptRA", Tool: versions.Systemd, Since: "231", Source: srcNetworkdRA + "; IPv6AcceptRouterAdvertisements= before"},
	{Key: "network [IPv6AcceptRA]", Tool: versions.Systemd, Since: "231", Source: srcNetworkdRA},
	{Key: "network [IPv6AcceptRA] UseDNS", Tool: versions.Systemd, Since: "231", Source: srcNetworkdRA},
	{Key: "network [IPv6AcceptRA] UseAutonomousPrefix", Tool: versions.Systemd, Since: "242", Source: "systemd.network(5): UseAutonomousPrefix= \"Added in version 242\""},
	{Key: "network [IPv6AcceptRA] DHCPv6Client", Tool: versions.Systemd, Since: "246", Source: "systemd.network(5): [IPv6AcceptRA] DHCPv6Client= \"Added in version 246\""},
	{Key: "network [IPv6AcceptRA] RouteMetric", Tool: versions.Systemd, Since: "249", Source: "systemd.network(5): [IPv6AcceptRA] RouteMetric= \"Added in version 249\"; before, router advertisements' routes took the DHCP route metric (networkd-ndisc.c: route->priority = link->network->dhcp_route_metric, then dhcp6_route_metric)"},
	{Key: "network [IPv6AcceptRA] UseGateway", Tool: versions.Systemd, Since: "250", Source: "systemd.network(5): [IPv6AcceptRA] UseGateway= \"Added in version 250\"",
		Note: "Before 250 nothing keeps the advertised router out of main but IPv6AcceptRA=no, which loses the on-link prefix (and DHCPv6, which router advertisements start)."},
	{Key: "network [DHCPv6]", Tool: versions.Systemd, Since: "243", Source: networkdDHCPv4 + ": the [DHCPv6] section came with [DHCPv4]"},
	{Key: "network [DHCPv6] UseDNS", Tool: versions.Systemd, Since: "243", Source: "systemd.network(5): [DHCPv6] UseDNS= \"Added in version 243\""},
	{Key: "run: networkctl reload", Tool: versions.Systemd, Since: "244", Source: "systemd a227674c \"networkctl: add reload command\" (v244, NEWS 244)"},
	{Key: "run: networkctl reconfigure", Tool: versions.Systemd, Since: "244", Source: "systemd 8dc85c5e \"networkctl: introduce reconfigure method\" (v244, NEWS 244)"},
	{Key: "run: systemctl restart systemd-networkd", Tool: versions.Systemd, Since: "209", Source: "networkd reads .network files when it starts (v209)"},
}

const (
	networkdBase     = "systemd f579559b \"networkd: add a basic network daemon\" (v209), NEWS 209"
	srcNetworkdRoute = "systemd ae4c67a7 \"networkd: add support for Route sections\" (v209)"
	networkdScope    = "systemd 769b56a3 \"networkd: support route scopes\" (v219, NEWS 219)"
	srcNetworkdRule  = "systemd bce67bbe \"networkd: add support to configure IP Rule\" (v235), NEWS 235"
	srcNetworkdRA    = "systemd.network(5): IPv6AcceptRA= and [IPv6AcceptRA] \"Added in version 231\""
	networkdDHCPv4   = "systemd 4f7331a8 \"network: rename [DHCP] section to [DHCPv4]\" (v243, NEWS 243)"
)

// networkdDHCPValue gives [Network] DHCP=: DHCPv4, DHCPv6, both or none.
func networkdDHCPValue(in *spec.Interface) string {
	six := in.IPv6.Mode == spec.IPv6DHCP
	switch {
	case in.DHCP && six:
		return "yes"
	case six:
		return "ipv6"
	case in.DHCP:
		return "ipv4"
	}
	return "no"
}

// networkdIPv6 adds the interface's IPv6: its static addresses, the
// default route via the described router, its table routes, rules and
// routes, and what networkd's own client of router advertisements may
// take (networkd turns the kernel's off and runs its own, systemd.network(5)
// IPv6AcceptRA=).
func networkdIPv6(j *job, in *spec.Interface, f *networkdFile) {
	six := &in.IPv6
	if !six.Enabled() {
		return
	}
	for _, ip := range six.IPs() {
		f.Addrs = append(f.Addrs, ip.String())
	}
	if six.DefaultRoute && six.Gateway.IsValid() {
		r := networkdRoute{Gateway: six.Gateway.String()}
		if six.HasMetric {
			r.Metric = fmt.Sprint(six.Metric)
		}
		f.Routes = append(f.Routes, r)
	}
	for _, r := range six.AllRoutes() {
		nr := networkdRouteOf(r)
		nr.Scope = "" // IPv6 routes have no scope: networkd ignores Scope= with a warning
		f.Routes = append(f.Routes, nr)
	}
	for _, r := range six.Rules {
		f.Rules = append(f.Rules, networkdRule{From: r.From.String(), Table: r.Table, Priority: r.Priority})
	}
	networkdRA(j, in, f)
}

// networkdRA says what networkd takes from router advertisements: nothing
// on a static interface that is not told to take its router from them
// (IPv6AcceptRA=no); else the default route only where the description
// wants it (UseGateway=no otherwise), the described metric for the
// advertised routes (networkd adds the on-link prefix as a route of its
// own at that metric), no SLAAC address and no DHCPv6 on a static
// interface, and no DNS servers on a secondary ENI.
func networkdRA(j *job, in *spec.Interface, f *networkdFile) {
	six := &in.IPv6
	if six.Mode == spec.IPv6Static && !six.GatewayRA {
		f.AcceptRA = "no"
		return
	}
	f.AcceptRA = "yes"
	ra := func(feature, key, line, what string) {
		if j.has("network [IPv6AcceptRA] " + key) {
			f.RAKeys = append(f.RAKeys, line)
		} else {
			j.needs(in.Name, feature, "network [IPv6AcceptRA] "+key, what)
		}
	}
	if !six.DefaultRoute || !six.GatewayRA {
		feature := "ipv6 default_route: false"
		if six.DefaultRoute {
			feature = "ipv6.gateway " + six.Gateway.String()
		}
		ra(feature, "UseGateway", "UseGateway=no", "would install the router of router advertisements as a default route in main")
	}
	if six.HasMetric { // the default route's, and the on-link prefix's
		ra("ipv6.metric", "RouteMetric", fmt.Sprintf("RouteMetric=%d", six.Metric), fmt.Sprintf("cannot give the routes of router advertisements metric %d", six.Metric))
	}
	if six.Mode == spec.IPv6Static {
		ra("ipv6.gateway ra", "UseAutonomousPrefix", "UseAutonomousPrefix=no", "would add an address of its own from the advertised prefix to a static interface")
		ra("ipv6.gateway ra", "DHCPv6Client", "DHCPv6Client=no", "would start DHCPv6 on a static interface when the advertisement has the managed flag")
	}
	if in.Primary {
		return
	}
	ra("ipv6", "UseDNS", "UseDNS=no", "would take the DNS servers of a secondary ENI's router advertisements")
	if six.Mode != spec.IPv6DHCP {
		return
	}
	if j.has("network [DHCPv6] UseDNS") {
		f.DHCPv6Keys = append(f.DHCPv6Keys, "UseDNS=no")
	} else {
		j.needs(in.Name, "ipv6.dhcp", "network [DHCPv6] UseDNS", "would take the DNS servers of a secondary ENI's DHCPv6 lease")
	}
}
