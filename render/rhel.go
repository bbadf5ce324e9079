package render

import (
	"fmt"
	"net/netip"
	"regexp"
	"strings"
	"text/template"

	"github.com/enicfg/enicfg/internal/syntax"
	"github.com/enicfg/enicfg/live"
	"github.com/enicfg/enicfg/spec"
	"github.com/enicfg/enicfg/templates"
	"github.com/enicfg/enicfg/versions"
)

// RHEL renders network-scripts ifcfg files for the rhel family.
//
// With NetworkManager unset, the files are for Red Hat's network-scripts
// (CentOS/RHEL 6 and 7, Alibaba Cloud Linux 2): NM_CONTROLLED=no keeps
// them with the scripts, secondary IPs of a DHCP interface become alias
// files (ifup-eth ignores IPADDRn there), and policy rules go to rule-<if>.
//
// With NetworkManager set, the files are for NetworkManager's ifcfg-rh
// reader (the 8 series): it reads IPADDRn on DHCP interfaces too, reads
// METRIC never (IPV4_ROUTE_METRIC instead) and rule-<if> never (a rule
// file even stops it reading route-<if>), so rules are ROUTING_RULE_<n>
// keys, and it ignores `ETHTOOL_OPTS=-L`, so queues are set by a udev rule.
type RHEL struct {
	NetworkManager bool
}

const rhelDir = "/etc/sysconfig/network-scripts/"

var rhelFamily = &Family{
	Name: "rhel",
	Dirs: []string{"/etc/sysctl.d", rhelDir[:len(rhelDir)-1], "/etc/udev/rules.d"},
	Files: []FileRule{
		{Glob: sysctlPath, Format: sysctlFormat},
		{Glob: udevSysctlPath, Format: udevFormat},
		{Glob: rhelDir + "ifcfg-*:*", Format: Format{Name: "ifcfg alias file", Check: syntax.Shell, Keys: func(data []byte) ([]string, error) { return shellKeys("ifcfg alias ", data) }}},
		{Glob: rhelDir + "ifcfg-*", Format: Format{Name: "ifcfg file", Check: syntax.Shell, Keys: rhelIfcfgKeys}},
		{Glob: rhelDir + "route-*", Format: Format{Name: "route-<if> (ip route lines)", Check: syntax.IPLines, Keys: func(data []byte) ([]string, error) { return ipKeys("route-<if>", data), nil }}},
		{Glob: rhelDir + "route6-*", Format: Format{Name: "route6-<if> (ip -6 route lines)", Check: syntax.IPLines, Keys: func(data []byte) ([]string, error) { return ipKeys("route6-<if>", data), nil }}},
		{Glob: rhelDir + "rule6-*", Format: Format{Name: "rule6-<if> (ip -6 rule lines)", Check: syntax.IPLines, Keys: func(data []byte) ([]string, error) { return ipKeys("rule6-<if>", data), nil }}},
		{Glob: rhelDir + "rule-*", Format: Format{Name: "rule-<if> (ip rule lines)", Check: syntax.IPLines, Keys: func(data []byte) ([]string, error) { return ipKeys("rule-<if>", data), nil }}},
		{Glob: udevQueuesPath, Format: udevFormat},
	},
	Constructs: join(sysctlConstructs, rhelConstructs, udevConstructs),
	Variants: []Variant{
		{
			Name: "network-scripts", Reader: "network-scripts", Tools: []versions.Tool{versions.Initscripts, versions.Udev},
			Files: []string{
				rhelDir + "ifcfg-<if>",
				rhelDir + "ifcfg-<if>:<n> (secondary IPs of a DHCP interface, or of every interface before initscripts 9.03.18)",
				rhelDir + "route-<if>",
				rhelDir + "rule-<if>",
				rhelDir + "route6-<if>",
				rhelDir + "rule6-<if>",
				udevQueuesPath + " (queues, before initscripts runs ethtool -L)",
			},
			Renderer: RHEL{},
			Kernel:   &live.Expect{Layout: live.KernelRoutes},
		},
		{
			Name: "ifcfg-rh", Reader: "NetworkManager (ifcfg-rh)", Tools: []versions.Tool{versions.NetworkManager, versions.Udev},
			Files: []string{
				rhelDir + "ifcfg-<if> (with ROUTING_RULE_<n> and ROUTING_RULE6_<n>)",
				rhelDir + "route-<if>",
				rhelDir + "route6-<if>",
				udevQueuesPath + " (queues)",
			},
			Renderer: RHEL{NetworkManager: true},
			Kernel:   &live.Expect{Layout: live.NM},
		},
	},
	Templates: templates.Lazy("rhel", template.FuncMap{"q": shellQuote}),
}

func init() { register(rhelFamily) }

// shellQuote double-quotes a value for a file that bash sources. Values
// are built from validated input; anything that would still be live shell
// syntax inside double quotes is an error, never written.
func shellQuote(s string) (string, error) {
	for _, r := range s {
		if r == '"' || r == '$' || r == '`' || r == '\\' || r == '!' || r < ' ' || r == 0x7f {
			return "", fmt.Errorf("value %q is not safe for a shell-sourced file", s)
		}
	}
	return `"` + s + `"`, nil
}

type rhelIfcfg struct {
	Header, Device, Bootproto, HWAddr string
	Notes                             []string
	NMControlledNo                    bool
	Addrs                             []rhelAddr
	Gateway, GatewayDev               string
	DefRoute                          string
	MetricKey, Metric                 string
	PeerDNSNo                         bool
	DNS                               []rhelDNS
	Domain                            string
	MTU                               int
	Ethtool                           string
	Rules                             []rhelRule
	IPv6                              rhelIPv6
}

type rhelDNS struct {
	N    int
	Addr string
}

type rhelAddr struct {
	Suffix string
	IP     netip.Addr
	// Prefix, or Netmask before initscripts 9.03.24 (which derive the
	// netmask, broadcast and the gateway check from a classful mask when
	// only PREFIX is given).
	Prefix, Netmask string
}

type rhelRule struct {
	N    int
	Rule string
}

type rhelAlias struct {
	Header, Parent, Device string
	IP                     netip.Addr
	// Prefix, or Netmask before initscripts 9.03.28 (whose ifup-aliases
	// reads no PREFIX and falls back to the classful mask).
	Prefix, Netmask string
	// Why says why the address is an alias file.
	Why string
}

type rhelLines struct {
	Header string
	Notes  []string
	Lines  []string
}

// Render implements Renderer.
func (r RHEL) Render(m *spec.Model, opt Options) (FileSet, []Unsupported, error) {
	j := newJob(rhelFamily, r, opt)
	for _, in := range m.Interfaces {
		r.iface(j, in)
	}
	if r.NetworkManager {
		j.udevQueues(m, "NetworkManager's ifcfg-rh reader ignores ETHTOOL_OPTS=-L")
	} else if !j.has("ifcfg ETHTOOL_OPTS=-L") {
		j.udevQueues(m, "network-scripts before initscripts 9.03.24 run ethtool -s with ETHTOOL_OPTS")
	}
	j.sysctls(m)
	return j.done()
}

func (r RHEL) iface(j *job, in *spec.Interface) {
	f := rhelIfcfg{
		Header:         j.header("#"),
		Notes:          notes(in),
		Device:         in.Name,
		Bootproto:      "none",
		HWAddr:         in.MAC,
		NMControlledNo: !r.NetworkManager,
		DefRoute:       "no",
		MTU:            in.MTU,
		MetricKey:      "METRIC",
	}
	if r.NetworkManager {
		f.MetricKey = "IPV4_ROUTE_METRIC"
	}
	if in.DefaultRoute {
		f.DefRoute = "yes"
		if in.HasMetric {
			f.Metric = fmt.Sprint(in.Metric)
		}
	}
	// The primary address is IPADDR (NetworkManager reads GATEWAY only
	// with it), secondaries IPADDR1..n without gaps (both readers stop at
	// the first missing index from 2 on).
	if in.DHCP {
		f.Bootproto = "dhcp"
		if !in.Primary {
			f.PeerDNSNo = true // a secondary ENI must not rewrite resolv.conf
		}
	} else if in.HasIPv4() {
		f.Addrs = append(f.Addrs, rhelAddress(j, "", in.Address))
		if in.DefaultRoute {
			f.Gateway = in.Gateway.String()
			if !r.NetworkManager {
				// ifup-eth adds `dev $GATEWAYDEV` only when it is set;
				// without it the kernel picks the device of the first
				// route to the gateway, the wrong one when several ENIs
				// share a subnet.
				f.GatewayDev = in.Name
			}
		}
	}
	r.secondaries(j, in, &f)
	r.dns(j, in, &f)
	if in.Queues != 0 && !r.NetworkManager && j.has("ifcfg ETHTOOL_OPTS=-L") {
		f.Ethtool = fmt.Sprintf("-L %s combined %d", in.Name, in.Queues)
	}

	r.routesAndRules(j, in, &f)
	r.routes6(j, in, r.ipv6(j, in, &f))
	j.add(rhelDir+"ifcfg-"+in.Name, 0o644, "ifcfg.tmpl", f)
}

// secondaries writes the secondary IPs as IPADDRn, or as alias files
// where network-scripts ignore IPADDRn (DHCP, initscripts before 9.03.18).
func (r RHEL) secondaries(j *job, in *spec.Interface, f *rhelIfcfg) {
	// network-scripts ignore IPADDRn on a DHCP interface, and read it at
	// all only from initscripts 9.03.18 on: alias files there.
	aliasWhy := ""
	if !r.NetworkManager && in.DHCP {
		aliasWhy = "network-scripts ignore IPADDRn on a DHCP interface"
	} else if !r.NetworkManager && len(in.SecondaryIPs) > 0 && !j.has("ifcfg IPADDRn") {
		aliasWhy = "network-scripts read IPADDRn only from initscripts 9.03.18 on"
	}
	if aliasWhy != "" {
		if labels, ok := j.aliasLabels(in); ok {
			for k, ip := range in.SecondaryIPs {
				a := rhelAlias{Header: j.header("#"), Parent: in.Name, Device: labels[k], IP: ip.Addr(), Why: aliasWhy}
				if j.has("ifcfg alias PREFIX") {
					a.Prefix = fmt.Sprint(ip.Bits())
				} else {
					a.Netmask = netmask(ip.Bits())
				}
				j.add(rhelDir+"ifcfg-"+labels[k], 0o644, "alias.tmpl", a)
			}
		}
	} else {
		for k, ip := range in.SecondaryIPs {
			f.Addrs = append(f.Addrs, rhelAddress(j, fmt.Sprint(k+1), ip))
		}
	}
}

// routesAndRules writes route-<if> and the rules: rule-<if> for
// network-scripts, ROUTING_RULE_n in the ifcfg file for NetworkManager.
func (r RHEL) routesAndRules(j *job, in *spec.Interface, f *rhelIfcfg) {
	var routes []string
	for k, rt := range in.AllRoutes() {
		if rt.IsDefault() && !j.has("route-<if> default") {
			feature := "route_table"
			if k >= len(in.TableRoutes) {
				feature = fmt.Sprintf("routes[%d]", k-len(in.TableRoutes))
			}
			j.needs(in.Name, feature, "route-<if> default", "ignores a default route in route-<if> (\"ignoring manual default route\"), the table's one included")
			continue
		}
		routes = append(routes, ipRoute(rt))
	}
	if len(routes) > 0 {
		rhelLinesFile(j, "route-"+in.Name, "Routes of "+in.Name+", one `ip route add` argument list per line.", routes)
	}
	if r.NetworkManager && len(in.Rules) > 0 {
		if j.has("ifcfg ROUTING_RULE_n") {
			for k, rule := range in.Rules {
				f.Rules = append(f.Rules, rhelRule{N: k + 1, Rule: ipRule(rule)})
			}
		} else {
			j.needs(in.Name, "route_table", "ifcfg ROUTING_RULE_n", "reads no policy rule from ifcfg files (and never reads rule-<if>)")
		}
	} else if len(in.Rules) > 0 {
		var lines []string
		for _, rule := range in.Rules {
			lines = append(lines, ipRule(rule))
		}
		rhelLinesFile(j, "rule-"+in.Name, "Policy rules of "+in.Name+", one `ip rule add` argument list per line.", lines)
	}
}

// dns writes DNS1..n and DOMAIN. network-scripts' ifup-post puts them
// into /etc/resolv.conf in place of its nameserver lines, also after a
// DHCP lease (so a DHCP interface that names servers keeps PEERDNS);
// NetworkManager adds them to the lease's, which PEERDNS=no drops.
func (r RHEL) dns(j *job, in *spec.Interface, f *rhelIfcfg) {
	servers, search := dnsStrings(in.DNS)
	if !r.NetworkManager && !in.Primary && !in.DNS.Empty() {
		j.refuse(in.Name, "dns", "network-scripts keep one /etc/resolv.conf, and each ifup-post puts its interface's DNSn in place of every nameserver line: the servers of a secondary ENI would replace the primary's; describe them on the primary interface (or the top-level dns)")
		return
	}
	for k, s := range servers {
		key := "ifcfg DNSn"
		if k == 2 {
			key = "ifcfg DNS3"
		}
		if !j.has(key) {
			j.needs(in.Name, "dns", key, fmt.Sprintf("reads no DNS%d: at most %d name servers", k+1, k))
			break
		}
		f.DNS = append(f.DNS, rhelDNS{N: k + 1, Addr: s})
	}
	if len(servers) > 0 && !r.NetworkManager {
		f.PeerDNSNo = false // ifup-post writes DNSn only when PEERDNS is not no
	}
	if len(search) > 0 {
		f.Domain = strings.Join(search, " ")
	}
}

// rhelAddress gives an address as IPADDR<suffix> with PREFIX<suffix>, or
// NETMASK<suffix> where PREFIX does not set the netmask.
func rhelAddress(j *job, suffix string, p netip.Prefix) rhelAddr {
	a := rhelAddr{Suffix: suffix, IP: p.Addr()}
	if j.has("ifcfg PREFIX") {
		a.Prefix = fmt.Sprint(p.Bits())
	} else {
		a.Netmask = netmask(p.Bits())
	}
	return a
}

// Activation implements Renderer: the network service of the network
// scripts (its stop takes each interface down by its ifcfg file, so it
// runs with the files that brought it up), or NetworkManager's reload and
// an up of each profile.
func (r RHEL) Activation(m *spec.Model, files FileSet, opt Options) Activation {
	udev := udevApply(files, opt.Coverage)
	if !r.NetworkManager {
		return Activation{Stop: []string{"service network stop"}, Start: with(udev, "service network start"),
			Restart: with(udev, "service network restart"), All: true}
	}
	return Activation{Start: with(with(udev, "nmcli connection reload"), eachInterface(m, "nmcli connection up ")...), Links: eachInterface(m, "")}
}

// rhelIfcfgKeys names the variables of an ifcfg file (numbered ones as
// "n"), and DNS3 by itself: network-scripts read a third server only from
// initscripts 9.49.40 on.
func rhelIfcfgKeys(data []byte) ([]string, error) {
	keys, err := shellKeys("ifcfg ", data)
	if err == nil && regexp.MustCompile(`(?m)^DNS3=`).Match(data) {
		keys = append(keys, "ifcfg DNS3")
	}
	// ROUTING_RULE6_<n>: the shared numbering sees no number after the 6.
	seen := map[string]bool{}
	out := keys[:0]
	for _, k := range keys {
		if strings.HasPrefix(k, "ifcfg ROUTING_RULE6_") {
			k = "ifcfg ROUTING_RULE6_n"
		}
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out, err
}

// rhelConstructs: every key, file and command of the rhel family, with
// the version of the reader that brought it: Red Hat's network-scripts
// (initscripts) for the network-scripts variant, NetworkManager's
// ifcfg-rh plugin for the 8 series.
var rhelConstructs = versions.Table{
	{Key: "ifcfg DEVICE", Tool: versions.Initscripts, Since: "6.0", Source: isBase},
	{Key: "ifcfg NAME", Tool: versions.Initscripts, Since: "6.0", Source: isBase},
	{Key: "ifcfg ONBOOT", Tool: versions.Initscripts, Since: "6.0", Source: isBase},
	{Key: "ifcfg BOOTPROTO", Tool: versions.Initscripts, Since: "6.0", Source: isBase},
	{Key: "ifcfg GATEWAY", Tool: versions.Initscripts, Since: "6.0", Source: isBase},
	{Key: "ifcfg GATEWAYDEV", Tool: versions.Initscripts, Since: "6.0", Source: isBase},
	{Key: "ifcfg TYPE", Tool: versions.Initscripts, Since: "7.26", Source: "fedora-sysv/initscripts a9405eff: TYPE=Ethernet sets the device type (7.26)"},
	{Key: "ifcfg HWADDR", Tool: versions.Initscripts, Since: "5.90", Source: "fedora-sysv/initscripts f10c56a7 (5.90): ifup-eth refuses a device whose MAC is not HWADDR"},
	{Key: "ifcfg NM_CONTROLLED", Tool: versions.Initscripts, Since: "9.03.9", Source: "fedora-sysv/initscripts 9f837670 \"Check NM_CONTROLLED before deciding to use NM\" (rhel6-branch 9.03.9)"},
	{Key: "ifcfg IPADDR", Tool: versions.Initscripts, Since: "6.0", Source: isBase},
	{Key: "ifcfg NETMASK", Tool: versions.Initscripts, Since: "6.0", Source: isBase},
	{Key: "ifcfg PREFIX", Tool: versions.Initscripts, Since: "9.03.24", Source: "fedora-sysv/initscripts 9dec8afc \"Override NETMASK from PREFIX where specified (#705367)\" (rhel6-branch 9.03.24, main 9.31); before, a file with PREFIX only gets a classful netmask, broadcast and gateway check", Note: "Older releases get NETMASK, which every release reads."},
	{Key: "ifcfg IPADDRn", Tool: versions.Initscripts, Since: "9.03.18", Source: isIPADDRn},
	{Key: "ifcfg PREFIXn", Tool: versions.Initscripts, Since: "9.03.24", Source: isIPADDRn + "; PREFIXn overrides NETMASKn from 9.03.24 (9dec8afc)"},
	{Key: "ifcfg NETMASKn", Tool: versions.Initscripts, Since: "9.03.18", Source: isIPADDRn},
	{Key: "ifcfg DEFROUTE", Tool: versions.Initscripts, Since: "9.02", Source: "fedora-sysv/initscripts a23c3828 \"Honor DEFROUTE=yes|no for all connection types\" (9.02)"},
	{Key: "ifcfg METRIC", Tool: versions.Initscripts, Since: "8.34", Source: "fedora-sysv/initscripts 906238c8 \"Add METRIC= support for default routes\" (8.34)"},
	{Key: "ifcfg PEERDNS", Tool: versions.Initscripts, Since: "4.29", Source: "fedora-sysv/initscripts bc662c04 (4.29); for DHCP, dhclient-script reads it"},
	{Key: "ifcfg DNSn", Tool: versions.Initscripts, Since: "4.29", Source: isDNS},
	{Key: "ifcfg DNS3", Tool: versions.Initscripts, Since: "9.49.40", Source: "fedora-sysv/initscripts 7cf9d294 \"ifup-post: always update nameserver & search entries in /etc/resolv.conf\" (rhel7-branch 9.49.40, RHEL 7.5; main 5d615645, 9.78): DNS3; before, ifup-post reads DNS1 and DNS2 only"},
	{Key: "ifcfg DOMAIN", Tool: versions.Initscripts, Since: "5.0", Source: "fedora-sysv/initscripts f95875c5 (2000-02-17): ifup-post writes `search $DOMAIN`; before 9.49.40/9.78 only when it also rewrites a nameserver line"},
	{Key: "ifcfg MTU", Tool: versions.Initscripts, Since: "5.02", Source: "fedora-sysv/initscripts 172da86a \"allow for setting of MTU for a device\" (5.02)"},
	{Key: "ifcfg ETHTOOL_OPTS", Tool: versions.Initscripts, Since: "7.26", Source: "fedora-sysv/initscripts c49ae566 (7.26)"},
	{Key: "ifcfg ETHTOOL_OPTS=-L", Tool: versions.Initscripts, Since: "9.03.24", Source: "fedora-sysv/initscripts c631361f \"Allow non--s options in ETHTOOL_OPTS\" (rhel6-branch 9.03.24, main 9.32); before, ethtool -s DEV $ETHTOOL_OPTS", Note: "Before it, a udev rule runs ethtool."},
	{Key: "ifcfg alias DEVICE", Tool: versions.Initscripts, Since: "6.0", Source: isAlias},
	{Key: "ifcfg alias IPADDR", Tool: versions.Initscripts, Since: "6.0", Source: isAlias},
	{Key: "ifcfg alias NETMASK", Tool: versions.Initscripts, Since: "6.0", Source: isAlias},
	{Key: "ifcfg alias PREFIX", Tool: versions.Initscripts, Since: "9.03.28", Source: "fedora-sysv/initscripts 5fd213f7 \"Eviscerate ifconfig uses from ip-aliases\" (rhel6-branch 9.03.28, main 9.35); before, an alias takes its NETMASK, else the parent's, else a classful mask", Note: "Older releases get NETMASK."},
	{Key: "ifcfg alias ONPARENT", Tool: versions.Initscripts, Since: "7.03", Source: "fedora-sysv/initscripts 99865bd6 (7.03); yes is the default"},
	{Key: "ifcfg alias NO_ALIASROUTING", Tool: versions.Initscripts, Since: "4.27", Source: "fedora-sysv/initscripts 6ebf4ab2 (4.27)"},
	{Key: "route-<if> file", Tool: versions.Initscripts, Since: "6.83", Source: isRoute},
	{Key: "route-<if> default", Tool: versions.Initscripts, Since: "6.83", Source: isRoute},
	{Key: "route-<if> via", Tool: versions.Initscripts, Since: "6.83", Source: isRoute},
	{Key: "route-<if> dev", Tool: versions.Initscripts, Since: "6.83", Source: isRoute},
	{Key: "route-<if> metric", Tool: versions.Initscripts, Since: "6.83", Source: isRoute},
	{Key: "route-<if> table", Tool: versions.Initscripts, Since: "6.83", Source: isRoute},
	{Key: "route-<if> src", Tool: versions.Initscripts, Since: "6.83", Source: isRoute},
	{Key: "rule-<if> file", Tool: versions.Initscripts, Since: "8.36", Source: "fedora-sysv/initscripts 7fc66d23 \"Add support for rule-$device\" (8.36): each line runs as ip rule add"},
	{Key: "rule-<if> from", Tool: versions.Initscripts, Since: "8.36", Source: "fedora-sysv/initscripts 7fc66d23 \"Add support for rule-$device\" (8.36): each line runs as ip rule add"},
	{Key: "rule-<if> table", Tool: versions.Initscripts, Since: "8.36", Source: "fedora-sysv/initscripts 7fc66d23 \"Add support for rule-$device\" (8.36): each line runs as ip rule add"},
	{Key: "rule-<if> priority", Tool: versions.Initscripts, Since: "8.36", Source: "fedora-sysv/initscripts 7fc66d23 \"Add support for rule-$device\" (8.36): each line runs as ip rule add"},
	{Key: "ifcfg IPV6INIT", Tool: versions.Initscripts, Since: "5.59", Source: isIPv6},
	{Key: "ifcfg IPV6ADDR", Tool: versions.Initscripts, Since: "5.59", Source: isIPv6},
	{Key: "ifcfg IPV6ADDR_SECONDARIES", Tool: versions.Initscripts, Since: "5.63", Source: "fedora-sysv/initscripts 3dbc16ab \"updated ipv6 stuff from Peter Bieringer\" (5.63): ifup-ipv6 adds each with ip -6 addr, also beside DHCPV6C"},
	{Key: "ifcfg IPV6_AUTOCONF", Tool: versions.Initscripts, Since: "6.02", Source: "fedora-sysv/initscripts 3b86e250 \"big ipv6 update from Pekka Savola\" (6.02): ifup-ipv6 sets accept_ra and autoconf from it (no: 0; default yes without IPV6FORWARDING)"},
	{Key: "ifcfg IPV6_FORCE_ACCEPT_RA", Tool: versions.Initscripts, Since: "9.49.38", Source: "fedora-sysv/initscripts 28745ca8 \"Allow someone to keep accept_ra on while using static addresses\" (main 9.70; rhel7-branch c5917b85, 9.49.38, RHEL 7.4); not in the rhel6-branch (9.03.61 sets accept_ra from IPV6_AUTOCONF only)", Note: "Before it, a static or DHCPv6 interface that takes the router of advertisements gets IPV6_AUTOCONF=yes: advertised prefixes with the autonomous flag add addresses."},
	{Key: "ifcfg DHCPV6C", Tool: versions.Initscripts, Since: "9.49.50", Source: "fedora-sysv/initscripts 68667459 (7.73) runs dhclient -6 after ifup-ipv6; it binds to the link-local address only once ifup-ipv6 waits for it to leave DAD's tentative state: 342b9fac \"Wait for scope link addresses as well as for scope global addresses\" (rhel7-branch 9.49.50, RHEL 7.9, rhbz#1773798; main 4e240079, 10.03). With 9.03.61 the lab's dhclient -6 failed every time (\"Determining IPv6 information ... failed\")", Note: "Before it, DHCPv6 is refused."},
	{Key: "route6-<if> file", Tool: versions.Initscripts, Since: "7.03", Source: isRoute6},
	{Key: "route6-<if> default", Tool: versions.Initscripts, Since: "7.03", Source: isRoute6},
	{Key: "route6-<if> via", Tool: versions.Initscripts, Since: "7.03", Source: isRoute6},
	{Key: "route6-<if> dev", Tool: versions.Initscripts, Since: "7.03", Source: isRoute6},
	{Key: "route6-<if> metric", Tool: versions.Initscripts, Since: "7.03", Source: isRoute6},
	{Key: "route6-<if> table", Tool: versions.Initscripts, Since: "7.03", Source: isRoute6},
	{Key: "route6-<if> src", Tool: versions.Initscripts, Since: "9.49.31", Source: "the kernel refuses a preferred source that is still tentative (\"Error: Invalid source address.\", seen with 9.03.61): ifup-ipv6 waits for global addresses to leave DAD's tentative state before ifup-routes from fedora-sysv/initscripts 8121b7f7 \"ipv6: wait for all global IPv6 addresses to leave the tentative state\" (rhel7-branch 9.49.31, RHEL 7.3, rhbz#1245951; main c1880449, 9.67)", Note: "Before it, an IPv6 route with src is refused."},
	{Key: "rule6-<if> file", Tool: versions.Initscripts, Since: "9.03.28", Source: isRule6, Note: "Before it, IPv6 policy routing (route_table with ipv6) is refused."},
	{Key: "rule6-<if> from", Tool: versions.Initscripts, Since: "9.03.28", Source: isRule6},
	{Key: "rule6-<if> table", Tool: versions.Initscripts, Since: "9.03.28", Source: isRule6},
	{Key: "rule6-<if> priority", Tool: versions.Initscripts, Since: "9.03.28", Source: isRule6},
	{Key: "run: service network stop", Tool: versions.Initscripts, Since: "6.0", Source: "initscripts rc.d/init.d/network stop (9.03.61: ifdown of each ifcfg-* device); service 4.12"},
	{Key: "run: service network start", Tool: versions.Initscripts, Since: "6.0", Source: "initscripts rc.d/init.d/network start (9.03.61); service 4.12"},
	{Key: "run: service network restart", Tool: versions.Initscripts, Since: "6.0", Source: "initscripts rc.d/init.d/network restart (9.03.61 l.247); service 4.12"},
	{Key: "ifcfg DEVICE", Tool: versions.NetworkManager, Since: "0.7.1", Source: nmBase},
	{Key: "ifcfg NAME", Tool: versions.NetworkManager, Since: "0.7.1", Source: nmBase},
	{Key: "ifcfg TYPE", Tool: versions.NetworkManager, Since: "0.7.1", Source: nmBase},
	{Key: "ifcfg ONBOOT", Tool: versions.NetworkManager, Since: "0.7.1", Source: nmBase},
	{Key: "ifcfg BOOTPROTO", Tool: versions.NetworkManager, Since: "0.7.1", Source: nmBase},
	{Key: "ifcfg HWADDR", Tool: versions.NetworkManager, Since: "0.7.1", Source: nmBase},
	{Key: "ifcfg IPADDR", Tool: versions.NetworkManager, Since: "0.7.1", Source: nmBase},
	{Key: "ifcfg PREFIX", Tool: versions.NetworkManager, Since: "0.7.1", Source: nmBase},
	{Key: "ifcfg GATEWAY", Tool: versions.NetworkManager, Since: "0.7.1", Source: nmBase},
	{Key: "ifcfg PEERDNS", Tool: versions.NetworkManager, Since: "0.7.1", Source: nmBase},
	{Key: "ifcfg DNSn", Tool: versions.NetworkManager, Since: "0.7.1", Source: nmIfcfgDNS},
	{Key: "ifcfg DNS3", Tool: versions.NetworkManager, Since: "0.7.1", Source: nmIfcfgDNS},
	{Key: "ifcfg DOMAIN", Tool: versions.NetworkManager, Since: "0.7.1", Source: nmIfcfgDNS},
	{Key: "ifcfg MTU", Tool: versions.NetworkManager, Since: "0.7.1", Source: nmBase},
	{Key: "ifcfg IPADDRn", Tool: versions.NetworkManager, Since: "0.9", Source: nmIPADDRn},
	{Key: "ifcfg PREFIXn", Tool: versions.NetworkManager, Since: "0.9", Source: nmIPADDRn},
	{Key: "ifcfg DEFROUTE", Tool: versions.NetworkManager, Since: "0.8", Source: "NetworkManager f7d7b319 \"ifcfg-rh: interpret DEFROUTE as never-default\" (0.8)"},
	{Key: "ifcfg IPV4_ROUTE_METRIC", Tool: versions.NetworkManager, Since: "1.2.0", Source: "NetworkManager 3e33a5a6 \"ifcfg-rh: support ipvx.route-metric property as IPVX_ROUTE_METRIC\" (1.2.0, NEWS 1.2)"},
	{Key: "ifcfg ROUTING_RULE_n", Tool: versions.NetworkManager, Since: "1.18.0", Source: "NetworkManager 4d468044 \"ifcfg-rh: add support for routing rules as ROUTING_RULE_# keys\" (1.18.0, NEWS 1.18); rule-<if> files are never read, and one makes NM ignore route-<if>"},
	{Key: "route-<if> file", Tool: versions.NetworkManager, Since: "0.8", Source: "NetworkManager 9e93924c \"ifcfg-rh: add routes file support\" (0.8)"},
	{Key: "route-<if> via", Tool: versions.NetworkManager, Since: "0.8", Source: "NetworkManager 9e93924c \"ifcfg-rh: add routes file support\" (0.8)"},
	{Key: "route-<if> dev", Tool: versions.NetworkManager, Since: "0.8", Source: "NetworkManager 9e93924c \"ifcfg-rh: add routes file support\" (0.8)"},
	{Key: "route-<if> metric", Tool: versions.NetworkManager, Since: "0.8", Source: "NetworkManager 9e93924c \"ifcfg-rh: add routes file support\" (0.8)"},
	{Key: "route-<if> default", Tool: versions.NetworkManager, Since: "1.22", Source: "NetworkManager c167e014 \"all: allow configuring default-routes as manual, static routes\" (1.22); before, a default route in route-<if> is dropped: \"ignoring manual default route\" (1.14.0 nms-ifcfg-rh-reader.c)"},
	{Key: "route-<if> src", Tool: versions.NetworkManager, Since: "1.8.0", Source: "NetworkManager 40e1fd95 \"ifcfg-rh: support route options\" (1.8.0)"},
	{Key: "route-<if> table", Tool: versions.NetworkManager, Since: "1.10.0", Source: "NetworkManager 5b0f895e \"libnm,core: add TABLE attribute for routes settings\" (1.10.0); before, table was dropped and the route went into the main table"},
	{Key: "ifcfg IPV6INIT", Tool: versions.NetworkManager, Since: "0.8", Source: nmIPv6},
	{Key: "ifcfg IPV6_AUTOCONF", Tool: versions.NetworkManager, Since: "0.8", Source: nmIPv6 + "; yes is method auto, no with DHCPV6C=yes method dhcp, no alone manual"},
	{Key: "ifcfg IPV6ADDR", Tool: versions.NetworkManager, Since: "0.8", Source: nmIPv6},
	{Key: "ifcfg IPV6ADDR_SECONDARIES", Tool: versions.NetworkManager, Since: "0.8", Source: nmIPv6 + "; read with methods auto and dhcp too"},
	{Key: "ifcfg IPV6_DEFROUTE", Tool: versions.NetworkManager, Since: "0.8", Source: nmIPv6 + "; no is never-default (no default route from advertisements nor IPV6_DEFAULTGW)"},
	{Key: "ifcfg DHCPV6C", Tool: versions.NetworkManager, Since: "0.8.1", Source: "NetworkManager 13af29f6 \"ifcfg-rh: read and write DHCPv6 connections\" (0.8.1)"},
	{Key: "ifcfg IPV6_DEFAULTGW", Tool: versions.NetworkManager, Since: "0.9", Source: "NetworkManager 1f004c11 \"ifcfg-rh: read/write IPv6 gateway in manual mode\" (0.8.995, the 0.9 line); read only when the profile has a static IPv6 address (1.14.0 to 1.42 nms-ifcfg-rh-reader.c make_ip6_setting), a %<if> suffix dropped"},
	{Key: "ifcfg IPV6_ROUTE_METRIC", Tool: versions.NetworkManager, Since: "1.2.0", Source: "NetworkManager 3e33a5a6 \"ifcfg-rh: support ipvx.route-metric property as IPVX_ROUTE_METRIC\" (1.2.0)"},
	{Key: "ifcfg ROUTING_RULE6_n", Tool: versions.NetworkManager, Since: "1.18.0", Source: "NetworkManager 4d468044 \"ifcfg-rh: add support for routing rules as ROUTING_RULE_# keys\" (1.18.0): ROUTING_RULE6_# for IPv6; rule6-<if> files are never read, and one makes NM ignore route-<if> and route6-<if>"},
	{Key: "route6-<if> file", Tool: versions.NetworkManager, Since: "0.8", Source: nmIPv6},
	{Key: "route6-<if> via", Tool: versions.NetworkManager, Since: "0.8", Source: nmIPv6},
	{Key: "route6-<if> dev", Tool: versions.NetworkManager, Since: "0.8", Source: nmIPv6},
	{Key: "route6-<if> metric", Tool: versions.NetworkManager, Since: "0.8", Source: nmIPv6},
	{Key: "route6-<if> default", Tool: versions.NetworkManager, Since: "1.22", Source: "NetworkManager c167e014 \"all: allow configuring default-routes as manual, static routes\" (1.22); before, parse_route_line drops ::/0 for both families: \"ignoring manual default route\" (1.14.0 nms-ifcfg-rh-reader.c)"},
	{Key: "route6-<if> src", Tool: versions.NetworkManager, Since: "1.8.0", Source: "NetworkManager 40e1fd95 \"ifcfg-rh: support route options\" (1.8.0), for route- and route6- lines"},
	{Key: "route6-<if> table", Tool: versions.NetworkManager, Since: "1.10.0", Source: "NetworkManager 5b0f895e \"libnm,core: add TABLE attribute for routes settings\" (1.10.0), for both families"},
	{Key: "run: nmcli connection reload", Tool: versions.NetworkManager, Since: "0.9.10", Source: "NetworkManager 1f818510 adds ReloadConnections and nmcli connection reload (0.9.10)"},
	{Key: "run: nmcli connection up", Tool: versions.NetworkManager, Since: "0.8.1", Source: "NetworkManager c2ec07f1 \"cli: add initial pieces of nmcli\" (0.8.1)"},
}

const (
	isDNS      = "fedora-sysv/initscripts bc662c04 \"take advantage of userpeerdns\" (1999, 4.29): ifup-post writes DNS1 and DNS2 into /etc/resolv.conf unless PEERDNS=no"
	nmIfcfgDNS = "NetworkManager src/settings/plugins/ifcfg-rh/reader.c make_ip4_setting: DNS1..DNS10 and DOMAIN (0.7.1, the first ifcfg-rh reader)"
	isBase     = "fedora-sysv/initscripts: in ifup/ifup-eth since before 6.0 (initial import 1997; sysconfig.txt)"
	isIPADDRn  = "fedora-sysv/initscripts c9392313 \"Support multiple IP addresses via IPADDRn, PREFIXn (or NETMASKn)\" (rhel6-branch 9.03.18, main 9.23); ignored with BOOTPROTO=dhcp in every release"
	isAlias    = "fedora-sysv/initscripts ifup-aliases: ifcfg-<if>:<n> with DEVICE, IPADDR, NETMASK since before 6.0"
	isRoute    = "fedora-sysv/initscripts b527b8be \"use new route-DEV files\" (6.83): each line runs as ip route add, its options are iproute2's"
	nmBase     = "NetworkManager 04be05e5 creates the ifcfg-rh reader (0.7.1)"
	isIPv6     = "fedora-sysv/initscripts 9a44d519 \"add ipv6 support (#23576)\" (5.59): ifup-ipv6, run by ifup-eth; IPV6INIT=yes required up to the rhel6-branch (9.03.61), default yes from 9.49 (is_false)"
	isRoute6   = "fedora-sysv/initscripts d5382134 \"IPv6 updates\" (7.03): each line of route6-<if> runs as ip -6 route add (in ifup-ipv6; from rhel6-branch 9.03.28 and main 9.27 in ifup-routes, after ifup-ipv6)"
	isRule6    = "fedora-sysv/initscripts 3f8312ad \"Support ipv6 routing rules by merging IPv4/IPv6, and route/rule code\" (rhel6-branch 9.03.28; main fc73bbcc, 9.27): each line of rule6-<if> runs as ip -6 rule add, ifdown-routes deletes them"
	nmIPv6     = "NetworkManager 686425ad \"ifcfg-rh: add IPv6 addressing and routes support\" (0.7.999, released in 0.8): IPV6INIT, IPV6_AUTOCONF, IPV6ADDR, IPV6ADDR_SECONDARIES, IPV6_DEFROUTE and route6-<if> (ip route lines)"
	nmIPADDRn  = "NetworkManager ccd39a8c \"adjust handling IPADDRn, PREFIXn (NETMASKn) and GATEWAYn\" (0.8.999, the 0.9 line); unlike network-scripts it reads them with BOOTPROTO=dhcp too"
)

// netmask gives a prefix length as a dotted mask (24: 255.255.255.0).
func netmask(bits int) string {
	m := ^uint32(0) << (32 - bits)
	if bits == 0 {
		m = 0
	}
	return fmt.Sprintf("%d.%d.%d.%d", m>>24, m>>16&0xff, m>>8&0xff, m&0xff)
}

// rhelLinesFile writes a file of lines (route-, rule-, route6-, rule6-)
// named name in the network-scripts folder, with its header and note.
func rhelLinesFile(j *job, name, note string, lines []string) {
	j.add(rhelDir+name, 0o644, "lines.tmpl", rhelLines{Header: j.header("#"), Notes: []string{note}, Lines: lines})
}
