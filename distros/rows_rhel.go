package distros

import "github.com/enicfg/enicfg/versions"

// The rhel and nm rows. Sources: the initscripts.spec changelog of
// fedora-sysv/initscripts (rhel6-branch, rhel7-branch), package trees on
// vault.centos.org, z-stream builds (elX_Y) that tie a version to a minor
// release, the RHEL 8/9 dist-git imports (openela-main/NetworkManager
// tags imports/el-8.8/..., git.centos.org imports/c9/...), vendor release
// notes, endoflife-date for release dates. "changelog" marks a version
// that is the last changelog entry before the release.

func el6(name, point, v, src string) versions.Release {
	return rel(point, name+" 6."+point, "", pin(initscripts, versions.Version(v), src), pin(udev, "147", srcEL6Udev))
}

func el7(name, point, v, src string) versions.Release {
	u, usrc := "219", srcEL7Udev219
	if point == "0" || point == "1" {
		u, usrc = "208", srcEL7Udev208
	}
	return rel(point, name+" 7."+point, "", pin(initscripts, versions.Version(v), src), pin(udev, versions.Version(u), usrc))
}

func el8(name, point, v, src string) versions.Release {
	return rel(point, name+" 8."+point, "", pin(nm, versions.Version(v), src), pin(udev, "239", srcEL8Udev))
}

func el9(name, point, v, src string) versions.Release {
	u, usrc := "252", srcEL9Udev252
	if point == "0" || point == "1" {
		u, usrc = "250", srcEL9Udev250
	}
	return rel(point, name+" 9."+point, "", pin(nm, versions.Version(v), src), pin(udev, versions.Version(u), usrc))
}

const (
	srcEL6Udev    = "udev-147-2.x.el6 on every RHEL/CentOS 6 minor (udev-147-2.29.el6 on 6.0, udev-147-2.63.el6_7.1 on 6.7, libudev-147-2.73.el6_8.2 on 6.8)"
	srcEL7Udev208 = "systemd-208-11.el7_0.6 (7.0 z-stream), systemd 208-20.el7 on 7.1"
	srcEL7Udev219 = "systemd-219-19.el7 from 7.2 (el7_2 z-streams) to 219-78.el7_9.9 on 7.9"
	srcEL8Udev    = "RHEL 8 ships systemd 239 on every minor (Alibaba Cloud Linux 3 too: systemd 239_74.0.3.al8, alibabacloud.com \"Differences between Alibaba Cloud Linux 3 and CentOS 7\")"
	srcEL9Udev250 = "git.centos.org imports/c9/systemd-250-6.el9_0 and systemd-250-12.el9_1"
	srcEL9Udev252 = "git.centos.org imports/c9/systemd-252-13.el9_2 onwards"

	srcEL6_0  = "initscripts-9.03.17-1.el6 on the RHEL 6.0 install DVD (with kernel 2.6.32-71.el6); changelog 2010-09-01"
	srcEL6_1  = "changelog: 9.03.23-1 of 2011-04-19 is the last before 6.1"
	srcEL6_2  = "changelog: 9.03.27-1 of 2011-10-07; CentOS build initscripts-9.03.27-1.el6.centos.1"
	srcEL6_3  = "vault.centos.org/6.3/os/Source/SPackages/initscripts-9.03.31-2.el6.centos.src.rpm"
	srcEL6_4  = "z-stream builds initscripts-9.03.38-1.el6_4.1 and el6_4.2"
	srcEL6_5  = "/usr/share/doc/initscripts-9.03.40 on CentOS 6.5; initscripts-9.03.40-2.el6.centos"
	srcEL6_6  = "changelog: 9.03.46-1 of 2014-07-22; initscripts-9.03.46-1.el6.centos.1 beside el6_6 packages"
	srcEL6_7  = "changelog: 9.03.49-1 of 2015-04-09; initscripts-9.03.49-1.el6.centos.3"
	srcEL6_8  = "changelog: 9.03.53-1 of 2016-04-12; initscripts-9.03.53-1.el6.centos"
	srcEL6_9  = "changelog: 9.03.58-1 of 2017-01-18; initscripts-9.03.58-1.el6.centos.2"
	srcEL6_10 = "CentOS 6.10 package list: initscripts-9.03.61-1.el6.centos beside openssh-5.3p1-124.el6_10; upstream tag 9.03.61 (2018-04-27)"

	srcEL7_0 = "centos/7.0.1406/os/x86_64/Packages/initscripts-9.49.17-1.el7.x86_64.rpm"
	srcEL7_1 = "changelog: 9.49.24-1 of 2015-01-15, seen beside libgudev1-208-20.el7 (7.1)"
	srcEL7_2 = "changelog: 9.49.30-1 of 2015-09-16, seen beside systemd-219-19.el7 (7.2)"
	srcEL7_3 = "z-stream initscripts-9.49.37-1.el7_3.1"
	srcEL7_4 = "initscripts-9.49.39-1.el7 provides ifup on CentOS 7.4; z-stream 9.49.39-1.el7_4.1"
	srcEL7_5 = "delta RPM from initscripts-9.49.41-1.el7 to 9.49.41-1.el7_5.2"
	srcEL7_6 = "changelog: 9.49.46-1 of 2018-08-24, seen beside el7_6 packages"
	srcEL7_8 = "initscripts-9.49.49-1.el7 beside kernel-3.10.0-1127.el7 (7.8)"
	srcEL7_9 = "vault.centos.org/7.9.2009/os/x86_64/Packages/initscripts-9.49.53-1.el7.x86_64.rpm; update 9.49.53-1.el7_9.1"

	srcEL8_0  = "NetworkManager-1.14.0-14.el8 in BaseOS of the 8.0 media (Oracle Linux 8 DVD; CentOS 8)"
	srcEL8_1  = "NetworkManager-1.20.0-5.el8_1 beside centos-release-8.1-1.1911"
	srcEL8_2  = "NetworkManager-1.22.8-5.el8_2 (CentOS build host); el8 spec changelog 1.22.8-4 of 2020-03-06"
	srcEL8_3  = "el8 spec changelog 1.26.0-7 of 2020-09-01; NetworkManager-1.26.0-13.el8; AlmaLinux 8.3 is Alma's first release (AlmaLinux/wiki release-notes)"
	srcEL8_4  = "NetworkManager-1.30.0-7.el8 and z-streams 1.30.0-9.el8_4; Rocky Linux 8.4 is Rocky's first release (rocky-linux/documentation release_notes/8_4.md)"
	srcEL8_5  = "vault.centos.org/centos/8/BaseOS/x86_64/os/Packages/NetworkManager-1.32.10-4.el8.x86_64.rpm (CentOS 8.5.2111, CentOS 8's last)"
	srcEL8_6  = "RHEL 8.6 includes NetworkManager-1.36.0-1.el8; Rocky 8.6 1.36.0-7.el8_6"
	srcEL8_7  = "Rocky 8.7 release notes: NetworkManager rebased to 1.40; el8 spec changelog 1.40.0-1 of 2022-08-26"
	srcEL8_8  = "OpenELA tag imports/el-8.8/NetworkManager-1.40.16-4.el8_8; 1.40.16 to 8.10"
	srcAlinux = "not established from a package list: Alibaba Cloud Linux 3 is built from RHEL 8 sources (systemd 239_74.0.3.al8) and was released 2021-04-15, when RHEL 8.3 (NetworkManager 1.26) was current: taken as 1.26 (inferred)"
	srcAl2    = "not established from a package list: Alibaba Cloud Linux 2 is built from CentOS 7 (alibabacloud.com, Alibaba Cloud Linux 2 ELS notice) and was released 2019-03-27, when RHEL 7.6 (initscripts 9.49.46) was current: taken as 9.49.46 (inferred)"

	srcEL9_0 = "el9 spec changelog 1.36.0-2 of 2022-02-28; NetworkManager-1.36.0-2.el9"
	srcEL9_1 = "el9 spec changelog 1.40.0-1 of 2022-08-26; Rocky 9.1 release notes"
	srcEL9_2 = "OpenELA tag imports/el-9.2/NetworkManager-1.42.2-8.el9_2"
	srcEL9_3 = "OpenELA tag imports/el-9.3/NetworkManager-1.44.0-3.el9"
	srcEL9_4 = "NetworkManager-1.46.0-8.el9 (rpm -qa sample); CentOS Stream 9 update to 1.45.91 in February 2024"
	srcEL9_5 = "NetworkManager-1.48.10-5.el9_5"
	srcEL9_6 = "AlmaLinux/wiki release-notes/9.6.md: NetworkManager 1.52.0"
	srcEL9_7 = "AlmaLinux/wiki release-notes/9.7.md: NetworkManager 1.54.0"
	srcEL9_8 = "AlmaLinux/wiki release-notes/9.8.md: NetworkManager 1.54.3"
	srcF38   = "packages.fedoraproject.org NetworkManager-libnm: 1.42.8-1.fc38; systemd-253.2-1.fc38 in a Fedora 38 dnf log"
	srcF44   = "packages.fedoraproject.org NetworkManager-libnm: 1.55.91-3 (Fedora 44); systemd taken as Fedora 38's (253), the oldest covered"
)

func el6Releases(n string) []versions.Release {
	return []versions.Release{
		el6(n, "0", "9.03.17", srcEL6_0), el6(n, "1", "9.03.23", srcEL6_1), el6(n, "2", "9.03.27", srcEL6_2),
		el6(n, "3", "9.03.31", srcEL6_3), el6(n, "4", "9.03.38", srcEL6_4), el6(n, "5", "9.03.40", srcEL6_5),
		el6(n, "6", "9.03.46", srcEL6_6), el6(n, "7", "9.03.49", srcEL6_7), el6(n, "8", "9.03.53", srcEL6_8),
		el6(n, "9", "9.03.58", srcEL6_9), el6(n, "10", "9.03.61", srcEL6_10),
	}
}

func el7Releases(n string) []versions.Release {
	return []versions.Release{
		el7(n, "0", "9.49.17", srcEL7_0), el7(n, "1", "9.49.24", srcEL7_1), el7(n, "2", "9.49.30", srcEL7_2),
		el7(n, "3", "9.49.37", srcEL7_3), el7(n, "4", "9.49.39", srcEL7_4), el7(n, "5", "9.49.41", srcEL7_5),
		el7(n, "6", "9.49.46", srcEL7_6), el7(n, "8", "9.49.49", srcEL7_8), el7(n, "9", "9.49.53", srcEL7_9),
	}
}

func el8Releases(name string, from int) []versions.Release {
	all := []versions.Release{
		el8(name, "0", "1.14.0", srcEL8_0), el8(name, "1", "1.20.0", srcEL8_1), el8(name, "2", "1.22.8", srcEL8_2),
		el8(name, "3", "1.26.0", srcEL8_3), el8(name, "4", "1.30.0", srcEL8_4), el8(name, "5", "1.32.10", srcEL8_5),
		el8(name, "6", "1.36.0", srcEL8_6), el8(name, "7", "1.40.0", srcEL8_7), el8(name, "8", "1.40.16", srcEL8_8),
	}
	return all[from:]
}

func el9Releases(name string) []versions.Release {
	return []versions.Release{
		el9(name, "0", "1.36.0", srcEL9_0), el9(name, "1", "1.40.0", srcEL9_1), el9(name, "2", "1.42.2", srcEL9_2),
		el9(name, "3", "1.44.0", srcEL9_3), el9(name, "4", "1.46.0", srcEL9_4), el9(name, "5", "1.48.10", srcEL9_5),
		el9(name, "6", "1.52.0", srcEL9_6), el9(name, "7", "1.54.0", srcEL9_7), el9(name, "8", "1.54.3", srcEL9_8),
	}
}

var (
	el6Last = []versions.Pin{pin(initscripts, "9.03.61", srcEL6_10), pin(udev, "147", srcEL6Udev)}
	el7Last = []versions.Pin{pin(initscripts, "9.49.53", srcEL7_9), pin(udev, "219", srcEL7Udev219)}
	el8Last = []versions.Pin{pin(nm, "1.40.16", srcEL8_8), pin(udev, "239", srcEL8Udev)}
	el9Last = []versions.Pin{pin(nm, "1.54.3", srcEL9_8), pin(udev, "252", srcEL9Udev252)}
)

var rhelRows = []Target{
	{Name: "centos6", Family: "rhel", Variant: "network-scripts", Title: "CentOS 6", Point: ".", LastPoint: "10", Releases: el6Releases("CentOS"), Last: el6Last},
	{Name: "centos7", Family: "rhel", Variant: "network-scripts", Title: "CentOS 7", Point: ".", LastPoint: "9", Releases: el7Releases("CentOS"), Last: el7Last},
	{Name: "rhel6", Family: "rhel", Variant: "network-scripts", Title: "Red Hat Enterprise Linux 6", Point: ".", LastPoint: "10", Releases: el6Releases("RHEL"), Last: el6Last},
	{Name: "rhel7", Family: "rhel", Variant: "network-scripts", Title: "Red Hat Enterprise Linux 7", Point: ".", LastPoint: "9", Releases: el7Releases("RHEL"), Last: el7Last},
	{Name: "alinux2", Family: "rhel", Variant: "network-scripts", Title: "Alibaba Cloud Linux 2",
		Releases: []versions.Release{rel("0", "Alibaba Cloud Linux 2", "2019-03", pin(initscripts, "9.49.46", srcAl2), pin(udev, "219", srcEL7Udev219))},
		Last:     el7Last},
	{Name: "centos8", Family: "rhel", Variant: "ifcfg-rh", Title: "CentOS 8", Point: ".", LastPoint: "5",
		Releases: el8Releases("CentOS", 0)[:6], Last: []versions.Pin{pin(nm, "1.32.10", srcEL8_5), pin(udev, "239", srcEL8Udev)}},
	{Name: "rhel8", Family: "rhel", Variant: "ifcfg-rh", Title: "Red Hat Enterprise Linux 8", Point: ".", LastPoint: "10", Releases: el8Releases("RHEL", 0), Last: el8Last},
	{Name: "rocky8", Family: "rhel", Variant: "ifcfg-rh", Title: "Rocky Linux 8", Point: ".", LastPoint: "10", Releases: el8Releases("Rocky Linux", 4), Last: el8Last},
	{Name: "alma8", Family: "rhel", Variant: "ifcfg-rh", Title: "AlmaLinux 8", Point: ".", LastPoint: "10", Releases: el8Releases("AlmaLinux", 3), Last: el8Last},
	{Name: "alinux3", Family: "rhel", Variant: "ifcfg-rh", Title: "Alibaba Cloud Linux 3",
		Releases: []versions.Release{rel("0", "Alibaba Cloud Linux 3", "2021-04", pin(nm, "1.26.0", srcAlinux), pin(udev, "239", srcEL8Udev))},
		Last:     el8Last},
}

var nmRows = []Target{
	{Name: "rhel9", Family: "nm", Title: "Red Hat Enterprise Linux 9", Point: ".", LastPoint: "10", Releases: el9Releases("RHEL"), Last: el9Last},
	{Name: "centos9", Family: "nm", Title: "CentOS Stream 9",
		Releases: el9Releases("CentOS Stream")[:1], Last: el9Last},
	{Name: "rocky9", Family: "nm", Title: "Rocky Linux 9", Point: ".", LastPoint: "10", Releases: el9Releases("Rocky Linux"), Last: el9Last},
	{Name: "alma9", Family: "nm", Title: "AlmaLinux 9", Point: ".", LastPoint: "10", Releases: el9Releases("AlmaLinux"), Last: el9Last},
	{Name: "fedora", Family: "nm", Title: "Fedora 38 and later",
		Releases: []versions.Release{rel("0", "Fedora 38", "2023-04", pin(nm, "1.42.8", srcF38), pin(udev, "253", srcF38))},
		Last:     []versions.Pin{pin(nm, "1.55.91", srcF44), pin(udev, "253", srcF44)}},
}
