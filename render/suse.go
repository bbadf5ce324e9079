package render

import (
	"fmt"
	"net/netip"
	"strings"
	"text/template"

	"github.com/enicfg/enicfg/spec"
	"github.com/enicfg/enicfg/templates"
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

// Family implements Renderer.
func (SUSE) Family() string { return "suse" }

const suseDir = "/etc/sysconfig/network/"

var suseTmpl = templates.Lazy("suse", template.FuncMap{"q": sysconfigQuote})

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
	j := newJob("suse", suseTmpl(), opt)
	for _, in := range m.Interfaces {
		s.iface(j, in)
	}
	j.udevRules(m)
	return j.done()
}

func (s SUSE) iface(j *job, in *spec.Interface) {
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
		f.Bootproto = "dhcp"
		f.DHCPDefaultRoute = "no"
		if in.DefaultRoute {
			f.DHCPDefaultRoute = "yes"
			if in.HasMetric {
				if s.Sysconfig {
					j.refuse(in.Name, "metric", "SLES 11's ifup-dhcp has no variable for the metric of the DHCP default route (DHCLIENT_ROUTE_PRIORITY came with wicked); describe the ENI's address as static")
				} else {
					f.DHCPPriority = fmt.Sprint(in.Metric)
				}
			}
		}
	} else {
		f.Addrs = append(f.Addrs, suseAddr{CIDR: in.Address.String()})
		if in.DefaultRoute {
			routes = append(routes, spec.Route{
				To: netip.PrefixFrom(netip.IPv4Unspecified(), 0), Via: in.Gateway, Dev: in.Name,
				HasMetric: in.HasMetric, Metric: in.Metric,
			})
		}
	}
	if labels, ok := j.aliasLabels(in); ok {
		for k, ip := range in.SecondaryIPs {
			_, label, _ := strings.Cut(labels[k], ":")
			f.Addrs = append(f.Addrs, suseAddr{Suffix: fmt.Sprintf("_%d", k), CIDR: ip.String(), Label: label})
		}
		if in.DHCP && in.DefaultRoute && len(in.SecondaryIPs) > 0 && !s.Sysconfig {
			// wicked adds IPADDR_n at once and the lease later, so the
			// first secondary becomes the subnet's primary address, which
			// the kernel would pick as the source of the DHCP default
			// route: pin that to the leased address (wicked >= 0.6.68).
			f.DHCPRouteSrc = "yes"
		}
	}
	if in.Queues != 0 {
		f.Ethtool = fmt.Sprintf("-L %s combined %d", in.Name, in.Queues)
	}

	var rules []string
	if in.Table != 0 && s.Sysconfig {
		j.refuse(in.Name, "route_table", "SLES 11's sysconfig ifup reads no ifrule-<if> file and has no other place for `ip rule` (ifrule files came with wicked 0.6.33), so the table's rules cannot be written")
	} else {
		routes = append(routes, in.TableRoutes...)
		for _, r := range in.Rules {
			rules = append(rules, "ipv4 "+ipRule(r))
		}
	}
	routes = append(routes, in.Routes...)

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
	j.add(suseDir+"ifcfg-"+in.Name, 0o644, "ifcfg.tmpl", f)
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

// ApplyCommands implements Applier: wicked re-reads the changed files
// with ifreload; SLES 11's scripts restart the network.
func (s SUSE) ApplyCommands(_ *spec.Model, files FileSet) []string {
	if s.Sysconfig {
		return append(udevApply(files), "rcnetwork restart")
	}
	return append(udevApply(files), "wicked ifreload all")
}

// Dirs implements DirLister.
func (SUSE) Dirs() []string { return []string{"/etc/sysconfig/network", "/etc/udev/rules.d"} }
