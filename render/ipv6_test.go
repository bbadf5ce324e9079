package render_test

import (
	"bytes"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/enicfg/enicfg/distros"
	"github.com/enicfg/enicfg/spec"
)

// TestIPv6NotDropped holds every target to IPv6: each IPv6 address,
// router and route destination of the IPv6 scenarios is written in some
// rendered file, or the target refuses that interface's IPv6 by name. A
// renderer that skips the ipv6 section fails it for its targets.
func TestIPv6NotDropped(t *testing.T) {
	for _, sc := range append(append([]scenario{}, ipv6Scenarios...), ipv6LabScenarios...) {
		m := sc.load(t)
		for _, tgt := range distros.All() {
			files, refused := renderRefused(t, m, tgt.Name, true)
			var all bytes.Buffer
			for _, f := range files {
				all.Write(f.Data)
				all.WriteByte('\n')
			}
			text := strings.ToLower(all.String())
			for _, in := range m.Interfaces {
				six := &in.IPv6
				if !six.Enabled() {
					continue
				}
				refusedHere := false
				for _, u := range refused {
					refusedHere = refusedHere || u.Interface == in.Name
				}
				if refusedHere {
					continue
				}
				for _, want := range ipv6Strings(six) {
					if !strings.Contains(text, want) {
						t.Errorf("%s: %s: %s: %s is in no rendered file, and nothing is refused", sc.name, tgt.Name, in.Name, want)
					}
				}
			}
		}
	}
}

// ipv6Strings gives the IPv6 values an interface's files must carry.
func ipv6Strings(six *spec.IPv6) []string {
	var out []string
	add := func(a netip.Addr) {
		if a.IsValid() {
			out = append(out, a.String())
		}
	}
	for _, p := range six.IPs() {
		add(p.Addr())
	}
	add(six.Gateway)
	for _, r := range six.Routes {
		out = append(out, r.To.Addr().String())
		add(r.Via)
	}
	return out
}

// TestIPv6ExamplesLoad keeps the IPv6 examples valid.
func TestIPv6ExamplesLoad(t *testing.T) {
	for _, f := range []string{"dual-stack-policy-routing.yaml", "ipv6-only.yaml"} {
		data, err := os.ReadFile(filepath.Join("..", "examples", f))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := spec.Load(f, data); err != nil {
			t.Error(err)
		}
	}
}
