package render_test

import (
	"fmt"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/enicfg/enicfg/distros"
	"github.com/enicfg/enicfg/internal/winmodel"
	"github.com/enicfg/enicfg/render"
	"github.com/enicfg/enicfg/spec"
)

// windowsIPv6Doc builds a description from fuzzed values around a
// secondary ENI with IPv6: free text (description, windows_name), the
// IPv6 mode (static, DHCPv6, SLAAC), IPv4 or none (IPv6-only), secondary
// IPv6 addresses, the router (none, link-local, global, ra), the default
// route and its metric, a route_table, an IPv6 route via a link-local
// router, the MTU.
func windowsIPv6Doc(desc, wname string, mode, router uint8, nsec uint8, metric, table uint32, mtu uint16, ipv4, defRoute, mac bool) map[string]any {
	six := map[string]any{"default_route": defRoute}
	switch mode % 3 {
	case 0:
		six["address"] = "2001:db8:9::10/64"
	case 1:
		six["dhcp"], six["subnet"] = true, "2001:db8:9::/64"
	default:
		six["slaac"], six["subnet"] = true, "2001:db8:9::/64"
	}
	switch router % 4 {
	case 1:
		six["gateway"] = "fe80::1"
	case 2:
		six["gateway"] = "2001:db8:9::1"
	case 3:
		six["gateway"] = "ra"
	}
	if defRoute {
		six["metric"] = int(metric)
	}
	var sec []string
	for k := 0; k < int(nsec%20); k++ {
		sec = append(sec, fmt.Sprintf("2001:db8:9::%x", 0x100+k))
	}
	if len(sec) > 0 {
		six["secondary_ips"] = sec
	}
	in := map[string]any{"name": "eth1", "description": desc, "windows_name": wname, "ipv6": six,
		"routes": []any{map[string]any{"to": "2001:db8:77::/48", "via": "fe80::1"}}}
	if ipv4 {
		in["address"], in["gateway"], in["default_route"] = "10.9.0.10/16", "10.9.0.1", false
	}
	if table != 0 {
		in["route_table"], in["rule_priority"] = int(table), 1+int(table%32765)
	}
	if mtu != 0 {
		in["mtu"] = int(mtu)
	}
	if mac {
		in["mac"] = "00:16:3e:00:00:01"
	}
	return map[string]any{"version": 1, "interfaces": []any{
		map[string]any{"name": "eth0", "mac": "00:16:3e:00:00:00", "address": "10.8.0.10/24", "gateway": "10.8.0.1",
			"dns": map[string]any{"servers": []string{"10.8.0.2"}}},
		in,
	}}
}

// FuzzWindowsIPv6 renders fuzzed IPv6 descriptions (with hostile free
// text) for the windows targets: every script must hold to the checkers
// (cmd.exe's expansion and quoting, the netsh grammar, the cmdlet
// tables), its IPv6 must be written or refused by name, and both
// scripts must run on the host model from a fresh image, twice, the
// second run changing nothing.
func FuzzWindowsIPv6(f *testing.F) {
	for _, hv := range hostileValues {
		f.Add(hv.value, "Ethernet 2", uint8(0), uint8(1), uint8(2), uint32(10), uint32(1001), uint16(9001), true, false, true)
		f.Add("business traffic", hv.value, uint8(2), uint8(1), uint8(1), uint32(0), uint32(1001), uint16(0), false, false, false)
	}
	f.Add("dhcpv6", "Ethernet 2", uint8(1), uint8(3), uint8(1), uint32(0), uint32(0), uint16(0), false, true, true)
	f.Add("slaac", "Ethernet %1 ^&|", uint8(2), uint8(0), uint8(3), uint32(0), uint32(0), uint16(1280), false, false, false)
	f.Add("global", "Ethernet 3", uint8(0), uint8(2), uint8(0), uint32(40000), uint32(7), uint16(1200), true, true, true)
	var targets []distros.Target
	for _, name := range []string{"windows2008r2", "windows2022"} {
		tgt, err := distros.Lookup(name)
		if err != nil {
			f.Fatal(err)
		}
		targets = append(targets, tgt)
	}
	f.Fuzz(func(t *testing.T, desc, wname string, mode, router, nsec uint8, metric, table uint32, mtu uint16, ipv4, defRoute, mac bool) {
		if !mac && strings.EqualFold(strings.TrimSpace(wname), "Ethernet") {
			return // the fresh image's first adapter has that name: two adapters would match
		}
		data, err := yaml.Marshal(windowsIPv6Doc(desc, wname, mode, router, nsec, metric, table, mtu, ipv4, defRoute, mac))
		if err != nil {
			return
		}
		m, err := spec.Load("f.yaml", data)
		if err != nil {
			return
		}
		for _, tgt := range targets {
			files, refused, err := tgt.Render(m, true)
			if err != nil {
				t.Fatalf("%s: %v", tgt.Name, err)
			}
			checkWindowsIPv6Files(t, tgt, m, files, refused)
		}
	})
}

// checkWindowsIPv6Files holds one rendering to the checkers, to IPv6
// written or refused, and to converging on the host model.
func checkWindowsIPv6Files(t *testing.T, tgt distros.Target, m *spec.Model, files render.FileSet, refused []render.Unsupported) {
	t.Helper()
	var all strings.Builder
	for _, fl := range files {
		if err := tgt.Check(fl); err != nil {
			t.Fatalf("%s: %v\n%s", tgt.Name, err, fl.Data)
		}
		all.Write(fl.Data)
	}
	for _, in := range m.Interfaces {
		gone := false
		for _, u := range refused {
			gone = gone || u.Interface == in.Name && (u.Feature == "mac or windows_name" || u.Feature == "windows_name")
		}
		if gone || !in.IPv6.Enabled() {
			continue
		}
		for _, want := range ipv6Strings(&in.IPv6) {
			if !strings.Contains(all.String(), want) {
				t.Fatalf("%s: %s: %s is in no script", tgt.Name, in.Name, want)
			}
		}
	}
	for _, fl := range files {
		run := winmodel.RunCmd
		if fl.Path == render.WindowsPS1 {
			run = winmodel.RunPS
		}
		h := freshHost(m)
		if code, err := run(h, fl.Data); err != nil || code != 0 {
			t.Fatalf("%s %s: first run: exit %d, %v\n%s", tgt.Name, fl.Path, code, err, h.Out.String())
		}
		n := len(h.Changes)
		if code, err := run(h, fl.Data); err != nil || code != 0 {
			t.Fatalf("%s %s: second run: exit %d, %v\n%s", tgt.Name, fl.Path, code, err, h.Out.String())
		}
		if extra := h.Changes[n:]; len(extra) > 0 {
			t.Fatalf("%s %s: the second run changed %q", tgt.Name, fl.Path, extra)
		}
	}
}
