package distros

import "github.com/enicfg/enicfg/versions"

// The debian, netplan and networkd rows. Sources: Ubuntu and Debian
// package archives (packages.ubuntu.com, packages.debian.org,
// manpages.ubuntu.com, which name the package version that provides a
// page), the packages' debian/changelog, apt logs that show a version in
// a named pocket, endoflife-date/release-data for release dates, and
// Amazon Linux 2023's release notes.

const (
	srcBionicGA      = "netplan.io 0.36.1 in the bionic release pocket: canonical/netplan branch bionic debian/changelog \"netplan.io (0.36.1) bionic\" (2018-04-23); systemd 237-3ubuntu10 in dpkg logs of fresh 18.04 installs"
	srcBionic2       = "netplan.io 0.40.1~18.04.4 was in bionic-security and bionic-updates by 2019-02-03 (Submitty/Submitty PR #3262), before 18.04.2 (2019-02-15, endoflife-date release-data)"
	srcBionic5       = "netplan.io 0.99-0ubuntu3~18.04.2 reached bionic-updates by 2020-06-01 (apt history log, Ubuntu Forums \"Cannot switch external monitor to 60Hz after recent update\"), before 18.04.5 (2020-08-13)"
	srcBionicLast    = "manpages.ubuntu.com bionic: netplan(5) provided by netplan.io_0.99-0ubuntu3~18.04.5, systemd-networkd.service(8) and udevadm(8) by 237-3ubuntu10.57"
	srcFocalGA       = "packages.ubuntu.com focal (release pocket): libnetplan-dev 0.99-0ubuntu1, libsystemd-dev 245.4-4ubuntu3"
	srcFocal4        = "netplan.io 0.103-0ubuntu5~20.04.2 accepted into focal-updates in October 2021 (lists.ubuntu.com focal-changes 2021-October/028046), before 20.04.4 (2022-02-24)"
	srcFocalLast     = "manpages.ubuntu.com focal: netplan(5) provided by netplan.io_0.104-0ubuntu2~20.04.6, systemd-networkd.service(8) by systemd_245.4-4ubuntu3.24"
	srcJammyGA       = "packages.ubuntu.com jammy (release pocket): libnetplan0 0.104-0ubuntu2, libsystemd-dev 249.11-0ubuntu3"
	srcJammyLast     = "packages.ubuntu.com jammy-updates: libnetplan-dev 0.107.1-3ubuntu0.22.04.5; jammy systemd 249.11-0ubuntu3.22 (newest seen)"
	srcNobleGA       = "packages.ubuntu.com noble (release pocket): libnetplan1 1.0-2ubuntu1, libsystemd-dev 255.4-1ubuntu8"
	srcNobleLast     = "packages.ubuntu.com noble-updates: netplan.io 1.1.2-8ubuntu1~24.04.2; noble systemd 255.4-1ubuntu8.17 (newest seen)"
	srcTrusty        = "ifupdown 0.7.47.2ubuntu4 and udev 204-5ubuntu20 in an upgrade log from 14.04 as released (ifupdown 0.7.47.2ubuntu4.1 over 0.7.47.2ubuntu4); init is upstart 1.12.1"
	srcTrustyLast    = "ifupdown 0.7.47.2ubuntu4.4 (launchpad.net/ubuntu/+source/ifupdown/0.7.47.2ubuntu4.4); udev 204-5ubuntu20.26 (tencentyun/qcloud-documents ubuntu14_changelogs.md)"
	srcXenial        = "ifupdown 0.8.10ubuntu1 and systemd 229-4ubuntu4 in a wily-to-xenial upgrade log"
	srcXenialLast    = "ifupdown 0.8.10ubuntu1.4 from xenial-updates (apt logs); manpages.ubuntu.com xenial: systemd-networkd.service(8) and udevadm(8) by 229-4ubuntu21.31"
	srcJessie        = "ifupdown 0.7.53.1 (debian/changelog 2015-03-13; 0.7.54 came 2015-06-08, after jessie's release 2015-04-25); systemd 215-17 (debian/changelog 2015-04-16), to 215-17+deb8u7"
	srcStretch       = "ifupdown 0.8.19 (debian/changelog 2017-01-30; 0.8.20 came 2017-07-15, after stretch's release 2017-06-17); systemd 232-25 (2017-06-04), to 232-25+deb9u12"
	srcBuster        = "packages.debian.org buster: ifupdown 0.8.35; systemd 241-5 (debian/changelog 2019-05-24; 241-6 came after buster's release 2019-07-06), to 241-7~deb10u5"
	srcBullseye      = "packages.debian.org bullseye: ifupdown 0.8.36; systemd 247.3-6 (2021-07-13), to 247.3-7+deb11u8"
	srcBookworm      = "packages.debian.org bookworm: ifupdown 0.8.41; systemd 252.6-1 (debian/changelog 2023-02-28; 252.11 came after bookworm's release 2023-06-10)"
	srcBookwormLast  = "packages.debian.org bookworm: systemd 252.39-1~deb12u2 (point releases moved upstream 252.6 to 252.39)"
	srcAL2023        = "amazonlinux/amazon-linux-2023 Release-Notes-Amazon-Linux-2023.0.2023.0315.0.md: systemd-networkd-252.4-1161.amzn2023.0.3 in the default AMI"
	srcAL2023Last    = "AL2023 release notes relnotes-2023.12.20260928: systemd-252.23-14.amzn2023 (every release so far ships systemd 252)"
	srcSystemdUpdate = "systemd keeps its upstream version through a release's updates (the distribution's changelog)"
)

var debianFamily = Target{
	Name: "debian", Family: "debian", Title: "the debian family: any ifupdown release (Ubuntu 14.04 to Debian 12)",
	Releases: []versions.Release{rel("0", "Ubuntu 14.04", "2014-04",
		pin(ifupdown, "0.7.47.2", srcTrusty), pin(udev, "204", srcTrusty))},
	Last: []versions.Pin{pin(ifupdown, "0.8.41", srcBookworm), pin(udev, "252", srcBookwormLast)},
}

var networkdFamily = Target{
	Name: "networkd", Family: "networkd", Title: "the networkd family: any systemd-networkd system with systemd 235 or later (the first with [RoutingPolicyRule])",
	Point: ".", LastPoint: "258",
	Releases: []versions.Release{
		rel("235", "systemd 235", "2017-10", pin(systemd, "235", srcSystemdNEWS), pin(udev, "235", srcSystemdNEWS)),
		rel("239", "systemd 239", "2018-06", pin(systemd, "239", srcSystemdNEWS), pin(udev, "239", srcSystemdNEWS)),
		rel("243", "systemd 243", "2019-09", pin(systemd, "243", srcSystemdNEWS), pin(udev, "243", srcSystemdNEWS)),
		rel("244", "systemd 244", "2019-11", pin(systemd, "244", srcSystemdNEWS), pin(udev, "244", srcSystemdNEWS)),
		rel("246", "systemd 246", "2020-07", pin(systemd, "246", srcSystemdNEWS), pin(udev, "246", srcSystemdNEWS)),
	},
	Last: []versions.Pin{pin(systemd, "258", srcSystemdNEWS), pin(udev, "258", srcSystemdNEWS)},
}

const srcSystemdNEWS = "systemd's NEWS: the release a networkd family target names"

var debianRows = []Target{
	{
		Name: "debian8", Family: "debian", Title: "Debian 8 (jessie)",
		Releases: []versions.Release{rel("0", "Debian 8", "2015-04", pin(ifupdown, "0.7.53.1", srcJessie), pin(udev, "215", srcJessie), pin(systemd, "215", srcJessie))},
		Last:     []versions.Pin{pin(ifupdown, "0.7.53.1", srcJessie), pin(udev, "215", srcJessie), pin(systemd, "215", srcJessie)},
	},
	{
		Name: "debian9", Family: "debian", Title: "Debian 9 (stretch)",
		Releases: []versions.Release{rel("0", "Debian 9", "2017-06", pin(ifupdown, "0.8.19", srcStretch), pin(udev, "232", srcStretch), pin(systemd, "232", srcStretch))},
		Last:     []versions.Pin{pin(ifupdown, "0.8.19", srcStretch), pin(udev, "232", srcStretch), pin(systemd, "232", srcStretch)},
	},
	{
		Name: "debian10", Family: "debian", Title: "Debian 10 (buster)",
		Releases: []versions.Release{rel("0", "Debian 10", "2019-07", pin(ifupdown, "0.8.35", srcBuster), pin(udev, "241", srcBuster), pin(systemd, "241", srcBuster))},
		Last:     []versions.Pin{pin(ifupdown, "0.8.35", srcBuster), pin(udev, "241", srcBuster), pin(systemd, "241", srcBuster)},
	},
	{
		Name: "debian11", Family: "debian", Title: "Debian 11 (bullseye)",
		Releases: []versions.Release{rel("0", "Debian 11", "2021-08", pin(ifupdown, "0.8.36", srcBullseye), pin(udev, "247", srcBullseye), pin(systemd, "247", srcBullseye))},
		Last:     []versions.Pin{pin(ifupdown, "0.8.36", srcBullseye), pin(udev, "247", srcBullseye), pin(systemd, "247", srcBullseye)},
	},
	{
		Name: "debian12", Family: "debian", Title: "Debian 12 (bookworm; its cloud images use netplan, not ifupdown)",
		Releases: []versions.Release{rel("0", "Debian 12", "2023-06", pin(ifupdown, "0.8.41", srcBookworm), pin(udev, "252", srcBookworm), pin(systemd, "252", srcBookworm))},
		Last:     []versions.Pin{pin(ifupdown, "0.8.41", srcBookworm), pin(udev, "252", srcBookwormLast), pin(systemd, "252", srcBookwormLast)},
	},
	{
		Name: "ubuntu1404", Family: "debian", Title: "Ubuntu 14.04 (upstart)",
		Releases: []versions.Release{rel("0", "Ubuntu 14.04", "2014-04", pin(ifupdown, "0.7.47.2", srcTrusty), pin(udev, "204", srcTrusty))},
		Last:     []versions.Pin{pin(ifupdown, "0.7.47.2", srcTrustyLast), pin(udev, "204", srcTrustyLast)},
	},
	{
		Name: "ubuntu1604", Family: "debian", Title: "Ubuntu 16.04",
		Releases: []versions.Release{rel("0", "Ubuntu 16.04", "2016-04", pin(ifupdown, "0.8.10", srcXenial), pin(udev, "229", srcXenial), pin(systemd, "229", srcXenial))},
		Last:     []versions.Pin{pin(ifupdown, "0.8.10", srcXenialLast), pin(udev, "229", srcXenialLast), pin(systemd, "229", srcXenialLast)},
	},
}

var netplanRows = []Target{
	{
		Name: "ubuntu1804", Family: "netplan", Title: "Ubuntu 18.04", Point: ".", LastPoint: "6",
		Releases: []versions.Release{
			rel("0", "Ubuntu 18.04", "2018-04", pin(netplan, "0.36.1", srcBionicGA), pin(systemd, "237", srcBionicGA), pin(udev, "237", srcBionicGA)),
			rel("2", "Ubuntu 18.04.2", "2019-02", pin(netplan, "0.40.1", srcBionic2), pin(systemd, "237", srcSystemdUpdate), pin(udev, "237", srcSystemdUpdate)),
			rel("5", "Ubuntu 18.04.5", "2020-08", pin(netplan, "0.99", srcBionic5), pin(systemd, "237", srcSystemdUpdate), pin(udev, "237", srcSystemdUpdate)),
		},
		Last: []versions.Pin{pin(netplan, "0.99", srcBionicLast), pin(systemd, "237", srcBionicLast), pin(udev, "237", srcBionicLast)},
	},
	{
		Name: "ubuntu2004", Family: "netplan", Title: "Ubuntu 20.04", Point: ".", LastPoint: "6",
		Releases: []versions.Release{
			rel("0", "Ubuntu 20.04", "2020-04", pin(netplan, "0.99", srcFocalGA), pin(systemd, "245", srcFocalGA), pin(udev, "245", srcFocalGA)),
			rel("4", "Ubuntu 20.04.4", "2022-02", pin(netplan, "0.103", srcFocal4), pin(systemd, "245", srcSystemdUpdate), pin(udev, "245", srcSystemdUpdate)),
		},
		Last: []versions.Pin{pin(netplan, "0.104", srcFocalLast), pin(systemd, "245", srcFocalLast), pin(udev, "245", srcFocalLast)},
	},
	{
		Name: "ubuntu2204", Family: "netplan", Title: "Ubuntu 22.04", Point: ".", LastPoint: "5",
		Releases: []versions.Release{rel("0", "Ubuntu 22.04", "2022-04", pin(netplan, "0.104", srcJammyGA), pin(systemd, "249", srcJammyGA), pin(udev, "249", srcJammyGA))},
		Last:     []versions.Pin{pin(netplan, "0.107.1", srcJammyLast), pin(systemd, "249", srcJammyLast), pin(udev, "249", srcJammyLast)},
	},
	{
		Name: "ubuntu2404", Family: "netplan", Title: "Ubuntu 24.04", Point: ".", LastPoint: "4",
		Releases: []versions.Release{rel("0", "Ubuntu 24.04", "2024-04", pin(netplan, "1.0", srcNobleGA), pin(systemd, "255", srcNobleGA), pin(udev, "255", srcNobleGA))},
		Last:     []versions.Pin{pin(netplan, "1.1.2", srcNobleLast), pin(systemd, "255", srcNobleLast), pin(udev, "255", srcNobleLast)},
	},
}

var networkdRows = []Target{
	{
		Name: "amazonlinux2023", Family: "networkd", Title: "Amazon Linux 2023",
		Releases: []versions.Release{rel("0", "Amazon Linux 2023", "2023-03", pin(systemd, "252", srcAL2023), pin(udev, "252", srcAL2023))},
		Last:     []versions.Pin{pin(systemd, "252", srcAL2023Last), pin(udev, "252", srcAL2023Last)},
	},
}
