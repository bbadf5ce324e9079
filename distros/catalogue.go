package distros

import "github.com/enicfg/enicfg/versions"

// Tools, shortened for the rows below.
const (
	netplan     = versions.Netplan
	systemd     = versions.Systemd
	nm          = versions.NetworkManager
	initscripts = versions.Initscripts
	wicked      = versions.Wicked
	sysconfig   = versions.Sysconfig
	ifupdown    = versions.Ifupdown
	udev        = versions.Udev
	windows     = versions.Windows
)

func pin(t versions.Tool, v versions.Version, source string) versions.Pin {
	return versions.Pin{Tool: t, Version: v, Source: source}
}

func rel(name, title, date string, pins ...versions.Pin) versions.Release {
	return versions.Release{Name: name, Title: title, Date: date, Tools: pins}
}

// as makes a family target that stands for one of the distribution rows.
func as(family, title, target string) Target {
	for _, t := range distributions {
		if t.Name == target {
			f := t
			f.Name, f.Family, f.Title, f.Point, f.LastPoint, f.As = family, family, title, "", "", target
			return f
		}
	}
	panic("distros: no target " + target)
}

// catalogue is every target: the families first, then the distributions.
var catalogue = append([]Target{
	as("rhel", "the rhel family (as centos7)", "centos7"),
	as("nm", "the nm family (as rhel9)", "rhel9"),
	debianFamily,
	as("netplan", "the netplan family (as ubuntu2204)", "ubuntu2204"),
	networkdFamily,
	as("suse", "the suse family (as sles15)", "sles15"),
	as("windows", "the windows family (as windows2022)", "windows2022"),
}, distributions...)

// distributions are the distribution rows, family by family.
var distributions = concat(rhelRows, nmRows, debianRows, netplanRows, networkdRows, suseRows, windowsRows)

func concat(rows ...[]Target) []Target {
	var out []Target
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}
