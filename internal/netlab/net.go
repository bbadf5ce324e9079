package netlab

import (
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/enicfg/enicfg/spec"
)

// The lab as the description sees it: links named and numbered as
// described (udev renames them by MAC with the rendered rules), and a DHCP
// server for each DHCP interface.

// MACs gives every interface a MAC: the described one, or a made-up one.
func MACs(m *spec.Model) map[string]string {
	out := map[string]string{}
	for k, in := range m.Interfaces {
		out[in.Name] = in.MAC
		if in.MAC == "" {
			out[in.Name] = fmt.Sprintf("02:ee:00:00:00:%02x", k+1)
		}
	}
	return out
}

// Leases gives the address the lab's DHCP server hands to each DHCP
// interface: in its subnet when described (avoiding the described IPs),
// else in a made-up one; and the router it announces.
func Leases(m *spec.Model) (map[string]netip.Prefix, map[string]netip.Addr) {
	used := map[netip.Addr]bool{}
	for _, in := range m.Interfaces {
		for _, p := range in.IPs() {
			used[p.Addr()] = true
		}
		if in.Gateway.IsValid() {
			used[in.Gateway] = true
		}
	}
	l, r := map[string]netip.Prefix{}, map[string]netip.Addr{}
	for k, in := range m.Interfaces {
		if !in.DHCP {
			continue
		}
		subnet := in.Subnet
		if !subnet.IsValid() {
			subnet = netip.MustParsePrefix(fmt.Sprintf("192.168.%d.0/24", 200+k))
		}
		a := subnet.Addr().Next()
		for i := 0; i < 19 || used[a]; i++ {
			a = a.Next()
		}
		used[a] = true
		l[in.Name] = netip.PrefixFrom(a, subnet.Bits())
		gw := in.Gateway
		if !gw.IsValid() {
			gw = subnet.Addr().Next()
		}
		r[in.Name] = gw
	}
	return l, r
}

// ApplyUdev lets udev (udevadm test, in a private mount namespace of the
// lab) see the rendered udev rules and .link files at their paths (files
// maps an absolute path to its content; netplan's generated .link files
// can be among them). Each MAC-bound link is created under a temporary
// name with its MAC and must be renamed to the described name; a link
// that a .link file of ours configures must get that file applied.
func ApplyUdev(t *testing.T, lab *Lab, m *spec.Model, mac map[string]string, files map[string][]byte) {
	t.Helper()
	stage := filepath.Join(lab.Dir(), "udev")
	var copies []string
	for p, data := range files {
		local := filepath.Join(stage, p)
		if err := os.MkdirAll(filepath.Dir(local), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(local, data, 0o644); err != nil {
			t.Fatal(err)
		}
		copies = append(copies, fmt.Sprintf("mkdir -p %s && cp %s %s", filepath.Dir(p), local, p))
	}
	script := "set -e\nmount --make-rprivate /\nmount -t tmpfs enicfg-run /run\n" +
		"mount -t tmpfs enicfg-rules /etc/udev/rules.d\n" +
		"if [ -d /etc/systemd/network ]; then mount -t tmpfs enicfg-links /etc/systemd/network; fi\n" +
		strings.Join(copies, "\n") + "\nudevadm test --action=add \"/sys/class/net/$1\" 2>&1\n"
	for k, in := range m.Interfaces {
		link := "/etc/systemd/network/05-enicfg-" + in.Name + ".link"
		_, hasLink := files[link]
		rename := in.MAC != "" && (files["/etc/udev/rules.d/70-enicfg-net.rules"] != nil || hasLink)
		if !rename {
			lab.AddLink(in.Name, mac[in.Name])
			if len(files) == 0 {
				continue
			}
			// Every .link file that matches the link applies (a netplan
			// before 0.99 sets the MTU only in its own .link).
		}
		Require(t, true, "udevadm")
		dev := in.Name
		if rename {
			dev = fmt.Sprintf("tmp%d", k)
			lab.AddLink(dev, mac[in.Name])
		}
		out, err := lab.Exec(30*time.Second, "unshare", "-m", "--propagation", "private", "sh", "-c", script, "sh", dev)
		if err != nil {
			t.Fatalf("udevadm test: %v\n%s", err, out)
		}
		if rename {
			if !strings.Contains(out, fmt.Sprintf("renamed from '%s' to '%s'", dev, in.Name)) {
				t.Fatalf("udev did not rename %s (MAC %s) to %s:\n%s", dev, in.MAC, in.Name, out)
			}
			lab.Rename(dev, in.Name)
		}
		if hasLink && !strings.Contains(out, "ID_NET_LINK_FILE="+link+"\n") {
			t.Fatalf("udev did not apply %s to %s:\n%s", link, in.Name, out)
		}
		for _, l := range strings.Split(out, "\n") {
			if strings.Contains(l, "enicfg") && (strings.Contains(l, "Unknown") || strings.Contains(l, "Failed to parse") || strings.Contains(l, "ignoring")) {
				t.Fatalf("udev complains about our files: %s", l)
			}
		}
	}
}

// startDHCP runs dnsmasq on the peer of each DHCP interface, in the sink
// namespace, handing out the test's lease for that interface's MAC (and,
// with dns, the interface's leaseDNS as its DNS server).
func startDHCP(t *testing.T, lab *Lab, m *spec.Model, mac map[string]string, dns bool) (map[string]netip.Prefix, map[string]netip.Addr) {
	t.Helper()
	l, routers := Leases(m)
	if len(l) == 0 {
		return l, routers
	}
	Require(t, true, "dnsmasq")
	for _, in := range m.Interfaces {
		if !in.DHCP {
			continue
		}
		lease, gw := l[in.Name], routers[in.Name]
		peer := lab.Peer(in.Name)
		Must(t, "ip", "-n", lab.Sink, "addr", "add", netip.PrefixFrom(gw, lease.Bits()).String(), "dev", peer)
		mask := net4Mask(lease.Bits())
		dir := t.TempDir()
		args := []string{"netns", "exec", lab.Sink, "dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null",
			"--no-resolv", "--no-hosts", "--port=0", "--user=root", "--group=root", "--bind-interfaces",
			"--interface=" + peer, "--except-interface=lo", "--pid-file=" + filepath.Join(dir, "pid"),
			"--dhcp-leasefile=" + filepath.Join(dir, "leases"), "--dhcp-authoritative",
			fmt.Sprintf("--dhcp-range=%s,static,%s,1h", lease.Masked().Addr(), mask),
			fmt.Sprintf("--dhcp-host=%s,%s", mac[in.Name], lease.Addr()),
			"--dhcp-option=option:router," + gw.String(),
		}
		if dns {
			args = append(args, "--dhcp-option=option:dns-server,"+LeaseDNS(in))
		}
		Start(t, "ip", args...)
		waitForFile(t, filepath.Join(dir, "pid"), "dnsmasq on "+peer)
	}
	return l, routers
}

// waitForFile waits until a daemon has written its file (dnsmasq its pid
// file, once its sockets are bound), so that a client's first request
// does not go unanswered.
func waitForFile(t *testing.T, path, what string) {
	t.Helper()
	for i := 0; i < 100; i++ {
		if _, err := os.Stat(path); err == nil {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s did not start within 5 s (no %s)", what, path)
}

func net4Mask(bits int) string {
	m := ^uint32(0) << (32 - bits)
	return fmt.Sprintf("%d.%d.%d.%d", m>>24, m>>16&0xff, m>>8&0xff, m&0xff)
}

// Net is a lab whose links carry the description's names and MACs,
// with the address and router that DHCP gives each DHCP interface there,
// and the IPv6 that DHCPv6 and router advertisements give.
type Net struct {
	*Lab
	MACs    map[string]string
	Leases  map[string]netip.Prefix
	Routers map[string]netip.Addr
	IPv6    IPv6Lab
}

// DHCP says what the lab's DHCP server does.
type DHCP int

const (
	NoDHCP      DHCP = iota // leases only computed, for tests that stand in for the client
	DHCPServed              // dnsmasq hands out the leases with a router
	DHCPWithDNS             // and a DNS server, LeaseDNS, per interface
)

// LeaseDNS is the DNS server the lab's DHCP hands an interface with
// DHCPWithDNS: one per interface, so that a test sees whose lease a
// resolv.conf line came from.
func LeaseDNS(in *spec.Interface) string { return fmt.Sprintf("198.51.100.%d", 10+in.Index) }

// NewNet makes the lab. udev applies the rendered rules and .link files
// of udev (by path) to name the MAC-bound links; with DHCPServed or
// DHCPWithDNS, dnsmasq on the peers hands out the leases.
func NewNet(t *testing.T, m *spec.Model, udev map[string][]byte, serve DHCP) *Net {
	t.Helper()
	n := &Net{Lab: New(t), MACs: MACs(m)}
	ApplyUdev(t, n.Lab, m, n.MACs, udev)
	if serve != NoDHCP {
		n.Leases, n.Routers = startDHCP(t, n.Lab, m, n.MACs, serve == DHCPWithDNS)
		n.IPv6 = startRA(t, n.Lab, m, n.MACs)
	} else {
		n.Leases, n.Routers = Leases(m)
		n.IPv6 = Leases6(m, n.MACs)
	}
	return n
}
