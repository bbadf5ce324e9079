package render_test

import (
	"net/netip"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/enicfg/enicfg/internal/netlab"
	"github.com/enicfg/enicfg/render"
)

// nmScenarios6 are IPv6 cases of the nm family's own, applied by
// TestNMKeyfiles: an IPv6-only primary with search domains (they go to
// [ipv6]: libnm rejects them under [ipv4] method=disabled) beside a
// dual-stack SLAAC secondary.
var nmScenarios6 = []scenario{
	{name: "ipv6-only-dns-search", yaml: `
version: 1
interfaces:
  - name: eth0
    dns:
      search: [example.com, corp.example]
    ipv6:
      address: 2001:db8:91::10/64
      gateway: fe80::1
  - name: eth1
    address: 10.9.1.10/24
    default_route: false
    ipv6:
      slaac: true
`},
}

// TestNMStaticRARefused holds the refusal of a static IPv6 address with
// the router of router advertisements to what NetworkManager does: the
// target refuses it, and the one keyfile that would take the advertised
// router (the rendered profile with ipv6.method=auto) makes NetworkManager
// add an address the description does not have (the lab's router
// advertises the managed flag and hands out one other address by DHCPv6,
// as a cloud's DHCPv6 subnet does). If NetworkManager stops doing so, this
// fails: the refusal would have no reason left.
func TestNMStaticRARefused(t *testing.T) {
	netlab.Require(t, true, "NetworkManager", "nmcli", "nm-online", "dbus-daemon")
	m := scenario{name: "static-ra", yaml: `
version: 1
interfaces:
  - name: eth0
    address: 10.9.2.10/24
    gateway: 10.9.2.1
    dns:
      servers: [10.9.2.2]
    ipv6:
      address: 2001:db8:92::10/64
      gateway: ra
`}.load(t)
	files, refused := renderRefused(t, m, "rhel9", true)
	if len(refused) != 1 || refused[0].Interface != "eth0" || refused[0].Feature != "ipv6.gateway ra" {
		t.Fatalf("refusals %v, want eth0's ipv6.gateway ra", refused)
	}
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "keyfiles"), 0o755)
	for _, f := range files {
		if !strings.HasSuffix(f.Path, ".nmconnection") {
			continue
		}
		data := nmIPv6Method(t, f, "auto")
		if err := os.WriteFile(filepath.Join(dir, "keyfiles", path.Base(f.Path)), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	tn := netlab.NewNet(t, m, nil, netlab.DHCPServed)
	startNM(t, tn.Lab, dir)
	static := m.Interfaces[0].IPv6.Address
	got := tn.Lab.WaitFor(20*time.Second, func(s netlab.State) bool { return len(nmOtherV6(s, static)) > 0 })
	other := nmOtherV6(got, static)
	if len(other) == 0 {
		t.Fatalf("NetworkManager with ipv6.method=auto and the static %s added no address of its own (the refusal's reason is gone):\n%v", static, got.Addrs["eth0"])
	}
	t.Logf("ipv6.method=auto beside the static %s: NetworkManager also added %v", static, other)
}

// nmIPv6Method gives a keyfile with the [ipv6] group's method replaced.
func nmIPv6Method(t *testing.T, f render.File, method string) []byte {
	t.Helper()
	re := regexp.MustCompile(`(?m)(\[ipv6\]\nmethod=)\w+$`)
	if !re.Match(f.Data) {
		t.Fatalf("%s has no [ipv6] method:\n%s", f.Path, f.Data)
	}
	return re.ReplaceAll(f.Data, []byte("${1}"+method))
}

// nmOtherV6 gives eth0's global IPv6 addresses other than static.
func nmOtherV6(s netlab.State, static netip.Prefix) []string {
	var out []string
	for _, a := range s.Addrs["eth0"] {
		p, err := netip.ParsePrefix(strings.Fields(a)[0])
		if err == nil && p.Addr().Is6() && p.Addr() != static.Addr() {
			out = append(out, a)
		}
	}
	return out
}

// TestNMDualStackActivates: a dual-stack profile whose IPv6 never comes
// (DHCPv6 asked, and no router answers on the link) still activates on
// its IPv4, which stays in place: ipv4.may-fail and ipv6.may-fail are
// left at NetworkManager's default (true: the profile needs one family).
// With ipv6.may-fail=false appended to the profile, NetworkManager 1.42's
// start-up never completed (nm-online -s, as NetworkManager-wait-online
// runs it, failed after 45 s): boot would wait on IPv6 that may not come.
func TestNMDualStackActivates(t *testing.T) {
	netlab.Require(t, true, "NetworkManager", "nmcli", "nm-online", "dbus-daemon")
	m := scenario{name: "dhcpv6-silent", yaml: `
version: 1
interfaces:
  - name: eth0
    address: 10.9.3.10/24
    gateway: 10.9.3.1
    dns:
      servers: [10.9.3.2]
    ipv6:
      dhcp: true
      subnet: 2001:db8:93::/64
`}.load(t)
	// The lab of the IPv4 alone: no router advertisement, no DHCPv6.
	m4 := scenario{name: "ipv4", yaml: `
version: 1
interfaces:
  - name: eth0
    address: 10.9.3.10/24
    gateway: 10.9.3.1
`}.load(t)
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "keyfiles"), 0o755)
	for _, f := range renderFor(t, m, "rhel9") {
		if strings.HasSuffix(f.Path, ".nmconnection") {
			testWrite(t, filepath.Join(dir, "keyfiles", path.Base(f.Path)), f.Data)
		}
	}
	tn := netlab.NewNet(t, m4, nil, netlab.NoDHCP)
	sb, _ := startNM(t, tn.Lab, dir)
	var devices string
	for i := 0; i < 100 && !strings.Contains(devices, "eth0:connected:enicfg-eth0\n"); i++ {
		time.Sleep(200 * time.Millisecond)
		devices, _ = sb.Run(10*time.Second, nil, "nmcli", "-t", "-f", "DEVICE,STATE,CONNECTION", "device")
	}
	if !strings.Contains(devices, "eth0:connected:enicfg-eth0\n") {
		t.Fatalf("eth0 is not connected with its profile while its IPv6 does not come:\n%s", devices)
	}
	got := tn.Lab.State()
	if !slices.Contains(got.Addrs["eth0"], "10.9.3.10/24 label eth0") || len(nmOtherV6(got, netip.Prefix{})) != 0 {
		t.Fatalf("eth0 should hold its IPv4 and no global IPv6 address: %v", got.Addrs["eth0"])
	}
}

func testWrite(t *testing.T, p string, data []byte) {
	t.Helper()
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestNMIPv4OnlyTakesRA shows what the [ipv6] method=auto of an IPv4-only
// profile (NetworkManager's default, written out as before) does where the
// network advertises IPv6: NetworkManager configures the advertised
// prefix (an EUI-64 address: a keyfile without addr-gen-mode reads as
// eui64, or from 1.40 on as the configuration's default, else eui64) and
// the advertised default route at the device's metric, as the kernel does
// for the other families when it is left alone (accept_ra 1, metric
// 1024). docs/nm.md says so.
func TestNMIPv4OnlyTakesRA(t *testing.T) {
	got := nmOnAdvertisingLink(t, `
version: 1
interfaces:
  - name: eth0
    address: 10.9.4.10/24
    gateway: 10.9.4.1
    dns:
      servers: [10.9.4.2]
`, true)
	if len(nmOtherV6(got, netip.Prefix{})) == 0 || !nmAdvertisedDefault(got) {
		t.Fatalf("an IPv4-only profile took no advertised address or default route: %v %v", got.Addrs["eth0"], got.Routes["main"])
	}
	t.Logf("IPv4-only profile, [ipv6] method=auto: %v; %v", got.Addrs["eth0"], got.Routes["main"])
}

// TestNMStaticIgnoresRA: a static IPv6 profile (method=manual) takes
// nothing of the advertisements of its link: no SLAAC address, no
// advertised default route (NetworkManager handles advertisements itself
// and keeps the kernel's accept_ra off).
func TestNMStaticIgnoresRA(t *testing.T) {
	got := nmOnAdvertisingLink(t, `
version: 1
interfaces:
  - name: eth0
    address: 10.9.4.10/24
    gateway: 10.9.4.1
    dns:
      servers: [10.9.4.2]
    ipv6:
      address: 2001:db8:94::10/64
      gateway: 2001:db8:94::1
`, false)
	static := netip.MustParsePrefix("2001:db8:94::10/64")
	if other := nmOtherV6(got, static); len(other) > 0 || nmAdvertisedDefault(got) {
		t.Fatalf("a static profile took from the advertisements: %v %v", got.Addrs["eth0"], got.Routes["main"])
	}
	if !slices.ContainsFunc(got.Addrs["eth0"], func(a string) bool { return strings.HasPrefix(a, static.String()) }) {
		t.Fatalf("eth0 lacks its static %s: %v", static, got.Addrs["eth0"])
	}
}

// nmOnAdvertisingLink runs NetworkManager with the rhel9 profiles of the
// description on a link where the lab's router advertises the SLAAC
// prefix 2001:db8:94::/64, and gives the kernel's state once the
// advertisement was taken (want) or after 20 s.
func nmOnAdvertisingLink(t *testing.T, description string, want bool) netlab.State {
	t.Helper()
	netlab.Require(t, true, "NetworkManager", "nmcli", "nm-online", "dbus-daemon")
	m := scenario{name: "profile", yaml: description}.load(t)
	lab6 := scenario{name: "slaac-lab", yaml: `
version: 1
interfaces:
  - name: eth0
    address: 10.9.4.10/24
    gateway: 10.9.4.1
    ipv6:
      slaac: true
      subnet: 2001:db8:94::/64
`}.load(t)
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "keyfiles"), 0o755)
	for _, f := range renderFor(t, m, "rhel9") {
		if strings.HasSuffix(f.Path, ".nmconnection") {
			testWrite(t, filepath.Join(dir, "keyfiles", path.Base(f.Path)), f.Data)
		}
	}
	tn := netlab.NewNet(t, lab6, nil, netlab.DHCPServed)
	startNM(t, tn.Lab, dir)
	// Taken: an advertised default route and an address; not taken can
	// only be seen by waiting (dnsmasq advertises every 4 s).
	return tn.Lab.WaitFor(20*time.Second, func(s netlab.State) bool {
		return want && nmAdvertisedDefault(s) && len(nmOtherV6(s, netip.Prefix{})) > 0
	})
}

// nmAdvertisedDefault tells whether main holds a default route via a
// link-local router (the lab's advertised one).
func nmAdvertisedDefault(s netlab.State) bool {
	return slices.ContainsFunc(s.Routes["main"], func(r string) bool { return strings.HasPrefix(r, "default via fe80:") })
}
