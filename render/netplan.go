package render

import (
	"fmt"
	"text/template"

	"github.com/enicfg/enicfg/spec"
	"github.com/enicfg/enicfg/templates"
)

// Netplan renders one netplan file, /etc/netplan/90-enicfg.yaml (mode
// 0600), for the networkd renderer: it sorts after cloud-init's
// 50-cloud-init.yaml, so its scalars win (netplan-generate(8), "Handling
// multiple files"). netplan has no multiqueue key: a .link file of ours
// sets CombinedChannels= and, sorting before netplan's own
// 10-netplan-<if>.link, carries the name too.
type Netplan struct{}

// Family implements Renderer.
func (Netplan) Family() string { return "netplan" }

var netplanTmpl = templates.Lazy("netplan", template.FuncMap{})

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
	Addrs                      []string
	MTU                        int
	Routes                     []netplanRoute
	Rules                      []networkdRule
}

type netplanRoute struct {
	To, Via, Metric, Table, From string
}

func netplanRouteOf(r spec.Route) netplanRoute {
	nr := netplanRoute{To: r.To.String()} // 0.0.0.0/0: "default" needs netplan 0.103
	if r.Via.IsValid() {
		nr.Via = r.Via.String()
	}
	if r.HasMetric {
		nr.Metric = fmt.Sprint(r.Metric)
	}
	if r.Table != 0 {
		nr.Table = fmt.Sprint(r.Table)
	}
	if r.Src.IsValid() {
		nr.From = r.Src.String()
	}
	return nr
}

// Render implements Renderer.
func (Netplan) Render(m *spec.Model, opt Options) (FileSet, []Unsupported, error) {
	j := newJob("netplan", netplanTmpl(), opt)
	f := netplanFile{Header: j.header("#")}
	for _, in := range m.Interfaces {
		ni := netplanIface{Name: in.Name, MAC: in.MAC, DHCP: in.DHCP, MTU: in.MTU}
		ni.Notes = notes(in)
		for _, ip := range in.IPs() {
			ni.Addrs = append(ni.Addrs, ip.String())
		}
		if in.DHCP {
			ni.NoRoutes = !in.DefaultRoute
			ni.NoDNS = !in.Primary
			if in.DefaultRoute && in.HasMetric {
				ni.DHCPMetric = fmt.Sprint(in.Metric)
			}
			ni.Overrides = ni.NoRoutes || ni.NoDNS || ni.DHCPMetric != ""
		} else if in.DefaultRoute {
			r := netplanRoute{To: "0.0.0.0/0", Via: in.Gateway.String()}
			if in.HasMetric {
				r.Metric = fmt.Sprint(in.Metric)
			}
			ni.Routes = append(ni.Routes, r)
		}
		for _, r := range append(append([]spec.Route{}, in.TableRoutes...), in.Routes...) {
			ni.Routes = append(ni.Routes, netplanRouteOf(r))
		}
		for _, r := range in.Rules {
			ni.Rules = append(ni.Rules, networkdRule{From: hostOrPrefix(r.From), Table: r.Table, Priority: r.Priority})
		}
		f.Ifaces = append(f.Ifaces, ni)
		if in.Queues != 0 {
			j.linkFile(in)
		}
	}
	j.add("/etc/netplan/90-enicfg.yaml", 0o600, "netplan.tmpl", f)
	return j.done()
}

// ApplyCommands implements Applier.
func (Netplan) ApplyCommands(_ *spec.Model, files FileSet) []string {
	return append(udevApply(files), "netplan apply")
}

// Dirs implements DirLister.
func (Netplan) Dirs() []string { return []string{"/etc/netplan", "/etc/systemd/network"} }
