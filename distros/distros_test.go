package distros_test

import (
	"testing"

	"github.com/enicfg/enicfg/distros"
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
