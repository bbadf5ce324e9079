package distros

import (
	"fmt"
	"sort"
	"strings"

	"github.com/enicfg/enicfg/render"
)

// Target is one value of --distro.
type Target struct {
	Name   string // the --distro value
	Family string
	Title  string // what it is, for people
	Reader string // the software on the target that reads the files
	Files  []string
	// Renderer renders for this target; nil when its family is not built
	// yet.
	Renderer render.Renderer
}

// IsFamily tells whether the target is a family name rather than a
// distribution.
func (t Target) IsFamily() bool { return t.Name == t.Family }

var (
	rhelScripts = render.RHEL{}
	rhelNM      = render.RHEL{NetworkManager: true}
	debian      = render.Debian{}
	networkd    = render.Networkd{}
	netplan     = render.Netplan{}
	nm          = render.NM{}
	windowsCmd  = render.Windows{}
	windowsBoth = render.Windows{PowerShell: true}
	suse        = render.SUSE{}
	suse11      = render.SUSE{Sysconfig: true}
)

var (
	rhelFiles = []string{
		"/etc/sysconfig/network-scripts/ifcfg-<if>",
		"/etc/sysconfig/network-scripts/ifcfg-<if>:<n> (secondary IPs of a DHCP interface)",
		"/etc/sysconfig/network-scripts/route-<if>",
		"/etc/sysconfig/network-scripts/rule-<if>",
	}
	rhelNMFiles = []string{
		"/etc/sysconfig/network-scripts/ifcfg-<if> (with ROUTING_RULE_<n>)",
		"/etc/sysconfig/network-scripts/route-<if>",
		"/etc/udev/rules.d/71-enicfg-queues.rules (queues)",
	}
	debianFiles = []string{
		"/etc/network/interfaces",
		"/etc/udev/rules.d/70-enicfg-net.rules (interfaces with a mac)",
	}
	nmFiles       = []string{"/etc/NetworkManager/system-connections/enicfg-<if>.nmconnection", "/etc/udev/rules.d/71-enicfg-queues.rules (queues)"}
	netplanFiles  = []string{"/etc/netplan/90-enicfg.yaml", "/etc/systemd/network/05-enicfg-<if>.link (queues)"}
	networkdFiles = []string{"/etc/systemd/network/05-enicfg-<if>.network", "/etc/systemd/network/05-enicfg-<if>.link (mac, queues)"}
	windowsFiles  = []string{render.WindowsCmd + " (netsh)", render.WindowsPS1 + " (PowerShell, the same steps)"}
	windows2008   = []string{render.WindowsCmd + " (netsh; no NetTCPIP cmdlets before 2012)"}
	suseFiles     = []string{
		"/etc/sysconfig/network/ifcfg-<if>",
		"/etc/sysconfig/network/ifroute-<if>",
		"/etc/sysconfig/network/ifrule-<if>",
		"/etc/udev/rules.d/70-enicfg-net.rules (interfaces with a mac)",
	}
	suse11Files = []string{
		"/etc/sysconfig/network/ifcfg-<if>",
		"/etc/sysconfig/network/ifroute-<if>",
		"/etc/udev/rules.d/70-enicfg-net.rules (interfaces with a mac)",
	}
)

var catalogue = []Target{
	{"rhel", "rhel", "the rhel family (as centos7)", "network-scripts", rhelFiles, rhelScripts},
	{"centos6", "rhel", "CentOS 6", "network-scripts", rhelFiles, rhelScripts},
	{"centos7", "rhel", "CentOS 7", "network-scripts", rhelFiles, rhelScripts},
	{"rhel6", "rhel", "Red Hat Enterprise Linux 6", "network-scripts", rhelFiles, rhelScripts},
	{"rhel7", "rhel", "Red Hat Enterprise Linux 7", "network-scripts", rhelFiles, rhelScripts},
	{"alinux2", "rhel", "Alibaba Cloud Linux 2", "network-scripts", rhelFiles, rhelScripts},
	{"centos8", "rhel", "CentOS 8", "NetworkManager (ifcfg-rh)", rhelNMFiles, rhelNM},
	{"rhel8", "rhel", "Red Hat Enterprise Linux 8", "NetworkManager (ifcfg-rh)", rhelNMFiles, rhelNM},
	{"rocky8", "rhel", "Rocky Linux 8", "NetworkManager (ifcfg-rh)", rhelNMFiles, rhelNM},
	{"alma8", "rhel", "AlmaLinux 8", "NetworkManager (ifcfg-rh)", rhelNMFiles, rhelNM},
	{"alinux3", "rhel", "Alibaba Cloud Linux 3", "NetworkManager (ifcfg-rh)", rhelNMFiles, rhelNM},

	{"nm", "nm", "the nm family (as rhel9)", "NetworkManager (keyfile)", nmFiles, nm},
	{"rhel9", "nm", "Red Hat Enterprise Linux 9", "NetworkManager (keyfile)", nmFiles, nm},
	{"centos9", "nm", "CentOS Stream 9", "NetworkManager (keyfile)", nmFiles, nm},
	{"rocky9", "nm", "Rocky Linux 9", "NetworkManager (keyfile)", nmFiles, nm},
	{"alma9", "nm", "AlmaLinux 9", "NetworkManager (keyfile)", nmFiles, nm},
	{"fedora", "nm", "Fedora", "NetworkManager (keyfile)", nmFiles, nm},

	{"debian", "debian", "the debian family", "ifupdown", debianFiles, debian},
	{"debian8", "debian", "Debian 8 (jessie)", "ifupdown", debianFiles, debian},
	{"debian9", "debian", "Debian 9 (stretch)", "ifupdown", debianFiles, debian},
	{"debian10", "debian", "Debian 10 (buster)", "ifupdown", debianFiles, debian},
	{"debian11", "debian", "Debian 11 (bullseye)", "ifupdown", debianFiles, debian},
	{"debian12", "debian", "Debian 12 (bookworm)", "ifupdown", debianFiles, debian},
	{"ubuntu1404", "debian", "Ubuntu 14.04", "ifupdown", debianFiles, debian},
	{"ubuntu1604", "debian", "Ubuntu 16.04", "ifupdown", debianFiles, debian},

	{"netplan", "netplan", "the netplan family (as ubuntu2204)", "netplan", netplanFiles, netplan},
	{"ubuntu1804", "netplan", "Ubuntu 18.04", "netplan", netplanFiles, netplan},
	{"ubuntu2004", "netplan", "Ubuntu 20.04", "netplan", netplanFiles, netplan},
	{"ubuntu2204", "netplan", "Ubuntu 22.04", "netplan", netplanFiles, netplan},
	{"ubuntu2404", "netplan", "Ubuntu 24.04", "netplan", netplanFiles, netplan},

	{"networkd", "networkd", "the networkd family: any systemd-networkd system", "systemd-networkd", networkdFiles, networkd},
	{"amazonlinux2023", "networkd", "Amazon Linux 2023", "systemd-networkd", networkdFiles, networkd},

	{"suse", "suse", "the suse family (as sles15)", "wicked", suseFiles, suse},
	{"sles11", "suse", "SUSE Linux Enterprise Server 11", "sysconfig ifup", suse11Files, suse11},
	{"sles12", "suse", "SUSE Linux Enterprise Server 12", "wicked", suseFiles, suse},
	{"sles15", "suse", "SUSE Linux Enterprise Server 15", "wicked", suseFiles, suse},
	{"opensuse42", "suse", "openSUSE Leap 42", "wicked", suseFiles, suse},
	{"opensuse15", "suse", "openSUSE Leap 15", "wicked", suseFiles, suse},

	{"windows", "windows", "the windows family (as windows2022)", "netsh / PowerShell", windowsFiles, windowsBoth},
	{"windows2008r2", "windows", "Windows Server 2008 R2", "netsh", windows2008, windowsCmd},
	{"windows2012r2", "windows", "Windows Server 2012 R2", "netsh / PowerShell", windowsFiles, windowsBoth},
	{"windows2016", "windows", "Windows Server 2016", "netsh / PowerShell", windowsFiles, windowsBoth},
	{"windows2019", "windows", "Windows Server 2019", "netsh / PowerShell", windowsFiles, windowsBoth},
	{"windows2022", "windows", "Windows Server 2022", "netsh / PowerShell", windowsFiles, windowsBoth},
}

// All gives every target: families first, then distributions, each group
// in catalogue order.
func All() []Target {
	out := make([]Target, len(catalogue))
	copy(out, catalogue)
	return out
}

// Names gives every --distro value, sorted.
func Names() []string {
	out := make([]string, 0, len(catalogue))
	for _, t := range catalogue {
		out = append(out, t.Name)
	}
	sort.Strings(out)
	return out
}

// Families gives the family names in catalogue order.
func Families() []string {
	var out []string
	for _, t := range catalogue {
		if t.IsFamily() {
			out = append(out, t.Name)
		}
	}
	return out
}

// Lookup finds a target by its --distro value.
func Lookup(name string) (Target, error) {
	for _, t := range catalogue {
		if t.Name == name {
			return t, nil
		}
	}
	low := strings.ToLower(strings.TrimSpace(name))
	for _, t := range catalogue {
		if t.Name == low {
			return Target{}, fmt.Errorf("unknown distro %q (did you mean %q?)", name, t.Name)
		}
	}
	return Target{}, fmt.Errorf("unknown distro %q: run `enicfg distros` for the list", name)
}

// NotBuilt is the error of a target whose family this enicfg does not
// render yet.
type NotBuilt struct{ Target Target }

func (e *NotBuilt) Error() string {
	return fmt.Sprintf("%s: the %s family (%s) is not built in this version of enicfg yet", e.Target.Name, e.Target.Family, e.Target.Reader)
}

// RendererOf gives the target's renderer or a *NotBuilt error.
func (t Target) RendererOf() (render.Renderer, error) {
	if t.Renderer == nil {
		return nil, &NotBuilt{Target: t}
	}
	return t.Renderer, nil
}
