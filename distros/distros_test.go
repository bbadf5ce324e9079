package distros_test

import (
	"os"
	"testing"

	"github.com/enicfg/enicfg/distros"
	"github.com/enicfg/enicfg/render"
)

// formatTargets is the target table of FORMAT.md.
var formatTargets = map[string][]string{
	"rhel":     {"centos6", "centos7", "rhel6", "rhel7", "alinux2", "centos8", "rhel8", "rocky8", "alma8", "alinux3"},
	"nm":       {"rhel9", "centos9", "rocky9", "alma9", "fedora"},
	"debian":   {"debian8", "debian9", "debian10", "debian11", "debian12", "ubuntu1404", "ubuntu1604"},
	"netplan":  {"ubuntu1804", "ubuntu2004", "ubuntu2204", "ubuntu2404"},
	"networkd": {"amazonlinux2023"},
	"suse":     {"sles11", "sles12", "sles15", "opensuse42", "opensuse15"},
	"windows":  {"windows2008r2", "windows2012r2", "windows2016", "windows2019", "windows2022"},
}

func TestCatalogue(t *testing.T) {
	n := 0
	for family, names := range formatTargets {
		for _, name := range append([]string{family}, names...) {
			n++
			tgt, err := distros.Lookup(name)
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			if tgt.Family != family {
				t.Errorf("%s: family %s, want %s", name, tgt.Family, family)
			}
		}
	}
	if len(distros.Names()) != n {
		t.Errorf("%d targets, FORMAT.md has %d", len(distros.Names()), n)
	}
	if len(distros.Families()) != len(formatTargets) {
		t.Errorf("families: %v", distros.Families())
	}
	if _, err := distros.Lookup("centos"); err == nil {
		t.Error("centos found")
	}
}

// TestFamiliesComplete: a family is one place (its render file, its
// templates, its golden cases, its docs page) and the catalogue: every
// variant a family declares is some target's, every family has its family
// target, its golden folder and its page.
func TestFamiliesComplete(t *testing.T) {
	used := map[string]bool{}
	families := map[string]bool{}
	for _, tgt := range distros.All() {
		used[tgt.Family+"/"+tgt.Variant] = true
		if tgt.IsFamily() {
			families[tgt.Family] = true
		}
	}
	for _, f := range render.Families() {
		if len(f.Variants) == 0 || len(f.Files) == 0 || len(f.Dirs) == 0 || len(f.Constructs) == 0 || f.Templates == nil {
			t.Errorf("%s: the descriptor lacks variants, file rules, folders, constructs or templates", f.Name)
		}
		for _, v := range f.Variants {
			if v.Renderer == nil || v.Reader == "" || len(v.Tools) == 0 || len(v.Files) == 0 {
				t.Errorf("%s/%s: the variant lacks a renderer, reader, tools or files", f.Name, v.Name)
			}
			if !used[f.Name+"/"+v.Name] {
				t.Errorf("%s/%s: no target of the catalogue uses the variant", f.Name, v.Name)
			}
		}
		if !families[f.Name] {
			t.Errorf("%s: no family target in the catalogue", f.Name)
		}
		for _, p := range []string{"../testdata/golden/" + f.Name, "../docs/" + f.Name + ".md"} {
			if _, err := os.Stat(p); err != nil {
				t.Errorf("%s: %v", f.Name, err)
			}
		}
	}
	if len(render.Families()) != len(distros.Families()) {
		t.Errorf("%d families render, the catalogue names %d", len(render.Families()), len(distros.Families()))
	}
}
