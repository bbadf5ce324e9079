package render_test

import (
	"bytes"
	"fmt"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/enicfg/enicfg/distros"
	"github.com/enicfg/enicfg/render"
	"github.com/enicfg/enicfg/spec"
)

// FuzzRender: every description that validates renders for every built
// family (with and without --skip-unsupported) without a panic, the same
// way twice, into files that keep their family's syntax.
func FuzzRender(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	targets := distros.Representatives()
	// One target a family for large inputs: a mutation with hundreds of
	// interfaces and routes takes seconds over every target, and a run
	// still going when -fuzztime ends fails with "context deadline
	// exceeded".
	var few []distros.Target
	seen := map[string]bool{}
	for _, tgt := range targets {
		if !seen[tgt.Family] {
			seen[tgt.Family] = true
			few = append(few, tgt)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := spec.Load("f.yaml", data)
		if err != nil {
			return
		}
		use := targets
		if size(m) > 64 || len(m.Interfaces) > 8 || len(data) > 8192 {
			use = few
		}
		for _, tgt := range use {
			for _, skip := range []bool{false, true} {
				a, _, errA := tgt.Render(m, skip)
				b, _, errB := tgt.Render(m, skip)
				if (errA == nil) != (errB == nil) {
					t.Fatalf("%s: two renderings disagree", tgt.Name)
				}
				if errA != nil {
					if _, ok := errA.(*render.UnsupportedError); !ok || skip {
						t.Fatalf("%s: %v", tgt.Name, errA)
					}
					continue
				}
				if len(a) != len(b) {
					t.Fatalf("%s: two renderings differ", tgt.Name)
				}
				for i := range a {
					if a[i].Path != b[i].Path || a[i].Mode != b[i].Mode || !bytes.Equal(a[i].Data, b[i].Data) {
						t.Fatalf("%s: %s differs between two renderings", tgt.Name, a[i].Path)
					}
					if err := tgt.Check(a[i]); err != nil {
						t.Fatalf("%s: %v\n%s", tgt.Name, err, a[i].Data)
					}
				}
			}
		}
	})
}

// size counts what a rendering writes per interface: addresses and routes.
func size(m *spec.Model) int {
	n := 0
	for _, in := range m.Interfaces {
		n += 1 + len(in.SecondaryIPs) + len(in.Routes) + len(in.EIPs)
	}
	return n
}

// fuzzIPv6 gives the fuzzed interface IPv6 by six: its low 2 bits the
// mode (none, static, DHCPv6, SLAAC), bit 2 IPv6-only (no IPv4), bit 3 a
// router from router advertisements, bits 4 to 6 the number of secondary
// IPv6 addresses, bit 7 an IPv6 route.
func fuzzIPv6(in map[string]any, six uint8) {
	v6 := map[string]any{"subnet": "2001:db8:9::/64", "gateway": "fe80::1"}
	switch six & 3 {
	case 0:
		return
	case 1:
		v6["address"] = "2001:db8:9::10/64"
	case 2:
		v6["dhcp"] = true
	case 3:
		v6["slaac"] = true
	}
	if six&8 != 0 {
		v6["gateway"] = "ra"
	}
	var sec []string
	for k := 0; k < int(six>>4&7); k++ {
		sec = append(sec, fmt.Sprintf("2001:db8:9::%x", 0x100+k))
	}
	if len(sec) > 0 {
		v6["secondary_ips"] = sec
	}
	if six&0x80 != 0 {
		in["routes"] = []any{map[string]any{"to": "2001:db8:99::/48", "via": "fe80::1", "metric": 5}}
	}
	if six&4 != 0 {
		for _, k := range []string{"address", "dhcp", "subnet", "gateway", "secondary_ips"} {
			delete(in, k)
		}
	}
	in["ipv6"] = v6
}

// fuzzSeeds are the inputs of the golden cases and the examples.
func fuzzSeeds(tb testing.TB) [][]byte {
	var out [][]byte
	for _, sc := range append(append(append([]scenario{}, seedScenarios...), ipv6Scenarios...), ipv6LabScenarios...) {
		// The 8 ENI x 20 IP case takes seconds a run over every target;
		// its mutations would stall the fuzzer (the benchmarks time it).
		if sc.yaml != "" && sc.name != "large-8x20" {
			out = append(out, []byte(sc.yaml))
		}
	}
	paths := goldenInputs(tb)
	return append(out, paths...)
}

// FuzzRenderFields builds descriptions from fuzzed values (free text,
// numbers, switches), so that most inputs validate and reach every
// renderer, and holds the output to the same rules as FuzzRender.
func FuzzRenderFields(f *testing.F) {
	f.Add("business traffic", "Ethernet 2", uint16(1500), uint32(1001), uint32(1001), uint8(2), uint8(2), true, false, true, uint8(0))
	f.Add("$(reboot) `id` ; | & %PATH% ^ \\", "Ethernet %1 ^&|", uint16(9000), uint32(0), uint32(40000), uint8(0), uint8(20), false, true, false, uint8(1))
	f.Add("dual stack", "Ethernet 3", uint16(1500), uint32(7), uint32(1001), uint8(0), uint8(3), false, true, true, uint8(0x13))
	f.Add("IPv6 only", "Ethernet 4", uint16(0), uint32(7), uint32(1001), uint8(0), uint8(1), false, true, true, uint8(0x25))
	// The oldest and newest target of each variant: every branch a tool
	// version takes (the point releases between are in the golden cases
	// and TestConstructVersions).
	targets := distros.Representatives()
	f.Fuzz(func(t *testing.T, desc, wname string, mtu uint16, metric, table uint32, queues, nsec uint8, dhcp, defRoute, mac bool, six uint8) {
		in := map[string]any{"name": "eth1", "description": desc, "windows_name": wname, "default_route": defRoute}
		if dhcp {
			in["dhcp"], in["subnet"] = true, "10.9.0.0/16"
		} else {
			in["address"] = "10.9.0.10/16"
		}
		in["gateway"] = "10.9.0.1"
		if mtu != 0 {
			in["mtu"] = int(mtu)
		}
		if defRoute {
			in["metric"] = int(metric)
		}
		if table != 0 {
			in["route_table"], in["rule_priority"] = int(table), 1+int(table%32765)
		}
		if queues != 0 {
			in["queues"] = int(queues)
		}
		if mac {
			in["mac"] = "00:16:3e:00:00:01"
		}
		var sec []string
		for k := 0; k < int(nsec%60); k++ {
			sec = append(sec, fmt.Sprintf("10.9.1.%d", k+1))
		}
		if len(sec) > 0 {
			in["secondary_ips"] = sec
		}
		fuzzIPv6(in, six)
		doc := map[string]any{"version": 1, "interfaces": []any{
			map[string]any{"name": "eth0", "address": "10.8.0.10/24", "gateway": "10.8.0.1", "default_route": !defRoute},
			in,
		}}
		data, err := yaml.Marshal(doc)
		if err != nil {
			return
		}
		m, err := spec.Load("f.yaml", data)
		if err != nil {
			return
		}
		for _, tgt := range targets {
			files, _, err := tgt.Render(m, true)
			if err != nil {
				t.Fatalf("%s: %v", tgt.Name, err)
			}
			for _, fl := range files {
				if err := tgt.Check(fl); err != nil {
					t.Fatalf("%s: %v\n%s", tgt.Name, err, fl.Data)
				}
			}
		}
	})
}
