package render_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/enicfg/enicfg/internal/netlab"
	"github.com/enicfg/enicfg/render"
	"github.com/enicfg/enicfg/spec"
)

// cloudInitNetplan is what cloud-init writes as 50-cloud-init.yaml on an
// Ubuntu instance: DHCP on every NIC, matched by MAC.
func cloudInitNetplan(m *spec.Model, mac map[string]string) []byte {
	var b strings.Builder
	b.WriteString("network:\n    ethernets:\n")
	for _, in := range m.Interfaces {
		fmt.Fprintf(&b, "        %s:\n            dhcp4: true\n            dhcp6: false\n            match:\n                macaddress: '%s'\n            set-name: %s\n", in.Name, mac[in.Name], in.Name)
	}
	b.WriteString("    version: 2\n")
	return []byte(b.String())
}

// TestNetplan: `netplan generate --root-dir` accepts the rendered file
// beside cloud-init's 50-cloud-init.yaml (which describes every NIC as
// DHCP) with no warning, and what it generates, with our .link files, is
// applied by the real udev and systemd-networkd in a private network
// namespace: the state must be exactly the description.
func TestNetplan(t *testing.T) {
	netlab.Require(t, true, "netplan", networkdBin, "udevadm", "unshare")
	for _, sc := range seedScenarios {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			m := sc.load(t)
			files := renderFor(t, m, "ubuntu2204")
			generated := netplanGenerate(t, m, fileOf(t, files, "/etc/netplan/90-enicfg.yaml"))
			var links render.FileSet
			for _, f := range files {
				if strings.HasSuffix(f.Path, ".link") {
					links = append(links, f)
				}
			}
			netplans := func(ifname string) string { return "/run/systemd/network/10-netplan-" + ifname + ".network" }
			runNetworkd(t, m, links, generated, netplans, 100) // netplan's default DHCP route-metric
		})
	}
}

// netplanGenerate runs the real netplan generator on the file and gives
// the systemd-networkd files it generates, by their absolute paths.
func netplanGenerate(t *testing.T, m *spec.Model, yaml []byte) map[string][]byte {
	t.Helper()
	root := t.TempDir()
	dir := filepath.Join(root, "etc", "netplan")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "90-enicfg.yaml"), yaml, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "50-cloud-init.yaml"), cloudInitNetplan(m, macs(m)), 0o600); err != nil {
		t.Fatal(err)
	}
	// netplan generate calls udevadm and systemctl: an empty private /run
	// keeps them from reaching the host.
	out, err := netlab.Run(t, 60*time.Second, "unshare", "-m", "--propagation", "private", "sh", "-c",
		`mount -t tmpfs enicfg-run /run && exec netplan generate --root-dir "$1"`, "sh", root)
	if err != nil || strings.TrimSpace(out) != "" {
		t.Fatalf("netplan generate: %v\n%s\n--- 90-enicfg.yaml:\n%s", err, out, yaml)
	}
	gen := map[string][]byte{}
	paths, _ := filepath.Glob(filepath.Join(root, "run", "systemd", "network", "*"))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		// veth links have no permanent MAC; on a real NIC the permanent
		// and the current MAC are the same at boot.
		data = []byte(strings.ReplaceAll(string(data), "PermanentMACAddress=", "MACAddress="))
		gen["/run/systemd/network/"+filepath.Base(p)] = data
	}
	if len(gen) == 0 {
		t.Fatal("netplan generated no networkd file")
	}
	return gen
}
