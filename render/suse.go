package render

import (
	"fmt"
	"net/netip"
	"strings"
	"text/template"

	"github.com/enicfg/enicfg/internal/syntax"
	"github.com/enicfg/enicfg/live"
	"github.com/enicfg/enicfg/spec"
	"github.com/enicfg/enicfg/templates"
	"github.com/enicfg/enicfg/versions"
)

// SUSE renders /etc/sysconfig/network files for the suse family.
//
// With Sysconfig unset, the files are for wicked (SLES 12 and 15, openSUSE
// Leap 42 and 15): ifcfg-<if> with the addresses as IPADDR/IPADDR_<n> in
// CIDR form and LABEL_<n>, ifroute-<if> for every route of the interface
// (its default route included: SUSE's ifcfg has no gateway key) and
// ifrule-<if> for the policy rules.
//
// With Sysconfig set, the files are for the sysconfig package's ifup
// scripts of SLES 11: the same ifcfg and ifroute syntax, but no
// ifrule-<if> (route_table is refused) and no variable for the metric of
// a DHCP route (metric on a DHCP interface is refused).
//
// Neither reader binds a configuration to a MAC address (LLADDR sets the
// address), so MAC-bound interfaces are named by a udev rule.
type SUSE struct {
	Sysconfig bool
}

const suseDir = "/etc/sysconfig/network/"

var suseFamily = &Family{
	Name: "suse",
	Dirs: []string{"/etc/sysctl.d", suseDir[:len(suseDir)-1], "/etc/udev/rules.d"},
	Files: []FileRule{
		{Glob: sysctlPath, Format: sysctlFormat},
		{Glob: udevSysctlPath, Format: udevFormat},
		{Glob: suseDir + "ifcfg-*", Format: Format{Name: "sysconfig ifcfg", Check: syntax.Shell, Keys: suseIfcfgKeys}},
		{Glob: suseDir + "ifroute-*", Format: Format{Name: "ifroute(5)", Check: syntax.IPLines, Keys: ifrouteKeys}},
		{Glob: suseDir + "ifrule-*", Format: Format{Name: "ifrule(5)", Check: syntax.IPLines, Keys: func(data []byte) ([]string, error) {
			return suseIPv6Keys("ifrule-<if>", data, ipKeys("ifrule-<if>", data)), nil
		}}},
		{Glob: suseDir + "ifsysctl-*", Format: Format{Name: "ifsysctl(5)", Check: syntax.Sysctl, Keys: ifsysctlKeys}},
		{Glob: udevNamesPath, Format: udevFormat},
		{Glob: udevQueuesPath, Format: udevFormat},
	},
	Constructs: join(sysctlConstructs, suseConstructs, udevConstructs),
	Variants: []Variant{
		{
			Name: "wicked", Reader: "wicked", Tools: []versions.Tool{versions.Wicked, versions.Udev},
			Files: []string{
				suseDir + "ifcfg-<if>",
				suseDir + "ifroute-<if>",
				suseDir + "ifrule-<if>",
				suseDir + "ifsysctl-<if> (IPv6 interfaces)",
				udevNamesPath + " (interfaces with a mac)",
				udevQueuesPath + " (queues, before wicked sets channels)",
			},
			Renderer: SUSE{},
			Kernel:   &live.Expect{Layout: live.Wicked},
		},
		{
			Name: "sysconfig", Reader: "sysconfig ifup", Tools: []versions.Tool{versions.Sysconfig, versions.Udev},
			Files: []string{
				suseDir + "ifcfg-<if>",
				suseDir + "ifroute-<if>",
				suseDir + "ifsysctl-<if> (IPv6 interfaces, SLES 11 SP1 on)",
				udevNamesPath + " (interfaces with a mac)",
			},
			Renderer: SUSE{Sysconfig: true},
			Kernel:   &live.Expect{Layout: live.KernelRoutes},
		},
	},
	Templates: templates.Lazy("suse", template.FuncMap{"q": sysconfigQuote}),
}

func init() { register(suseFamily) }

// sysconfigQuote single-quotes a value for a sysconfig file. Both readers
// agree on such a value: bash (SLES 11's scripts source the file) and
// wicked's own parser, which takes everything up to the closing quote.
// Values are built from validated input; a quote, backslash or control
// character is an error, never written.
func sysconfigQuote(v any) (string, error) {
	s := fmt.Sprint(v)
	for _, r := range s {
		if r == '\'' || r == '\\' || r < ' ' || r == 0x7f {
			return "", fmt.Errorf("value %q is not safe for a sysconfig file", s)
		}
	}
	return "'" + s + "'", nil
}

type suseIfcfg struct {
	Header           string
	Notes            []string
	Bootproto        string
	Addrs            []suseAddr
	MTU              int
	Ethtool          string
	DHCPDefaultRoute string // DHCLIENT_SET_DEFAULT_ROUTE, DHCP only
	DHCPPriority     string // DHCLIENT_ROUTE_PRIORITY, DHCP only
	DHCPRouteSrc     string // DHCLIENT_ROUTE_SET_SRC, DHCP only
}

type suseAddr struct {
	Suffix string // "" for IPADDR, "_<n>" for IPADDR_<n>
	CIDR   string
	Label  string // LABEL_<n>: the part after "<if>:"
}

type suseLines struct {
	Header string
	Notes  []string
	Lines  []string
}

// Render implements Renderer.
func (s SUSE) Render(m *spec.Model, opt Options) (FileSet, []Unsupported, error) {
	j := newJob(suseFamily, s, opt)
	for _, in := range m.Interfaces {
		s.iface(j, in)
	}
	j.udevRules(m)
	if !j.has("ifcfg ETHTOOL_OPTIONS=-L") {
		j.udevQueues(m, "the ifup of this target sets no channels from ETHTOOL_OPTIONS")
	}
	j.sysctls(m)
	return j.done()
}

func (s SUSE) iface(j *job, in *spec.Interface) {
	if !in.DNS.Empty() {
		j.refuse(in.Name, "dns", "SUSE keeps static DNS servers in NETCONFIG_DNS_STATIC_SERVERS of /etc/sysconfig/network/config, a file that also holds netconfig's module order and policies (netconfig does nothing when they are missing), so enicfg does not write it; set the variables there (wicked's ifcfg DNS1/DNS2 apply to PPP only)")
	}
	f := suseIfcfg{
		Header:    j.header("#"),
		Notes:     notes(in),
		Bootproto: "static",
		MTU:       in.MTU,
	}
	var routes []spec.Route
	if in.DHCP {
		// ifcfg(5): with dhcp "fixed addresses and routes may also be
		// specified"; wicked runs its static addrconf beside the DHCP
		// client, SLES 11's ifup adds IPADDR* after starting it.
		// BOOTPROTO: suseBootproto (dhcp4 beside static IPv6).
		f.DHCPDefaultRoute = "no"
		if in.DefaultRoute {
			f.DHCPDefaultRoute = "yes"
			if in.HasMetric {
				if j.has("ifcfg DHCLIENT_ROUTE_PRIORITY") {
					f.DHCPPriority = fmt.Sprint(in.Metric)
				} else {
					j.needs(in.Name, "metric", "ifcfg DHCLIENT_ROUTE_PRIORITY", "has no variable for the metric of the DHCP default route; describe the ENI's address as static")
				}
			}
		}
	} else if in.HasIPv4() {
		f.Addrs = append(f.Addrs, suseAddr{CIDR: in.Address.String()})
		if in.DefaultRoute {
			routes = append(routes, spec.Route{
				To: netip.PrefixFrom(netip.IPv4Unspecified(), 0), Via: in.Gateway, Dev: in.Name,
				HasMetric: in.HasMetric, Metric: in.Metric,
			})
		}
	}
	s.secondaries(j, in, &f)
	six := in.IPv6.Enabled() && s.ipv6Usable(j, in)
	f.Bootproto = suseBootproto(in, six)
	var routes6 []spec.Route
	if six {
		routes, routes6 = s.ipv6(j, in, &f, routes)
	}
	if in.Queues != 0 && j.has("ifcfg ETHTOOL_OPTIONS=-L") {
		f.Ethtool = fmt.Sprintf("-L %s combined %d", in.Name, in.Queues)
	}

	suseRoutesAndRules(j, in, routes, six, routes6)
	j.add(suseDir+"ifcfg-"+in.Name, 0o644, "ifcfg.tmpl", f)
}

// secondaries writes IPADDR_n (with LABEL_n where the reader sets labels),
// or leaves them out where the DHCP default route would send from one.
func (s SUSE) secondaries(j *job, in *spec.Interface, f *suseIfcfg) {
	// Labels only where the reader sets them (older wicked ignores
	// LABEL_n and sets the address without one).
	withLabels := j.has("ifcfg LABEL_n")
	secondaries := len(in.SecondaryIPs) > 0
	labels := []string(nil)
	if secondaries && withLabels {
		labels, secondaries = j.aliasLabels(in)
	}
	// wicked adds IPADDR_n at once and the lease later, so on a DHCP
	// interface with the default route the first secondary becomes the
	// subnet's primary address, which the kernel would pick as the source
	// of the DHCP default route: that is pinned to the leased address, or
	// the secondaries are left out.
	if secondaries && in.DHCP && in.DefaultRoute && !s.Sysconfig {
		if j.has("ifcfg DHCLIENT_ROUTE_SET_SRC") {
			f.DHCPRouteSrc = "yes"
		} else {
			j.needs(in.Name, "secondary_ips", "ifcfg DHCLIENT_ROUTE_SET_SRC",
				"adds the secondary IPs before the lease, so the DHCP default route would send from a secondary IP; describe the ENI's address as static")
			secondaries = false
		}
	}
	if secondaries {
		for k, ip := range in.SecondaryIPs {
			a := suseAddr{Suffix: fmt.Sprintf("_%d", k), CIDR: ip.String()}
			if withLabels {
				_, a.Label, _ = strings.Cut(labels[k], ":")
			}
			f.Addrs = append(f.Addrs, a)
		}
	}
}

// suseRoutesAndRules writes ifroute-<if> (the default route of a static
// interface, given, first) and ifrule-<if>; six tells whether the IPv6
// table routes and rules go too, routes6 are the extra IPv6 routes.
func suseRoutesAndRules(j *job, in *spec.Interface, routes []spec.Route, six bool, routes6 []spec.Route) {
	var rules []string
	if in.Table != 0 && !j.has("ifrule-<if> file") {
		j.needs(in.Name, "route_table", "ifrule-<if> file", "reads no ifrule-<if> file and has no other place for `ip rule`, so the table's rules cannot be written")
	} else {
		routes = append(routes, in.TableRoutes...)
		for _, r := range in.Rules {
			rules = append(rules, "ipv4 "+ipRule(r))
		}
		if six {
			routes = append(routes, in.IPv6.TableRoutes...)
			for _, r := range in.IPv6.Rules {
				rules = append(rules, "ipv6 "+ipRule(r))
			}
		}
	}
	extra := append(append([]spec.Route{}, in.Routes...), routes6...)
	for k, r := range extra {
		if r.IsDefault() && !r.Via.IsValid() && !j.has("ifroute-<if> device default") {
			feature := fmt.Sprintf("routes[%d]", k)
			if k >= len(in.Routes) {
				feature = "routes (to " + r.To.String() + ")"
			}
			j.needs(in.Name, feature, "ifroute-<if> device default",
				"loses a default route without a gateway on its way to wickedd (no route is set)")
			continue
		}
		routes = append(routes, r)
	}

	if len(routes) > 0 {
		lines := make([]string, len(routes))
		for k, r := range routes {
			lines[k] = ifrouteLine(r)
		}
		j.add(suseDir+"ifroute-"+in.Name, 0o644, "lines.tmpl", suseLines{
			Header: j.header("#"),
			Notes:  []string{"Routes of " + in.Name + ", ifroute(5): DESTINATION GATEWAY NETMASK INTERFACE OPTIONS."},
			Lines:  lines,
		})
	}
	if len(rules) > 0 {
		j.add(suseDir+"ifrule-"+in.Name, 0o644, "lines.tmpl", suseLines{
			Header: j.header("#"),
			Notes:  []string{"Policy rules of " + in.Name + ", ifrule(5): `ip rule add` arguments after the family."},
			Lines:  rules,
		})
	}
}

// ifrouteKeys names the options of an ifroute file and a device default
// route (0.0.0.0/0 without a gateway).
func ifrouteKeys(data []byte) ([]string, error) {
	keys := suseIPv6Keys("ifroute-<if>", data, ipKeys("ifroute-<if>", data))
	for _, l := range dataLines(data, "#") {
		if f := strings.Fields(l); len(f) > 1 && (f[0] == "0.0.0.0/0" || f[0] == "::/0") && f[1] == "-" {
			return append(keys, "ifroute-<if> device default"), nil
		}
	}
	return keys, nil
}

// ifrouteLine writes a route in the columns of ifroute(5): destination in
// CIDR form ("default" for a default route through a gateway, 0.0.0.0/0
// for a device default route, as the man page asks), gateway or "-", the
// deprecated netmask column as "-", the interface, then `ip route`
// options.
func ifrouteLine(r spec.Route) string {
	dst, gw := r.To.String(), "-"
	if r.Via.IsValid() {
		gw = r.Via.String()
		if r.IsDefault() {
			dst = "default"
		}
	}
	return fmt.Sprintf("%s %s - %s%s", dst, gw, r.Dev, routeOptions(r))
}

// Activation implements Renderer: wicked re-reads the changed files with
// ifreload (and takes down what a removed file brought up); SLES 11's
// scripts stop the network by the files that brought it up, then start
// it.
func (s SUSE) Activation(_ *spec.Model, files FileSet, opt Options) Activation {
	udev := udevApply(files, opt.Coverage)
	if s.Sysconfig {
		return Activation{Stop: []string{"rcnetwork stop"}, Start: with(udev, "rcnetwork start"), Restart: with(udev, "rcnetwork restart"), All: true}
	}
	return Activation{Start: with(udev, "wicked ifreload all"), All: true}
}

// suseConstructs: every key, file and command of the suse family, with
// the version of the reader that brought it: wicked (the first release
// tag of openSUSE/wicked that holds the commit; client/suse/compat-suse.c
// reads the files), or the sysconfig package's ifup scripts of SLES 11
// (openSUSE/sysconfig branches sle11-sp0 to sle11-sp3).
var suseConstructs = versions.Table{
	{Key: "ifcfg BOOTPROTO", Tool: versions.Wicked, Since: "0.5.1", Source: wickedBase},
	{Key: "ifcfg STARTMODE", Tool: versions.Wicked, Since: "0.5.1", Source: wickedBase},
	{Key: "ifcfg MTU", Tool: versions.Wicked, Since: "0.5.1", Source: wickedBase},
	{Key: "ifcfg IPADDR", Tool: versions.Wicked, Since: "0.5.1", Source: wickedBase},
	{Key: "ifcfg IPADDR_n", Tool: versions.Wicked, Since: "0.5.1", Source: wickedBase},
	{Key: "ifcfg LABEL_n", Tool: versions.Wicked, Since: "0.6.13", Source: "openSUSE/wicked d3bfdcac \"client: apply suse ifcfg alias label\" (0.6.13)",
		Note: "Older wicked sets the address without a label; enicfg writes no label there."},
	{Key: "ifcfg ETHTOOL_OPTIONS", Tool: versions.Wicked, Since: "0.5.1", Source: wickedBase},
	{Key: "ifcfg ETHTOOL_OPTIONS=-L", Tool: versions.Wicked, Since: "0.6.42", Source: "openSUSE/wicked 9b73afd9 \"ethtool: handle channels parameters\" (0.6.42); 0.6.41 ignores -L without a word",
		Note: "Before it, a udev rule runs ethtool."},
	{Key: "ifcfg DHCLIENT_SET_DEFAULT_ROUTE", Tool: versions.Wicked, Since: "0.5.13", Source: "openSUSE/wicked 4543c198 \"addrconf: avoid unwanted updates, update flag fixes\" (0.5.13)"},
	{Key: "ifcfg DHCLIENT_ROUTE_PRIORITY", Tool: versions.Wicked, Since: "0.5.27", Source: "openSUSE/wicked 171baf31 \"compat: apply DHCLIENT_ROUTE_PRIORITY\" (0.5.27)"},
	{Key: "ifcfg DHCLIENT_ROUTE_SET_SRC", Tool: versions.Wicked, Since: "0.6.68", Source: "openSUSE/wicked e2b39fb8 \"dhcp4: add option to set route pref-src to dhcp IP\" (0.6.68); absent from sle12-sp3's 0.6.64"},
	{Key: "ifroute-<if> file", Tool: versions.Wicked, Since: "0.5.1", Source: wickedRoute},
	{Key: "ifroute-<if> default", Tool: versions.Wicked, Since: "0.5.1", Source: wickedRoute},
	{Key: "ifroute-<if> metric", Tool: versions.Wicked, Since: "0.5.1", Source: wickedRoute},
	{Key: "ifroute-<if> table", Tool: versions.Wicked, Since: "0.5.1", Source: wickedRoute},
	{Key: "ifroute-<if> src", Tool: versions.Wicked, Since: "0.5.1", Source: wickedRoute},
	{Key: "ifroute-<if> device default", Tool: versions.Wicked, Since: "0.6.77", Source: "openSUSE/wicked cab0b4f2 \"compat: fix generation of route destination xml\" and f46bc952 \"dbus: fix processing of routes without destination\" (0.6.77); wicked 0.6.64 reads 0.0.0.0/0 - - IF but sets no route (enicfg's TestWickedIfup)"},
	{Key: "ifrule-<if> file", Tool: versions.Wicked, Since: "0.6.33", Source: wickedRule},
	{Key: "ifrule-<if> ipv4", Tool: versions.Wicked, Since: "0.6.33", Source: wickedRule},
	{Key: "ifrule-<if> from", Tool: versions.Wicked, Since: "0.6.33", Source: wickedRule},
	{Key: "ifrule-<if> table", Tool: versions.Wicked, Since: "0.6.33", Source: wickedRule},
	{Key: "ifrule-<if> priority", Tool: versions.Wicked, Since: "0.6.33", Source: wickedRule},
	{Key: "ifcfg IPADDR IPv6", Tool: versions.Wicked, Since: "0.5.1", Source: wickedBase + "; the family of each IPADDR_n is its address's"},
	{Key: "ifcfg BOOTPROTO=dhcp4", Tool: versions.Wicked, Since: "0.5.1", Source: wickedBootproto},
	{Key: "ifcfg BOOTPROTO=dhcp6", Tool: versions.Wicked, Since: "0.5.1", Source: wickedBootproto},
	{Key: "ifcfg BOOTPROTO=dhcp4+dhcp6", Tool: versions.Wicked, Since: "0.5.1", Source: wickedBootproto},
	{Key: "ifcfg BOOTPROTO=auto6", Tool: versions.Wicked, Since: "0.6.36", Source: wickedAuto6},
	{Key: "ifcfg BOOTPROTO=dhcp4+auto6", Tool: versions.Wicked, Since: "0.6.36", Source: wickedAuto6},
	{Key: "ifroute-<if> ipv6", Tool: versions.Wicked, Since: "0.5.1", Source: wickedRoute + "; the family comes from the gateway, else the destination (client/suse/compat-suse.c); \"default\" takes the gateway's"},
	{Key: "ifrule-<if> ipv6", Tool: versions.Wicked, Since: "0.6.33", Source: wickedRule + ": the family word ipv4 or ipv6"},
	{Key: "ifsysctl-<if> file", Tool: versions.Wicked, Since: "0.5.16", Source: wickedSysctl},
	{Key: "ifsysctl-<if> autoconf", Tool: versions.Wicked, Since: "0.5.16", Source: wickedSysctl},
	{Key: "ifsysctl-<if> accept_ra", Tool: versions.Wicked, Since: "0.6.9", Source: "openSUSE/wicked 3506942c \"ipv6: added accept-ra sysctl support\" (0.6.9): read from ifsysctl and set before the addresses"},
	{Key: "ifsysctl-<if> accept_dad", Tool: versions.Wicked, Since: "0.6.16", Source: "openSUSE/wicked f2648863 \"ipv6: add accept-dad sysctl, fix accept-ra constants\" (0.6.16); 42b443fb \"ifconfig: differentiate if to re-trigger dad on address updates\" (0.6.65) deletes and re-adds IPv6 addresses on update unless accept_dad is 0"},
	{Key: "ifsysctl-<if> accept_ra_defrtr", Tool: versions.Wicked, Never: true, Source: wickedNoSysctl},
	{Key: "ifsysctl-<if> ra_defrtr_metric", Tool: versions.Wicked, Never: true, Source: wickedNoSysctl},
	{Key: "run: wicked ifreload all", Tool: versions.Wicked, Since: "0.5.5", Source: "openSUSE/wicked 32156b87 \"client: use new ifreload in service\" (0.5.5)"},

	{Key: "ifcfg BOOTPROTO", Tool: versions.Sysconfig, Since: "0.71.14", Source: sle11Ifup},
	{Key: "ifcfg STARTMODE", Tool: versions.Sysconfig, Since: "0.71.14", Source: sle11Ifup},
	{Key: "ifcfg MTU", Tool: versions.Sysconfig, Since: "0.71.14", Source: sle11Ifup},
	{Key: "ifcfg IPADDR", Tool: versions.Sysconfig, Since: "0.71.14", Source: sle11Ifup},
	{Key: "ifcfg IPADDR_n", Tool: versions.Sysconfig, Since: "0.71.14", Source: sle11Ifup},
	{Key: "ifcfg LABEL_n", Tool: versions.Sysconfig, Since: "0.71.14", Source: sle11Ifup},
	{Key: "ifcfg ETHTOOL_OPTIONS", Tool: versions.Sysconfig, Since: "0.71.14", Source: sle11Ifup},
	{Key: "ifcfg ETHTOOL_OPTIONS=-L", Tool: versions.Sysconfig, Since: "0.71.14", Source: "openSUSE/sysconfig sle11-sp0 scripts/ifup: an ETHTOOL_OPTIONS that starts with - runs as ethtool <switch> <if> <settings>",
		Note: "-L needs ethtool 3.1 (2011-11); the ethtool of each SLES 11 service pack is not established."},
	{Key: "ifcfg DHCLIENT_SET_DEFAULT_ROUTE", Tool: versions.Sysconfig, Since: "0.71.14", Source: "openSUSE/sysconfig sle11-sp0 scripts/ifup-dhcp: DHCLIENT_SET_DEFAULT_ROUTE != yes passes -G to dhcpcd"},
	{Key: "ifcfg DHCLIENT_ROUTE_PRIORITY", Tool: versions.Sysconfig, Never: true, Source: "openSUSE/sysconfig sle11-sp0 to sle11-sp3: ifup-dhcp has no variable for the metric of the DHCP route (DHCLIENT_ROUTE_PRIORITY came with wicked)"},
	{Key: "ifroute-<if> file", Tool: versions.Sysconfig, Since: "0.71.14", Source: sle11Route},
	{Key: "ifroute-<if> default", Tool: versions.Sysconfig, Since: "0.71.14", Source: sle11Route},
	{Key: "ifroute-<if> metric", Tool: versions.Sysconfig, Since: "0.71.14", Source: sle11Route},
	{Key: "ifroute-<if> table", Tool: versions.Sysconfig, Since: "0.71.14", Source: sle11Route},
	{Key: "ifroute-<if> src", Tool: versions.Sysconfig, Since: "0.71.14", Source: sle11Route},
	{Key: "ifroute-<if> device default", Tool: versions.Sysconfig, Since: "0.71.14", Source: sle11Route},
	{Key: "ifcfg IPADDR IPv6", Tool: versions.Sysconfig, Since: "0.71.14", Source: sle11Ifup + "; ip addr add takes the address's family"},
	{Key: "ifcfg BOOTPROTO=dhcp4", Tool: versions.Sysconfig, Since: "0.71.14", Source: "openSUSE/sysconfig sle11-sp0 scripts/ifup: BOOTPROTO dhcp|dhcp4|dhcp6|dhcp4+dhcp6; ifup-dhcp runs dhcp4 only for dhcp4"},
	{Key: "ifroute-<if> ipv6", Tool: versions.Sysconfig, Since: "0.71.14", Source: "openSUSE/sysconfig sle11-sp0 scripts/ifup-route: a line whose columns hold a colon is IPv6 (INET=6), DEST/0 becomes default, passed to ip route"},
	{Key: "ifsysctl-<if> file", Tool: versions.Sysconfig, Since: "0.71.25", Source: sle11Sysctl},
	{Key: "ifsysctl-<if> accept_ra", Tool: versions.Sysconfig, Since: "0.71.25", Source: sle11Sysctl},
	{Key: "ifsysctl-<if> autoconf", Tool: versions.Sysconfig, Since: "0.71.25", Source: sle11Sysctl},
	{Key: "ifrule-<if> file", Tool: versions.Sysconfig, Never: true, Source: "openSUSE/sysconfig sle11-sp0 to sle11-sp3: no ifrule (git grep -i ifrule finds nothing) and no ip rule in scripts/"},
	{Key: "run: rcnetwork stop", Tool: versions.Sysconfig, Since: "0.71.14", Source: "openSUSE/sysconfig scripts/Makefile.am links /sbin/rcnetwork to /etc/init.d/network (stop)"},
	{Key: "run: rcnetwork start", Tool: versions.Sysconfig, Since: "0.71.14", Source: "openSUSE/sysconfig scripts/Makefile.am links /sbin/rcnetwork to /etc/init.d/network (start)"},
	{Key: "run: rcnetwork restart", Tool: versions.Sysconfig, Since: "0.71.14", Source: "openSUSE/sysconfig scripts/Makefile.am links /sbin/rcnetwork to /etc/init.d/network (restart: stop, start)"},
}

const (
	wickedBase      = "openSUSE/wicked bac30f5b adds client/compat-suse.c (STARTMODE, MTU, BOOTPROTO, IPADDR[_n] in addr/prefix form, ETHTOOL_OPTIONS) (0.5.1)"
	wickedRoute     = "openSUSE/wicked 1aef6d64 \"Complete parsing of suse ifcfg route/ifroute files\": DEST GW - IF and the options metric, table, src (0.5.1)"
	wickedRule      = "openSUSE/wicked 5807eb5f \"compat: parse ifrule-<ifname> files in suse ifcfg\" (0.6.33), ifrule(5)"
	sle11Ifup       = "openSUSE/sysconfig sle11-sp0 scripts/ifup (0.71.14): IPADDR*/PREFIXLEN in addr/prefix form, LABEL suffixes (label <if>:<LABEL>), MTU, STARTMODE, BOOTPROTO"
	wickedBootproto = "openSUSE/wicked c9d9bcfc \"Compat-suse ifcfg file parsing improvements\" (0.5.1): BOOTPROTO words dhcp4, dhcp6 joined by +, static addresses beside them"
	wickedAuto6     = "openSUSE/wicked 4012068f \"auto6: add support to request to wait for auto6\" (0.6.36): BOOTPROTO auto6"
	wickedSysctl    = "openSUSE/wicked 36a9525a \"client: read and apply sysctl/ifsysctl files\" (0.5.16): ifsysctl-<if> beside ifcfg-<if>, net.ipv6.conf.<if>.autoconf"
	wickedNoSysctl  = "openSUSE/wicked client/suse/compat-suse.c ni_suse_ifcfg_parse_ifsysctl_ipv6 (0.6.79): of net.ipv6.conf.<if> it reads addr_gen_mode, stable_secret, disable_ipv6, forwarding, accept_ra, accept_dad, autoconf, use_tempaddr and accept_redirects only, and src/ipv6.c sets those only"
	sle11Sysctl     = "openSUSE/sysconfig 8c67e35 \"Implemented ifup-sysctl script allowing to set per interface sysctl settings\" (0.71.25, bnc#494958): ifup applies every line of ifsysctl-<if> with sysctl -p before anything else"
	sle11Route      = "openSUSE/sysconfig sle11-sp0 scripts/ifup-route: ifroute-<if> lines DEST GW MASK IF TYPE OPTIONS, the options passed to ip route"
)

// routeOptions gives a route's metric, table and src as ip(8) options,
// each with a leading blank.
func routeOptions(r spec.Route) string {
	var b strings.Builder
	if r.HasMetric {
		fmt.Fprintf(&b, " metric %d", r.Metric)
	}
	if r.Table != 0 {
		fmt.Fprintf(&b, " table %d", r.Table)
	}
	if r.Src.IsValid() {
		fmt.Fprintf(&b, " src %s", r.Src)
	}
	return b.String()
}
