package render_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/enicfg/enicfg/distros"
	"github.com/enicfg/enicfg/internal/netlab"
	"github.com/enicfg/enicfg/render"
	"github.com/enicfg/enicfg/spec"
	"github.com/enicfg/enicfg/versions"
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

// netplanGenerator is one netplan generator: Debian's own, or one built
// from ../shared/compat at a release the targets ship.
type netplanGenerator struct {
	version versions.Version
	path    string // called with --root-dir DIR
}

var debianVersion = regexp.MustCompile(`^[0-9]+(\.[0-9]+)*`)

// netplanGenerators gives every generator at hand, oldest first.
func netplanGenerators(t *testing.T) []netplanGenerator {
	t.Helper()
	out, err := exec.Command("dpkg-query", "-W", "-f", "${Version}", "netplan.io").Output()
	if err != nil {
		t.Fatalf("dpkg-query netplan.io: %v", err)
	}
	gens := []netplanGenerator{{version: versions.Version(debianVersion.FindString(string(out))), path: "/usr/libexec/netplan/generate"}}
	for _, tool := range netlab.Compat(t, "netplan") {
		gens = append(gens, netplanGenerator{version: versions.Version(tool.Version), path: filepath.Join(tool.Dir, "netplan-generate")})
	}
	sort.Slice(gens, func(i, j int) bool { return gens[i].version.Compare(gens[j].version) < 0 })
	return gens
}

// inSpan tells whether v is one of the versions a span covers.
func inSpan(s versions.Span, v versions.Version) bool {
	return v.AtLeast(s.First) && (v.Compare(s.Last) <= 0 || v.Within(s.Last))
}

// verdict is what the version data says a netplan release does with a
// file: take it ("accept"), refuse it ("reject"), or take it and misread
// a construct ("unsure": no claim).
func verdict(fam *render.Family, keys []string, v versions.Version) string {
	cov := versions.Coverage{Spans: []versions.Span{{Tool: versions.Netplan, First: v, Last: v}}}
	out := "accept"
	for _, k := range keys {
		for _, c := range fam.ConstructsFor(k, cov) {
			switch {
			case cov.Has(c):
			case c.Rejected && !v.AtLeast(c.Since):
				return "reject"
			default:
				out = "unsure"
			}
		}
	}
	return out
}

// TestNetplan runs every netplan release at hand (Debian's, and those of
// ../shared/compat that the targets ship: 0.36.3, 0.40.1, 0.99, 0.103,
// 0.104, 1.0, 1.1.2) on the file that each netplan target and point
// release renders for every scenario, beside cloud-init's
// 50-cloud-init.yaml:
//   - every release the target covers must generate without a word, and
//     what it generates, with our .link files, is applied by the real udev
//     and systemd-networkd in a private network namespace: the state must
//     be exactly the description (each distinct file and release once);
//   - every release must do what the version data says: refuse a file
//     with a construct newer than it that old releases refuse, take one
//     whose constructs it all reads;
//   - what a target refuses, it refuses by name with the version that
//     would take it.
func TestNetplan(t *testing.T) {
	netlab.Require(t, true, "netplan", networkdBin, "udevadm", "unshare", "dpkg-query")
	gens := netplanGenerators(t)
	fam, _ := render.FamilyNamed("netplan")
	var mu sync.Mutex
	applied := map[string]bool{}
	for _, tgt := range distros.Expanded() {
		if tgt.Family != "netplan" {
			continue
		}
		span, _ := tgt.Coverage().Span(versions.Netplan)
		for _, sc := range networkdScenarios() {
			t.Run(tgt.Name+"/"+sc.name, func(t *testing.T) {
				t.Parallel()
				m := sc.load(t)
				files, refused := renderRefused(t, m, tgt.Name, true)
				refusedByVersion(t, refused)
				f := fileNamed(t, files, "/etc/netplan/90-enicfg.yaml")
				keys, err := fam.Keys(f)
				if err != nil {
					t.Fatal(err)
				}
				newest := versions.Version("")
				for _, g := range gens {
					if inSpan(span, g.version) {
						newest = g.version
					}
				}
				for _, g := range gens {
					generated, out, err := netplanGenerate(t, g, m, f)
					accepted := err == nil && strings.TrimSpace(out) == ""
					covered := inSpan(span, g.version)
					switch v := verdict(fam, keys, g.version); {
					case covered && !accepted:
						t.Errorf("netplan %s, which %s covers, does not take the file: %v\n%s\n--- 90-enicfg.yaml:\n%s", g.version, tgt.Name, err, out, f.Data)
					case v == "accept" && !accepted:
						t.Errorf("the version data says netplan %s takes the file, but it says: %v\n%s", g.version, err, out)
					case v == "reject" && accepted:
						t.Errorf("the version data says netplan %s refuses the file, but it takes it", g.version)
					}
					if !covered || !accepted || len(refused) > 0 || (sc.name == "large-8x20" && g.version != newest) {
						continue // networkd applies the largest case from the newest release only
					}
					// What networkd and udev see decides: releases and
					// targets that generate the same files are applied once.
					var links render.FileSet
					for _, f := range files {
						if strings.HasSuffix(f.Path, ".link") || strings.HasPrefix(f.Path, "/etc/udev/") {
							links = append(links, f)
						}
					}
					id := sc.name + "\x00" + seen(generated, links)
					mu.Lock()
					done := applied[id]
					applied[id] = true
					mu.Unlock()
					if done {
						continue
					}
					t.Run("netplan-"+string(g.version), func(t *testing.T) {
						netplans := func(ifname string) string { return "/run/systemd/network/10-netplan-" + ifname + ".network" }
						runNetworkd(t, m, links, generated, netplans, 100, "netplan") // netplan's default DHCP route-metric
					})
				}
			})
		}
	}
}

// seen gives what networkd and udev are given, without enicfg's header
// (which names the target), as one string.
func seen(generated map[string][]byte, links render.FileSet) string {
	var parts []string
	for p, d := range generated {
		parts = append(parts, p+"\n"+string(d))
	}
	for _, f := range links {
		_, body, _ := strings.Cut(string(f.Data), "are overwritten.\n")
		parts = append(parts, f.Path+"\n"+body)
	}
	sort.Strings(parts)
	return strings.Join(parts, "\x00")
}

// refusedByVersion: every refusal names the version that would take the
// feature, or says that no version does.
func refusedByVersion(t *testing.T, refused []render.Unsupported) {
	t.Helper()
	for _, u := range refused {
		if byDesign(u) {
			continue
		}
		if !strings.Contains(u.Why, " or later (") && !strings.Contains(u.Why, "no version of") {
			t.Errorf("refused without a version: %s", u)
		}
	}
}

// designRefusals are the refusals that no version would lift: the
// family's way of keeping the setting cannot hold it (by the family of
// the target, the feature and words of the reason).
var designRefusals = []struct{ family, feature, why string }{
	{"rhel", "dns", "network-scripts keep one /etc/resolv.conf"},
	{"suse", "dns", "NETCONFIG_DNS_STATIC_SERVERS"},
}

func byDesign(u render.Unsupported) bool {
	tgt, err := distros.Lookup(u.Target)
	if err != nil {
		return false
	}
	for _, d := range designRefusals {
		if tgt.Family == d.family && u.Feature == d.feature && strings.Contains(u.Why, d.why) {
			return true
		}
	}
	return false
}

func fileNamed(t *testing.T, files render.FileSet, path string) render.File {
	t.Helper()
	for _, f := range files {
		if f.Path == path {
			return f
		}
	}
	t.Fatalf("no %s in the rendered files", path)
	return render.File{}
}

// netplanGenerate runs a netplan generator on the rendered file (with its
// rendered mode) beside cloud-init's, and gives the systemd-networkd
// files it generates by their absolute paths, and what it printed.
func netplanGenerate(t *testing.T, g netplanGenerator, m *spec.Model, f render.File) (map[string][]byte, string, error) {
	t.Helper()
	root := t.TempDir()
	dir := filepath.Join(root, "etc", "netplan")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "90-enicfg.yaml"), f.Data, f.Mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(dir, "90-enicfg.yaml"), f.Mode); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "50-cloud-init.yaml"), cloudInitNetplan(m, netlab.MACs(m)), 0o600); err != nil {
		t.Fatal(err)
	}
	// The generator may call udevadm and systemctl: an empty private /run
	// keeps them from reaching the host.
	out, err := netlab.Run(t, 60*time.Second, "unshare", "-m", "--propagation", "private", "sh", "-c",
		`mount -t tmpfs enicfg-run /run && exec "$1" --root-dir "$2"`, "sh", g.path, root)
	if err != nil {
		return nil, out, err
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
		return nil, out, fmt.Errorf("netplan %s generated no networkd file", g.version)
	}
	return gen, out, nil
}
