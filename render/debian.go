package render

import (
	"fmt"
	"text/template"

	"github.com/enicfg/enicfg/spec"
	"github.com/enicfg/enicfg/templates"
)

// Debian renders ifupdown's /etc/network/interfaces: one stanza per
// interface and one alias stanza (eth0:N) per secondary IP, with the
// policy routing, extra routes and multiqueue as post-up/pre-down commands
// that ifdown undoes.
type Debian struct{}

var debianTmpl = templates.Lazy("debian", template.FuncMap{})

// Family implements Renderer.
func (Debian) Family() string { return "debian" }

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
	j := newJob("debian", debianTmpl(), opt)
	f := debianFile{Header: j.header("#")}
	for _, in := range m.Interfaces {
		f.Stanzas = append(f.Stanzas, j.debianStanzas(in)...)
	}
	j.add("/etc/network/interfaces", 0o644, "interfaces.tmpl", f)
	j.udevRules(m)
	return j.done()
}

func (j *job) debianStanzas(in *spec.Interface) []debianStanza {
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

	labels, ok := j.aliasLabels(in)
	aliases := make([]debianStanza, 0, len(in.SecondaryIPs))
	if ok {
		for k, ip := range in.SecondaryIPs {
			aliases = append(aliases, debianStanza{Name: labels[k], Method: "static", Options: []string{"address " + ip.String()}})
		}
	}

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
			if ok && r.Src == ip.Addr() {
				aliases[k].Options = append(aliases[k].Options, add, del)
				placed = true
			}
		}
		if !placed {
			up = append(up, add)
			down = append(down, del)
		}
	}
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

// ApplyCommands implements Applier.
func (Debian) ApplyCommands(_ *spec.Model, files FileSet) []string {
	return append(udevApply(files), "systemctl restart networking")
}

// Dirs implements DirLister.
func (Debian) Dirs() []string { return []string{"/etc/network", "/etc/udev/rules.d"} }
