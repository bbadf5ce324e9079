package render

import (
	"fmt"
	"text/template"

	"github.com/enicfg/enicfg/spec"
	"github.com/enicfg/enicfg/templates"
)

// Networkd renders systemd-networkd .network files, one per interface,
// and .link files for MAC naming and multiqueue. The files are named
// 05-enicfg-<if>: networkd applies only the first .network file that
// matches a link (amazon-ec2-net-utils issue 146), and 05-enicfg sorts
// before the files of other generators: cloud-init's 10-cloud-init-*,
// netplan's 10-netplan-*, amazon-ec2-net-utils' 70-* and 80-ec2.
type Networkd struct{}

// Family implements Renderer.
func (Networkd) Family() string { return "networkd" }

var networkdTmpl = templates.Lazy("networkd", template.FuncMap{})

type networkdFile struct {
	Header, Name, MAC string
	Notes             []string
	MTU               int
	DHCP              bool
	Addrs             []string
	Routes            []networkdRoute
	Rules             []networkdRule
	NoGateway, NoDNS  bool
	DHCPMetric        string
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
	j := newJob("networkd", networkdTmpl(), opt)
	for _, in := range m.Interfaces {
		f := networkdFile{Header: j.header("#"), Name: in.Name, MAC: in.MAC, MTU: in.MTU, DHCP: in.DHCP}
		for _, n := range notes(in) {
			f.Notes = append(f.Notes, systemdComment(n))
		}
		for _, ip := range in.IPs() {
			f.Addrs = append(f.Addrs, ip.String())
		}
		if in.DHCP {
			// UseGateway= exists since systemd 246.
			f.NoGateway = !in.DefaultRoute
			f.NoDNS = !in.Primary
			if in.DefaultRoute && in.HasMetric {
				f.DHCPMetric = fmt.Sprint(in.Metric)
			}
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
		j.add("/etc/systemd/network/05-enicfg-"+in.Name+".network", 0o644, "network.tmpl", f)
		j.linkFile(in)
	}
	return j.done()
}

// ApplyCommands implements Applier.
func (Networkd) ApplyCommands(m *spec.Model, files FileSet) []string {
	cmds := append(udevApply(files), "networkctl reload")
	for _, in := range m.Interfaces {
		cmds = append(cmds, "networkctl reconfigure "+in.Name)
	}
	return cmds
}

// Dirs implements DirLister.
func (Networkd) Dirs() []string { return []string{"/etc/systemd/network"} }
