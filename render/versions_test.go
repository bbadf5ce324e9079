package render_test

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/enicfg/enicfg/distros"
	"github.com/enicfg/enicfg/render"
	"github.com/enicfg/enicfg/spec"
	"github.com/enicfg/enicfg/versions"
)

// versionInputs are every description the tests know: the real-tool
// scenarios and the inputs of the golden cases.
func versionInputs(t *testing.T) []*spec.Model {
	var out []*spec.Model
	for _, sc := range seedScenarios {
		out = append(out, sc.load(t))
	}
	for i, data := range goldenInputs(t) {
		m, err := spec.Load(fmt.Sprintf("golden-%d.yaml", i), data)
		if err == nil {
			out = append(out, m)
		}
	}
	return out
}

// usedConstructs gives the construct keys of a rendering: those of every
// file (read back from the file by its family's key reader) and those of
// the apply commands.
func usedConstructs(t *testing.T, tgt distros.Target, m *spec.Model, files render.FileSet) ([]string, []string) {
	t.Helper()
	var problems []string
	fam, _ := render.FamilyNamed(tgt.Family)
	s := map[string]bool{}
	for _, f := range files {
		keys, err := fam.Keys(f)
		if err != nil {
			t.Fatalf("%s: %v", tgt.Name, err)
		}
		for _, k := range keys {
			s[k] = true
		}
	}
	for _, cmd := range tgt.Activation(m, files).Steps() {
		k, ok := commandKey(fam, cmd)
		if !ok {
			problems = append(problems, fmt.Sprintf("the apply step %q is no construct of the %s family", cmd, tgt.Family))
			continue
		}
		s[k] = true
	}
	var out []string
	for k := range s {
		out = append(out, k)
	}
	sort.Strings(out)
	return out, problems
}

// commandKey finds the "run: " construct of a command: its text, or its
// text up to an argument (an interface name).
func commandKey(fam *render.Family, cmd string) (string, bool) {
	best := ""
	for _, k := range fam.Constructs {
		c, ok := strings.CutPrefix(k.Key, "run: ")
		if ok && (cmd == c || strings.HasPrefix(cmd, c+" ")) && len(k.Key) > len(best) {
			best = k.Key
		}
	}
	return best, best != ""
}

// TestConstructVersions is the check that cannot be dodged: for every
// target and point release of the catalogue and every description the
// tests know, each construct that the rendered files and apply steps use,
// as read back from the files, has a version entry for the target's
// tools, and every version of those tools that the target covers reads
// it. A new key without a version entry fails here, and so does a key
// that a target's oldest tool lacks.
func TestConstructVersions(t *testing.T) {
	models := versionInputs(t)
	used := map[string]bool{}
	problems := map[string][]string{} // what is wrong: the targets
	for _, tgt := range distros.Expanded() {
		fam, _ := render.FamilyNamed(tgt.Family)
		cov := tgt.Coverage()
		for _, m := range models {
			files, _, err := tgt.Render(m, true)
			if err != nil {
				t.Fatalf("%s: %v", tgt.Name, err)
			}
			note := func(msg string) {
				if ts := problems[msg]; len(ts) == 0 || ts[len(ts)-1] != tgt.Name {
					problems[msg] = append(ts, tgt.Name)
				}
			}
			keys, ps := usedConstructs(t, tgt, m, files)
			for _, p := range ps {
				note(p)
			}
			for _, k := range keys {
				ks := fam.ConstructsFor(k, cov)
				if len(ks) == 0 {
					note(fmt.Sprintf("%q is used, but the %s family has no version of it for %s", k, tgt.Family, tools(cov)))
				}
				for _, c := range ks {
					used[c.Key+"|"+string(c.Tool)] = true
					if !cov.Has(c) {
						note(fmt.Sprintf("%q is used, but it needs %s %s", k, c.Tool, c.Since))
					}
				}
			}
		}
	}
	var list []string
	for p, ts := range problems {
		list = append(list, fmt.Sprintf("%s (%s)", p, strings.Join(ts, " ")))
	}
	sort.Strings(list)
	for _, p := range list {
		t.Error(p)
	}
	// Every construct of the tables is used by some target: an entry no
	// renderer writes is stale data.
	for _, fam := range render.Families() {
		for _, c := range fam.Constructs {
			if !used[c.Key+"|"+string(c.Tool)] && !c.Never {
				t.Errorf("%s: construct %q (%s) is written for no target", fam.Name, c.Key, c.Tool)
			}
		}
	}
}

func tools(c versions.Coverage) string {
	var out []string
	for _, s := range c.Spans {
		out = append(out, string(s.Tool))
	}
	return strings.Join(out, ", ")
}

// TestConstructSources: every construct and every pinned version has a
// source, and every target names a version of each tool its variant
// needs, release by release.
func TestConstructSources(t *testing.T) {
	for _, fam := range render.Families() {
		for _, c := range fam.Constructs {
			if c.Source == "" || strings.Contains(c.Source, "TODO") {
				t.Errorf("%s: construct %q (%s) has no source", fam.Name, c.Key, c.Tool)
			}
		}
	}
	for _, tgt := range distros.All() {
		fam, _ := render.FamilyNamed(tgt.Family)
		v, ok := fam.Variant(tgt.Variant)
		if !ok {
			t.Errorf("%s: no variant %q", tgt.Name, tgt.Variant)
			continue
		}
		for _, r := range tgt.Releases {
			for _, tool := range v.Tools {
				p, ok := r.Pin(tool)
				if !ok {
					t.Errorf("%s %s: no version of %s", tgt.Name, r.Title, tool)
				} else if p.Source == "" || strings.Contains(p.Source, "TODO") || !p.Version.Valid() {
					t.Errorf("%s %s: %s %q has no source or is no version", tgt.Name, r.Title, tool, p.Version)
				}
			}
		}
	}
}

// TestActivationEveryTarget: for every Linux target (each point release),
// the families that bring an interface down by the configuration that
// brought it up (ifupdown, network-scripts, SLES 11's scripts) have stop
// steps for apply to run before the files change, and a one-go form for
// cloud-init; the others have none; and what the steps take down (every
// link, or the described ones) is said, for apply's guard of the default
// route.
func TestActivationEveryTarget(t *testing.T) {
	m, err := spec.Load("net.yaml", []byte("version: 1\ninterfaces:\n  - name: eth0\n    address: 10.0.0.10/24\n    gateway: 10.0.0.1\n    dns: {servers: [10.0.0.2]}\n  - name: eth1\n    address: 10.0.1.10/24\n    gateway: 10.0.1.1\n    default_route: false\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tgt := range distros.Expanded() {
		if tgt.Family == "windows" {
			continue
		}
		files, _, err := tgt.Render(m, true)
		if err != nil {
			t.Fatal(err)
		}
		a := tgt.Activation(m, files)
		byConfig := tgt.Family == "debian" || (tgt.Family == "rhel" && tgt.Variant == "network-scripts") || (tgt.Family == "suse" && tgt.Variant == "sysconfig")
		if byConfig != (len(a.Stop) > 0) || byConfig != (len(a.Restart) > 0) {
			t.Errorf("%s: stop steps %q, restart %q; want them: %v", tgt.Name, a.Stop, a.Restart, byConfig)
		}
		if len(a.Start) == 0 {
			t.Errorf("%s: no step after the files change", tgt.Name)
		}
		// networkd before systemd 244 has no networkctl reload: a restart.
		perLink := tgt.Family == "nm" || (tgt.Family == "rhel" && tgt.Variant == "ifcfg-rh") ||
			(tgt.Family == "networkd" && !slices.Contains(a.Start, "systemctl restart systemd-networkd"))
		if a.All == perLink || (perLink && !slices.Equal(a.Links, []string{"eth0", "eth1"})) {
			t.Errorf("%s: all %v, links %q; want per link %v", tgt.Name, a.All, a.Links, perLink)
		}
		if once := a.Once(); (a.Restart != nil && !slices.Equal(once, a.Restart)) || len(once) == 0 {
			t.Errorf("%s: runcmd %q", tgt.Name, once)
		}
	}
}
