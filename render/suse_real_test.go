package render_test

import (
	"fmt"
	"net/netip"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/enicfg/enicfg/distros"
	"github.com/enicfg/enicfg/internal/netlab"
	"github.com/enicfg/enicfg/live"
	"github.com/enicfg/enicfg/render"
	"github.com/enicfg/enicfg/spec"
)

// suseScenarios are the seed scenarios, the IPv6 scenarios with static
// addresses, and the forms that only the suse family writes differently:
// a device default route in a table (ifroute(5) wants 0.0.0.0/0 there),
// and DHCP interfaces with and without a default route, with a metric.
// suseLabScenarios take IPv6 from the lab's router: only the real wicked
// runs them.
var suseScenarios = append(append(append([]scenario{}, seedScenarios...), ipv6Scenarios...),
	scenario{name: "device-default", yaml: `
version: 1
interfaces:
  - name: eth0
    address: 10.6.0.10/24
    gateway: 10.6.0.1
    metric: 30
    routes:
      - to: 0.0.0.0/0
        table: 201
      - to: 10.7.0.5/32
        via: 10.6.0.254
`},
	scenario{name: "dhcp-defaults", yaml: `
version: 1
interfaces:
  - name: eth0
    dhcp: true
    metric: 100
    mtu: 9000
  - name: eth1
    dhcp: true
    subnet: 10.8.0.0/24
    secondary_ips: [10.8.0.5, 10.8.0.6]
    default_route: false
`},
)

var suseLabScenarios = append(append([]scenario{}, ipv6LabScenarios...),
	// What wicked can take from router advertisements: one default
	// route of theirs, without metric (the lab scenarios' metric and
	// default_route: false are refused), beside static IPv6 with a table.
	scenario{name: "ra-wicked", yaml: `
version: 1
interfaces:
  - name: eth0
    address: 10.8.4.10/24
    gateway: 10.8.4.1
    ipv6:
      slaac: true
      subnet: 2001:db8:84::/64
      secondary_ips: [2001:db8:84::99]
  - name: eth1
    address: 10.8.5.10/24
    gateway: 10.8.5.1
    default_route: false
    route_table: 1085
    ipv6:
      address: 2001:db8:85::10/64
      gateway: fe80::1
  - name: eth2
    address: 10.8.6.10/24
    gateway: 10.8.6.1
    default_route: false
    ipv6:
      dhcp: true
      metric: 600
      default_route: false
`},
	scenario{name: "dhcpv6-wicked", yaml: `
version: 1
interfaces:
  - name: eth0
    dhcp: true
    ipv6:
      dhcp: true
      subnet: 2001:db8:86::/64
      secondary_ips: [2001:db8:86::99]
`},
)

// TestSUSEFiles checks the suse family's files, for wicked (sles15) and
// for SLES 11's sysconfig scripts, for every scenario:
//
//   - every ifcfg file passes shellcheck and bash -n and, sourced by bash
//     in an empty environment, gives exactly its values (lintSourced);
//     wicked's own parser (src/sysconfig.c, ported below) reads the same
//     values; every key is one the reader knows, with a value of its form
//     (ifcfg(5), ifcfg-dhcp(5)), and LABEL_<n> fits the kernel's 15
//     characters together with the device name;
//   - every ifroute line has the columns of ifroute(5) and only options
//     wicked's parser accepts; every ifrule line is ifrule(5)'s
//     "ipv4 <ip rule arguments>"; neither file holds a backslash (wicked
//     drops the whole file on one that does not end a line);
//   - in a private network namespace, MAC-bound links are named by the
//     rendered udev rule, the addresses are added as the readers add them
//     (`ip addr add IPADDR... label <if>:LABEL_n`), the DHCP default route
//     as DHCLIENT_* say, every ifroute line through `ip route add` and
//     every ifrule line through `ip -4 rule add`; the kernel's state must
//     be exactly the description (for SLES 11: less what it refused).
func TestSUSEFiles(t *testing.T) {
	netlab.Require(t, true, "shellcheck", "bash", "ip")
	for _, tgt := range distros.Representatives() {
		if tgt.Family != "suse" {
			continue
		}
		for _, sc := range suseScenarios {
			t.Run(tgt.Name+"/"+sc.name, func(t *testing.T) {
				applySUSEFiles(t, sc.load(t), tgt.Name)
			})
		}
	}
}

// defaultsCollide tells whether what a target rendered, less what it
// refused, has two default routes in the main table without distinct
// metrics (a refused DHCP metric): no kernel holds both, so there is no
// whole state to compare.
func defaultsCollide(m *spec.Model) bool {
	seen := map[string]bool{}
	for _, in := range m.Interfaces {
		if !in.DefaultRoute {
			continue
		}
		k := "none"
		if in.HasMetric {
			k = fmt.Sprint(in.Metric)
		}
		if seen[k] {
			return true
		}
		seen[k] = true
	}
	return false
}

// renderSUSE renders for distro with --skip-unsupported, and gives the
// model of what was rendered: m less every refused feature; every
// refusal names the version that would take the feature.
func renderSUSE(t *testing.T, m *spec.Model, distro string) (render.FileSet, *spec.Model) {
	t.Helper()
	files, refused := renderRefused(t, m, distro, true)
	refusedByVersion(t, refused)
	out := &spec.Model{Cloud: m.Cloud}
	for _, in := range m.Interfaces {
		c := *in
		drop := map[int]bool{}
		drop6 := map[string]bool{}
		for _, u := range refused {
			if u.Interface != in.Name {
				continue
			}
			if strings.HasPrefix(u.Feature, "ipv6.") {
				c.IPv6 = spec.IPv6{}
				continue
			}
			if to, ok := strings.CutPrefix(u.Feature, "routes (to "); ok {
				drop6[strings.TrimSuffix(to, ")")] = true
				continue
			}
			switch u.Feature {
			case "route_table":
				c.Table, c.TableRoutes, c.Rules = 0, nil, nil
				c.IPv6.TableRoutes, c.IPv6.Rules = nil, nil
			case "metric":
				c.HasMetric = false
			case "secondary_ips":
				c.SecondaryIPs = nil
			case "dns":
				c.DNS = spec.DNS{}
			default:
				if k, ok := routeIndex(u.Feature); ok {
					drop[k] = true
					continue
				}
				t.Fatalf("refused %s: no model for it", u)
			}
		}
		c.Routes = nil
		for k, r := range in.Routes {
			if !drop[k] {
				c.Routes = append(c.Routes, r)
			}
		}
		if len(drop6) > 0 {
			c.IPv6.Routes = nil
			for _, r := range in.IPv6.Routes {
				if !drop6[r.To.String()] {
					c.IPv6.Routes = append(c.IPv6.Routes, r)
				}
			}
		}
		out.Interfaces = append(out.Interfaces, &c)
	}
	return files, out
}

// routeIndex reads the index of a refused "routes[N]".
func routeIndex(feature string) (int, bool) {
	var k int
	if _, err := fmt.Sscanf(feature, "routes[%d]", &k); err != nil {
		return 0, false
	}
	return k, true
}

// addAddrs adds IPADDR* as the readers do (ip addr add, with the label
// of LABEL_n).
func (s *suseIface) addAddrs(ip func(...string), dev string) {
	for _, a := range suseAddrs(s.vars) {
		args := []string{"addr", "add", a.cidr, "dev", dev}
		if a.label != "" {
			args = append(args, "label", dev+":"+a.label)
		}
		if strings.Contains(a.cidr, ":") {
			// The readers wait for duplicate address detection before
			// the routes (a source must be settled); here it is left
			// out.
			args = append(args, "nodad")
		}
		ip(args...)
	}
}

// addRoutes adds the interface's ifroute lines (ip -4 or -6 route add)
// and ifrule lines (ip -4 or -6 rule add) through ip.
func (s *suseIface) addRoutes(ip func(...string)) {
	for _, r := range s.routes {
		family := "-4"
		if strings.Contains(strings.Join(r, " "), ":") {
			family = "-6"
		}
		ip(append([]string{family, "route", "add"}, r...)...)
	}
	for _, r := range s.rules {
		ip(append([]string{r[0], "rule", "add"}, r[1:]...)...)
	}
}

// suseIface is what one interface's files say, after the checks.
type suseIface struct {
	vars    map[string]string
	routes  [][]string // `ip route add` arguments (after -6 for IPv6)
	rules   [][]string // `ip rule add` arguments after -4 or -6
	sysctls [][2]string
}

func applySUSEFiles(t *testing.T, m *spec.Model, distro string) {
	tgt, _ := distros.Lookup(distro)
	sysconfig := tgt.Variant == "sysconfig"
	files, rendered := renderSUSE(t, m, distro)
	if defaultsCollide(rendered) {
		t.Skipf("%s refuses the metrics that keep the default routes apart", distro)
	}
	dir := t.TempDir()
	ifs := map[string]*suseIface{}
	get := func(dev string) *suseIface {
		if ifs[dev] == nil {
			ifs[dev] = &suseIface{}
		}
		return ifs[dev]
	}
	var udev []byte
	for _, f := range files {
		base := path.Base(f.Path)
		switch {
		case f.Path == "/etc/udev/rules.d/70-enicfg-net.rules":
			udev = f.Data
			continue
		case f.Path == "/etc/udev/rules.d/71-enicfg-queues.rules":
			continue // udev runs ethtool; checked by the family's rule and in TestNMKeyfiles
		case f.Path == sysctlFile || f.Path == sysctlRules:
			continue // the host settings: TestHostSysctl
		case path.Dir(f.Path) != "/etc/sysconfig/network":
			t.Fatalf("unexpected file %s", f.Path)
		}
		checkLineLengths(t, base, f.Data)
		switch {
		case strings.HasPrefix(base, "ifcfg-"):
			dev := strings.TrimPrefix(base, "ifcfg-")
			vars := lintSourced(t, dir, base, f.Data)
			w, err := wickedSysconfig(f.Data)
			if err != nil {
				t.Fatalf("%s: %v", base, err)
			}
			if d := cmp.Diff(vars, w); d != "" {
				t.Fatalf("%s: wicked's parser reads other values than bash (-bash +wicked):\n%s", base, d)
			}
			checkSUSEIfcfg(t, base, dev, vars, sysconfig)
			get(dev).vars = vars
		case strings.HasPrefix(base, "ifroute-"):
			dev := strings.TrimPrefix(base, "ifroute-")
			get(dev).routes = ifrouteArgs(t, base, dev, f.Data)
		case strings.HasPrefix(base, "ifrule-"):
			if sysconfig {
				t.Fatalf("%s: SLES 11 reads no ifrule files", base)
			}
			dev := strings.TrimPrefix(base, "ifrule-")
			get(dev).rules = ifruleArgs(t, base, f.Data)
		case strings.HasPrefix(base, "ifsysctl-"):
			dev := strings.TrimPrefix(base, "ifsysctl-")
			get(dev).sysctls = ifsysctlLines(t, base, dev, f.Data)
		default:
			t.Fatalf("unexpected file %s", f.Path)
		}
	}
	for dev, s := range ifs {
		if s.vars == nil {
			t.Fatalf("ifroute-/ifrule-%s without ifcfg-%s", dev, dev)
		}
		for _, r := range s.routes {
			if i := indexOf(r, "src"); i >= 0 && !hasAddress(s.vars, r[i+1]) {
				t.Fatalf("ifroute-%s: src %s is no address of ifcfg-%s", dev, r[i+1], dev)
			}
		}
	}

	tn := netlab.NewNet(t, m, ruleFile(udev), netlab.NoDHCP)
	lab, mac, leases, routers := tn.Lab, tn.MACs, tn.Leases, tn.Routers
	ip := func(args ...string) {
		t.Helper()
		netlab.Must(t, "ip", append([]string{"-n", lab.NS}, args...)...)
	}
	for _, in := range m.Interfaces {
		s := ifs[in.Name]
		if s == nil {
			t.Fatalf("no ifcfg-%s", in.Name)
		}
		v := s.vars
		if v["MTU"] != "" {
			ip("link", "set", in.Name, "mtu", v["MTU"])
		}
		// Both readers apply ifsysctl-<if> before anything else.
		for _, kv := range s.sysctls {
			netlab.Must(t, "ip", "netns", "exec", lab.NS, "sysctl", "-q", "-w", kv[0]+"="+kv[1])
		}
		ip("link", "set", in.Name, "up")
		dhcp := v["BOOTPROTO"] == "dhcp" || strings.HasPrefix(v["BOOTPROTO"], "dhcp4")
		lease := func() {
			// What the DHCP client leases in the test network, and the
			// default route it adds: wicked with DHCLIENT_ROUTE_PRIORITY
			// as metric, SLES 11's dhcpcd without (-G when 'no').
			ip("addr", "add", leases[in.Name].String(), "dev", in.Name, "label", in.Name)
			if v["DHCLIENT_SET_DEFAULT_ROUTE"] == "yes" {
				args := []string{"route", "add", "default", "via", routers[in.Name].String(), "dev", in.Name}
				if p := v["DHCLIENT_ROUTE_PRIORITY"]; p != "" {
					args = append(args, "metric", p)
				}
				if v["DHCLIENT_ROUTE_SET_SRC"] == "yes" {
					args = append(args, "src", leases[in.Name].Addr().String())
				}
				ip(args...)
			}
		}
		// SLES 11's ifup-dhcp waits (DHCLIENT_WAIT_AT_BOOT) for the lease
		// before ifup adds IPADDR*; wicked applies its static addrconf
		// at once, the lease comes later.
		if dhcp && sysconfig {
			lease()
		}
		s.addAddrs(ip, in.Name)
		if dhcp && !sysconfig {
			lease()
		}
		s.addRoutes(ip)
	}

	layout := live.Wicked
	if sysconfig {
		layout = live.KernelRoutes
	}
	want := netlab.Want(t, tn.IPv6.Fill(live.Expect{Layout: layout, MACs: mac, AliasLabels: func(in *spec.Interface) bool { return labelled(files, in.Name) }, Leases: leases, Routers: routers}), rendered)
	if d := netlab.Diff(want, lab.State()); d != "" {
		t.Fatalf("kernel state differs from the description (-want +got):\n%s\n%s", d, dump(files))
	}
	checkEgressSource(t, lab, rendered, leases)
}

// checkEgressSource: traffic to the internet through an ENI with a
// default route leaves from its primary private IP (the one the cloud
// maps an EIP or NAT to), as the kernel chooses it (`ip route get`).
func checkEgressSource(t *testing.T, lab *netlab.Lab, m *spec.Model, leases map[string]netip.Prefix) {
	t.Helper()
	for _, in := range m.Interfaces {
		if !in.DefaultRoute {
			continue
		}
		src := in.Address.Addr()
		if in.DHCP {
			src = leases[in.Name].Addr()
		}
		out := netlab.Must(t, "ip", "-n", lab.NS, "-j", "route", "get", "198.51.100.1", "oif", in.Name)
		if !strings.Contains(out, `"prefsrc":"`+src.String()+`"`) {
			t.Errorf("%s: traffic to the internet would not leave from %s: %s", in.Name, src, out)
		}
	}
}

// checkLineLengths: wicked reads ifcfg, ifroute and ifrule files with
// fgets into 512 bytes; a longer line would be cut and its rest read as
// a line of its own. ifroute and ifrule lines must not hold a backslash:
// wicked's reader takes one as a line continuation and drops the whole
// file when anything follows it on the line.
func checkLineLengths(t *testing.T, name string, data []byte) {
	t.Helper()
	for i, l := range strings.Split(string(data), "\n") {
		if len(l) >= 511 {
			t.Fatalf("%s:%d: %d bytes, wicked reads lines of at most 510", name, i+1, len(l))
		}
		if !strings.HasPrefix(name, "ifcfg-") && strings.Contains(l, `\`) {
			t.Fatalf("%s:%d: a backslash in a line wicked reads as routes or rules: %q", name, i+1, l)
		}
	}
}

// wickedSysconfig reads a sysconfig file as wicked's
// __ni_sysconfig_read and unquote (src/sysconfig.c, wicked 0.6.80) do:
// comment lines and lines not starting NAME= are skipped; a value is
// either quoted (' or ") up to the closing quote, or bare up to the first
// blank; an unterminated value drops the variable.
func wickedSysconfig(data []byte) (map[string]string, error) {
	out := map[string]string{}
	for _, line := range strings.SplitAfter(string(data), "\n") { // fgets keeps the newline
		sp := strings.TrimLeft(line, " \t\r\n\v\f")
		if strings.HasPrefix(sp, "#") || sp == "" || !isAlpha(sp[0]) {
			continue
		}
		n := 0
		for n < len(sp) && (isAlnum(sp[n]) || sp[n] == '_') {
			n++
		}
		if n == len(sp) || sp[n] != '=' {
			continue
		}
		name, rest := sp[:n], sp[n+1:]
		var q byte
		if rest != "" && (rest[0] == '"' || rest[0] == '\'') {
			q, rest = rest[0], rest[1:]
		}
		var val strings.Builder
		ok := false
		for i := 0; ; i++ {
			if i == len(rest) {
				// The end of the line's buffer: C's `quote_sign && lc ==
				// quote_sign`, never true as the quote is not copied.
				break
			}
			c := rest[i]
			if q == 0 && strings.IndexByte(" \t\r\n\v\f", c) >= 0 {
				ok = true
				break
			}
			if c == q {
				ok = true
				break
			}
			val.WriteByte(c)
		}
		if ok {
			out[name] = val.String()
		}
	}
	return out, nil
}

func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isAlnum(c byte) bool { return isAlpha(c) || c >= '0' && c <= '9' }

var (
	suffixed   = regexp.MustCompile(`^(IPADDR|LABEL)(_[0-9]+)?$`)
	labelChars = regexp.MustCompile(`^[A-Za-z0-9_.:-]+$`)
)

// checkSUSEIfcfg checks every key of an ifcfg file against ifcfg(5) and
// ifcfg-dhcp(5) as the reader knows them.
func checkSUSEIfcfg(t *testing.T, name, dev string, v map[string]string, sysconfig bool) {
	t.Helper()
	bad := func(format string, args ...any) {
		t.Helper()
		t.Fatalf("%s: "+format, append([]any{name}, args...)...)
	}
	dhcp := suseBootprotoOK(v, sysconfig, bad)
	if v["STARTMODE"] != "auto" {
		bad("STARTMODE=%q", v["STARTMODE"])
	}
	for k, val := range v {
		switch {
		case k == "BOOTPROTO" || k == "STARTMODE":
		case strings.HasPrefix(k, "IPADDR") && suffixed.MatchString(k):
			p, err := netip.ParsePrefix(val)
			if err != nil || p.Bits() == p.Addr().BitLen() || p.Addr().Is6() && (p.Addr().Is4In6() || p.Addr().IsLinkLocalUnicast()) {
				bad("%s=%q is not an IPv4 or global IPv6 address with its prefix length", k, val)
			}
			if _, ok := v["LABEL"+strings.TrimPrefix(k, "IPADDR")]; ok && p.Addr().Is6() {
				bad("%s=%q: an IPv6 address takes no label", k, val)
			}
		case strings.HasPrefix(k, "LABEL_") && suffixed.MatchString(k):
			if _, ok := v["IPADDR"+strings.TrimPrefix(k, "LABEL")]; !ok {
				bad("%s without IPADDR%s", k, strings.TrimPrefix(k, "LABEL"))
			}
			// wicked's ni_netdev_alias_label_is_valid; the kernel label
			// is <dev>:<label>, at most IFNAMSIZ-1 characters.
			if !labelChars.MatchString(val) || strings.HasPrefix(val, dev) {
				bad("%s=%q is not a label suffix", k, val)
			}
			if l := len(dev) + 1 + len(val); l > 15 {
				bad("%s=%q makes the label %s:%s of %d characters, more than 15", k, val, dev, val, l)
			}
		case k == "MTU":
			if n, err := strconv.Atoi(val); err != nil || n < 68 || n > 65535 {
				bad("MTU=%q", val)
			}
		case k == "ETHTOOL_OPTIONS":
			f := strings.Fields(val)
			if len(f) != 4 || f[0] != "-L" || f[1] != dev || f[2] != "combined" {
				bad("ETHTOOL_OPTIONS=%q is not '-L %s combined N'", val, dev)
			}
			if n, err := strconv.Atoi(f[3]); err != nil || n < 1 {
				bad("ETHTOOL_OPTIONS=%q: bad channel count", val)
			}
		case k == "DHCLIENT_SET_DEFAULT_ROUTE":
			if !dhcp || (val != "yes" && val != "no") {
				bad("%s=%q", k, val)
			}
		case k == "DHCLIENT_ROUTE_SET_SRC":
			if !dhcp || sysconfig || val != "yes" || v["DHCLIENT_SET_DEFAULT_ROUTE"] != "yes" {
				bad("%s=%q is for wicked's DHCP default route only", k, val)
			}
		case k == "DHCLIENT_ROUTE_PRIORITY":
			if !dhcp || sysconfig {
				bad("%s is read by wicked's DHCP client only", k)
			}
			if _, err := strconv.ParseUint(val, 10, 32); err != nil {
				bad("%s=%q", k, val)
			}
		default:
			bad("unknown key %s", k)
		}
	}
	if dhcp && v["DHCLIENT_SET_DEFAULT_ROUTE"] == "" {
		bad("a DHCP interface without DHCLIENT_SET_DEFAULT_ROUTE (the global default and, on SLES 11, the primary-device logic would decide)")
	}
}

// suseBootprotoOK checks BOOTPROTO (static with IPADDR; dhcp6 and auto6
// for wicked only) and tells whether it runs DHCPv4.
func suseBootprotoOK(v map[string]string, sysconfig bool, bad func(string, ...any)) bool {
	switch b := v["BOOTPROTO"]; b {
	case "static":
		if v["IPADDR"] == "" {
			bad("a static interface without IPADDR")
		}
	case "dhcp", "dhcp4":
		return true
	case "dhcp6", "auto6", "dhcp4+dhcp6", "dhcp4+auto6":
		if sysconfig {
			bad("BOOTPROTO=%q: enicfg writes no DHCPv6 or SLAAC for SLES 11", b)
		}
		return strings.HasPrefix(b, "dhcp4")
	default:
		bad("BOOTPROTO=%q", b)
	}
	return false
}

type suseAddrVar struct{ cidr, label string }

// suseAddrs gives IPADDR and IPADDR_<n> in the order bash's ${!IPADDR*}
// lists them (SLES 11's ifup; wicked takes the file's order, which is
// the same for enicfg's files up to IPADDR_9), with their labels.
func suseAddrs(v map[string]string) []suseAddrVar {
	var keys []string
	for k := range v {
		if strings.HasPrefix(k, "IPADDR") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	out := make([]suseAddrVar, 0, len(keys))
	for _, k := range keys {
		out = append(out, suseAddrVar{cidr: v[k], label: v["LABEL"+strings.TrimPrefix(k, "IPADDR")]})
	}
	return out
}

func hasAddress(v map[string]string, a string) bool {
	for _, x := range suseAddrs(v) {
		if p, err := netip.ParsePrefix(x.cidr); err == nil && p.Addr().String() == a {
			return true
		}
	}
	return false
}

func indexOf(s []string, x string) int {
	for i, v := range s {
		if v == x {
			return i
		}
	}
	return -1
}

// ifrouteArgs checks every line of an ifroute-<dev> file against
// ifroute(5) and gives it as `ip route add` arguments: DESTINATION
// ("default" with a gateway, else a prefix in CIDR form) GATEWAY (an
// address or "-") NETMASK ("-": deprecated) INTERFACE (dev) then option
// pairs among those wicked's parser takes (metric, table, src).
func ifrouteArgs(t *testing.T, name, dev string, data []byte) [][]string {
	t.Helper()
	var out [][]string
	for _, ln := range dataLines(t, name, data) {
		f, bad := ln.fields, ln.bad
		if len(f) < 4 || len(f)%2 != 0 {
			bad("want DESTINATION GATEWAY NETMASK INTERFACE and option pairs")
		}
		dst, gw, mask, iface := f[0], f[1], f[2], f[3]
		args := []string{dst}
		six := strings.Contains(dst+gw, ":")
		if dst == "default" {
			if gw == "-" {
				bad("a default route without gateway: ifroute(5) wants 0.0.0.0/0 (::/0)")
			}
		} else if p, err := netip.ParsePrefix(dst); err != nil || p.Addr().Is6() != six || p != p.Masked() {
			bad("destination %q is no prefix in CIDR form of the route's family", dst)
		}
		if gw != "-" {
			if a, err := netip.ParseAddr(gw); err != nil || a.Is6() != six {
				bad("gateway %q", gw)
			}
			args = append(args, "via", gw)
		}
		if mask != "-" {
			bad("the netmask column is deprecated; enicfg writes -")
		}
		if iface != dev {
			bad("interface %q in %s (wicked ignores foreign names)", iface, name)
		}
		args = append(args, "dev", dev)
		seen := map[string]bool{}
		for k := 4; k < len(f); k += 2 {
			key, val := f[k], f[k+1]
			if seen[key] {
				bad("%s twice", key)
			}
			seen[key] = true
			switch key {
			case "metric":
				if _, err := strconv.ParseUint(val, 10, 32); err != nil {
					bad("metric %q", val)
				}
			case "table":
				n, err := strconv.ParseUint(val, 10, 32)
				if err != nil || n == 0 || n == 253 || n == 254 || n == 255 || n == 1<<32-1 {
					bad("table %q", val)
				}
			case "src":
				if a, err := netip.ParseAddr(val); err != nil || a.Is6() != six {
					bad("src %q", val)
				}
			default:
				bad("option %q is not one enicfg writes", key)
			}
			args = append(args, key, val)
		}
		out = append(out, args)
	}
	return out
}

// ifruleArgs checks every line of an ifrule file against ifrule(5): the
// family "ipv4" or "ipv6", then `ip rule add` arguments: from, table and
// priority (enicfg's rules have fixed priorities, so applying twice is
// idempotent). It gives ip's family option (-4, -6) and the arguments.
func ifruleArgs(t *testing.T, name string, data []byte) [][]string {
	t.Helper()
	var out [][]string
	for _, ln := range dataLines(t, name, data) {
		f, bad := ln.fields, ln.bad
		if len(f) != 7 || f[0] != "ipv4" && f[0] != "ipv6" {
			bad("want ipv4|ipv6 from <ip> table <n> priority <n>")
		}
		six := f[0] == "ipv6"
		seen := map[string]bool{}
		for k := 1; k < len(f); k += 2 {
			key, val := f[k], f[k+1]
			seen[key] = true
			switch key {
			case "from":
				p, err := netip.ParsePrefix(val)
				if err != nil {
					a, aerr := netip.ParseAddr(val)
					p, err = netip.PrefixFrom(a, a.BitLen()), aerr
				}
				if err != nil || p.Addr().Is6() != six || p != p.Masked() {
					bad("from %q", val)
				}
			case "table", "priority":
				if n, err := strconv.ParseUint(val, 10, 32); err != nil || n == 0 {
					bad("%s %q", key, val)
				}
			default:
				bad("option %q", key)
			}
		}
		if !seen["from"] || !seen["table"] || !seen["priority"] {
			bad("from, table and priority are all needed")
		}
		out = append(out, append([]string{"-" + f[0][3:]}, f[1:]...))
	}
	return out
}

// ifsysctlLines checks an ifsysctl-<dev> file: lines
// net.ipv6.conf.<dev>.accept_ra, .autoconf or .accept_dad = 0 (what
// enicfg writes),
// and gives them as key and value.
func ifsysctlLines(t *testing.T, name, dev string, data []byte) [][2]string {
	t.Helper()
	var out [][2]string
	for _, ln := range dataLines(t, name, data) {
		f, bad := ln.fields, ln.bad
		key, _ := strings.CutPrefix(f[0], "net.ipv6.conf."+dev+".")
		if len(f) != 3 || f[1] != "=" || f[2] != "0" || key != "accept_ra" && key != "autoconf" && key != "accept_dad" {
			bad("want net.ipv6.conf.%s.accept_ra|autoconf|accept_dad = 0", dev)
		}
		out = append(out, [2]string{f[0], f[2]})
	}
	return out
}

// TestWickedSysconfigParser pins the port of wicked's parser on the
// cases where it differs from bash.
func TestWickedSysconfigParser(t *testing.T) {
	got, err := wickedSysconfig([]byte("# c\nA='x y'\nB=\"q\"\nC=bare word\n  D='open\nE=x\n_F=1\nG='z'\nH=last"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"A": "x y", "B": "q", "C": "bare", "E": "x", "G": "z"}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatal(d)
	}
}

// TestSUSEValuesInert renders a description whose free text holds shell
// syntax and a backslash for both suse readers: sourced, the ifcfg files
// run nothing and give only their values; wicked's parser reads the same;
// the ifroute and ifrule files, which a backslash would break, carry no
// free text.
func TestSUSEValuesInert(t *testing.T) {
	netlab.Require(t, false, "bash", "shellcheck")
	dir := t.TempDir()
	canary := filepath.Join(dir, "ran")
	desc := fmt.Sprintf("$(touch %[1]s) `touch %[1]s`; touch %[1]s | touch %[1]s \\", canary)
	y := fmt.Sprintf(`version: 1
interfaces:
  - name: eth0
    address: 10.0.0.10/24
    gateway: 10.0.0.1
    secondary_ips: [10.0.0.11]
    route_table: 100
    routes:
      - to: 192.168.0.0/16
        via: 10.0.0.1
    description: %q
`, desc)
	m, err := spec.Load("t.yaml", []byte(y))
	if err != nil {
		t.Fatal(err)
	}
	for _, distro := range []string{"sles15", "sles11"} {
		files, _ := renderSUSE(t, m, distro)
		for _, f := range files {
			base := path.Base(f.Path)
			checkLineLengths(t, base, f.Data)
			if !strings.HasPrefix(base, "ifcfg-") {
				continue
			}
			vars := lintSourced(t, dir, base, f.Data)
			w, err := wickedSysconfig(f.Data)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(vars, w); d != "" {
				t.Fatalf("%s: wicked's parser reads other values than bash (-bash +wicked):\n%s", base, d)
			}
			if vars["IPADDR"] != "10.0.0.10/24" {
				t.Errorf("%s: IPADDR=%q", f.Path, vars["IPADDR"])
			}
		}
	}
	if _, err := os.Stat(canary); err == nil {
		t.Fatal("sourcing a rendered file ran a command from the description")
	}
}

// dataLine is a line of a route or rule file that is no blank and no
// comment: its fields, and bad, which fails the test at the line.
type dataLine struct {
	fields []string
	bad    func(format string, args ...any)
}

// dataLines gives the data lines of a route or rule file named name.
func dataLines(t *testing.T, name string, data []byte) []dataLine {
	t.Helper()
	var out []dataLine
	for i, l := range strings.Split(string(data), "\n") {
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		n, text := i+1, l
		out = append(out, dataLine{fields: strings.Fields(l), bad: func(format string, args ...any) {
			t.Helper()
			t.Fatalf("%s:%d: %q: "+format, append([]any{name, n, text}, args...)...)
		}})
	}
	return out
}
