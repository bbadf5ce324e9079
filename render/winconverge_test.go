package render_test

import (
	"fmt"
	"maps"
	"net/netip"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/enicfg/enicfg/distros"
	"github.com/enicfg/enicfg/internal/winmodel"
	"github.com/enicfg/enicfg/render"
	"github.com/enicfg/enicfg/spec"
)

// TestWindowsConverge runs each script (the .cmd through the cmd.exe
// model, the .ps1 through the PowerShell model) against the host model
// from several starting states, twice: the first run must end in exactly
// the described state, the second must change nothing. The starting
// states are those an image or an instance really has: a fresh DHCP image;
// the state an earlier description left (another prefix, a secondary no
// longer described, a route by another next hop, other DNS servers);
// settings made by hand (the right address with another prefix, a
// secondary without SkipAsSource, a default route via another gateway,
// static DNS servers); a ghost adapter with the same MAC; an adapter that
// appears only after some seconds.
func TestWindowsConverge(t *testing.T) {
	for _, c := range append(append([]convergeCase{}, convergeCases...), convergeCases6...) {
		for _, kind := range []string{"cmd", "ps1"} {
			for _, start := range append(append([]convergeStart{}, convergeStarts...), convergeStarts6...) {
				if start.onlyPS && kind != "ps1" || !c.ipv6 && start.ipv6 || c.ipv6 && start.ipv4 {
					continue
				}
				t.Run(c.name+"/"+kind+"/"+start.name, func(t *testing.T) {
					m := scenario{name: c.name, yaml: c.yaml}.load(t)
					h := freshHost(m)
					if start.prepare != nil {
						start.prepare(t, h, c, kind)
					}
					// What each adapter had before the run (an adapter
					// that appears late: what the fresh image has).
					before := snapshot(freshHost(m))
					maps.Copy(before, snapshot(h))
					code, err := runWindowsScript(t, h, c.target, m, kind)
					if err != nil {
						t.Fatalf("first run: %v\n%s", err, h.Out.String())
					}
					if code != 0 {
						t.Fatalf("first run: exit %d\n%s", code, h.Out.String())
					}
					checkWanted(t, h, m, before, kind)
					n := len(h.Changes)
					if code, err = runWindowsScript(t, h, c.target, m, kind); err != nil || code != 0 {
						t.Fatalf("second run: exit %d, %v\n%s", code, err, h.Out.String())
					}
					if extra := h.Changes[n:]; len(extra) > 0 {
						t.Errorf("the second run changed %q", extra)
					}
					checkWanted(t, h, m, before, kind)
				})
			}
		}
	}
}

// convergeCase is a description and the one before it (prev: what an
// earlier run of enicfg configured).
type convergeCase struct {
	name, target string
	yaml, prev   string
	ipv6         bool // an IPv6 case: the starts that need IPv4 secondaries are not run
}

var convergeCases = []convergeCase{
	{name: "static", target: "windows2022", yaml: `
version: 1
interfaces:
  - name: eth0
    mac: "00:16:3e:00:00:01"
    address: 172.16.0.20/24
    gateway: 172.16.0.253
    metric: 10
    secondary_ips: [172.16.0.21, 172.16.0.22]
    dns:
      servers: [100.100.2.136, 100.100.2.138]
    mtu: 9001
    routes:
      - to: 10.10.0.0/16
        via: 172.16.0.1
        metric: 20
      - to: 10.11.0.0/16
  - name: eth1
    mac: "00:16:3e:00:00:02"
    address: 172.16.1.20/24
    gateway: 172.16.1.253
    secondary_ips: [172.16.1.21]
    eips:
      - public: 47.100.10.1
        private: 172.16.1.21
`, prev: `
version: 1
interfaces:
  - name: eth0
    mac: "00:16:3e:00:00:01"
    address: 172.16.0.20/16
    gateway: 172.16.0.253
    metric: 30
    secondary_ips: [172.16.0.21, 172.16.0.30]
    dns:
      servers: [8.8.8.8]
    routes:
      - to: 10.10.0.0/16
        via: 172.16.0.2
        metric: 20
  - name: eth1
    mac: "00:16:3e:00:00:02"
    address: 172.16.1.20/24
    gateway: 172.16.1.253
`},
	{name: "dhcp", target: "windows2022", yaml: `
version: 1
interfaces:
  - name: eth0
    mac: "00:16:3e:00:00:01"
    dhcp: true
    subnet: 172.16.0.0/24
    secondary_ips: [172.16.0.21, 172.16.0.22]
    routes:
      - to: 10.10.0.0/16
        via: 172.16.0.1
  - name: eth1
    mac: "00:16:3e:00:00:02"
    dhcp: true
    subnet: 172.16.1.0/24
    default_route: false
`, prev: `
version: 1
interfaces:
  - name: eth0
    mac: "00:16:3e:00:00:01"
    address: 172.16.0.10/24
    gateway: 172.16.0.253
    secondary_ips: [172.16.0.21]
    routes:
      - to: 10.10.0.0/16
        via: 172.16.0.2
  - name: eth1
    mac: "00:16:3e:00:00:02"
    address: 172.16.1.10/24
    gateway: 172.16.1.253
    dns:
      servers: [8.8.8.8]
`},
}

// convergeStart is a starting state, made from the fresh DHCP image.
type convergeStart struct {
	name    string
	onlyPS  bool
	ipv4    bool // needs the first interface's IPv4 secondaries
	ipv6    bool // for the IPv6 cases only
	prepare func(t *testing.T, h *winmodel.Host, c convergeCase, kind string)
}

// primaryAsDescribed sets the first adapter as the first interface is
// described: a static one gets its address and its default route with
// the metric moved by delta; coexistence is on. It gives the interface
// and the adapter.
func primaryAsDescribed(t *testing.T, h *winmodel.Host, c convergeCase, delta int) (*spec.Interface, *winmodel.Adapter) {
	in := scenario{name: c.name, yaml: c.yaml}.load(t).Interfaces[0]
	a := h.Adapters[0]
	if !in.DHCP {
		a.SetDHCP(false)
		a.Addrs = []winmodel.Addr{{IP: in.Address.Addr().String(), Bits: in.Address.Bits(), Origin: "Manual"}}
		a.Routes = []winmodel.Route{{Prefix: "0.0.0.0/0", NextHop: in.Gateway.String(), Metric: int(in.Metric) + delta, Origin: "Gateway"}}
	}
	a.Coexist = true
	return in, a
}

var convergeStarts = []convergeStart{
	{name: "fresh"},
	{name: "earlier-description", prepare: func(t *testing.T, h *winmodel.Host, c convergeCase, kind string) {
		m := scenario{name: c.name + "-prev", yaml: c.prev}.load(t)
		if code, err := runWindowsScript(t, h, c.target, m, kind); err != nil || code != 0 {
			t.Fatalf("the earlier description: exit %d, %v\n%s", code, err, h.Out.String())
		}
	}},
	{name: "by-hand", prepare: func(t *testing.T, h *winmodel.Host, c convergeCase, kind string) {
		// The first adapter made static by hand: the primary address with
		// a /16, a described secondary without SkipAsSource, a default
		// route via another gateway, static DNS servers.
		a := h.Adapters[0]
		a.SetDHCP(false)
		a.Addrs = []winmodel.Addr{
			{IP: "172.16.0.20", Bits: 16, Origin: "Manual"},
			{IP: "172.16.0.21", Bits: 24, Origin: "Manual"},
		}
		a.Routes = []winmodel.Route{{Prefix: "0.0.0.0/0", NextHop: "172.16.0.1", Origin: "Gateway"}}
		a.DNS = []string{"8.8.8.8"}
	}},
	{name: "drifted", ipv4: true, prepare: func(t *testing.T, h *winmodel.Host, c convergeCase, kind string) {
		// The first adapter close to the description: the primary as
		// described (static: with the default route at another metric;
		// DHCP: with coexistence on), but a described secondary without
		// SkipAsSource and a secondary that is not described.
		in, a := primaryAsDescribed(t, h, c, 5)
		a.Addrs = append(a.Addrs,
			winmodel.Addr{IP: in.SecondaryIPs[0].Addr().String(), Bits: in.SecondaryIPs[0].Bits(), Origin: "Manual"},
			winmodel.Addr{IP: "172.16.0.30", Bits: 24, Skip: true, Origin: "Manual"})
	}},
	{name: "no-skip", ipv4: true, prepare: func(t *testing.T, h *winmodel.Host, c convergeCase, kind string) {
		// The first adapter exactly as described, but its secondaries
		// added without SkipAsSource (by hand, or by another tool).
		in, a := primaryAsDescribed(t, h, c, 0)
		for _, s := range in.SecondaryIPs {
			a.Addrs = append(a.Addrs, winmodel.Addr{IP: s.Addr().String(), Bits: s.Bits(), Origin: "Manual"})
		}
	}},
	{name: "changed-after-run", prepare: func(t *testing.T, h *winmodel.Host, c convergeCase, kind string) {
		// Configured by the script, then changed by hand: the first
		// static address of the first adapter gets a /16, and the
		// static default routes of the others another metric.
		m := scenario{name: c.name, yaml: c.yaml}.load(t)
		if code, err := runWindowsScript(t, h, c.target, m, kind); err != nil || code != 0 {
			t.Fatalf("the first run: exit %d, %v\n%s", code, err, h.Out.String())
		}
		a := h.Adapters[0]
		for k := range a.Addrs {
			if a.Addrs[k].Origin == "Manual" {
				a.Addrs[k].Bits = 16
				break
			}
		}
		for _, a := range h.Adapters[1:] {
			for k := range a.Routes {
				if a.Routes[k].Origin != "Dhcp" && a.Routes[k].Prefix == "0.0.0.0/0" {
					a.Routes[k].Metric += 7
				}
			}
		}
		h.Changes = nil
	}},
	{name: "cjk-names", prepare: func(t *testing.T, h *winmodel.Host, c convergeCase, kind string) {
		// Chinese Windows names its adapters 以太网, 以太网 2: the scripts
		// find them by MAC and never write a name themselves.
		for k, a := range h.Adapters {
			a.Name = "以太网"
			if k > 0 {
				a.Name = fmt.Sprintf("以太网 %d", k+1)
			}
		}
	}},
	{name: "ghost", prepare: func(t *testing.T, h *winmodel.Host, c convergeCase, kind string) {
		// A Xen PV to ENA driver change leaves the old adapter behind, not
		// present, with the same MAC, listed first.
		g := *h.Adapters[0]
		g.Name, g.GUID, g.Index, g.Present, g.Up = "Ethernet (PV)", "{99999999-0000-0000-0000-000000000001}", 2, false, false
		g.Addrs, g.Routes, g.DNS = slices.Clone(g.Addrs), slices.Clone(g.Routes), slices.Clone(g.DNS)
		h.Adapters = append([]*winmodel.Adapter{&g}, h.Adapters...)
	}},
	{name: "late", prepare: func(t *testing.T, h *winmodel.Host, c convergeCase, kind string) {
		// The second adapter appears after three waits.
		late := h.Adapters[1]
		h.Adapters = append(h.Adapters[:1:1], h.Adapters[2:]...)
		h.OnSleep = func(h *winmodel.Host) {
			if h.Slept == 3 {
				h.Adapters = append(h.Adapters, late)
			}
		}
	}},
}

// freshHost is a fresh image: one present, connected adapter per
// interface, on DHCP with a lease in the interface's subnet, the IP MTU
// 1500, and an ENA driver (*JumboPacket 1514, 1514 to 9216).
func freshHost(m *spec.Model) *winmodel.Host {
	h := &winmodel.Host{}
	for k, in := range m.Interfaces {
		sub := in.Subnet
		if !sub.IsValid() {
			sub = in.Address.Masked()
		}
		if !sub.IsValid() {
			sub = netip.MustParsePrefix(fmt.Sprintf("10.99.%d.0/24", k))
		}
		base := sub.Addr().As4()
		lease := netip.PrefixFrom(netip.AddrFrom4([4]byte{base[0], base[1], base[2], base[3] + 99}), sub.Bits())
		router := netip.AddrFrom4([4]byte{base[0], base[1], base[2], base[3] + 253})
		name := "Ethernet"
		if k > 0 {
			name = fmt.Sprintf("Ethernet %d", k+1)
		}
		mac := strings.ToUpper(strings.ReplaceAll(in.MAC, ":", "-"))
		if in.MAC == "" {
			name, mac = in.WindowsName, fmt.Sprintf("02-00-00-00-99-%02X", k)
		}
		a := &winmodel.Adapter{
			Name: name, MAC: mac,
			GUID: fmt.Sprintf("{%08d-1111-2222-3333-444444444444}", k), Index: 10 + k,
			Present: true, Up: true, MTU: 1500, MTU6: 1500, RouterDiscovery: true,
			Lease:   winmodel.Lease{Addr: lease, Router: router.String(), DNS: []string{"100.100.2.136"}},
			Keyword: "*JumboPacket", KeywordValue: 1514, KeywordMin: 1514, KeywordMax: 9216,
		}
		if !in.HasIPv4() {
			a.Lease = winmodel.Lease{} // an IPv6-only subnet: no DHCPv4 server
		}
		a.Link6 = freshLink6(in, k)
		a.SetDHCP(true)
		a.Settle6()
		h.Adapters = append(h.Adapters, a)
	}
	return h
}

type adapterSnapshot struct {
	dhcp bool
	dns  []string
}

func snapshot(h *winmodel.Host) map[string]adapterSnapshot {
	s := map[string]adapterSnapshot{}
	for _, a := range h.Adapters {
		s[a.MAC+a.GUID] = adapterSnapshot{dhcp: a.DHCP, dns: slices.Clone(a.EffectiveDNS())}
	}
	return s
}

// runWindowsScript renders the description for the target and runs one
// of its scripts.
func runWindowsScript(t *testing.T, h *winmodel.Host, target string, m *spec.Model, kind string) (int, error) {
	t.Helper()
	files := renderFor(t, m, target)
	if kind == "ps1" {
		return winmodel.RunPS(h, fileOf(t, files, render.WindowsPS1))
	}
	return winmodel.RunCmd(h, fileOf(t, files, render.WindowsCmd))
}

// checkWanted holds each present adapter to the description, worked out
// here from the description itself (not from the renderer's data).
func checkWanted(t *testing.T, h *winmodel.Host, m *spec.Model, before map[string]adapterSnapshot, kind string) {
	t.Helper()
	for _, in := range m.Interfaces {
		mac := strings.ToUpper(strings.ReplaceAll(in.MAC, ":", "-"))
		var a *winmodel.Adapter
		for _, x := range h.Adapters {
			if x.MAC == mac && x.Present {
				a = x
			}
		}
		if a == nil {
			t.Errorf("%s: no adapter", in.Name)
			continue
		}
		for _, x := range h.Adapters {
			if x.MAC == mac && !x.Present && len(h.Changes) > 0 && strings.Contains(strings.Join(h.Changes, "\n"), " "+x.Name) {
				t.Errorf("%s: the ghost adapter %s was changed: %q", in.Name, x.Name, h.Changes)
			}
		}
		// An IPv6-only interface keeps IPv4 on DHCP (no server: no
		// lease), its default routes ignored.
		dhcp4 := in.DHCP || !in.HasIPv4()
		if a.DHCP != dhcp4 {
			t.Errorf("%s: DHCP %v, want %v", in.Name, a.DHCP, dhcp4)
		}
		if !in.HasIPv4() && !a.IgnoreDefaultRoutes {
			t.Errorf("%s: IPv6-only, and DHCP's IPv4 default routes are not ignored", in.Name)
		}
		checkWanted6(t, h, a, in, kind)

		checkIPv4(t, a, in)
		checkDNSMTU(t, a, in, dhcp4, before, kind)
	}
}

// checkIPv4 holds an adapter's IPv4 addresses and routes to the
// description.
func checkIPv4(t *testing.T, a *winmodel.Adapter, in *spec.Interface) {
	t.Helper()
	// Addresses: ip/bits and SkipAsSource; DHCP's lease, or the
	// static primary, then the secondaries, never a source.
	var want []string
	if in.DHCP {
		want = append(want, fmt.Sprintf("%s/%d Dhcp", a.Lease.Addr.Addr(), a.Lease.Addr.Bits()))
	} else if in.HasIPv4() {
		want = append(want, in.Address.String()+" Manual")
	}
	for _, s := range in.SecondaryIPs {
		want = append(want, s.String()+" Manual skip")
	}
	var got []string
	for _, x := range a.Addrs {
		if x.Is6() {
			continue // checkWanted6
		}
		s := fmt.Sprintf("%s/%d %s", x.IP, x.Bits, x.Origin)
		if x.Skip {
			s += " skip"
		}
		got = append(got, s)
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("%s: addresses %q, want %q", in.Name, got, want)
	}

	// Routes: the default route (DHCP's, the gateway with its
	// metric, or a secondary ENI's return path at 9999) and each
	// described route; a metric is compared where it is described.
	want, got = nil, nil
	switch {
	case in.DHCP && in.DefaultRoute:
		want = append(want, "0.0.0.0/0 via "+a.Lease.Router)
	case !in.DHCP && in.DefaultRoute:
		r := "0.0.0.0/0 via " + in.Gateway.String()
		if in.HasMetric {
			r += fmt.Sprintf(" metric %d", in.Metric)
		}
		want = append(want, r)
	case !in.DHCP && !in.Primary && in.HasGateway() && (len(in.SecondaryIPs) > 0 || len(in.EIPs) > 0 || in.Table != 0):
		want = append(want, "0.0.0.0/0 via "+in.Gateway.String()+" metric 9999")
	}
	metrics := map[string]bool{"0.0.0.0/0": !in.DHCP && (in.HasMetric || !in.DefaultRoute)}
	for _, r := range in.Routes {
		via := "0.0.0.0"
		if r.Via.IsValid() {
			via = r.Via.String()
		}
		s := r.To.String() + " via " + via
		if r.HasMetric {
			s += fmt.Sprintf(" metric %d", r.Metric)
		}
		metrics[r.To.String()] = r.HasMetric
		want = append(want, s)
	}
	for _, r := range a.Routes {
		if r.Is6() {
			continue
		}
		s := r.Prefix + " via " + r.NextHop
		if metrics[r.Prefix] {
			s += fmt.Sprintf(" metric %d", r.Metric)
		}
		got = append(got, s)
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("%s: routes %q, want %q", in.Name, got, want)
	}
}

// checkDNSMTU holds an adapter's DNS servers and MTU to the description.
func checkDNSMTU(t *testing.T, a *winmodel.Adapter, in *spec.Interface, dhcp4 bool, before map[string]adapterSnapshot, kind string) {
	t.Helper()
	// DNS: the described servers; else DHCP's on a DHCP adapter; a
	// static adapter without described servers keeps what it had
	// (DHCP's become static ones when DHCP goes).
	wantDNS := in.DNS.Servers
	var ws []string
	for _, d := range wantDNS {
		ws = append(ws, d.String())
	}
	switch {
	case len(ws) > 0:
	case dhcp4:
		ws = a.Lease.DNS
	default:
		ws = before[a.MAC+a.GUID].dns
	}
	if got := a.EffectiveDNS(); !slices.Equal(got, ws) {
		t.Errorf("%s: DNS %q, want %q", in.Name, got, ws)
	}

	if in.MTU != 0 {
		if a.MTU != in.MTU {
			t.Errorf("%s: IP MTU %d, want %d", in.Name, a.MTU, in.MTU)
		}
		// The .ps1 raises the driver's frame size; the .cmd leaves
		// it (it warns).
		frame := 1514
		if kind == "ps1" && in.MTU > 1500 {
			frame = in.MTU + 14
		}
		if a.KeywordValue != frame {
			t.Errorf("%s: *JumboPacket %d, want %d", in.Name, a.KeywordValue, frame)
		}
	}
}

// TestWindowsAdapterMissing: an adapter that never appears makes each
// script wait 60 seconds (30 waits of 2) and exit 1002, with which
// cloudbase-init runs it again at the next boot; two present adapters with
// the described MAC are an error (exit 1), never a guess.
func TestWindowsAdapterMissing(t *testing.T) {
	m := scenario{name: "static", yaml: convergeCases[0].yaml}.load(t)
	for _, kind := range []string{"cmd", "ps1"} {
		h := freshHost(m)
		h.Adapters = h.Adapters[:1]
		code, err := runWindowsScript(t, h, "windows2022", m, kind)
		if err != nil || code != 1002 || h.Slept != 30 {
			t.Errorf("%s, eth1 missing: exit %d after %d waits (%v), want 1002 after 30\n%s", kind, code, h.Slept, err, h.Out.String())
		}
		h = freshHost(m)
		twin := *h.Adapters[0]
		twin.Name, twin.GUID, twin.Index = "Ethernet 9", "{99999999-0000-0000-0000-000000000009}", 99
		twin.Addrs, twin.Routes = slices.Clone(twin.Addrs), slices.Clone(twin.Routes)
		h.Adapters = append(h.Adapters, &twin)
		if code, err := runWindowsScript(t, h, "windows2022", m, kind); err != nil || code != 1 {
			t.Errorf("%s, two adapters with one MAC: exit %d (%v), want 1\n%s", kind, code, err, h.Out.String())
		}
		if len(h.Changes) != 0 {
			t.Errorf("%s, two adapters with one MAC: changed %q", kind, h.Changes)
		}
	}
}

// TestWindowsConvergeEveryCase runs both scripts of every windows golden
// case and of the Windows scenario from a fresh DHCP image, twice: each
// must finish (exit 0) and the second run must change nothing. The
// semantics are TestWindowsConverge's; this runs the interpreters over
// every construct the cases render (hostile adapter names included).
func TestWindowsConvergeEveryCase(t *testing.T) {
	type input struct {
		name, distro string
		skip         bool
		m            *spec.Model
	}
	var inputs []input
	paths, _ := filepath.Glob("../testdata/golden/windows/*.txtar")
	for _, p := range paths {
		gc := loadGolden(t, p)
		m, err := spec.Load(gc.inName, gc.input)
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, input{filepath.Base(p), gc.distro, gc.skip, m})
	}
	for _, sc := range windowsScenarios {
		inputs = append(inputs, input{sc.name, "windows2022", false, sc.load(t)})
	}
	n := 0
	for _, in := range inputs {
		tgt, err := distros.Lookup(in.distro)
		if err != nil {
			t.Fatal(err)
		}
		files, _, err := tgt.Render(in.m, in.skip)
		if err != nil {
			continue // a refused case writes nothing
		}
		for _, f := range files {
			var run func(*winmodel.Host, []byte) (int, error)
			switch f.Path {
			case render.WindowsCmd:
				run = winmodel.RunCmd
			case render.WindowsPS1:
				run = winmodel.RunPS
			default:
				continue
			}
			n++
			h := freshHost(in.m)
			if code, err := run(h, f.Data); err != nil || code != 0 {
				t.Errorf("%s %s: first run: exit %d, %v\n%s", in.name, f.Path, code, err, h.Out.String())
				continue
			}
			k := len(h.Changes)
			if code, err := run(h, f.Data); err != nil || code != 0 {
				t.Errorf("%s %s: second run: exit %d, %v\n%s", in.name, f.Path, code, err, h.Out.String())
			}
			if extra := h.Changes[k:]; len(extra) > 0 {
				t.Errorf("%s %s: the second run changed %q", in.name, f.Path, extra)
			}
		}
	}
	if n < 20 {
		t.Errorf("%d scripts run, want every case's", n)
	}
	t.Logf("%d scripts converged from a fresh image", n)
}
