package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/enicfg/enicfg/distros"
	"github.com/enicfg/enicfg/internal/testenv"
	"github.com/enicfg/enicfg/live"
	"github.com/enicfg/enicfg/render"
)

// TestExitCodes pins the exit codes of FORMAT.md: 0 success, 1 error, and
// for diff 2 when the files differ, for check 2 when the host differs.
func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	desc := filepath.Join(dir, "net.yaml")
	testenv.WriteFile(t, desc, []byte("version: 1\ninterfaces:\n  - name: eth0\n    address: 10.0.0.10/24\n    gateway: 10.0.0.1\n"), 0o644)
	bad := filepath.Join(dir, "bad.yaml")
	testenv.WriteFile(t, bad, []byte("version: 2\n"), 0o644)
	absent := filepath.Join(dir, "absent.yaml")
	testenv.WriteFile(t, absent, []byte("version: 1\ninterfaces:\n  - name: enicfgz9\n    address: 10.0.0.10/24\n    gateway: 10.0.0.1\n"), 0o644)
	root := filepath.Join(dir, "root")
	testenv.Mkdir(t, root)
	code := func(args ...string) int {
		var out, errOut bytes.Buffer
		return run(args, strings.NewReader(""), &out, &errOut)
	}
	steps := []struct {
		args []string
		want int
	}{
		{[]string{"diff", "--distro", "debian12", "-f", desc, "--root", root}, 2}, // nothing written yet
		{[]string{"render", "--distro", "debian12", "-f", desc, "--root", root}, 0},
		{[]string{"diff", "--distro", "debian12", "-f", desc, "--root", root}, 0},
		{[]string{"diff", "--distro", "debian12", "-f", bad, "--root", root}, 1},
		{[]string{"render", "--distro", "debian12", "-f", bad}, 1},
		{[]string{"render", "--bogus"}, 1},
		{[]string{"validate", "-f", desc}, 0},
		// check reads this host: it has no link named enicfgz9.
		{[]string{"check", "-f", absent}, 2},
		{[]string{"check", "-f", absent, "--output", "yaml"}, 1},
		{[]string{"check", "-f", bad}, 1},
	}
	for _, s := range steps {
		if got := code(s.args...); got != s.want {
			t.Errorf("enicfg %s: exit %d, want %d", strings.Join(s.args, " "), got, s.want)
		}
	}
	testenv.WriteFile(t, filepath.Join(root, "etc/network/interfaces"), []byte("edited\n"), 0o644)
	if got := code("diff", "--distro", "debian12", "-f", desc, "--root", root); got != 2 {
		t.Errorf("diff after an edit: exit %d, want 2", got)
	}
}

// TestExpectOfEveryTarget: check --distro knows the kernel layout of every
// family and variant of the catalogue (each variant's descriptor says it):
// a new variant must be placed here too, and one without a layout fails.
func TestExpectOfEveryTarget(t *testing.T) {
	want := map[string]live.Layout{
		"debian/": live.KernelRoutes, "rhel/network-scripts": live.KernelRoutes, "suse/sysconfig": live.KernelRoutes,
		"rhel/ifcfg-rh": live.NM, "nm/": live.NM, "networkd/": live.Networkd, "netplan/": live.Networkd,
		"suse/wicked": live.Wicked,
	}
	for _, tgt := range distros.Expanded() {
		e, _, err := expectOf(tgt.Name)
		if tgt.Family == "windows" {
			if err == nil {
				t.Errorf("%s: check accepts a Windows target", tgt.Name)
			}
			continue
		}
		l, known := want[tgt.Family+"/"+tgt.Variant]
		if err != nil || !known || e.Layout != l {
			t.Errorf("%s (%s/%s): layout %d, %v; want %d (known: %v)", tgt.Name, tgt.Family, tgt.Variant, e.Layout, err, l, known)
		}
		if (tgt.Family == "netplan") != (e.DHCPMetric == render.NetplanDHCPMetric) {
			t.Errorf("%s: DHCP metric %d", tgt.Name, e.DHCPMetric)
		}
	}
}
