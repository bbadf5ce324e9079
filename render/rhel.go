package render

import (
	"fmt"
	"net/netip"
	"text/template"

	"github.com/enicfg/enicfg/spec"
	"github.com/enicfg/enicfg/templates"
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

// Family implements Renderer.
func (RHEL) Family() string { return "rhel" }

const rhelDir = "/etc/sysconfig/network-scripts/"

var rhelTmpl = templates.Lazy("rhel", template.FuncMap{"q": shellQuote})

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
	MTU                               int
	Ethtool                           string
	Rules                             []rhelRule
}

type rhelAddr struct {
	Suffix string
	IP     netip.Addr
	Bits   int
}

type rhelRule struct {
	N    int
	Rule string
}

type rhelAlias struct {
	Header, Parent, Device string
	IP                     netip.Addr
	Bits                   int
}

type rhelLines struct {
	Header string
	Notes  []string
	Lines  []string
}

// Render implements Renderer.
func (r RHEL) Render(m *spec.Model, opt Options) (FileSet, []Unsupported, error) {
	j := newJob("rhel", rhelTmpl(), opt)
	for _, in := range m.Interfaces {
		r.iface(j, in)
	}
	if r.NetworkManager {
		j.udevQueues(m, "NetworkManager's ifcfg-rh reader ignores ETHTOOL_OPTS=-L")
	}
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
	} else {
		f.Addrs = append(f.Addrs, rhelAddr{Suffix: "", IP: in.Address.Addr(), Bits: in.Address.Bits()})
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
	aliasFiles := in.DHCP && !r.NetworkManager
	if aliasFiles {
		if labels, ok := j.aliasLabels(in); ok {
			for k, ip := range in.SecondaryIPs {
				j.add(rhelDir+"ifcfg-"+labels[k], 0o644, "alias.tmpl", rhelAlias{
					Header: j.header("#"), Parent: in.Name, Device: labels[k], IP: ip.Addr(), Bits: ip.Bits(),
				})
			}
		}
	} else {
		for k, ip := range in.SecondaryIPs {
			f.Addrs = append(f.Addrs, rhelAddr{Suffix: fmt.Sprint(k + 1), IP: ip.Addr(), Bits: ip.Bits()})
		}
	}
	if in.Queues != 0 && !r.NetworkManager {
		f.Ethtool = fmt.Sprintf("-L %s combined %d", in.Name, in.Queues)
	}

	var routes []string
	for _, rt := range append(append([]spec.Route{}, in.TableRoutes...), in.Routes...) {
		routes = append(routes, ipRoute(rt))
	}
	if len(routes) > 0 {
		j.add(rhelDir+"route-"+in.Name, 0o644, "lines.tmpl", rhelLines{
			Header: j.header("#"),
			Notes:  []string{"Routes of " + in.Name + ", one `ip route add` argument list per line."},
			Lines:  routes,
		})
	}
	if r.NetworkManager {
		for k, rule := range in.Rules {
			f.Rules = append(f.Rules, rhelRule{N: k + 1, Rule: ipRule(rule)})
		}
	} else if len(in.Rules) > 0 {
		var lines []string
		for _, rule := range in.Rules {
			lines = append(lines, ipRule(rule))
		}
		j.add(rhelDir+"rule-"+in.Name, 0o644, "lines.tmpl", rhelLines{
			Header: j.header("#"),
			Notes:  []string{"Policy rules of " + in.Name + ", one `ip rule add` argument list per line."},
			Lines:  lines,
		})
	}
	j.add(rhelDir+"ifcfg-"+in.Name, 0o644, "ifcfg.tmpl", f)
}

// ApplyCommands implements Applier.
func (r RHEL) ApplyCommands(m *spec.Model, files FileSet) []string {
	cmds := udevApply(files)
	if !r.NetworkManager {
		return append(cmds, "service network restart")
	}
	cmds = append(cmds, "nmcli connection reload")
	for _, in := range m.Interfaces {
		cmds = append(cmds, "nmcli connection up "+in.Name)
	}
	return cmds
}

// Dirs implements DirLister.
func (RHEL) Dirs() []string { return []string{rhelDir[:len(rhelDir)-1], "/etc/udev/rules.d"} }
