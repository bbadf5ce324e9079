package render

import (
	"crypto/sha1"
	"fmt"
	"slices"
	"strings"
	"text/template"

	"github.com/enicfg/enicfg/internal/syntax"
	"github.com/enicfg/enicfg/live"
	"github.com/enicfg/enicfg/spec"
	"github.com/enicfg/enicfg/templates"
	"github.com/enicfg/enicfg/versions"
)

// NM renders NetworkManager keyfiles, one enicfg-<if>.nmconnection per
// interface (mode 0600: NetworkManager ignores keyfiles that others can
// read), with a UUID derived from the interface name so that the same
// description always gives the same profile. NetworkManager sets channels
// only from 1.46 on, and every target's versions are not there: queues are
// a udev rule, as for the rhel family's 8 series.
type NM struct{}

const nmDir = "/etc/NetworkManager/system-connections"

var nmFamily = &Family{
	Name: "nm",
	Dirs: []string{"/etc/sysctl.d", nmDir, "/etc/udev/rules.d"},
	Files: []FileRule{
		{Glob: sysctlPath, Format: sysctlFormat},
		{Glob: udevSysctlPath, Format: udevFormat},
		{Glob: nmDir + "/enicfg-*.nmconnection", Format: keyfileFormat},
		{Glob: udevQueuesPath, Format: udevFormat},
	},
	Constructs: join(sysctlConstructs, nmConstructs, nmConstructs6, udevConstructs),
	Variants: []Variant{{
		Reader:   "NetworkManager (keyfile)",
		Tools:    []versions.Tool{versions.NetworkManager, versions.Udev},
		Files:    []string{nmDir + "/enicfg-<if>.nmconnection (0600)", udevQueuesPath + " (queues)"},
		Renderer: NM{},
		Kernel:   &live.Expect{Layout: live.NM},
	}},
	Templates: templates.Lazy("nm", template.FuncMap{"inc": func(i int) int { return i + 1 }}),
}

func init() { register(nmFamily) }

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
	DNS, Search                 string
	Metric                      string
	Routes                      []nmRoute
	Rules                       []string
	Method4                     string
	IPv6                        nmFile6
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

// nmList gives a keyfile list value: items each followed by ';'.
func nmList(items []string) string {
	var b strings.Builder
	for _, s := range items {
		b.WriteString(s + ";")
	}
	return b.String()
}

// Render implements Renderer.
func (NM) Render(m *spec.Model, opt Options) (FileSet, []Unsupported, error) {
	j := newJob(nmFamily, NM{}, opt)
	for _, in := range m.Interfaces {
		f := nmFile{
			Header: j.header("#"), ID: "enicfg-" + in.Name, UUID: uuid5(nmNamespace, "enicfg/"+in.Name),
			Name: in.Name, MAC: strings.ToUpper(in.MAC), MTU: in.MTU, DHCP: in.DHCP,
			NeverDefault: !in.DefaultRoute && in.HasIPv4(), NoDNS: in.DHCP && !in.Primary,
			Method4: nmIPv4Method(in), IPv6: keyfileIPv6(j, in),
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
		nmDNS(j, in, &f)
		if in.DefaultRoute && in.HasMetric {
			f.Metric = fmt.Sprint(in.Metric)
		}
		for _, r := range in.AllRoutes() {
			f.Routes = append(f.Routes, nmRouteOf(r))
		}
		for _, r := range in.Rules {
			f.Rules = append(f.Rules, fmt.Sprintf("priority %d from %s table %d", r.Priority, r.From, r.Table))
		}
		j.add(nmDir+"/enicfg-"+in.Name+".nmconnection", 0o600, "keyfile.tmpl", f)
	}
	j.udevQueues(m, "NetworkManager sets channels only from 1.46 on")
	j.sysctls(m)
	return j.done()
}

// nmDNS puts the interface's DNS servers and search domains in the
// profile. Keyfile lists end with ';'. On a DHCP interface these servers
// come before the lease's (ignore-auto-dns drops a secondary's). An
// IPv6-only profile has [ipv4] method=disabled, under which libnm's
// verify() rejects ipv4.dns and ipv4.dns-search (every release, seen
// with 1.42): its search domains go to [ipv6]; its servers are IPv4, and
// ipv6.dns takes IPv6 servers only, so they are refused.
func nmDNS(j *job, in *spec.Interface, f *nmFile) {
	servers, search := dnsStrings(in.DNS)
	if in.HasIPv4() {
		f.DNS, f.Search = nmList(servers), nmList(search)
		return
	}
	f.IPv6.Search = nmList(search)
	if len(servers) > 0 {
		j.refuse(in.Name, "dns.servers", "NetworkManager (every release) rejects a profile with ipv4.dns under ipv4.method=disabled, the method of an IPv6-only interface, and ipv6.dns takes IPv6 servers only: describe the servers on an interface with IPv4")
	}
}

// Activation implements Renderer: a reload, and an up of each profile.
func (NM) Activation(m *spec.Model, files FileSet, opt Options) Activation {
	return Activation{Start: with(with(udevApply(files, opt.Coverage), "nmcli connection reload"), eachInterface(m, "nmcli connection up enicfg-")...), Links: eachInterface(m, "")}
}

// keyfileFormat is a NetworkManager keyfile. Its keys are "keyfile
// [group] key", numbered keys by their kind (addressN, routeN,
// routeN_options, routing-ruleN), with the route attributes used
// ("keyfile [ipv4] routeN_options table"), each method with its value
// ("keyfile [ipv4] method disabled") and the file itself.
var keyfileFormat = Format{Name: "NetworkManager keyfile", Check: syntax.Ini, Keys: func(data []byte) ([]string, error) {
	keys, err := iniKeys(data, func(s keySet, e iniEntry) {
		k := fmt.Sprintf("keyfile [%s] %s", e.Section, numbered(e.Key, "N"))
		s.add(k)
		if e.Key == "method" {
			s.add(k + " " + e.Value)
		}
		if strings.HasSuffix(k, "routeN_options") {
			for _, opt := range strings.Split(e.Value, ",") {
				name, _, _ := strings.Cut(opt, "=")
				s.add(k + " " + name)
			}
		}
	})
	if err != nil {
		return nil, err
	}
	keys = append(keys, "keyfile .nmconnection file")
	slices.Sort(keys)
	return keys, nil
}}

// nmConstructs: every key and command of the nm family, with the
// NetworkManager release that brought it.
var nmConstructs = versions.Table{
	{Key: "keyfile .nmconnection file", Tool: versions.NetworkManager, Since: "0.7.1", Source: "NetworkManager 648c256b and d37ad15f (1.16.0) write the .nmconnection suffix; the keyfile reader takes any name in /etc in every release, and only files of mode 0600 owned by root (e6a5d0be, 0.7.1)"},
	{Key: "keyfile [connection] id", Tool: versions.NetworkManager, Since: "0.7.1", Source: kfBase},
	{Key: "keyfile [connection] uuid", Tool: versions.NetworkManager, Since: "0.7.1", Source: kfBase},
	{Key: "keyfile [connection] autoconnect", Tool: versions.NetworkManager, Since: "0.7.1", Source: kfBase},
	{Key: "keyfile [connection] type", Tool: versions.NetworkManager, Since: "0.9.10", Source: "NetworkManager c36200a2 \"keyfile: use ethernet, wifi and wifi-security group names\" (0.9.10): type=ethernet and [ethernet]"},
	{Key: "keyfile [connection] interface-name", Tool: versions.NetworkManager, Since: "0.9.10", Source: "NetworkManager 2d668d76 \"libnm-util: add NMSettingConnection:interface-name\" (0.9.10)"},
	{Key: "keyfile [connection] autoconnect-priority", Tool: versions.NetworkManager, Since: "1.0.0", Source: "NetworkManager 24a2f9c6 \"libnm: add NMSettingConnection:autoconnect-priority setting\" (1.0.0)"},
	{Key: "keyfile [ethernet] mac-address", Tool: versions.NetworkManager, Since: "0.9.10", Source: "NetworkManager 45f2f114 \"keyfile: read MAC addresses\" (0.7.1); the [ethernet] group name c36200a2 (0.9.10)"},
	{Key: "keyfile [ethernet] mtu", Tool: versions.NetworkManager, Since: "0.9.10", Source: "NetworkManager 6b79d40a (0.7.1); the [ethernet] group name c36200a2 (0.9.10)"},
	{Key: "keyfile [ipv4] method", Tool: versions.NetworkManager, Since: "0.7.1", Source: kfBase},
	{Key: "keyfile [ipv4] method auto", Tool: versions.NetworkManager, Since: "0.7.1", Source: kfBase + "; NM_SETTING_IP4_CONFIG_METHOD_AUTO"},
	{Key: "keyfile [ipv4] method manual", Tool: versions.NetworkManager, Since: "0.7.1", Source: kfBase + "; NM_SETTING_IP4_CONFIG_METHOD_MANUAL"},
	{Key: "keyfile [ipv4] method disabled", Tool: versions.NetworkManager, Since: "0.8.1", Source: "NetworkManager fb6c929d \"libnm-util: add IPv4 'disabled' method\" (2010, first tagged 0.8.0.997, a 0.8.1 pre-release); libnm's verify() rejects ipv4.dns, dns-search and addresses under it"},
	{Key: "keyfile [ipv4] never-default", Tool: versions.NetworkManager, Since: "0.7.1", Source: "NetworkManager 948ee274 (0.7.1)"},
	{Key: "keyfile [ipv4] dns", Tool: versions.NetworkManager, Since: "0.7.1", Source: kfBase + "; dns= a list of IPv4 addresses, each followed by ';'"},
	{Key: "keyfile [ipv4] dns-search", Tool: versions.NetworkManager, Since: "0.7.1", Source: kfBase + "; dns-search= a list of domains, each followed by ';'"},
	{Key: "keyfile [ipv4] ignore-auto-dns", Tool: versions.NetworkManager, Since: "0.7.1", Source: "NetworkManager 2c31b549 (0.7.1)"},
	{Key: "keyfile [ipv4] addressN", Tool: versions.NetworkManager, Since: "0.9.8.0", Source: "NetworkManager cca9cfc8 \"keyfile: read and write a nicer format for IPv4 and IPv6 addresses and routes\" (0.9.8.0)"},
	{Key: "keyfile [ipv4] routeN", Tool: versions.NetworkManager, Since: "0.9.8.0", Source: "NetworkManager cca9cfc8 \"keyfile: read and write a nicer format for IPv4 and IPv6 addresses and routes\" (0.9.8.0)"},
	{Key: "keyfile [ipv4] gateway", Tool: versions.NetworkManager, Since: "1.0.0", Source: "NetworkManager f17699f4 \"libnm-core: add NMSettingIPConfig:gateway\" (1.0.0); the keyfile reader takes it by its key name"},
	{Key: "keyfile [ipv4] route-metric", Tool: versions.NetworkManager, Since: "1.0.0", Source: "NetworkManager ce7fc351 \"libnm: add NMSettingIPConfig:route-metric\" (1.0.0)"},
	{Key: "keyfile [ipv4] routeN_options", Tool: versions.NetworkManager, Since: "1.8.0", Source: "NetworkManager cdfa6251 \"keyfile: support route options\" (1.8.0)"},
	{Key: "keyfile [ipv4] routeN_options src", Tool: versions.NetworkManager, Since: "1.8.0", Source: "NetworkManager 54e58eb9 and 80dfb8cd: route attribute src, the preferred source as in ip route (1.8.0, NEWS 1.8)"},
	{Key: "keyfile [ipv4] routeN_options table", Tool: versions.NetworkManager, Since: "1.10.0", Source: "NetworkManager 5b0f895e \"libnm,core: add TABLE attribute for routes settings\" (1.10.0, NEWS 1.10)"},
	{Key: "keyfile [ipv4] routing-ruleN", Tool: versions.NetworkManager, Since: "1.18.0", Source: "NetworkManager 6e6d1e07 \"libnm: add API to NMSettingIPConfig for routing rules\" (1.18.0, NEWS 1.18)"},
	{Key: "keyfile [ipv6] method", Tool: versions.NetworkManager, Since: "0.8", Source: kfIPv6},
	{Key: "keyfile [ipv6] method auto", Tool: versions.NetworkManager, Since: "0.8", Source: kfIPv6 + "; NM_SETTING_IP6_CONFIG_METHOD_AUTO (5a516abc, 0.7.1)"},
	{Key: "keyfile [ipv6] method manual", Tool: versions.NetworkManager, Since: "0.8", Source: kfIPv6 + "; NM_SETTING_IP6_CONFIG_METHOD_MANUAL (5a516abc, 0.7.1)"},
	{Key: "run: nmcli connection reload", Tool: versions.NetworkManager, Since: "0.9.10", Source: "NetworkManager 1f818510 adds ReloadConnections and nmcli connection reload (0.9.10)"},
	{Key: "run: nmcli connection up", Tool: versions.NetworkManager, Since: "0.8.1", Source: "NetworkManager c2ec07f1 \"cli: add initial pieces of nmcli\" (0.8.1)"},
}

// kfIPv6: NMSettingIP6Config came with 0.7.1 (5a516abc), the keyfile
// plugin read no [ipv6] group before 0.8.
const kfIPv6 = "NetworkManager a74e2cfd \"keyfile: add IPv6 support (bgo #593814)\" (2010, first tagged 0.7.999, a 0.8 pre-release)"

const kfBase = "NetworkManager 6b79d40a and e6a5d0be: the keyfile plugin's first release (0.7.1)"
