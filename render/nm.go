package render

import (
	"crypto/sha1"
	"fmt"
	"strings"
	"text/template"

	"github.com/enicfg/enicfg/spec"
	"github.com/enicfg/enicfg/templates"
)

// NM renders NetworkManager keyfiles, one enicfg-<if>.nmconnection per
// interface (mode 0600: NetworkManager ignores keyfiles that others can
// read), with a UUID derived from the interface name so that the same
// description always gives the same profile. NetworkManager sets channels
// only from 1.46 on, and every target's versions are not there: queues are
// a udev rule, as for the rhel family's 8 series.
type NM struct{}

// Family implements Renderer.
func (NM) Family() string { return "nm" }

var nmTmpl = templates.Lazy("nm", template.FuncMap{"inc": func(i int) int { return i + 1 }})

// nmNamespace is the UUID namespace of enicfg's profiles (a random UUID,
// fixed forever: changing it would give every profile a new identity).
var nmNamespace = [16]byte{0x5b, 0x1e, 0x3c, 0x6e, 0x0f, 0x9a, 0x4d, 0x21, 0x8c, 0x43, 0x1a, 0xe0, 0x7d, 0x52, 0x96, 0xb8}

// uuid5 is an RFC 4122 version 5 (SHA-1, name-based) UUID.
func uuid5(ns [16]byte, name string) string {
	h := sha1.New()
	h.Write(ns[:])
	h.Write([]byte(name))
	u := h.Sum(nil)[:16]
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

type nmFile struct {
	Header, ID, UUID, Name, MAC string
	Notes                       []string
	MTU                         int
	DHCP                        bool
	Addrs                       []string
	Gateway                     string
	NeverDefault, NoDNS         bool
	Metric                      string
	Routes                      []nmRoute
	Rules                       []string
}

type nmRoute struct{ Route, Options string }

// nmRouteOf gives a route as a keyfile routeN value (dest,gateway,metric)
// and its routeN_options.
func nmRouteOf(r spec.Route) nmRoute {
	v := r.To.String()
	if r.Via.IsValid() || r.HasMetric {
		gw := "0.0.0.0"
		if r.Via.IsValid() {
			gw = r.Via.String()
		}
		v += "," + gw
	}
	if r.HasMetric {
		v += fmt.Sprintf(",%d", r.Metric)
	}
	var opts []string
	if r.Src.IsValid() {
		opts = append(opts, "src="+r.Src.String())
	}
	if r.Table != 0 {
		opts = append(opts, fmt.Sprintf("table=%d", r.Table))
	}
	return nmRoute{Route: v, Options: strings.Join(opts, ",")}
}

// Render implements Renderer.
func (NM) Render(m *spec.Model, opt Options) (FileSet, []Unsupported, error) {
	j := newJob("nm", nmTmpl(), opt)
	for _, in := range m.Interfaces {
		f := nmFile{
			Header: j.header("#"), ID: "enicfg-" + in.Name, UUID: uuid5(nmNamespace, "enicfg/"+in.Name),
			Name: in.Name, MAC: strings.ToUpper(in.MAC), MTU: in.MTU, DHCP: in.DHCP,
			NeverDefault: !in.DefaultRoute, NoDNS: in.DHCP && !in.Primary,
		}
		for _, n := range notes(in) {
			f.Notes = append(f.Notes, systemdComment(n))
		}
		for _, ip := range in.IPs() {
			f.Addrs = append(f.Addrs, ip.String())
		}
		if in.DefaultRoute && !in.DHCP {
			f.Gateway = in.Gateway.String()
		}
		if in.DefaultRoute && in.HasMetric {
			f.Metric = fmt.Sprint(in.Metric)
		}
		for _, r := range append(append([]spec.Route{}, in.TableRoutes...), in.Routes...) {
			f.Routes = append(f.Routes, nmRouteOf(r))
		}
		for _, r := range in.Rules {
			f.Rules = append(f.Rules, fmt.Sprintf("priority %d from %s table %d", r.Priority, r.From, r.Table))
		}
		j.add("/etc/NetworkManager/system-connections/enicfg-"+in.Name+".nmconnection", 0o600, "keyfile.tmpl", f)
	}
	j.udevQueues(m, "NetworkManager sets channels only from 1.46 on")
	return j.done()
}

// ApplyCommands implements Applier.
func (NM) ApplyCommands(m *spec.Model, files FileSet) []string {
	cmds := append(udevApply(files), "nmcli connection reload")
	for _, in := range m.Interfaces {
		cmds = append(cmds, "nmcli connection up enicfg-"+in.Name)
	}
	return cmds
}

// Dirs implements DirLister.
func (NM) Dirs() []string {
	return []string{"/etc/NetworkManager/system-connections", "/etc/udev/rules.d"}
}
