package render

import (
	"cmp"
	"fmt"
	"net"
	"net/netip"
	"regexp"
	"slices"
	"strings"
	"text/template"

	"github.com/enicfg/enicfg/internal/syntax"
	"github.com/enicfg/enicfg/spec"
	"github.com/enicfg/enicfg/templates"
	"github.com/enicfg/enicfg/versions"
)

// Windows renders two scripts with the same effect for the windows
// family: a netsh script (.cmd, read by cmd.exe) and, with PowerShell set,
// the same steps as a PowerShell script (.ps1) with the NetTCPIP cmdlets
// of Windows Server 2012 and later. Windows Server 2008 R2 has no NetTCPIP
// module, so its target renders the .cmd only.
//
// Each script finds an interface's adapter by MAC address (Windows names
// adapters itself, "Ethernet 2"), else by windows_name; it makes the
// primary address static (DHCP off: Windows cannot keep a DHCP address and
// add static ones), adds every secondary IP with skipassource so that
// Windows keeps sending from the primary address, sets the default gateway
// with its metric, extra routes and the MTU. It stops with exit code 1 at
// the first failed step, and a second run changes nothing.
type Windows struct {
	PowerShell bool
}

var windowsFamily = &Family{
	Name: "windows",
	Dirs: []string{"/ProgramData/enicfg"},
	Files: []FileRule{
		{Glob: WindowsCmd, Format: Format{Name: "netsh script (cmd.exe)", Check: syntax.Cmd, Keys: netshKeys}},
		{Glob: WindowsPS1, Format: Format{Name: "PowerShell script", Check: syntax.PowerShell, Keys: psKeys}},
	},
	Constructs: windowsConstructs,
	Variants: []Variant{
		{Name: "netsh", Reader: "netsh", Tools: []versions.Tool{versions.Windows}, Files: []string{WindowsCmd + " (netsh; no NetTCPIP cmdlets before 2012)"}, Renderer: Windows{}},
		{Name: "netsh+powershell", Reader: "netsh / PowerShell", Tools: []versions.Tool{versions.Windows}, Files: []string{WindowsCmd + " (netsh)", WindowsPS1 + " (PowerShell, the same steps)"}, Renderer: Windows{PowerShell: true}},
	},
	Templates: templates.Lazy("windows", template.FuncMap{
		"cmdq":   cmdQuoted,
		"cmdrem": cmdComment,
		"psq":    psQuoted,
		"psrem":  psComment,
		"inc":    func(i int) int { return i + 1 },
		"routeTo": func(rs []winRoute, prefix string) bool {
			return slices.ContainsFunc(rs, func(r winRoute) bool { return r.Prefix == prefix })
		},
	}),
}

func init() { register(windowsFamily) }

// The scripts go to a folder of their own under ProgramData, the
// machine-wide data folder that sysprep keeps: not into
// %WINDIR%\Setup\Scripts, whose SetupComplete.cmd clouds and image tools
// write themselves, nor into cloudbase-init's LocalScripts folder, which
// runs every script it holds (both would run). docs/windows.md tells how
// to call them.
const (
	windowsDir = "/ProgramData/enicfg/"
	// WindowsCmd and WindowsPS1 are the paths of the two scripts.
	WindowsCmd = windowsDir + "enicfg-network.cmd"
	WindowsPS1 = windowsDir + "enicfg-network.ps1"
)

// returnPath tells whether a secondary ENI without a default route in the
// main table needs one on Windows as its return path: it has a
// route_table, or addresses (EIPs, secondary IPs) that answer traffic from
// outside its subnet.
func returnPath(in *spec.Interface) bool {
	return !in.Primary && !in.DefaultRoute && in.HasGateway() && (in.Table != 0 || len(in.EIPs) > 0 || len(in.SecondaryIPs) > 0)
}

// maxWindowsMetric is the largest route metric written: route.exe
// documents metrics 1 to 9999, and New-NetRoute takes a UInt16.
const maxWindowsMetric = 9999

// winScript is the data of both templates.
type winScript struct {
	HeaderCmd  string // the header comment, REM lines
	HeaderPS   string // the header comment, # lines
	Target     string
	Interfaces []winIface
	// HasIPv6: some interface has IPv6 (the .cmd reads and keeps
	// enicfg's record of IPv6 addresses and routes).
	HasIPv6 bool
}

type winIface struct {
	Notes   []string // comment lines, without markers
	Name    string   // the description's name (A-Z a-z 0-9 _ -)
	MAC     string   // Windows form, 00-16-3E-12-E7-27; "" to match WinName
	WinName string   // the adapter name when MAC is ""
	DHCP    bool

	Address winAddr // static primary
	Gateway string  // "" when the interface carries no default route
	// NoGateway is the described gateway of a static interface without
	// a default route: a default route through it is taken away.
	NoGateway string
	// HasMetric/Metric: the default route's metric when described; else
	// Windows picks its automatic metric (0 is outside the documented
	// 1-9999 range and is never written).
	HasMetric bool
	Metric    uint32
	// Coexist: DHCP with static secondaries (dhcpstaticipcoexistence).
	Coexist bool
	// ReturnPath: the default route is the return path of a secondary
	// ENI (route_table, EIPs or secondary IPs without a default route).
	ReturnPath  bool
	Secondaries []winAddr
	Routes      []winRoute
	MTU         int
	// Frame is the MTU with the 14-byte Ethernet header: the
	// *JumboPacket value for it ("an Ethernet frame that is greater than
	// 1514 bytes"; AWS: 9015 for ENA's MTU of 9001).
	Frame int
	// DNS are the described name servers, in order; they replace the
	// adapter's (DHCP's or static) list. DNSList is them as the registry
	// value NameServer holds them (commas between).
	DNS     []string
	DNSList string
	// IgnoreDefaultRoutes is "enabled" for a DHCP interface without a
	// default route, "disabled" for one with it.
	IgnoreDefaultRoutes string

	// What the .cmd compares with the registry, which reg.exe prints
	// untranslated: the static addresses and masks as reg prints a
	// REG_MULTI_SZ (\0 between items: the primary first, then the
	// secondaries in the order the script adds them), and what the .cmd
	// records in enicfg's own key after it has added them: the secondary
	// IPs (added with skipassource, which no untranslated output shows)
	// and the routes (prefix@nexthop), so that a later run finds those
	// that are no longer described.
	IPList, MaskList string
	Static           []string // the static IPs, in the same order
	AddrMark         string
	RouteMark        string

	// NoIPv4: an IPv6-only interface; its IPv4 is left to DHCP (the
	// subnet has no DHCPv4 server) with DHCP's default routes ignored.
	NoIPv4 bool
	// IPv6 is nil without IPv6.
	IPv6 *winIPv6
}

type winAddr struct {
	IP   string
	Bits int
	Mask string
}

type winRoute struct {
	Prefix    string
	NextHop   string // "" for an on-link route
	HasMetric bool
	Metric    uint32
}

// Render implements Renderer.
func (w Windows) Render(m *spec.Model, opt Options) (FileSet, []Unsupported, error) {
	j := newJob(windowsFamily, w, opt)
	s := winScript{Target: j.opt.Target, HeaderCmd: j.header("REM"), HeaderPS: j.header("#")}
	seenName := map[string]string{}
	for _, in := range m.Interfaces {
		if wi, ok := windowsIface(j, in, seenName); ok {
			s.Interfaces = append(s.Interfaces, wi)
			s.HasIPv6 = s.HasIPv6 || wi.IPv6 != nil
		}
	}
	if m.Host != (spec.Host{}) {
		j.refuse("", "host", "Windows has no reverse-path filter or ARP setting like Linux's sysctls; it receives with the strong host model by default")
	}
	addScript(j, WindowsCmd, "network.cmd.tmpl", s)
	if w.PowerShell {
		addScript(j, WindowsPS1, "network.ps1.tmpl", s)
	}
	return j.done()
}

// addScript renders a script and gives it Windows line endings.
func addScript(j *job, p, name string, s winScript) {
	var b strings.Builder
	if err := j.tmpl.ExecuteTemplate(&b, name, s); err != nil {
		if j.err == nil {
			j.err = fmt.Errorf("render %s: %w", p, err)
		}
		return
	}
	j.addBytes(p, 0o644, []byte(strings.ReplaceAll(b.String(), "\n", "\r\n")))
}

// windowsIface resolves one interface, or refuses it whole when its
// adapter cannot be found.
func windowsIface(j *job, in *spec.Interface, seenName map[string]string) (winIface, bool) {
	wi := winIface{Name: in.Name, DHCP: in.DHCP, MTU: in.MTU, Frame: in.MTU + 14}
	if !windowsAdapter(j, in, &wi, seenName) {
		return wi, false
	}
	wi.Notes = notes(in)
	if wi.MAC != "" && in.WindowsName != "" {
		wi.Notes = append(wi.Notes, "windows_name "+in.WindowsName+" is not used: the MAC address finds the adapter")
	}

	wi.DNS, _ = dnsStrings(in.DNS)
	wi.DNSList = strings.Join(wi.DNS, ",")
	if len(in.DNS.Search) > 0 {
		j.refuse(in.Name, "dns.search", "Windows has one connection-specific DNS suffix per adapter and a search list for the whole host (netsh has neither); set the suffix search list in the image or by group policy")
	}
	if in.RPFilter != "" || in.ARP != "" {
		j.refuse(in.Name, "rp_filter/arp", "Windows has no reverse-path filter or ARP setting per adapter; it receives with the strong host model by default")
	}
	if in.Table != 0 && in.DHCP && !in.DefaultRoute {
		j.refuse(in.Name, "route_table", "the return path on Windows is a default route of the ENI's own, and DHCP would give it Windows' automatic metric, which competes with the primary's; describe the ENI's address as static (it is fixed for the ENI's life)")
	}
	if in.Queues != 0 {
		j.refuse(in.Name, "queues", "Windows sets NIC queues in the adapter's driver settings (the seed: a multiqueue VirtIO driver), which netsh and the NetTCPIP cmdlets do not reach")
	}
	if in.MTU != 0 && in.MTU < 576 {
		j.refuse(in.Name, "mtu", "%d is below the IPv4 minimum of 576 that Set-NetIPInterface documents", in.MTU)
		wi.MTU = 0
	}

	switch {
	case !in.HasIPv4():
		// IPv6-only: no static IPv4 address and no IPv4 default route;
		// DHCP is what a fresh image has, and finds no server there.
		wi.DHCP, wi.NoIPv4 = true, true
		windowsDHCP(j, in, &wi)
		wi.Notes = append(wi.Notes, "IPv6-only: IPv4 stays on DHCP (the subnet has no DHCPv4 server), its default routes ignored")
	case in.DHCP:
		windowsDHCP(j, in, &wi)
	default:
		windowsStatic(j, in, &wi)
	}
	wi.Routes = windowsRoutes(j, in)
	wi.marks()
	wi.IPv6 = windowsIPv6(j, in)
	return wi, true
}

// windowsAdapter sets how the scripts find the interface's adapter: by
// MAC, else by windows_name; false when neither can be used (refused).
func windowsAdapter(j *job, in *spec.Interface, wi *winIface, seenName map[string]string) bool {
	switch {
	case in.MAC != "":
		wi.MAC = strings.ToUpper(strings.ReplaceAll(in.MAC, ":", "-"))
	case in.WindowsName == "":
		j.refuse(in.Name, "mac or windows_name", "Windows names adapters itself (\"Ethernet 2\"), so the scripts find an adapter by its MAC address or by windows_name; describe one of them")
		return false
	case !isASCII(in.WindowsName):
		j.refuse(in.Name, "windows_name", "%s has characters outside ASCII, which cmd.exe reads in the console code page; describe the mac instead", in.WindowsName)
		return false
	case strings.HasSuffix(in.WindowsName, `\`):
		j.refuse(in.Name, "windows_name", "%s ends with a backslash: the .cmd passes it to netsh as name=\"...\", and netsh reads a backslash before a double quote as an escaped quote (the command-line rules of CommandLineToArgvW); describe the mac instead", in.WindowsName)
		return false
	case strings.Contains(in.WindowsName, ","):
		j.refuse(in.Name, "windows_name", "%s has a comma, which splits the field of getmac's CSV output that the .cmd matches; describe the mac instead", in.WindowsName)
		return false
	default:
		key := strings.ToLower(in.WindowsName)
		if other, dup := seenName[key]; dup {
			j.refuse(in.Name, "windows_name", "%s is also the adapter of %s (Windows compares adapter names without case)", in.WindowsName, other)
			return false
		}
		seenName[key] = in.Name
		wi.WinName = in.WindowsName
	}
	return true
}

// windowsDHCP: a DHCP adapter, with static secondaries beside it where
// Windows has dhcpstaticipcoexistence, and its default route kept or
// ignored.
func windowsDHCP(j *job, in *spec.Interface, wi *winIface) {
	if len(in.SecondaryIPs) > 0 {
		if j.has(winCoexist) {
			// Static secondaries beside the DHCP address: without
			// dhcpstaticipcoexistence, adding a static address turns
			// DHCP off (netsh add address and New-NetIPAddress say so).
			wi.Coexist = true
			for _, ip := range in.SecondaryIPs {
				wi.Secondaries = append(wi.Secondaries, winAddrOf(ip))
			}
		} else {
			j.needs(in.Name, "secondary_ips", winCoexist, "has no dhcpstaticipcoexistence: adding a static address to a DHCP adapter turns DHCP off (netsh add address and New-NetIPAddress document it), and the DHCP address would be lost; or describe the ENI's primary private IP as a static address (it is fixed for the ENI's life)")
		}
	}
	wi.IgnoreDefaultRoutes = "enabled"
	if in.DefaultRoute {
		wi.IgnoreDefaultRoutes = "disabled"
		if in.HasMetric {
			j.refuse(in.Name, "metric", "Windows installs the DHCP router as default route with a metric of its own; describe the address as static to set the metric")
		}
	}
}

// windowsStatic: a static primary address, its default route (or the
// return path of a secondary ENI) and the secondaries.
func windowsStatic(j *job, in *spec.Interface, wi *winIface) {
	wi.Address = winAddrOf(in.Address)
	if !in.DefaultRoute && in.HasGateway() {
		if returnPath(in) {
			// Windows sends with the strong host model: a packet from
			// an address of this ENI leaves only by a route of this
			// ENI. A default route of its own at the largest metric is
			// then the return path of its addresses (Linux's "from
			// <ip> lookup <table>" and the table's default route) and
			// the last choice for everything else; Microsoft's
			// multi-NIC guide for Azure does the same with metric 5015.
			wi.Gateway, wi.HasMetric, wi.Metric, wi.ReturnPath = in.Gateway.String(), true, maxWindowsMetric, true
		} else {
			wi.NoGateway = in.Gateway.String()
		}
	}
	if in.DefaultRoute {
		wi.Gateway = in.Gateway.String()
		if in.HasMetric {
			if in.Metric < 1 || in.Metric > maxWindowsMetric {
				j.refuse(in.Name, "metric", "%d is outside 1 to %d, the route metrics Windows documents", in.Metric, maxWindowsMetric)
			} else {
				wi.HasMetric, wi.Metric = true, in.Metric
			}
		}
	}
	for _, ip := range in.SecondaryIPs {
		wi.Secondaries = append(wi.Secondaries, winAddrOf(ip))
	}
}

// windowsRoutes gives the interface's extra routes; a route only for a
// table, or with a source other than the primary, is refused.
func windowsRoutes(j *job, in *spec.Interface) []winRoute {
	var primary netip.Addr
	if !in.DHCP {
		primary = in.Address.Addr()
	}
	return windowsRoutesOf(j, in.Name, "routes", in.Routes, primary, "the primary address (secondaries are skipassource)")
}

// windowsRoutesOf gives routes (of the key what) as Windows routes: a
// route only for a table, or with a source other than primary (invalid:
// none is known), is refused; from says what Windows sends from.
func windowsRoutesOf(j *job, iface, what string, routes []spec.Route, primary netip.Addr, from string) []winRoute {
	var out []winRoute
	for k, r := range routes {
		what := fmt.Sprintf("%s[%d]", what, k)
		if r.Table != 0 {
			j.refuse(iface, what+".table", "Windows has one routing table: a route that only the ENI's own addresses may use has no equivalent (its return path is the ENI's default route)")
			continue
		}
		if r.Src.IsValid() && (!primary.IsValid() || r.Src != primary) {
			j.refuse(iface, what+".src", "Windows routes have no preferred source: it sends from %s", from)
		}
		wr := winRoute{Prefix: r.To.String()}
		if r.Via.IsValid() {
			wr.NextHop = r.Via.String()
		}
		if r.HasMetric {
			if r.Metric < 1 || r.Metric > maxWindowsMetric {
				j.refuse(iface, what+".metric", "%d is outside 1 to %d, the route metrics Windows documents", r.Metric, maxWindowsMetric)
			} else {
				wr.HasMetric, wr.Metric = true, r.Metric
			}
		}
		out = append(out, wr)
	}
	return out
}

// marks fills in the lists the .cmd compares with the registry.
func (wi *winIface) marks() {
	var ips, masks, sec, routes []string
	if !wi.DHCP {
		ips, masks = append(ips, wi.Address.IP), append(masks, wi.Address.Mask)
	}
	for _, a := range wi.Secondaries {
		ips, masks = append(ips, a.IP), append(masks, a.Mask)
		sec = append(sec, fmt.Sprintf("%s/%d", a.IP, a.Bits))
	}
	for _, r := range wi.Routes {
		routes = append(routes, r.Prefix+"@"+cmp.Or(r.NextHop, "0.0.0.0"))
	}
	wi.Static = ips
	wi.IPList, wi.MaskList = strings.Join(ips, `\0`), strings.Join(masks, `\0`)
	wi.AddrMark, wi.RouteMark = strings.Join(sec, " "), strings.Join(routes, " ")
}

func winAddrOf(p netip.Prefix) winAddr {
	return winAddr{
		IP:   p.Addr().String(),
		Bits: p.Bits(),
		Mask: net.IP(net.CIDRMask(p.Bits(), 32)).String(),
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// cmdQuoted escapes s for a batch file, inside double quotes: the quotes
// keep & | < > ^ ( ) literal, and %% is how a batch file writes %
// (delayed expansion stays off, so ! is literal). What no escaping makes
// safe there is an error, never written: a double quote would end the
// quoting, a control character could end the line, and bytes outside
// ASCII change meaning with the console code page.
func cmdQuoted(s string) (string, error) {
	for _, r := range s {
		if r == '"' || r < ' ' || r >= 0x7f {
			return "", fmt.Errorf("value %q is not safe inside double quotes in a batch file", s)
		}
	}
	return strings.ReplaceAll(s, "%", "%%"), nil
}

// cmdComment makes text inert on a REM line. cmd.exe expands %
// before it sees REM (and %~ aborts the script), and a ^ at the end of a
// line joins the next line to the comment, so % is doubled and the
// special characters are escaped with ^. Characters outside ASCII become
// ?: in a double-byte console code page a lead byte swallows the next
// byte, which could be an escaping ^.
func cmdComment(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '%':
			b.WriteString("%%")
		case strings.ContainsRune("^&|<>", r):
			b.WriteByte('^')
			b.WriteRune(r)
		case r < ' ' || r >= 0x7f:
			b.WriteByte('?')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// psQuoted gives s as a PowerShell single-quoted string, in which nothing
// is expanded ($ and the escape character ` are literal). PowerShell also ends such a string at the typographic
// quotes ‘ ’ ‚ ‛, which would be doubled like '; the description format
// forbids every quote in windows_name, so any quote, control character or
// byte outside ASCII (the script has no byte-order mark, so Windows
// PowerShell reads it in the ANSI code page) is an error, never written.
func psQuoted(s string) (string, error) {
	for _, r := range s {
		if r == '\'' || r == '"' || r < ' ' || r >= 0x7f {
			return "", fmt.Errorf("value %q is not safe in a PowerShell single-quoted string", s)
		}
	}
	return "'" + s + "'", nil
}

// psComment makes text safe on a # line: a line comment ends only at the
// end of the line (<# and #> start and end block comments only outside
// one), so line breaks become blanks; characters outside ASCII become ?,
// as in the .cmd.
func psComment(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < ' ' || r >= 0x7f {
			b.WriteByte('?')
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Activation implements Renderer: the scripts are run on the host itself
// (docs/windows.md), so there is no step for cloud-init or apply.
func (Windows) Activation(*spec.Model, FileSet, Options) Activation { return Activation{} }

var (
	netshCommand = regexp.MustCompile(`netsh interface (ipv[46]) ([a-z]+) ([a-z]+)((?: [a-z]+=(?:"[^"]*"|[^ ]*))*)`)
	netshOption  = regexp.MustCompile(` ([a-z]+)=`)
	psCmdlet     = regexp.MustCompile(`\b((?:Get|Set|New|Remove)-Net[A-Za-z]+)([^|)};]*)`)
	psParam      = regexp.MustCompile(`\s-([A-Za-z]+)`)
)

// netshKeys names the netsh commands of a .cmd script with their options
// ("netsh interface ipv4 add address skipassource=") and getmac.
func netshKeys(data []byte) ([]string, error) {
	s := keySet{}
	for _, l := range dataLines(data, "REM") {
		addNetshKeys(s, l)
		if strings.Contains(l, "getmac /fo csv /nh /v") {
			s.add("getmac /fo csv /nh /v")
		}
		for _, r := range []string{"reg query", "reg add"} {
			if strings.Contains(l, "'"+r+" ") || strings.HasPrefix(l, r+" ") || strings.Contains(l, " "+r+" \"") {
				s.add(r)
			}
		}
	}
	return s.list(), nil
}

// addNetshKeys adds the netsh commands of a line and their options.
func addNetshKeys(s keySet, l string) {
	for _, m := range netshCommand.FindAllStringSubmatch(l, -1) {
		cmd := "netsh interface " + m[1] + " " + m[2] + " " + m[3]
		s.add(cmd)
		for _, o := range netshOption.FindAllStringSubmatch(m[4], -1) {
			s.add(cmd + " " + o[1] + "=")
		}
	}
}

// winCoexist is the netsh option that lets static addresses sit beside
// the DHCP address.
const winCoexist = "netsh interface ipv4 set interface dhcpstaticipcoexistence="

// psKeys names the NetTCPIP and NetAdapter cmdlets of a .ps1 script with
// their parameters ("ps New-NetIPAddress -SkipAsSource"), and the netsh
// commands it runs where no cmdlet does the step.
func psKeys(data []byte) ([]string, error) {
	s := keySet{}
	for _, l := range dataLines(data, "#") {
		addNetshKeys(s, l)
		for _, m := range psCmdlet.FindAllStringSubmatch(l, -1) {
			s.add("ps " + m[1])
			for _, p := range psParam.FindAllStringSubmatch(m[2], -1) {
				s.add("ps " + m[1] + " -" + p[1])
			}
		}
	}
	return s.list(), nil
}

// windowsConstructs: every netsh command and cmdlet of the windows
// family, with the first Windows release that has it.
var windowsConstructs = versions.Table{
	{Key: "reg query", Tool: versions.Windows, Since: "6.0.6001", Source: winReg},
	{Key: "reg add", Tool: versions.Windows, Since: "6.0.6001", Source: winReg},
	{Key: "getmac /fo csv /nh /v", Tool: versions.Windows, Since: "6.0.6001", Source: winGetmac},
	{Key: "netsh interface ipv4 add address", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh},
	{Key: "netsh interface ipv4 add address address=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh},
	{Key: "netsh interface ipv4 add address mask=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh},
	{Key: "netsh interface ipv4 add address name=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh},
	{Key: "netsh interface ipv4 add address skipassource=", Tool: versions.Windows, Since: "6.0.6001", Source: winSkipAsSource},
	{Key: winCoexist, Tool: versions.Windows, Since: "10.0.15063", Source: "Microsoft's netsh reference (netsh-interface.md, ms.date 2025-10-24) documents set interface dhcpstaticipcoexistence=enabled|disabled without a version; the first release is a third-party statement, not Microsoft's: \"In Windows 10 1703 and newer\" (BornToBeRoot/NETworkManager issue 2264, 2023-05-12). Not confirmed on a Windows host (docs/windows.md).",
		Note: "No cmdlet sets it (Set-NetIPInterface has no such parameter in the 2016 to 2025 references): the .ps1 runs netsh for it."},
	{Key: "netsh interface ipv4 set dnsservers", Tool: versions.Windows, Since: "6.0.6001", Source: winNetshCurrent},
	{Key: "netsh interface ipv4 set dnsservers name=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetshCurrent},
	{Key: "netsh interface ipv4 set dnsservers source=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetshCurrent},
	{Key: "netsh interface ipv4 set dnsservers address=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetshCurrent},
	{Key: "netsh interface ipv4 set dnsservers register=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetshCurrent},
	{Key: "netsh interface ipv4 set dnsservers validate=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetshCurrent},
	{Key: "netsh interface ipv4 add dnsservers index=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetshCurrent},
	{Key: "netsh interface ipv4 add dnsservers", Tool: versions.Windows, Since: "6.0.6001", Source: winNetshCurrent},
	{Key: "netsh interface ipv4 add dnsservers address=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetshCurrent},
	{Key: "netsh interface ipv4 add dnsservers name=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetshCurrent},
	{Key: "netsh interface ipv4 add dnsservers validate=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetshCurrent},
	{Key: "netsh interface ipv4 delete address", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh},
	{Key: "netsh interface ipv4 delete address address=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh},
	{Key: "netsh interface ipv4 delete address name=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh},
	{Key: "netsh interface ipv4 delete route", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh},
	{Key: "netsh interface ipv4 delete route interface=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh},
	{Key: "netsh interface ipv4 delete route nexthop=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh},
	{Key: "netsh interface ipv4 delete route prefix=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh},
	{Key: "netsh interface ipv4 add route", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh},
	{Key: "netsh interface ipv4 add route interface=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh},
	{Key: "netsh interface ipv4 add route metric=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh},
	{Key: "netsh interface ipv4 add route nexthop=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh},
	{Key: "netsh interface ipv4 add route prefix=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh},
	{Key: "netsh interface ipv4 set address", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh},
	{Key: "netsh interface ipv4 set address address=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh},
	{Key: "netsh interface ipv4 set address gateway=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh},
	{Key: "netsh interface ipv4 set address gwmetric=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh},
	{Key: "netsh interface ipv4 set address mask=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh},
	{Key: "netsh interface ipv4 set address name=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh},
	{Key: "netsh interface ipv4 set address source=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh},
	{Key: "netsh interface ipv4 set interface", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh},
	{Key: "netsh interface ipv4 set interface ignoredefaultroutes=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetshCurrent},
	{Key: "netsh interface ipv4 set interface interface=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh},
	{Key: "netsh interface ipv4 set interface store=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh},
	{Key: "netsh interface ipv4 set route", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh},
	{Key: "netsh interface ipv4 set route interface=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh},
	{Key: "netsh interface ipv4 set route metric=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh},
	{Key: "netsh interface ipv4 set route nexthop=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh},
	{Key: "netsh interface ipv4 set route prefix=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh},
	{Key: "netsh interface ipv4 set subinterface", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh},
	{Key: "netsh interface ipv4 set subinterface interface=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh},
	{Key: "netsh interface ipv4 set subinterface mtu=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh},
	{Key: "netsh interface ipv4 set subinterface store=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh},
	{Key: "netsh interface ipv6 add address", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh6},
	{Key: "netsh interface ipv6 add address address=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh6},
	{Key: "netsh interface ipv6 add address interface=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh6},
	{Key: "netsh interface ipv6 add address store=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh6},
	{Key: "netsh interface ipv6 delete address", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh6},
	{Key: "netsh interface ipv6 delete address address=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh6},
	{Key: "netsh interface ipv6 delete address interface=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh6},
	{Key: "netsh interface ipv6 add route", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh6},
	{Key: "netsh interface ipv6 add route prefix=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh6},
	{Key: "netsh interface ipv6 add route interface=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh6},
	{Key: "netsh interface ipv6 add route nexthop=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh6},
	{Key: "netsh interface ipv6 add route metric=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh6},
	{Key: "netsh interface ipv6 add route store=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh6},
	{Key: "netsh interface ipv6 set route", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh6},
	{Key: "netsh interface ipv6 set route prefix=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh6},
	{Key: "netsh interface ipv6 set route interface=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh6},
	{Key: "netsh interface ipv6 set route nexthop=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh6},
	{Key: "netsh interface ipv6 set route metric=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh6},
	{Key: "netsh interface ipv6 set route store=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh6},
	{Key: "netsh interface ipv6 delete route", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh6},
	{Key: "netsh interface ipv6 delete route prefix=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh6},
	{Key: "netsh interface ipv6 delete route interface=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh6},
	{Key: "netsh interface ipv6 delete route nexthop=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh6},
	{Key: "netsh interface ipv6 set interface", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh6},
	{Key: "netsh interface ipv6 set interface interface=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh6},
	{Key: "netsh interface ipv6 set interface routerdiscovery=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh6},
	{Key: "netsh interface ipv6 set interface managedaddress=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh6},
	{Key: "netsh interface ipv6 set interface ignoredefaultroutes=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh6},
	{Key: "netsh interface ipv6 set interface store=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh6},
	{Key: "netsh interface ipv6 set subinterface", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh6},
	{Key: "netsh interface ipv6 set subinterface interface=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh6},
	{Key: "netsh interface ipv6 set subinterface mtu=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh6},
	{Key: "netsh interface ipv6 set subinterface store=", Tool: versions.Windows, Since: "6.0.6001", Source: winNetsh6},
	{Key: "netsh interface ipv6 add address skipassource=", Tool: versions.Windows, Since: "6.0.6001", Source: winSkipAsSource},
	{Key: "ps Set-NetIPInterface -RouterDiscovery", Tool: versions.Windows, Since: "6.2.9200", Source: winCmdlets},
	{Key: "ps Set-NetIPInterface -ManagedAddressConfiguration", Tool: versions.Windows, Since: "6.2.9200", Source: winCmdlets},
	{Key: "ps Get-NetAdapter", Tool: versions.Windows, Since: "6.2.9200", Source: winCmdlets},
	{Key: "ps Get-NetAdapterAdvancedProperty", Tool: versions.Windows, Since: "6.2.9200", Source: winAdvanced},
	{Key: "ps Get-NetAdapterAdvancedProperty -ErrorAction", Tool: versions.Windows, Since: "6.2.9200", Source: winAdvanced},
	{Key: "ps Get-NetAdapterAdvancedProperty -Name", Tool: versions.Windows, Since: "6.2.9200", Source: winAdvanced},
	{Key: "ps Get-NetAdapterAdvancedProperty -RegistryKeyword", Tool: versions.Windows, Since: "6.2.9200", Source: winAdvanced},
	{Key: "ps Set-NetAdapterAdvancedProperty", Tool: versions.Windows, Since: "6.2.9200", Source: winAdvanced},
	{Key: "ps Set-NetAdapterAdvancedProperty -Name", Tool: versions.Windows, Since: "6.2.9200", Source: winAdvanced},
	{Key: "ps Set-NetAdapterAdvancedProperty -RegistryKeyword", Tool: versions.Windows, Since: "6.2.9200", Source: winAdvanced},
	{Key: "ps Set-NetAdapterAdvancedProperty -RegistryValue", Tool: versions.Windows, Since: "6.2.9200", Source: winAdvanced},
	{Key: "ps Get-NetIPAddress", Tool: versions.Windows, Since: "6.2.9200", Source: winCmdlets},
	{Key: "ps Get-NetIPAddress -AddressFamily", Tool: versions.Windows, Since: "6.2.9200", Source: winCmdlets},
	{Key: "ps Get-NetIPAddress -ErrorAction", Tool: versions.Windows, Since: "6.2.9200", Source: winCmdlets},
	{Key: "ps Get-NetIPAddress -IPAddress", Tool: versions.Windows, Since: "6.2.9200", Source: winCmdlets},
	{Key: "ps Get-NetIPAddress -InterfaceIndex", Tool: versions.Windows, Since: "6.2.9200", Source: winCmdlets},
	{Key: "ps Get-NetIPAddress -PolicyStore", Tool: versions.Windows, Since: "6.2.9200", Source: winCmdlets},
	{Key: "ps Get-NetIPInterface", Tool: versions.Windows, Since: "6.2.9200", Source: winCmdlets},
	{Key: "ps Get-NetIPInterface -AddressFamily", Tool: versions.Windows, Since: "6.2.9200", Source: winCmdlets},
	{Key: "ps Get-NetIPInterface -InterfaceIndex", Tool: versions.Windows, Since: "6.2.9200", Source: winCmdlets},
	{Key: "ps Get-NetRoute", Tool: versions.Windows, Since: "6.2.9200", Source: winCmdlets},
	{Key: "ps Get-NetRoute -AddressFamily", Tool: versions.Windows, Since: "6.2.9200", Source: winCmdlets},
	{Key: "ps Get-NetRoute -DestinationPrefix", Tool: versions.Windows, Since: "6.2.9200", Source: winCmdlets},
	{Key: "ps Get-NetRoute -ErrorAction", Tool: versions.Windows, Since: "6.2.9200", Source: winCmdlets},
	{Key: "ps Get-NetRoute -InterfaceIndex", Tool: versions.Windows, Since: "6.2.9200", Source: winCmdlets},
	{Key: "ps Get-NetRoute -PolicyStore", Tool: versions.Windows, Since: "6.2.9200", Source: winCmdlets},
	{Key: "ps New-NetIPAddress", Tool: versions.Windows, Since: "6.2.9200", Source: winCmdlets},
	{Key: "ps New-NetIPAddress -AddressFamily", Tool: versions.Windows, Since: "6.2.9200", Source: winCmdlets},
	{Key: "ps New-NetIPAddress -IPAddress", Tool: versions.Windows, Since: "6.2.9200", Source: winCmdlets},
	{Key: "ps New-NetIPAddress -InterfaceIndex", Tool: versions.Windows, Since: "6.2.9200", Source: winCmdlets},
	{Key: "ps New-NetIPAddress -PrefixLength", Tool: versions.Windows, Since: "6.2.9200", Source: winCmdlets},
	{Key: "ps New-NetIPAddress -SkipAsSource", Tool: versions.Windows, Since: "6.2.9200", Source: winCmdlets},
	{Key: "ps New-NetRoute", Tool: versions.Windows, Since: "6.2.9200", Source: winCmdlets},
	{Key: "ps New-NetRoute -AddressFamily", Tool: versions.Windows, Since: "6.2.9200", Source: winCmdlets},
	{Key: "ps New-NetRoute -DestinationPrefix", Tool: versions.Windows, Since: "6.2.9200", Source: winCmdlets},
	{Key: "ps New-NetRoute -InterfaceIndex", Tool: versions.Windows, Since: "6.2.9200", Source: winCmdlets},
	{Key: "ps New-NetRoute -NextHop", Tool: versions.Windows, Since: "6.2.9200", Source: winCmdlets},
	{Key: "ps New-NetRoute -RouteMetric", Tool: versions.Windows, Since: "6.2.9200", Source: winCmdlets},
	{Key: "ps Remove-NetIPAddress", Tool: versions.Windows, Since: "6.2.9200", Source: winCmdlets},
	{Key: "ps Remove-NetIPAddress -Confirm", Tool: versions.Windows, Since: "6.2.9200", Source: winCmdlets},
	{Key: "ps Remove-NetRoute", Tool: versions.Windows, Since: "6.2.9200", Source: winCmdlets},
	{Key: "ps Remove-NetRoute -Confirm", Tool: versions.Windows, Since: "6.2.9200", Source: winCmdlets},
	{Key: "ps Set-NetIPInterface", Tool: versions.Windows, Since: "6.2.9200", Source: winCmdlets},
	{Key: "ps Set-NetIPInterface -AddressFamily", Tool: versions.Windows, Since: "6.2.9200", Source: winCmdlets},
	{Key: "ps Set-NetIPInterface -Dhcp", Tool: versions.Windows, Since: "6.2.9200", Source: winCmdlets},
	{Key: "ps Set-NetIPInterface -IgnoreDefaultRoutes", Tool: versions.Windows, Since: "6.2.9200", Source: winCmdlets},
	{Key: "ps Set-NetIPInterface -InterfaceIndex", Tool: versions.Windows, Since: "6.2.9200", Source: winCmdlets},
	{Key: "ps Set-NetIPInterface -NlMtuBytes", Tool: versions.Windows, Since: "6.2.9200", Source: winCmdlets},
	{Key: "ps Set-NetRoute", Tool: versions.Windows, Since: "6.2.9200", Source: winCmdlets},
	{Key: "ps Set-NetRoute -AddressFamily", Tool: versions.Windows, Since: "6.2.9200", Source: winCmdlets},
	{Key: "ps Set-NetRoute -DestinationPrefix", Tool: versions.Windows, Since: "6.2.9200", Source: winCmdlets},
	{Key: "ps Set-NetRoute -InterfaceIndex", Tool: versions.Windows, Since: "6.2.9200", Source: winCmdlets},
	{Key: "ps Set-NetRoute -NextHop", Tool: versions.Windows, Since: "6.2.9200", Source: winCmdlets},
	{Key: "ps Set-NetRoute -RouteMetric", Tool: versions.Windows, Since: "6.2.9200", Source: winCmdlets},
}

const (
	winGetmac       = "getmac /v /fo csv /nh: Microsoft's getmac reference (Windows Server 2008 and later)"
	winNetsh        = "netsh interface ipv4 context, Windows Server 2008 (Microsoft's netsh-interface reference; TechNet \"Netsh commands for Interface IPv6\", Applies To: Windows Server 2008, lists the same commands)"
	winNetsh6       = "netsh interface ipv6 context, Windows Server 2008: TechNet \"Netsh commands for Interface Internet Protocol version 6 (IPv6)\" (cc753156, Applies To: Windows Server 2008) lists add/delete address, add/set/delete route, set interface and set subinterface; the tags as Microsoft's current netsh-interface reference gives them (interface=, routerdiscovery=, managedaddress=, ignoredefaultroutes=); that 2008 R2 takes each tag is not confirmed here (docs/windows.md)"
	winNetshCurrent = "Microsoft's current netsh-interface reference; its presence on Windows Server 2008 R2 is not confirmed here (docs/windows.md)"
	winSkipAsSource = "skipassource=: Windows Server 2008 SP2 with hotfix KB975808 (support.microsoft.com/kb/975808), built in later; on 2008 R2 the hotfix KB2386184 is reported but not confirmed here (docs/windows.md)"
	winReg          = "reg query / reg add: Microsoft's reg command reference (windows-commands/reg-query, reg-add: Windows Server 2008 and later); that reg query prints a REG_MULTI_SZ value with \\0 between its strings is its observed output, not in that reference (docs/windows.md)"
	winAdvanced     = "Get-/Set-NetAdapterAdvancedProperty: NetAdapter module of Windows Server 2012 (PowerShell 3.0); the parameters as MicrosoftDocs/windows-powershell-docs docset/winserver2016-ps/NetAdapter documents them (the 2012 and 2012 R2 pages are no longer in that repository)"
	winCmdlets      = "NetTCPIP and NetAdapter modules of Windows Server 2012 (PowerShell 3.0): MicrosoftDocs/windows-powershell-docs docset winserver2012-ps documents each cmdlet and parameter"
)
