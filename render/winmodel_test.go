package render_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/enicfg/enicfg/internal/winmodel"
	"github.com/enicfg/enicfg/render"
)

// smokeYAML is the smoke tests' description: a static interface with a
// default route and a secondary IP.
const smokeYAML = `
version: 1
cloud: aliyun
interfaces:
  - name: eth0
    mac: "00:16:3e:12:e7:27"
    address: 172.16.0.20/24
    gateway: 172.16.0.253
    default_route: true
    secondary_ips: [172.16.0.21]
`

func TestWinModelCmdSmoke(t *testing.T) {
	m := scenario{name: "smoke", yaml: smokeYAML}.load(t)
	script := fileOf(t, renderWith(t, m, "windows2022", true), render.WindowsCmd)
	h := winmodel.Example()
	code, err := winmodel.RunCmd(h, script)
	if err != nil || code != 0 {
		t.Fatalf("exit %d, %v\n%s", code, err, h.Out.String())
	}
	t.Logf("changes: %q\nstate: %s\noutput: %s", h.Changes, h.State(), h.Out.String())
	if !strings.HasSuffix(h.Out.String(), "enicfg: network configured\r\n") {
		t.Errorf("output %q", h.Out.String())
	}
	a := h.Adapters[0]
	if a.DHCP {
		t.Errorf("DHCP still on: %v", a)
	}
	want := []winmodel.Addr{{IP: "172.16.0.20", Bits: 24, Origin: "Manual"}, {IP: "172.16.0.21", Bits: 24, Skip: true, Origin: "Manual"}}
	if !slices.Equal(a.Addrs, want) {
		t.Errorf("addresses %v, want %v", a.Addrs, want)
	}
	if !slices.ContainsFunc(a.Routes, func(r winmodel.Route) bool { return r.Prefix == "0.0.0.0/0" && r.NextHop == "172.16.0.253" }) {
		t.Errorf("no default route via 172.16.0.253: %v", a.Routes)
	}
	// The DNS servers DHCP gave stay, as static ones.
	if !slices.Equal(a.DNS, []string{"100.100.2.136"}) {
		t.Errorf("DNS %v, want DHCP's 100.100.2.136 kept", a.DNS)
	}
	n := len(h.Changes)
	h.Out.Reset()
	code, err = winmodel.RunCmd(h, script)
	if err != nil || code != 0 {
		t.Fatalf("second run: exit %d, %v\n%s", code, err, h.Out.String())
	}
	if len(h.Changes) != n {
		t.Errorf("the second run changed %q", h.Changes[n:])
	}
}

// TestWinModelCmdEveryLineParses reads every line of every rendered .cmd
// (all targets, the golden cases and the scenarios, subroutines and lines
// no run reaches included) as cmd.exe would, every variable set: each
// construct the template uses is one this model knows.
func TestWinModelCmdEveryLineParses(t *testing.T) {
	cmds, _ := windowsScripts(t)
	for _, s := range cmds {
		if err := winmodel.ParseCmd(s.data); err != nil {
			t.Errorf("%s: %v", s.name, err)
		}
	}
}

// TestWinModelCmdDHCP: an adapter found by name, with a static address,
// gets DHCP back: its address and DNS servers from DHCP, its static
// address gone; a second run succeeds too.
func TestWinModelCmdDHCP(t *testing.T) {
	m := scenario{name: "dhcp", yaml: `
version: 1
cloud: aliyun
interfaces:
  - name: eth0
    windows_name: Ethernet
    dhcp: true
`}.load(t)
	script := fileOf(t, renderWith(t, m, "windows2022", true), render.WindowsCmd)
	h := winmodel.Example()
	a := h.Adapters[0]
	a.SetDHCP(false)
	a.Addrs = []winmodel.Addr{{IP: "172.16.0.30", Bits: 24, Origin: "Manual"}}
	a.DNS = []string{"8.8.8.8"}
	for run := 1; run <= 2; run++ {
		h.Out.Reset()
		code, err := winmodel.RunCmd(h, script)
		if err != nil || code != 0 {
			t.Fatalf("run %d: exit %d, %v\n%s", run, code, err, h.Out.String())
		}
		want := []winmodel.Addr{{IP: "172.16.0.10", Bits: 24, Origin: "Dhcp"}}
		if !a.DHCP || !slices.Equal(a.Addrs, want) || a.DNS != nil {
			t.Errorf("run %d: %v, want DHCP with its address and DNS servers only", run, a)
		}
	}
}

// TestPSInterpParsesEveryScript parses every rendered .ps1 and runs it on
// a host without adapters: the interpreter supports all that the
// template writes, and each script waits for its first adapter, then
// exits with 1002 (or 0 for a script without interfaces).
func TestPSInterpParsesEveryScript(t *testing.T) {
	_, ps1s := windowsScripts(t)
	for _, s := range ps1s {
		if _, err := winmodel.ParsePS(string(s.data)); err != nil {
			t.Errorf("%s: %v", s.name, err)
			continue
		}
		h := &winmodel.Host{}
		exit, err := winmodel.RunPS(h, s.data)
		if err != nil {
			t.Errorf("%s: %v", s.name, err)
			continue
		}
		if exit != 1002 && exit != 0 {
			t.Errorf("%s: exit %d on a host without adapters, want 1002\n%s", s.name, exit, h.Out.String())
		}
	}
}

// TestWinModelPSSmoke renders a static interface with a secondary IP for
// windows2022 and runs the .ps1 on an adapter that has a DHCP lease, then
// runs it again: the second run changes nothing.
func TestWinModelPSSmoke(t *testing.T) {
	m := scenario{name: "smoke", yaml: smokeYAML}.load(t)
	ps1 := fileOf(t, renderWith(t, m, "windows2022", true), render.WindowsPS1)
	h := winmodel.Example()
	a := h.Adapters[0]
	run := func(n int) {
		t.Helper()
		h.Out.Reset()
		exit, err := winmodel.RunPS(h, ps1)
		if err != nil {
			t.Fatalf("run %d: %v\n%s", n, err, ps1)
		}
		if exit != 0 {
			t.Fatalf("run %d: exit %d\n%s", n, exit, h.Out.String())
		}
		if !strings.Contains(h.Out.String(), "enicfg: network configured") {
			t.Errorf("run %d: output %q", n, h.Out.String())
		}
	}
	run(1)
	if a.DHCP {
		t.Error("DHCP is still on")
	}
	wantAddrs := []winmodel.Addr{
		{IP: "172.16.0.20", Bits: 24, Origin: "Manual"},
		{IP: "172.16.0.21", Bits: 24, Skip: true, Origin: "Manual"},
	}
	if !slices.Equal(a.Addrs, wantAddrs) {
		t.Errorf("addresses %v, want %v", a.Addrs, wantAddrs)
	}
	wantRoutes := []winmodel.Route{{Prefix: "0.0.0.0/0", NextHop: "172.16.0.253", Origin: "NetMgmt"}}
	if !slices.Equal(a.Routes, wantRoutes) {
		t.Errorf("routes %v, want %v", a.Routes, wantRoutes)
	}
	// No DNS servers described: the ones DHCP gave stay, as static ones.
	if !slices.Equal(a.DNS, []string{"100.100.2.136"}) {
		t.Errorf("DNS %v, want DHCP's 100.100.2.136 kept", a.DNS)
	}
	changes, state := len(h.Changes), h.State()
	t.Logf("first run: %d changes: %q", changes, h.Changes)
	run(2)
	if len(h.Changes) != changes {
		t.Errorf("the second run changed: %q", h.Changes[changes:])
	}
	if h.State() != state {
		t.Errorf("state after the second run:\n%s\nwant:\n%s", h.State(), state)
	}
}
