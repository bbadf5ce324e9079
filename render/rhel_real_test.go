package render_test

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"net/netip"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/enicfg/enicfg/distros"
	"github.com/enicfg/enicfg/internal/netlab"
	"github.com/enicfg/enicfg/internal/syntax"
	"github.com/enicfg/enicfg/live"
	"github.com/enicfg/enicfg/render"
	"github.com/enicfg/enicfg/spec"
)

// lintSourced checks a file that bash sources (an ifcfg file) with the
// real tools: the line rule above, shellcheck, bash -n, and then sourcing
// it in an empty environment. It gives the variables bash sees, which
// must be exactly the KEY=value lines of the file, unquoted.
func lintSourced(t *testing.T, dir, name string, data []byte) map[string]string {
	t.Helper()
	want := map[string]string{}
	for i, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		if !syntax.ShellLine.MatchString(line) {
			t.Fatalf("%s:%d: not a plain KEY=value line: %q", name, i+1, line)
		}
		if k, v, ok := strings.Cut(line, "="); ok && !strings.HasPrefix(line, "#") {
			if _, dup := want[k]; dup {
				t.Fatalf("%s:%d: %s set twice", name, i+1, k)
			}
			want[k] = unquoteValue(v)
		}
	}
	file := filepath.Join(dir, name)
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := netlab.Run(t, 30*time.Second, "shellcheck", "-s", "sh", "-e", "SC2034", file); err != nil {
		t.Fatalf("shellcheck %s: %v\n%s", name, err, out)
	}
	if out, err := netlab.Run(t, 10*time.Second, "bash", "-n", file); err != nil {
		t.Fatalf("bash -n %s: %v\n%s", name, err, out)
	}
	out, err := netlab.Run(t, 10*time.Second, "env", "-i", "/bin/bash", "--norc", "--noprofile", "-c",
		`set -a; . "$1"; set +a; env -0`, "bash", file)
	if err != nil {
		t.Fatalf("sourcing %s: %v\n%s", name, err, out)
	}
	got := map[string]string{}
	for _, kv := range strings.Split(out, "\x00") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			switch k {
			case "PWD", "SHLVL", "_", "OLDPWD":
			default:
				got[k] = v
			}
		}
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("%s: bash sees other values than the file says (-file +bash):\n%s", name, d)
	}
	return got
}

// unquoteValue strips the quotes of a value that plainLine accepted.
func unquoteValue(v string) string {
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') {
		return v[1 : len(v)-1]
	}
	return v
}

// ipLines gives the non-comment lines of a route-/rule- file.
func ipLines(data []byte) []string {
	var out []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

// TestRHELFiles checks the rhel family's files with real tools, for both
// readers (network-scripts: centos7; NetworkManager's ifcfg-rh: rhel8):
// every ifcfg file passes shellcheck and bash -n and, sourced by bash,
// gives exactly its values. The addresses those values describe are added
// in a private network namespace as the readers do (network-scripts:
// `ip addr add IPADDRn/PREFIXn ... label DEVICE`, alias files with their
// label, `ip route replace default metric METRIC via GATEWAY`), every
// route- line is fed to `ip route add` and every rule (rule- lines, or
// ROUTING_RULE_n values) to `ip rule add`, and the kernel's state must be
// exactly the description.
func TestRHELFiles(t *testing.T) {
	netlab.Require(t, true, "shellcheck", "bash", "ip")
	for _, tgt := range distros.Representatives() {
		// The network-scripts files are applied by Red Hat's own scripts
		// (TestRHELNetworkScripts); here their newest form is linted, and
		// both ends of the 8 series' ifcfg-rh reader are emulated.
		if tgt.Family != "rhel" || (tgt.Variant == "network-scripts" && tgt.Release().Name == tgt.Releases[0].Name) {
			continue
		}
		for _, sc := range append(append([]scenario{}, seedScenarios...), ipv6Scenarios...) {
			t.Run(tgt.Name+"/"+sc.name, func(t *testing.T) {
				t.Parallel()
				m, files := renderWhole(t, tgt, sc)
				applyRHELFiles(t, m, files, tgt.Variant == "ifcfg-rh")
			})
		}
	}
}

// prefixOf gives the prefix length of PREFIX<suffix>, or of the dotted
// NETMASK<suffix> that older network-scripts get instead.
func prefixOf(t *testing.T, v map[string]string, suffix string) string {
	t.Helper()
	if p := v["PREFIX"+suffix]; p != "" {
		return p
	}
	mask, err := netip.ParseAddr(v["NETMASK"+suffix])
	if err != nil {
		t.Fatalf("IPADDR%s without PREFIX%s or NETMASK%s", suffix, suffix, suffix)
	}
	b := mask.As4()
	return strconv.Itoa(bits.OnesCount32(binary.BigEndian.Uint32(b[:])))
}

type rhelDevice struct {
	vars  map[string]string
	alias []map[string]string
}

func applyRHELFiles(t *testing.T, m *spec.Model, files render.FileSet, nm bool) {
	fs := readRHELFiles(t, files)
	devs, routes, rules, routes6, rules6 := fs.devs, fs.routes, fs.rules, fs.routes6, fs.rules6

	tn := netlab.NewNet(t, m, nil, netlab.NoDHCP)
	lab, mac, leases, routers := tn.Lab, tn.MACs, tn.Leases, tn.Routers
	ip := func(args ...string) {
		t.Helper()
		netlab.Must(t, "ip", append([]string{"-n", lab.NS}, args...)...)
	}
	var pending [][]string // default routes, added once every link is up
	for _, in := range m.Interfaces {
		d := devs[in.Name]
		if d == nil || d.vars == nil {
			t.Fatalf("no ifcfg-%s", in.Name)
		}
		v := d.vars
		if v["HWADDR"] != "" && v["HWADDR"] != mac[in.Name] {
			t.Fatalf("ifcfg-%s: HWADDR=%s, the NIC has %s", in.Name, v["HWADDR"], mac[in.Name])
		}
		if v["MTU"] != "" {
			ip("link", "set", in.Name, "mtu", v["MTU"])
		}
		ip("link", "set", in.Name, "up")
		if v["BOOTPROTO"] == "dhcp" {
			// What dhclient would lease in the test network, first.
			ip("addr", "add", leases[in.Name].String(), "dev", in.Name, "label", in.Name)
		}
		pending = append(pending, rhelIPv4Emulated(t, ip, in.Name, v, routers[in.Name].String(), nm)...)
		// Alias files: ifup-aliases, `ip addr add IPADDR/PREFIX ... label DEVICE`.
		sort.Slice(d.alias, func(i, j int) bool { return aliasNum(d.alias[i]["DEVICE"]) < aliasNum(d.alias[j]["DEVICE"]) })
		for _, a := range d.alias {
			if a["ONPARENT"] != "yes" || a["NO_ALIASROUTING"] != "yes" {
				t.Fatalf("%s: ONPARENT=%q NO_ALIASROUTING=%q", a["DEVICE"], a["ONPARENT"], a["NO_ALIASROUTING"])
			}
			ip("addr", "add", a["IPADDR"]+"/"+prefixOf(t, a, ""), "dev", in.Name, "label", a["DEVICE"])
		}
	}
	for _, in := range m.Interfaces {
		pending = append(pending, rhelIPv6Emulated(t, ip, in.Name, devs[in.Name].vars, nm)...)
	}
	for _, args := range pending {
		ip(args...)
	}
	for _, r := range routes6 {
		ip(append([]string{"-6", "route", "add"}, strings.Fields(r)...)...)
	}
	for _, r := range rules6 {
		ip(append([]string{"-6", "rule", "add"}, strings.Fields(r)...)...)
	}
	for _, r := range routes {
		ip(append([]string{"route", "add"}, strings.Fields(r)...)...)
	}
	for _, r := range rules {
		ip(append([]string{"rule", "add"}, strings.Fields(r)...)...)
	}

	aliasLabels := func(in *spec.Interface) bool { return len(devs[in.Name].alias) > 0 }
	want := netlab.Want(t, tn.IPv6.Fill(live.Expect{Layout: live.KernelRoutes, MACs: mac, AliasLabels: aliasLabels, Leases: leases, Routers: routers}), m)
	if d := netlab.Diff(want, lab.State()); d != "" {
		t.Fatalf("kernel state differs from the description (-want +got):\n%s\n%s", d, dump(files))
	}
}

// rhelIPv4Emulated adds an interface's static IPv4 addresses as the
// readers do and gives its default route: at once for DHCP, else to add
// once every link is up.
func rhelIPv4Emulated(t *testing.T, ip func(...string), dev string, v map[string]string, router string, nm bool) [][]string {
	t.Helper()
	// IPADDR, IPADDR0, IPADDR1, ... as expand_config reads them: from
	// index 2 on, the first gap ends the list.
	for _, suffix := range append([]string{"", "0"}, seq(1, 257)...) {
		a, ok := v["IPADDR"+suffix]
		if !ok {
			if n, _ := strconv.Atoi(suffix); n >= 2 {
				break
			}
			continue
		}
		p := prefixOf(t, v, suffix)
		label := []string{"label", dev}
		if nm {
			label = nil // NetworkManager sets no labels
		}
		ip(append([]string{"addr", "add", a + "/" + p, "dev", dev}, label...)...)
	}
	metric := v["METRIC"]
	if nm {
		metric = v["IPV4_ROUTE_METRIC"]
	}
	if v["BOOTPROTO"] == "dhcp" {
		if v["DEFROUTE"] != "no" {
			args := []string{"route", "replace", "default", "via", router, "dev", dev}
			if metric != "" {
				args = append(args, "metric", metric)
			}
			ip(args...)
		}
		return nil
	}
	if v["DEFROUTE"] != "no" && v["GATEWAY"] != "" {
		// ifup-eth: ip route replace default ${METRIC:+metric $METRIC}
		// via ${GATEWAY} ${GATEWAYDEV:+dev $GATEWAYDEV}; NetworkManager
		// always routes through the profile's device.
		args := []string{"route", "replace", "default", "via", v["GATEWAY"]}
		if nm {
			args = append(args, "dev", dev)
		} else if v["GATEWAYDEV"] != "" {
			args = append(args, "dev", v["GATEWAYDEV"])
		}
		if metric != "" {
			args = append(args, "metric", metric)
		}
		return [][]string{args}
	}
	return nil
}

// rhelIPv6Emulated adds an interface's static IPv6 as both readers do
// (ifup-ipv6: ip -6 addr replace of IPV6ADDR and each of
// IPV6ADDR_SECONDARIES; ifcfg-rh: the same addresses in the profile), DAD
// left out (the emulation adds the routes at once), and gives
// NetworkManager's default route (IPV6_DEFAULTGW unless IPV6_DEFROUTE=no,
// at IPV6_ROUTE_METRIC) to add once every link is up. network-scripts'
// default route is a route6 line. Only static IPv6 is emulated.
func rhelIPv6Emulated(t *testing.T, ip func(...string), dev string, v map[string]string, nm bool) [][]string {
	t.Helper()
	if v["IPV6INIT"] != "yes" {
		return nil
	}
	if v["DHCPV6C"] != "" || v["IPV6_AUTOCONF"] != "no" {
		t.Fatalf("ifcfg-%s: DHCPV6C=%q IPV6_AUTOCONF=%q: the emulation has no router advertisement nor DHCPv6", dev, v["DHCPV6C"], v["IPV6_AUTOCONF"])
	}
	for _, a := range append(strings.Fields(v["IPV6ADDR"]), strings.Fields(v["IPV6ADDR_SECONDARIES"])...) {
		if !strings.Contains(a, "/") {
			t.Fatalf("ifcfg-%s: %s without prefix (ifup-ipv6 would take /64)", dev, a)
		}
		ip("-6", "addr", "add", a, "dev", dev, "nodad")
	}
	if !nm {
		if v["IPV6_DEFAULTGW"] != "" || v["IPV6_DEFROUTE"] != "" || v["IPV6_ROUTE_METRIC"] != "" {
			t.Fatalf("ifcfg-%s: a key of NetworkManager's in a network-scripts file", dev)
		}
		return nil
	}
	if v["IPV6_DEFAULTGW"] == "" || v["IPV6_DEFROUTE"] == "no" {
		return nil
	}
	args := []string{"-6", "route", "add", "default", "via", v["IPV6_DEFAULTGW"], "dev", dev}
	if m := v["IPV6_ROUTE_METRIC"]; m != "" {
		args = append(args, "metric", m)
	}
	return [][]string{args}
}

// rhelFiles is a rendered file set as the emulation reads it.
type rhelFiles struct {
	devs                           map[string]*rhelDevice
	routes, rules, routes6, rules6 []string
}

// readRHELFiles lints and sources every ifcfg file and gathers the
// route and rule lines (ROUTING_RULE_n and ROUTING_RULE6_n values too).
func readRHELFiles(t *testing.T, files render.FileSet) rhelFiles {
	t.Helper()
	dir := t.TempDir()
	fs := rhelFiles{devs: map[string]*rhelDevice{}}
	devs := fs.devs
	for _, f := range files {
		base := path.Base(f.Path)
		switch {
		case strings.HasPrefix(base, "ifcfg-"):
			vars := lintSourced(t, dir, base, f.Data)
			dev := strings.TrimPrefix(base, "ifcfg-")
			if vars["DEVICE"] != dev {
				t.Fatalf("%s: DEVICE=%s", base, vars["DEVICE"])
			}
			parent, _, isAlias := strings.Cut(dev, ":")
			if devs[parent] == nil {
				devs[parent] = &rhelDevice{}
			}
			if isAlias {
				devs[parent].alias = append(devs[parent].alias, vars)
			} else {
				devs[parent].vars = vars
				for k, v := range vars {
					if strings.HasPrefix(k, "ROUTING_RULE_") {
						fs.rules = append(fs.rules, v)
					} else if strings.HasPrefix(k, "ROUTING_RULE6_") {
						fs.rules6 = append(fs.rules6, v)
					}
				}
			}
		case strings.HasPrefix(base, "route6-"):
			fs.routes6 = append(fs.routes6, ipLines(f.Data)...)
		case strings.HasPrefix(base, "rule6-"):
			fs.rules6 = append(fs.rules6, ipLines(f.Data)...)
		case strings.HasPrefix(base, "route-"):
			fs.routes = append(fs.routes, ipLines(f.Data)...)
		case strings.HasPrefix(base, "rule-"):
			fs.rules = append(fs.rules, ipLines(f.Data)...)
		}
	}
	return fs
}

func seq(from, to int) []string {
	out := make([]string, 0, to-from)
	for i := from; i < to; i++ {
		out = append(out, strconv.Itoa(i))
	}
	return out
}

func aliasNum(dev string) int {
	_, n, _ := strings.Cut(dev, ":")
	i, _ := strconv.Atoi(n)
	return i
}

func dump(files render.FileSet) string {
	var b strings.Builder
	for _, f := range files {
		fmt.Fprintf(&b, "--- %s\n%s", f.Path, f.Data)
	}
	return b.String()
}

// TestShellValuesInert renders a description whose free text holds shell
// syntax for every shell-sourced or shell-run family, sources (or, for
// ifupdown, parses) the result, and checks that nothing ran.
func TestShellValuesInert(t *testing.T) {
	netlab.Require(t, false, "bash", "shellcheck")
	dir := t.TempDir()
	canary := filepath.Join(dir, "ran")
	desc := fmt.Sprintf("$(touch %[1]s) `touch %[1]s`; touch %[1]s | touch %[1]s \\", canary)
	y := fmt.Sprintf("version: 1\ninterfaces:\n  - name: eth0\n    address: 10.0.0.10/24\n    gateway: 10.0.0.1\n    description: %q\n", desc)
	m, err := spec.Load("t.yaml", []byte(y))
	if err != nil {
		t.Fatal(err)
	}
	for _, distro := range []string{"centos7", "rhel8"} {
		for _, f := range renderFor(t, m, distro) {
			if strings.HasPrefix(path.Base(f.Path), "ifcfg-") {
				vars := lintSourced(t, dir, path.Base(f.Path), f.Data)
				if vars["IPADDR"] != "10.0.0.10" {
					t.Errorf("%s: IPADDR=%q", f.Path, vars["IPADDR"])
				}
			}
		}
	}
	if _, err := os.Stat(canary); err == nil {
		t.Fatal("sourcing a rendered file ran a command from the description")
	}
	// ifupdown: the description is a comment, not an option.
	ifaces := fileOf(t, renderFor(t, m, "debian12"), "/etc/network/interfaces")
	netlab.Require(t, false, "ifquery")
	file := filepath.Join(dir, "interfaces")
	if err := os.WriteFile(file, ifaces, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := netlab.Run(t, 10*time.Second, "ifquery", "-i", file, "eth0")
	if err != nil || strings.Contains(out, "touch") {
		t.Fatalf("ifquery eth0: %v\n%s", err, out)
	}
}
