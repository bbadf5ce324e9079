package distros

import "github.com/enicfg/enicfg/versions"

// The suse and windows rows. Sources: the VERSION file of
// openSUSE/sysconfig at its sle11-spN-release tags and branches, SUSE's
// build service projects (SUSE:SLE-12:GA, openSUSE:Leap:15.0), the
// openSUSE/wicked maintenance branches named after each service pack
// ("branch": the version the branch had on the release day; the one
// check against a build project found it one version ahead), security
// scanner data that names a package of a release, endoflife-date for
// dates, and Microsoft's documentation for Windows.

const (
	srcSLE11    = "openSUSE/sysconfig branch sle11-sp0: VERSION 0.71.14"
	srcSLE11SP1 = "openSUSE/sysconfig tag sle11-sp1-release: VERSION 0.71.30"
	srcSLE11SP2 = "openSUSE/sysconfig tag sle11-sp2-release: VERSION 0.71.47"
	srcSLE11SP3 = "openSUSE/sysconfig branch sle11-sp3: sysconfig.changes \"version 0.71.61\" (2013-01-30), no later version; SP4's is not established"
	srcSLE11U   = "not established from a package list: SLES 11 GA (2009-03) is taken to ship udev 128, the udev of its openSUSE 11.1 base (inferred); enicfg writes only rules every udev reads and runs udevadm control --reload-rules"

	srcSLE12    = "build.opensuse.org SUSE:SLE-12:GA/wicked/wicked.changes: version 0.6.11"
	srcSLE12SP1 = "openSUSE/wicked branch sle12-sp1: 0.6.29 on 2015-11-20 (branch); SUSE:SLE-12-SP1:Update shipped 0.6.40 later"
	srcSLE12SP2 = "openSUSE/wicked branch sle12-sp2: 0.6.38 on 2016-09-26 (branch)"
	srcSLE12SP3 = "openSUSE/wicked branch sle12-sp3: 0.6.40 on 2017-05-04 (branch); it ends at 0.6.64"
	srcSLE12SP4 = "openSUSE/wicked branch sle12-sp4: 0.6.52 (branch)"
	srcSLE12SP5 = "openSUSE/wicked branch sle12-sp5: 0.6.60 on 2019-10-04 (branch), updated to 0.6.79"
	srcSLE12U1  = "systemd-210-70.74.1 (SLES 12 GA) and systemd-210-114.1 (SP1) in security scanner data"
	srcSLE12U3  = "systemd-228-150.32.1 (SLES 12 SP3) in security scanner data; SP2, SP4 and SP5 taken as 228 (not checked)"
	srcLeap151  = "openSUSE/wicked branch sle12-sp1: at most 0.6.27 at Leap 42.1's release (branch); updates 0.6.28 to 0.6.31 (build.opensuse.org openSUSE:Maintenance:4281, :4790, :4953)"
	srcLeap422  = "openSUSE/wicked branch sle12-sp2: 0.6.38 (branch)"
	srcLeap423  = "openSUSE/wicked branch sle12-sp3: 0.6.40 (branch)"
	srcLeapU1   = "systemd-210-98.1 (Leap 42.1) in security scanner data"
	srcLeapU3   = "systemd-228-65.1 (Leap 42.3) in security scanner data; 42.2 taken as 228 (not checked)"

	srcSLE15    = "openSUSE/wicked branch sle15: 0.6.48 on 2018-06-01 (branch); openSUSE:Leap:15.0 wicked.spec Version 0.6.47"
	srcSLE15SP1 = "openSUSE/wicked branch sle15-sp1: 0.6.54 (branch); Leap 15.1 update wicked-0.6.60-lp151.2.6.1"
	srcSLE15SP2 = "openSUSE/wicked branch sle15-sp2: 0.6.63 (branch)"
	srcSLE15SP3 = "openSUSE/wicked branch sle15-sp3: 0.6.65 (branch)"
	srcSLE15SP4 = "openSUSE/wicked branch sle15-sp4: 0.6.69 (branch)"
	srcSLE15SP5 = "openSUSE/wicked branch sle15-sp5: 0.6.72 (branch)"
	srcSLE15SP6 = "openSUSE/wicked branch sle15-sp6: 0.6.75 (branch), ends at 0.6.76"
	srcSLE15SP7 = "openSUSE/wicked branch sle15-sp7: 0.6.78 (branch), updated to 0.6.79"
	srcLeap150  = "build.opensuse.org openSUSE:Leap:15.0/wicked/wicked.spec: Version 0.6.47"
	srcSLE15U   = "nss-systemd-234-24.39.1 (SLES 15 SP1) and systemd-234-lp151.25.7 (Leap 15.1) in security scanner data; later service packs ship newer systemd (not checked)"

	srcWin2008R2 = "endoflife-date windows-server: Windows Server 2008 R2 is 6.1.7600, SP1 6.1.7601"
	srcWin2012R2 = "endoflife-date windows-server: Windows Server 2012 R2 is 6.3.9600"
	srcWin2016   = "endoflife-date windows-server: Windows Server 2016 is 10.0.14393"
	srcWin2019   = "endoflife-date windows-server: Windows Server 2019 is 10.0.17763"
	srcWin2022   = "endoflife-date windows-server: Windows Server 2022 is 10.0.20348"
)

func sle(tool versions.Tool, point, title, v, src, u, usrc string) versions.Release {
	return rel(point, title, "", pin(tool, versions.Version(v), src), pin(udev, versions.Version(u), usrc))
}

var suseRows = []Target{
	{Name: "sles11", Family: "suse", Variant: "sysconfig", Title: "SUSE Linux Enterprise Server 11", Point: "sp", LastPoint: "4",
		Releases: []versions.Release{
			sle(sysconfig, "0", "SLES 11", "0.71.14", srcSLE11, "128", srcSLE11U),
			sle(sysconfig, "1", "SLES 11 SP1", "0.71.30", srcSLE11SP1, "128", srcSLE11U),
			sle(sysconfig, "2", "SLES 11 SP2", "0.71.47", srcSLE11SP2, "128", srcSLE11U),
			sle(sysconfig, "3", "SLES 11 SP3", "0.71.61", srcSLE11SP3, "128", srcSLE11U),
		},
		Last: []versions.Pin{pin(sysconfig, "0.71.61", srcSLE11SP3), pin(udev, "128", srcSLE11U)}},
	{Name: "sles12", Family: "suse", Variant: "wicked", Title: "SUSE Linux Enterprise Server 12", Point: "sp", LastPoint: "5",
		Releases: []versions.Release{
			sle(wicked, "0", "SLES 12", "0.6.11", srcSLE12, "210", srcSLE12U1),
			sle(wicked, "1", "SLES 12 SP1", "0.6.29", srcSLE12SP1, "210", srcSLE12U1),
			sle(wicked, "2", "SLES 12 SP2", "0.6.38", srcSLE12SP2, "228", srcSLE12U3),
			sle(wicked, "3", "SLES 12 SP3", "0.6.40", srcSLE12SP3, "228", srcSLE12U3),
			sle(wicked, "4", "SLES 12 SP4", "0.6.52", srcSLE12SP4, "228", srcSLE12U3),
			sle(wicked, "5", "SLES 12 SP5", "0.6.60", srcSLE12SP5, "228", srcSLE12U3),
		},
		Last: []versions.Pin{pin(wicked, "0.6.79", srcSLE12SP5), pin(udev, "228", srcSLE12U3)}},
	{Name: "sles15", Family: "suse", Variant: "wicked", Title: "SUSE Linux Enterprise Server 15", Point: "sp", LastPoint: "7",
		Releases: []versions.Release{
			sle(wicked, "0", "SLES 15", "0.6.47", srcSLE15, "234", srcSLE15U),
			sle(wicked, "1", "SLES 15 SP1", "0.6.54", srcSLE15SP1, "234", srcSLE15U),
			sle(wicked, "2", "SLES 15 SP2", "0.6.63", srcSLE15SP2, "234", srcSLE15U),
			sle(wicked, "3", "SLES 15 SP3", "0.6.65", srcSLE15SP3, "234", srcSLE15U),
			sle(wicked, "4", "SLES 15 SP4", "0.6.69", srcSLE15SP4, "234", srcSLE15U),
			sle(wicked, "5", "SLES 15 SP5", "0.6.72", srcSLE15SP5, "234", srcSLE15U),
			sle(wicked, "6", "SLES 15 SP6", "0.6.75", srcSLE15SP6, "234", srcSLE15U),
			sle(wicked, "7", "SLES 15 SP7", "0.6.78", srcSLE15SP7, "234", srcSLE15U),
		},
		Last: []versions.Pin{pin(wicked, "0.6.79", srcSLE15SP7), pin(udev, "234", srcSLE15U)}},
	{Name: "opensuse42", Family: "suse", Variant: "wicked", Title: "openSUSE Leap 42", Point: ".", LastPoint: "3",
		Releases: []versions.Release{
			sle(wicked, "1", "openSUSE Leap 42.1", "0.6.27", srcLeap151, "210", srcLeapU1),
			sle(wicked, "2", "openSUSE Leap 42.2", "0.6.38", srcLeap422, "228", srcLeapU3),
			sle(wicked, "3", "openSUSE Leap 42.3", "0.6.40", srcLeap423, "228", srcLeapU3),
		},
		Last: []versions.Pin{pin(wicked, "0.6.40", srcLeap423), pin(udev, "228", srcLeapU3)}},
	{Name: "opensuse15", Family: "suse", Variant: "wicked", Title: "openSUSE Leap 15", Point: ".", LastPoint: "6",
		Releases: []versions.Release{
			sle(wicked, "0", "openSUSE Leap 15.0", "0.6.47", srcLeap150, "234", srcSLE15U),
			sle(wicked, "1", "openSUSE Leap 15.1", "0.6.54", srcSLE15SP1, "234", srcSLE15U),
			sle(wicked, "2", "openSUSE Leap 15.2", "0.6.63", srcSLE15SP2, "234", srcSLE15U),
			sle(wicked, "3", "openSUSE Leap 15.3", "0.6.65", srcSLE15SP3, "234", srcSLE15U),
			sle(wicked, "4", "openSUSE Leap 15.4", "0.6.69", srcSLE15SP4, "234", srcSLE15U),
			sle(wicked, "5", "openSUSE Leap 15.5", "0.6.72", srcSLE15SP5, "234", srcSLE15U),
			sle(wicked, "6", "openSUSE Leap 15.6", "0.6.75", srcSLE15SP6, "234", srcSLE15U),
		},
		Last: []versions.Pin{pin(wicked, "0.6.76", srcSLE15SP6), pin(udev, "234", srcSLE15U)}},
}

func win(name, title, date, build, src, variant string) Target {
	return Target{Name: name, Family: "windows", Variant: variant, Title: title,
		Releases: []versions.Release{rel("0", title, date, pin(windows, versions.Version(build), src))},
		Last:     []versions.Pin{pin(windows, versions.Version(build), src)}}
}

var windowsRows = []Target{
	{Name: "windows2008r2", Family: "windows", Variant: "netsh", Title: "Windows Server 2008 R2",
		Releases: []versions.Release{rel("0", "Windows Server 2008 R2", "2009-10", pin(windows, "6.1.7600", srcWin2008R2))},
		Last:     []versions.Pin{pin(windows, "6.1.7601", srcWin2008R2)}},
	win("windows2012r2", "Windows Server 2012 R2", "2013-10", "6.3.9600", srcWin2012R2, "netsh+powershell"),
	win("windows2016", "Windows Server 2016", "2016-10", "10.0.14393", srcWin2016, "netsh+powershell"),
	win("windows2019", "Windows Server 2019", "2018-11", "10.0.17763", srcWin2019, "netsh+powershell"),
	win("windows2022", "Windows Server 2022", "2021-08", "10.0.20348", srcWin2022, "netsh+powershell"),
}
