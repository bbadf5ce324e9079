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
	Method  string
	Options []string
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
	parent := debianStanza{Notes: notes(in), Name: in.Name, Method: "static"}
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

	// resolvconf's if-up.d hook (or openresolv's) reads these options
	// from ifupdown's environment; without one installed ifupdown passes
	// them to no one.
	if servers, search := dnsStrings(in.DNS); len(servers) > 0 || len(search) > 0 {
		if len(servers) > 0 {
			parent.Options = append(parent.Options, "dns-nameservers "+strings.Join(servers, " "))
		}
		if len(search) > 0 {
			parent.Options = append(parent.Options, "dns-search "+strings.Join(search, " "))
		}
	}

	labels, ok := j.aliasLabels(in)
	aliases := make([]debianStanza, 0, len(in.SecondaryIPs))
	if ok {
		for k, ip := range in.SecondaryIPs {
			aliases = append(aliases, debianStanza{Name: labels[k], Method: "static", Options: []string{"address " + ip.String()}})
		}
	}

	up, down = debianRoutes(in, ok, aliases, up, down)
	if in.Table != 0 {
		down = append(down, fmt.Sprintf("pre-down ip route flush table %d || true", in.Table))
	}
	if in.Queues != 0 {
		// A NIC that offers fewer queues keeps its setting; the interface
		// still comes up. ethtool's own message goes to the log.
		up = append(up, fmt.Sprintf("post-up ethtool -L %s combined %d || true", in.Name, in.Queues))
	}
	parent.Options = append(parent.Options, up...)
	parent.Options = append(parent.Options, down...)
	return append([]debianStanza{parent}, aliases...)
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
// <option>" for each stanza's options, "ifupdown iface inet <method>",
// "ifupdown alias stanza" and the value forms that matter
// ("ifupdown static address CIDR").
var ifupdownFormat = Format{Name: "ifupdown interfaces(5)", Check: syntax.Ifupdown, Keys: func(data []byte) ([]string, error) {
	s := keySet{}
	method := ""
	for _, l := range dataLines(data, "#") {
		f := strings.Fields(l)
		switch {
		case f[0] == "auto":
			s.add("ifupdown auto")
		case f[0] == "iface" && len(f) == 4:
			method = f[3]
			s.add("ifupdown iface inet " + method)
			if strings.Contains(f[1], ":") {
				s.add("ifupdown alias stanza")
			}
		case strings.HasSuffix(f[0], "-up") || strings.HasSuffix(f[0], "-down"):
			s.add("ifupdown " + f[0])
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
	{Key: "run: systemctl restart networking", Tool: versions.Systemd, Since: "215", Source: "Debian 8: systemd's sysv-generator makes networking.service from /etc/init.d/networking (stop: ifdown -a --exclude=lo; start: ifup -a); ifupdown 0.8 ships the unit itself",
		Note: "On Debian 8 the init script's stop does nothing while network file systems are mounted."},
	{Key: "run: systemctl stop networking", Tool: versions.Systemd, Since: "215", Source: "the networking.service of run: systemctl restart networking; its stop runs ifdown -a --exclude=lo"},
	{Key: "run: systemctl start networking", Tool: versions.Systemd, Since: "215", Source: "the networking.service of run: systemctl restart networking; its start runs ifup -a"},
	{Key: "run: ifdown --exclude=lo -a", Tool: versions.Ifupdown, Since: "0.7", Source: ifupdownExclude},
	{Key: "run: ifup --exclude=lo -a", Tool: versions.Ifupdown, Since: "0.7", Source: ifupdownExclude},
}

const (
	ifupdownDNS     = "ifupdown interfaces(5): every option reaches the hook scripts as IF_<OPTION>; resolvconf's /etc/network/if-up.d/000resolvconf reads IF_DNS_NAMESERVERS and IF_DNS_SEARCH (resolvconf README.Debian); without resolvconf or openresolv installed nothing reads them"
	ifupdownBase    = "ifupdown interfaces(5) since 0.5 (2000; changelog 0.5.5pr-2 \"Specify interface explicitly when adding default routes\")"
	ifupdownHooks   = "ifupdown changelog 0.6.5 (2005): \"Add post-up, pre-down as aliases for up and down\"; pre-up is older"
	ifupdownExclude = "ifupdown 0.7.53.1 ifup(8): -X PATTERN, --exclude=PATTERN; Ubuntu 14.04's upstart job refuses a restart (\"Stopping or restarting the networking job is not supported. Use ifdown & ifup\")"
)
