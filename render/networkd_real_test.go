package render_test

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/enicfg/enicfg/distros"
	"github.com/enicfg/enicfg/internal/netlab"
	"github.com/enicfg/enicfg/live"
	"github.com/enicfg/enicfg/render"
	"github.com/enicfg/enicfg/spec"
)

const networkdBin = "/lib/systemd/systemd-networkd"

// TestNetworkd applies the rendered .network files with the real
// systemd-networkd inside a private network namespace (its .link files
// through udevadm test first), for every seed scenario and for the
// networkd targets with the oldest and the newest systemd (the generic
// family's [DHCP] section and udev queue rule, Amazon Linux 2023's
// [DHCPv4] and CombinedChannels=), and compares the kernel's state with
// the description. Debian's systemd 252 reads both forms; for older
// systemd the version data is the check.
func TestNetworkd(t *testing.T) {
	netlab.Require(t, true, networkdBin, "udevadm", "ip")
	var mu sync.Mutex
	applied := map[string]bool{}
	for _, tgt := range distros.Representatives() {
		if tgt.Family != "networkd" {
			continue
		}
		for _, sc := range networkdScenarios() {
			t.Run(tgt.Name+"/"+sc.name, func(t *testing.T) {
				t.Parallel()
				m, files := renderWhole(t, tgt, sc)
				mu.Lock()
				again := applied[sc.name+"\x00"+seen(nil, files)]
				applied[sc.name+"\x00"+seen(nil, files)] = true
				mu.Unlock()
				if again {
					t.Skip("the same files were applied for another target")
				}
				// What amazon-ec2-net-utils and cloud-init write for each NIC:
				// ours must win (amazon-ec2-net-utils issue 146), or the state
				// or the names would differ.
				rivals := map[string][]byte{}
				for _, in := range m.Interfaces {
					rival := []byte("[Match]\nName=" + in.Name + "\n\n[Network]\nDHCP=yes\nAddress=192.0.2.99/24\n")
					rivals["/run/systemd/network/70-"+in.Name+".network"] = rival
					rivals["/etc/systemd/network/10-cloud-init-"+in.Name+".network"] = rival
					if in.MAC != "" {
						rivals["/etc/systemd/network/10-cloud-init-"+in.Name+".link"] = []byte(
							"[Match]\nMACAddress=" + in.MAC + "\n\n[Link]\nName=rival" + in.Name + "\n")
					}
				}
				ours := func(ifname string) string { return "/etc/systemd/network/05-enicfg-" + ifname + ".network" }
				runNetworkd(t, m, files, rivals, ours, 1024, "networkd") // networkd's default DHCP route metric
			})
		}
	}
}

// networkdScenarios are the scenarios networkd and netplan apply: the
// seeds, the IPv6 ones (with the lab's router for DHCPv6 and SLAAC), and
// networkdRAScenarios.
func networkdScenarios() []scenario {
	return append(append(append(append([]scenario{}, seedScenarios...), ipv6Scenarios...), ipv6LabScenarios...), networkdRAScenarios...)
}

// networkdRAScenarios take router advertisements with every IPv6 default
// route kept: DHCPv4 and DHCPv6 on one ENI (DHCP=yes; under netplan its
// [DHCP] RouteMetric= is the advertised routes' metric too) beside a
// SLAAC ENI at networkd's metric, which netplan can say too (without
// metric 600, netplan's DHCP metric 100 was seen on eth0's advertised
// routes; networkd's 1024 equals eth1's, and the kernel merges the two
// default routes into one of two next hops); and a static ENI whose router comes from
// advertisements (no SLAAC address, no DHCPv6 there), which it cannot.
var networkdRAScenarios = []scenario{
	{name: "ipv6-ra-mixed", yaml: `
version: 1
interfaces:
  - name: eth0
    dhcp: true
    metric: 600
    ipv6:
      dhcp: true
  - name: eth1
    address: 10.8.5.10/24
    gateway: 10.8.5.1
    default_route: true
    metric: 300
    ipv6:
      slaac: true
      metric: 1024
`},
	{name: "ipv6-static-ra", yaml: `
version: 1
interfaces:
  - name: eth0
    address: 10.8.6.10/24
    gateway: 10.8.6.1
    ipv6:
      address: 2001:db8:86::10/64
      gateway: ra
      metric: 700
`},
}

// networkdComplaint is what networkd logs about a file it does not take
// as written.
var networkdComplaint = regexp.MustCompile(`(?i)(unknown (key|section)|failed to parse|ignoring|invalid)`)

// runNetworkd runs systemd-networkd on the .network files of files (plus
// generated, e.g. netplan's output, by absolute path), with udev applying
// every .link file first, and checks the state.
//
// networkFile names the .network file that must configure each link, and
// dhcpMetric the route metric of DHCP routes when none is described.
func runNetworkd(t *testing.T, m *spec.Model, files render.FileSet, generated map[string][]byte, networkFile func(ifname string) string, dhcpMetric int, distro string) {
	t.Helper()
	links := map[string][]byte{}
	networks := map[string][]byte{}
	all := map[string][]byte{}
	for _, f := range files {
		all[f.Path] = f.Data
	}
	for p, d := range generated {
		all[p] = d
	}
	for p, d := range all {
		switch path.Ext(p) {
		case ".link":
			links[p] = d
		case ".network":
			networks[p] = d
		}
	}
	tn := netlab.NewNet(t, m, links, netlab.DHCPServed)
	lab, mac, leases, routers := tn.Lab, tn.MACs, tn.Leases, tn.Routers

	stage := filepath.Join(lab.Dir(), "networkd")
	var copies []string
	for p, d := range networks {
		local := filepath.Join(stage, p)
		os.MkdirAll(filepath.Dir(local), 0o755)
		if err := os.WriteFile(local, d, 0o644); err != nil {
			t.Fatal(err)
		}
		copies = append(copies, fmt.Sprintf("mkdir -p %s && cp %s %s", filepath.Dir(p), local, p))
	}
	// /run and the configuration folders are private tmpfs; /sys is
	// read-only so that networkd does not wait for udev.
	sb := lab.Sandbox(`
mount -o remount,ro /sys
mount -t tmpfs enicfg-run /run
mkdir -p /run/systemd/netif /run/systemd/network
chown systemd-network:systemd-network /run/systemd/netif
mount -t tmpfs enicfg-etc /etc/systemd/network
if [ -d /usr/lib/systemd/network ]; then mount -t tmpfs enicfg-lib /usr/lib/systemd/network; fi
` + strings.Join(copies, "\n") + "\n")
	log := filepath.Join(lab.Dir(), "networkd.log")
	sb.Start([]string{"SYSTEMD_LOG_LEVEL=debug", "SYSTEMD_LOG_TARGET=console", "SYSTEMD_LOG_COLOR=0"},
		"sh", "-c", "exec "+networkdBin+" > "+log+" 2>&1")

	// networkd's own verdict first: every link configured (it waits for
	// an IPv6 router advertisement that never comes, a few seconds).
	var states string
	deadline := time.Now().Add(45 * time.Second)
	for {
		var err error
		states, err = sb.Run(10*time.Second, nil, "sh", "-c",
			`for f in /run/systemd/netif/links/*; do [ -e "$f" ] && (. "$f"; echo "$ADMIN_STATE $NETWORK_FILE"); done; true`)
		if err != nil {
			t.Fatalf("link states: %v\n%s", err, states)
		}
		n := 0
		for _, l := range strings.Split(strings.TrimSpace(states), "\n") {
			if strings.HasPrefix(l, "configured ") || strings.HasPrefix(l, "failed ") {
				n++
			}
		}
		if n >= len(m.Interfaces) || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	logText, _ := os.ReadFile(log)
	for _, in := range m.Interfaces {
		if !strings.Contains(states, "configured "+networkFile(in.Name)) {
			t.Errorf("%s is not configured by its file; networkd says:\n%s", in.Name, states)
		}
	}
	want := netlab.Want(t, tn.IPv6.Fill(live.Expect{Layout: live.Networkd, MACs: mac, Leases: leases, Routers: routers, DHCPMetric: dhcpMetric}), m)
	if d := netlab.Diff(want, lab.State()); d != "" {
		t.Fatalf("kernel state differs from the description (-want +got):\n%s\n%s\n--- networkd log (tail):\n%s", d, dump(files), tail(string(logText), 40))
	}
	// The resolver settings networkd hands to systemd-resolved: DNS= and
	// DOMAINS= of each link's state file.
	dnsOut, err := sb.Run(10*time.Second, nil, "sh", "-c",
		`for f in /run/systemd/netif/links/*; do [ -e "$f" ] && echo "$(sed -n 's/^NETWORK_FILE=//p' "$f")|$(sed -n 's/^DNS=//p' "$f")|$(sed -n 's/^DOMAINS=//p' "$f")"; done; true`)
	if err != nil {
		t.Fatalf("link DNS: %v\n%s", err, dnsOut)
	}
	wantDNS := dnsWant(m)
	for _, in := range m.Interfaces {
		found := false
		for _, l := range strings.Split(dnsOut, "\n") {
			f := strings.Split(l, "|")
			if len(f) == 3 && f[0] == networkFile(in.Name) {
				found = true
				checkDNS(t, "networkd", in.Name, wantDNS[in.Name], strings.Fields(f[1]), strings.Fields(f[2]), in.DHCP)
			}
		}
		if !found {
			t.Errorf("networkd keeps no state for %s:\n%s", in.Name, dnsOut)
		}
		if t.Failed() {
			st, _ := sb.Run(10*time.Second, nil, "sh", "-c", "head -100 /run/systemd/netif/links/*")
			t.Logf("state files:\n%s", st)
		}
	}
	for _, l := range strings.Split(string(logText), "\n") {
		if strings.Contains(l, ".network") && networkdComplaint.MatchString(l) {
			t.Errorf("networkd: %s", l)
		}
	}
	checkHost(t, tn.Lab, m, distro, true)
}

func tail(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
