package render

import (
	"fmt"
	"strings"
	"text/template"

	"github.com/enicfg/enicfg/internal/syntax"
	"github.com/enicfg/enicfg/live"
	"github.com/enicfg/enicfg/spec"
	"github.com/enicfg/enicfg/templates"
	"github.com/enicfg/enicfg/versions"
)

// Debian renders ifupdown's /etc/network/interfaces: one stanza per
// interface and one alias stanza (eth0:N) per secondary IP, with the
// policy routing, extra routes and multiqueue as post-up/pre-down commands
// that ifdown undoes.
type Debian struct{}

const debianPath = "/etc/network/interfaces"

var debianFamily = &Family{
	Name: "debian",
	Dirs: []string{"/etc/sysctl.d", "/etc/network", "/etc/udev/rules.d"},
	Files: []FileRule{
		{Glob: sysctlPath, Format: sysctlFormat},
		{Glob: udevSysctlPath, Format: udevFormat},
		{Glob: debianPath, Format: ifupdownFormat},
		{Glob: udevNamesPath, Format: udevFormat},
	},
	Constructs: join(sysctlConstructs, debianConstructs, udevConstructs),
	Variants: []Variant{{
		Reader:   "ifupdown",
		Tools:    []versions.Tool{versions.Ifupdown, versions.Udev},
		Files:    []string{debianPath, udevNamesPath + " (interfaces with a mac)"},
		Renderer: Debian{},
		Kernel:   &live.Expect{Layout: live.KernelRoutes},
	}},
	Templates: templates.Lazy("debian", template.FuncMap{}),
}

func init() { register(debianFamily) }

type debianFile struct {
	Header  string
	Stanzas []debianStanza
}

type debianStanza struct {
	Notes   []string
	Name    string
	Family  string // inet or inet6
	Method  string
	Options []string
	// Down holds the pre-down commands until the stanza is complete;
	// NoAuto leaves out the auto line of an interface's second stanza.
	Down   []string
	NoAuto bool
}

// Render implements Renderer.
func (Debian) Render(m *spec.Model, opt Options) (FileSet, []Unsupported, error) {
	j := newJob(debianFamily, Debian{}, opt)
	f := debianFile{Header: j.header("#")}
	for _, in := range m.Interfaces {
		f.Stanzas = append(f.Stanzas, debianStanzas(j, in)...)
	}
	j.add(debianPath, 0o644, "interfaces.tmpl", f)
	j.udevRules(m)
	j.sysctls(m)
	return j.done()
}

func debianStanzas(j *job, in *spec.Interface) []debianStanza {
	var six []debianStanza
	if in.IPv6.Enabled() && debianInet6Usable(j, in) {
		six = []debianStanza{debianInet6(j, in)}
	}
	if !in.HasIPv4() {
		if len(six) == 0 {
			return nil
		}
		six[0].Notes = notes(in)
		six[0].Options = append(debianQueues(in, six[0].Options), six[0].Down...)
		return six
	}
	parent := debianStanza{Notes: notes(in), Name: in.Name, Family: "inet", Method: "static"}
	var up, down []string
	if in.DHCP {
		parent.Method = "dhcp"
		if !in.DefaultRoute {
			j.refuse(in.Name, "default_route: false", "ifupdown's dhcp method lets dhclient install the DHCP router as the default route; describe the ENI's address as static (it is fixed for the ENI's life)")
		}
		if in.DefaultRoute && in.HasMetric {
			parent.Options = append(parent.Options, fmt.Sprintf("metric %d", in.Metric))
		}
		if in.MTU != 0 {
			// The dhcp method has no mtu option.
			up = append(up, fmt.Sprintf("pre-up ip link set dev %s mtu %d", in.Name, in.MTU))
		}
	} else {
		parent.Options = append(parent.Options, "address "+in.Address.String())
		if in.DefaultRoute {
			parent.Options = append(parent.Options, "gateway "+in.Gateway.String())
			if in.HasMetric {
				parent.Options = append(parent.Options, fmt.Sprintf("metric %d", in.Metric))
			}
		}
		if in.MTU != 0 {
			parent.Options = append(parent.Options, fmt.Sprintf("mtu %d", in.MTU))
		}
	}
	parent.Options = debianDNS(in, parent.Options)

	labels, ok := j.aliasLabels(in)
	aliases := make([]debianStanza, 0, len(in.SecondaryIPs))
	if ok {
		for k, ip := range in.SecondaryIPs {
			aliases = append(aliases, debianStanza{Name: labels[k], Family: "inet", Method: "static", Options: []string{"address " + ip.String()}})
		}
	}

	up, down = debianRoutes(in, ok, aliases, up, down)
	if in.Table != 0 {
		down = append(down, fmt.Sprintf("pre-down ip route flush table %d || true", in.Table))
	}
	parent.Options = append(parent.Options, up...)
	parent.Options = debianQueues(in, parent.Options)
	parent.Options = append(parent.Options, down...)
	if len(six) == 0 {
		return append([]debianStanza{parent}, aliases...)
	}
	// The inet6 stanza comes first: its method sets accept_ra and
	// autoconf before it brings the link up (the kernel acts on router
	// advertisements from then on), and ifdown, which goes in the same
	// order, removes its addresses before the inet stanza takes the link
	// down (IPv6 addresses go with the link).
	six[0].Notes, six[0].Options = notes(in), append(six[0].Options, six[0].Down...)
	parent.Notes, parent.NoAuto = nil, true
	return append(append(six, parent), aliases...)
}

// debianDNS adds the interface's DNS options: resolvconf's if-up.d hook
// (or openresolv's) reads them from ifupdown's environment; without one
// installed ifupdown passes them to no one.
func debianDNS(in *spec.Interface, opts []string) []string {
	servers, search := dnsStrings(in.DNS)
	if len(servers) > 0 {
		opts = append(opts, "dns-nameservers "+strings.Join(servers, " "))
	}
	if len(search) > 0 {
		opts = append(opts, "dns-search "+strings.Join(search, " "))
	}
	return opts
}

// debianQueues adds the command that sets the NIC's queues.
func debianQueues(in *spec.Interface, opts []string) []string {
	if in.Queues != 0 {
		// A NIC that offers fewer queues keeps its setting; the interface
		// still comes up. ethtool's own message goes to the log.
		opts = append(opts, fmt.Sprintf("post-up ethtool -L %s combined %d || true", in.Name, in.Queues))
	}
	return opts
}

// debianRoutes adds the commands of the table's routes, the rules and the
// extra routes to up and down; a route whose preferred source is a
// secondary IP goes into that alias's stanza (withAliases) instead.
func debianRoutes(in *spec.Interface, withAliases bool, aliases []debianStanza, up, down []string) ([]string, []string) {
	for _, r := range in.TableRoutes {
		up = append(up, "post-up ip route add "+ipRoute(r))
	}
	for _, r := range in.Rules {
		up = append(up, "post-up ip rule add "+ipRule(r))
		down = append(down, "pre-down ip rule del "+ipRule(r)+" || true")
	}
	for _, r := range in.Routes {
		add, del := "post-up ip route add "+ipRoute(r), "pre-down ip route del "+ipRoute(r)+" || true"
		// A route whose preferred source is a secondary IP can only be
		// added once that address exists: in the alias's stanza.
		placed := false
		for k, ip := range in.SecondaryIPs {
			if withAliases && r.Src == ip.Addr() {
				aliases[k].Options = append(aliases[k].Options, add, del)
				placed = true
			}
		}
		if !placed {
			up = append(up, add)
			down = append(down, del)
		}
	}
	return up, down
}

// Activation implements Renderer: systemd's networking.service where
// systemd is the init system (stop runs ifdown -a, start ifup -a), else
// ifupdown itself (Ubuntu 14.04's upstart job cannot be restarted).
// ifdown takes an interface down by its stanza: it must run with the
// files that brought it up.
func (Debian) Activation(_ *spec.Model, files FileSet, opt Options) Activation {
	udev := udevApply(files, opt.Coverage)
	if k, _ := debianConstructs.Lookup("run: systemctl restart networking"); opt.Coverage.Has(k) {
		return Activation{Stop: []string{"systemctl stop networking"}, Start: with(udev, "systemctl start networking"),
			Restart: with(udev, "systemctl restart networking"), All: true}
	}
	return Activation{Stop: []string{"ifdown --exclude=lo -a"}, Start: with(udev, "ifup --exclude=lo -a"),
		Restart: with(udev, "ifdown --exclude=lo -a", "ifup --exclude=lo -a"), All: true}
}

// ifupdownFormat is interfaces(5); its keys are "ifupdown <method>
// <option>" for each stanza's options ("ifupdown inet6 <method> <option>"
// in an inet6 stanza), "ifupdown iface inet <method>", "ifupdown iface
// inet6 <method>", "ifupdown alias stanza", the value forms that matter
// ("ifupdown static address CIDR") and the kernel keys that pre-up sets
// ("sysctl net.ipv6.conf.<if>.<key>").
var ifupdownFormat = Format{Name: "ifupdown interfaces(5)", Check: syntax.Ifupdown, Keys: func(data []byte) ([]string, error) {
	s := keySet{}
	method := ""
	for _, l := range dataLines(data, "#") {
		f := strings.Fields(l)
		switch {
		case f[0] == "auto":
			s.add("ifupdown auto")
		case f[0] == "iface" && len(f) == 4:
			s.add("ifupdown iface " + f[2] + " " + f[3])
			method = f[3]
			if f[2] != "inet" {
				method = f[2] + " " + f[3]
			}
			if strings.Contains(f[1], ":") {
				s.add("ifupdown alias stanza")
			}
		case strings.HasSuffix(f[0], "-up") || strings.HasSuffix(f[0], "-down"):
			s.add("ifupdown " + f[0])
			if len(f) > 3 && f[1] == "sysctl" && strings.HasPrefix(f[len(f)-1], "net.ipv6.conf.") {
				k, _, _ := strings.Cut(f[len(f)-1], "=")
				if parts := strings.Split(k, "."); len(parts) == 5 {
					s.add("sysctl net.ipv6.conf.<if>." + parts[4])
				}
			}
		case method == "":
			return nil, fmt.Errorf("option %q outside a stanza", l)
		default:
			s.add("ifupdown " + method + " " + f[0])
			if f[0] == "address" && len(f) > 1 && strings.Contains(f[1], "/") {
				s.add("ifupdown " + method + " address CIDR")
			}
		}
	}
	return s.list(), nil
}}

// debianConstructs: every stanza, option and command of the debian
// family, with the ifupdown release that brought it (debian/changelog of
// Debian's ifupdown, inet.defn and interfaces(5) of 0.7.53.1 and 0.8.19).
var debianConstructs = versions.Table{
	{Key: "ifupdown auto", Tool: versions.Ifupdown, Since: "0.5", Source: ifupdownBase},
	{Key: "ifupdown iface inet loopback", Tool: versions.Ifupdown, Since: "0.5", Source: ifupdownBase},
	{Key: "ifupdown iface inet static", Tool: versions.Ifupdown, Since: "0.5", Source: ifupdownBase},
	{Key: "ifupdown iface inet dhcp", Tool: versions.Ifupdown, Since: "0.5", Source: ifupdownBase},
	{Key: "ifupdown alias stanza", Tool: versions.Ifupdown, Since: "0.7", Source: "ifupdown changelog 0.7~beta2: \"Specify interface label\" (ip addr add ... label eth0:0); 0.7~rc1: \"Prevent aliases ... from putting the main interface down\""},
	{Key: "ifupdown static address", Tool: versions.Ifupdown, Since: "0.5", Source: ifupdownBase},
	{Key: "ifupdown static address CIDR", Tool: versions.Ifupdown, Since: "0.7", Source: "ifupdown changelog 0.7~rc3 (2012): \"Calculate netmask internally, so even if a user ... have used CIDR notation\"; 0.7.53.1 inet.defn: ip addr add %address%[[/%netmask%]]"},
	{Key: "ifupdown static gateway", Tool: versions.Ifupdown, Since: "0.5", Source: ifupdownBase},
	{Key: "ifupdown static metric", Tool: versions.Ifupdown, Since: "0.6.4", Source: "ifupdown changelog 0.6.4-4.7 (2004): \"Added a metric option for routes\""},
	{Key: "ifupdown static mtu", Tool: versions.Ifupdown, Since: "0.6.4", Source: "ifupdown changelog 0.6.4-4.1 (2002): \"added mtu option to inet and inet6 static stanzas\""},
	{Key: "ifupdown dhcp metric", Tool: versions.Ifupdown, Since: "0.7.1", Source: "ifupdown changelog 0.7.1 (2012): \"Supply metric setting to dhclient\" (-e IF_METRIC=); Ubuntu carried it earlier"},
	{Key: "ifupdown static dns-nameservers", Tool: versions.Ifupdown, Since: "0.5", Source: ifupdownDNS},
	{Key: "ifupdown static dns-search", Tool: versions.Ifupdown, Since: "0.5", Source: ifupdownDNS},
	{Key: "ifupdown dhcp dns-nameservers", Tool: versions.Ifupdown, Since: "0.5", Source: ifupdownDNS},
	{Key: "ifupdown dhcp dns-search", Tool: versions.Ifupdown, Since: "0.5", Source: ifupdownDNS},
	{Key: "ifupdown pre-up", Tool: versions.Ifupdown, Since: "0.6.5", Source: ifupdownHooks},
	{Key: "ifupdown post-up", Tool: versions.Ifupdown, Since: "0.6.5", Source: ifupdownHooks},
	{Key: "ifupdown pre-down", Tool: versions.Ifupdown, Since: "0.6.5", Source: ifupdownHooks},
	{Key: "ifupdown iface inet6 static", Tool: versions.Ifupdown, Since: "0.6.4", Source: "ifupdown changelog 0.6.4-4.1 (2002): \"added mtu option to inet and inet6 static stanzas\"; 0.7~alpha3: \"Switch inet/dhcp and inet6/static methods to iproute\""},
	{Key: "ifupdown inet6 static address", Tool: versions.Ifupdown, Since: "0.6.4", Source: ifupdownInet6},
	{Key: "ifupdown inet6 static address CIDR", Tool: versions.Ifupdown, Since: "0.7", Source: "ifupdown changelog 0.7: \"Allow concurrent netmask specification in both address (using CIDR notation) and netmask for IPv6\" (#674775); 0.7.53.1 inet6.defn: address (get_token / 1) =netmask"},
	{Key: "ifupdown inet6 static gateway", Tool: versions.Ifupdown, Since: "0.6.7", Source: "ifupdown changelog 0.6.7-0.1: \"Support for link-local IPv6 gateways\" (#312988); 0.7.53.1 inet6.defn: ip -6 route add default via %gateway% dev %iface%; 0.8.7 adds onlink"},
	{Key: "ifupdown inet6 static metric", Tool: versions.Ifupdown, Since: "0.8.7", Source: "ifupdown changelog 0.8.7 (2016): \"Also allow the metric option for tunnels and IPv6 interfaces\"; 0.7.53.1 inet6.defn static has no metric",
		Note: "Before it, a default route with a metric is a post-up ip -6 route command."},
	{Key: "ifupdown inet6 static accept_ra", Tool: versions.Ifupdown, Since: "0.7", Source: "ifupdown 0.7.53.1 inet6.defn static: accept_ra, autoconf [0] (sysctl before the link goes up); changelog 0.7.1 brings the same options to inet6/dhcp (#676244), the static method had them; 0.7.53: \"Default accept_ra to 0 when gateway is set\""},
	{Key: "ifupdown iface inet6 dhcp", Tool: versions.Ifupdown, Since: "0.8", Source: "ifupdown changelog 0.8 (2016): \"Wait for an IPv6 link-local address before starting a DHCPv6 client\" (wait-for-ll6.sh); the method came in 0.7~beta1, but 0.7.53.1 runs dhclient -6 as soon as the link is up, before it has its link-local address, and dhclient fails (enicfg's TestDebianIfupdown)",
		Note: "0.7's dhcp method fails at every boot; enicfg refuses DHCPv6 there."},
	{Key: "ifupdown inet6 dhcp accept_ra", Tool: versions.Ifupdown, Since: "0.7.1", Source: ifupdownDHCP6},
	{Key: "ifupdown inet6 dhcp autoconf", Tool: versions.Ifupdown, Since: "0.7.1", Source: ifupdownDHCP6},
	{Key: "ifupdown iface inet6 auto", Tool: versions.Ifupdown, Since: "0.7", Source: "ifupdown changelog 0.7~alpha4 (2011): \"Add auto method for IPv6\" (#604136); 0.7.48: \"Default to accept_ra=2 for inet6/auto\"; 0.7.53.1 inet6.defn: autoconf=1"},
	{Key: "ifupdown inet6 static dns-nameservers", Tool: versions.Ifupdown, Since: "0.6.4", Source: ifupdownDNS},
	{Key: "ifupdown inet6 static dns-search", Tool: versions.Ifupdown, Since: "0.6.4", Source: ifupdownDNS},
	{Key: "ifupdown inet6 dhcp dns-nameservers", Tool: versions.Ifupdown, Since: "0.7", Source: ifupdownDNS},
	{Key: "ifupdown inet6 dhcp dns-search", Tool: versions.Ifupdown, Since: "0.7", Source: ifupdownDNS},
	{Key: "ifupdown inet6 auto dns-nameservers", Tool: versions.Ifupdown, Since: "0.7", Source: ifupdownDNS},
	{Key: "ifupdown inet6 auto dns-search", Tool: versions.Ifupdown, Since: "0.7", Source: ifupdownDNS},
	{Key: "sysctl net.ipv6.conf.<if>.accept_ra_defrtr", Tool: versions.Udev, Since: "128", Source: "Linux 2.6.17 (2006) Documentation/networking/ip-sysctl.txt: accept_ra_defrtr, \"Learn default router in Router Advertisement\"; every target's kernel has it (recorded under udev as sysctlConstructs are)"},
	{Key: "sysctl net.ipv6.conf.<if>.ra_defrtr_metric", Tool: versions.Udev, Since: "252", Source: "Linux 5.12: commit 6b2e04bc240f \"net: allow user to set metric on default route learned via Router Advertisement\" (2021-01-26); recorded under udev by the first debian target whose kernel has it: Debian 12 (udev 252, Linux 6.1; Debian 11's 5.10 has it not)"},
	{Key: "run: systemctl restart networking", Tool: versions.Systemd, Since: "215", Source: "Debian 8: systemd's sysv-generator makes networking.service from /etc/init.d/networking (stop: ifdown -a --exclude=lo; start: ifup -a); ifupdown 0.8 ships the unit itself",
		Note: "On Debian 8 the init script's stop does nothing while network file systems are mounted."},
	{Key: "run: systemctl stop networking", Tool: versions.Systemd, Since: "215", Source: "the networking.service of run: systemctl restart networking; its stop runs ifdown -a --exclude=lo"},
	{Key: "run: systemctl start networking", Tool: versions.Systemd, Since: "215", Source: "the networking.service of run: systemctl restart networking; its start runs ifup -a"},
	{Key: "run: ifdown --exclude=lo -a", Tool: versions.Ifupdown, Since: "0.7", Source: ifupdownExclude},
	{Key: "run: ifup --exclude=lo -a", Tool: versions.Ifupdown, Since: "0.7", Source: ifupdownExclude},
}

const (
	ifupdownInet6   = "ifupdown interfaces(5) inet6 static: address (required), netmask, gateway, mtu; present in 0.6.4 (changelog 0.6.4-4.1)"
	ifupdownDHCP6   = "ifupdown changelog 0.7.1 (2012): \"Add autoconf/accept_ra options to inet6/dhcp\" (#676244); 0.7.49: \"Accept router advertisements when using DHCPv6\" (accept_ra [1])"
	ifupdownDNS     = "ifupdown interfaces(5): every option reaches the hook scripts as IF_<OPTION>; resolvconf's /etc/network/if-up.d/000resolvconf reads IF_DNS_NAMESERVERS and IF_DNS_SEARCH (resolvconf README.Debian); without resolvconf or openresolv installed nothing reads them"
	ifupdownBase    = "ifupdown interfaces(5) since 0.5 (2000; changelog 0.5.5pr-2 \"Specify interface explicitly when adding default routes\")"
	ifupdownHooks   = "ifupdown changelog 0.6.5 (2005): \"Add post-up, pre-down as aliases for up and down\"; pre-up is older"
	ifupdownExclude = "ifupdown 0.7.53.1 ifup(8): -X PATTERN, --exclude=PATTERN; Ubuntu 14.04's upstart job refuses a restart (\"Stopping or restarting the networking job is not supported. Use ifdown & ifup\")"
)
