package render_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/enicfg/enicfg/internal/gen"
	"github.com/enicfg/enicfg/internal/testenv"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/enicfg/enicfg/render"
)

// The Windows scripts cannot be run here (no Windows, and Wine's cmd.exe
// expands %% differently from Microsoft's), so these tests hold every
// generated line to what Microsoft documents: the netsh interface ipv4
// grammar, the PowerShell cmdlets and parameters of Windows Server 2012 R2,
// and cmd.exe's expansion rules for the values that come from the
// description.

// winScript is one generated script.
type winScript struct {
	name string // where it came from
	data []byte
}

// windowsScripts renders every windows golden case and every seed
// scenario (with --skip-unsupported) for each Windows target.
func windowsScripts(t *testing.T) (cmds, ps1s []winScript) {
	t.Helper()
	add := func(name string, files render.FileSet) {
		for _, f := range files {
			s := winScript{name: name + ":" + f.Path, data: f.Data}
			switch {
			case strings.HasSuffix(f.Path, ".cmd"):
				cmds = append(cmds, s)
			case strings.HasSuffix(f.Path, ".ps1"):
				ps1s = append(ps1s, s)
			default:
				t.Errorf("%s: unexpected file %s", name, f.Path)
			}
		}
	}
	paths, _ := filepath.Glob("../testdata/golden/windows/*.txtar")
	for _, p := range paths {
		gc := loadGolden(t, p)
		files, _ := renderCase(gc)
		add(filepath.Base(p), files)
	}
	scenarios := append(append([]scenario{}, seedScenarios...), windowsScenarios...)
	for _, target := range []string{"windows2008r2", "windows2012r2", "windows2022"} {
		for _, sc := range scenarios {
			add(target+"/"+sc.name, renderWith(t, sc.load(t), target, true))
		}
	}
	if len(cmds) == 0 || len(ps1s) == 0 {
		t.Fatal("no scripts rendered")
	}
	return cmds, ps1s
}

// windowsScenarios give every interface an adapter (the seeds' eth0 has
// none) and use every feature the scripts express.
var windowsScenarios = []scenario{
	{name: "windows-all", yaml: `
version: 1
cloud: aliyun
interfaces:
  - name: eth0
    windows_name: "Ethernet %PATH% ^ & | <x> (a) !b! %A %~dpB $c #n"
    dhcp: true
    mtu: 1500
    routes:
      - to: 192.168.0.0/16
        via: 10.0.0.253
  - name: eth1
    mac: "00:16:3e:12:e7:27"
    address: 172.16.0.163/24
    gateway: 172.16.0.253
    secondary_ips: [172.16.0.164, 172.16.0.165]
    metric: 1001
    default_route: true
    mtu: 9000
    routes:
      - to: 10.10.0.0/16
        via: 172.16.0.253
        metric: 9999
      - to: 10.11.0.0/16
    description: "%~f0 ^ & | ^"
    eips:
      - public: 47.100.10.1
        private: 172.16.0.164
  - name: eth2
    windows_name: Ethernet 3
    dhcp: true
    default_route: false
`},
}

func TestWindowsScriptsAreWindowsText(t *testing.T) {
	cmds, ps1s := windowsScripts(t)
	for _, s := range append(cmds, ps1s...) {
		d := s.data
		if !bytes.HasSuffix(d, []byte("\r\n")) {
			t.Errorf("%s: does not end with CRLF", s.name)
		}
		for i, c := range d {
			switch {
			case c == '\n' && (i == 0 || d[i-1] != '\r'):
				t.Errorf("%s: byte %d: LF without CR", s.name, i)
			case c == '\r' && (i+1 == len(d) || d[i+1] != '\n'):
				t.Errorf("%s: byte %d: CR without LF", s.name, i)
			case c >= 0x80 || (c < ' ' && c != '\r' && c != '\n'):
				t.Errorf("%s: byte %d: %#x is not printable ASCII", s.name, i, c)
			}
		}
	}
}

func lines(d []byte) []string {
	return strings.Split(strings.TrimSuffix(string(d), "\r\n"), "\r\n")
}

// ---- cmd.exe -------------------------------------------------------------

// cmdVars are the variables the .cmd expands with %NAME%.
var cmdVars = map[string]bool{
	"IF": true, "T": true, "N": true, "GUID": true, "DHCP": true, "DNS": true,
	"KEEP": true, "WANT": true, "CAND": true, "CANDT": true, "SDNS": true,
	"ENICFG_KEY": true, "ENICFG_MARK": true, "ENICFG_IF": true, "WANTMAC": true,
	"FOUND": true, "IPS": true, "MASKS": true, "GW": true, "GWM": true,
	"MARKA": true, "MARKR": true, "WANTR": true, "OLD": true, "NS": true,
}

// cmdPercent applies cmd.exe's percent expansion of a batch file line
// (phase 1): %% is a literal %, %NAME% and %NAME:...% expand. Variables
// become «NAME»; an unknown variable, a batch parameter (%0-%9, %*, %~) or
// an unpaired % is an error.
func cmdPercent(line string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(line); i++ {
		c := line[i]
		if c != '%' {
			b.WriteByte(c)
			continue
		}
		if i+1 < len(line) && line[i+1] == '%' {
			b.WriteByte('%')
			i++
			continue
		}
		if i+1 < len(line) && strings.IndexByte("0123456789*~", line[i+1]) >= 0 {
			return "", fmt.Errorf("batch parameter %q", line[i:])
		}
		end := strings.IndexByte(line[i+1:], '%')
		if end < 0 {
			return "", fmt.Errorf("unpaired %% at %d", i)
		}
		ref := line[i+1 : i+1+end]
		name, _, _ := strings.Cut(ref, ":")
		if !cmdVars[name] {
			return "", fmt.Errorf("unknown variable %%%s%%", ref)
		}
		b.WriteString("«" + name + "»")
		i += end + 1
	}
	return b.String(), nil
}

// cmdUnquoted gives the parts of a line outside double quotes.
func cmdUnquoted(line string) string {
	var b strings.Builder
	in := false
	for _, r := range line {
		if r == '"' {
			in = !in
			b.WriteByte('"')
			continue
		}
		if !in {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// cmdFirstWords are the commands the .cmd may run.
var cmdFirstWords = []string{
	"rem", "REM", "@echo", "setlocal", "set", "for", "if", "netsh", "findstr",
	"call", "goto", "exit", "echo", "reg", ">&2", ":fail", ":byname", ":bound",
	":dhcpdns", ":notfound", ":findmac", ":findname", ":settle", ":readreg",
	":oldroute", ":deladdrs",
}

// forVar matches a FOR variable reference after phase 1.
var forVar = regexp.MustCompile(`%~?[ABCDKPQRVWX]`)

func TestWindowsCmdSyntax(t *testing.T) {
	cmds, _ := windowsScripts(t)
	for _, s := range cmds {
		ls := lines(s.data)
		if ls[0] != "rem cmd" || ls[1] != "@echo off" {
			t.Errorf("%s: starts %q %q, want the cloudbase-init marker and @echo off", s.name, ls[0], ls[1])
		}
		if !slices.Contains(ls, "setlocal EnableExtensions DisableDelayedExpansion") {
			t.Errorf("%s: no setlocal DisableDelayedExpansion", s.name)
		}
		for n, line := range ls {
			where := fmt.Sprintf("%s:%d: %s", s.name, n+1, line)
			if line == "" {
				continue
			}
			first, _, _ := strings.Cut(line, " ")
			if !slices.Contains(cmdFirstWords, first) {
				t.Errorf("%s: unexpected command %q", where, first)
			}
			if strings.Contains(line, "EnableDelayedExpansion") {
				t.Errorf("%s: delayed expansion must stay off (! is literal in names)", where)
			}
			exp, err := cmdPercent(line)
			if err != nil {
				t.Errorf("%s: %v", where, err)
				continue
			}
			if first == "REM" || first == "rem" {
				// A REM line ends at its line end only if no unescaped
				// ^ is last; % was checked above.
				carets := len(exp) - len(strings.TrimRight(exp, "^"))
				if carets%2 == 1 {
					t.Errorf("%s: ends with an escaping ^, which joins the next line", where)
				}
				continue
			}
			if strings.Count(exp, `"`)%2 != 0 {
				t.Errorf("%s: unbalanced double quotes", where)
			}
			if first == "for" {
				// In a FOR line every % left after phase 1 is read as a
				// loop variable, so none may come from the description.
				if rest := forVar.ReplaceAllString(exp, ""); strings.Contains(rest, "%") {
					t.Errorf("%s: a %% in a FOR line that is no loop variable", where)
				}
			}
			// Outside quotes, only the script's own operators may appear.
			out := cmdUnquoted(exp)
			for _, op := range []string{"2^>nul", "2>&1", ">&2", ">nul", "||", "&&", " & ", " > "} {
				out = strings.ReplaceAll(out, op, " ")
			}
			if i := strings.IndexAny(out, "&|<>^"); i >= 0 {
				t.Errorf("%s: %q outside double quotes", where, out[i])
			}
		}
	}
}

// TestWindowsCmdHostileName checks that the windows_name the .cmd compares
// is, after cmd.exe's expansion, exactly the description's value.
func TestWindowsCmdHostileName(t *testing.T) {
	sc := windowsScenarios[0]
	m := sc.load(t)
	files := renderFor(t, m, "windows2022")
	want := m.Interfaces[0].WindowsName
	var cmd, ps1 string
	for _, f := range files {
		if strings.HasSuffix(f.Path, ".cmd") {
			cmd = string(f.Data)
		} else {
			ps1 = string(f.Data)
		}
	}
	found := 0
	for _, line := range lines([]byte(cmd)) {
		if v, ok := strings.CutPrefix(line, `set "WANT=`); ok {
			got, err := cmdPercent(strings.TrimSuffix(v, `"`))
			if found == 0 && (err != nil || got != want) {
				t.Errorf("WANT expands to %q (%v), want %q", got, err, want)
			}
			found++
		}
		if strings.Contains(line, "Ethernet") && !strings.HasPrefix(line, `set "WANT=`) && !strings.HasPrefix(line, "REM") {
			t.Errorf("the name appears outside set \"WANT=...\": %s", line)
		}
	}
	if found != 2 {
		t.Errorf("%d WANT lines, want 2", found)
	}
	if !strings.Contains(ps1, "'"+want+"'") {
		t.Errorf("the .ps1 does not hold the name as one single-quoted string")
	}
}

// ---- netsh ---------------------------------------------------------------

// netshGrammar is the part of `netsh interface ipv4` the scripts use, as
// Microsoft documents it (windows-commands/netsh-interface: "netsh
// interface ipv4 add address [name=]<string> [address=]<IPv4
// address>[/<integer> [mask=]<IPv4 mask>] ... [skipassource=]true|false"
// and so on). Kinds: string (an interface name or index), ipv4, ipv4/len,
// ipv4[/len], mask, int, lifetime, and enumerations a|b. Required
// parameters are marked with a leading *.
var netshGrammar = map[string][]string{
	"add address": {"*name=string", "*address=ipv4[/len]", "mask=mask", "type=unicast|anycast",
		"gateway=ipv4", "gwmetric=metric", "validlifetime=lifetime", "preferredlifetime=lifetime",
		"subinterface=string", "store=active|persistent", "skipassource=true|false"},
	"add dnsservers": {"*name=string", "*address=ipv4", "index=int", "validate=yes|no"},
	"set dnsservers": {"*name=string", "*source=dhcp|static", "address=ipv4|none", "register=none|primary|both", "validate=yes|no"},
	"add route": {"*prefix=ipv4/len", "*interface=string", "nexthop=ipv4", "siteprefixlength=int",
		"metric=metric", "publish=no|age|yes", "validlifetime=lifetime", "preferredlifetime=lifetime",
		"store=active|persistent"},
	"set address": {"*name=string", "source=dhcp|static", "address=ipv4[/len]", "mask=mask",
		"gateway=ipv4|none", "gwmetric=metric", "type=unicast|anycast", "subinterface=string",
		"store=active|persistent"},
	"set route": {"*prefix=ipv4/len", "*interface=string", "nexthop=ipv4", "siteprefixlength=int",
		"metric=metric", "publish=no|age|yes", "validlifetime=lifetime", "preferredlifetime=lifetime",
		"store=active|persistent"},
	"set interface": {"*interface=string", "forwarding=enabled|disabled", "advertise=enabled|disabled",
		"mtu=int", "siteprefixlength=int", "nud=enabled|disabled", "basereachabletime=int",
		"retransmittime=int", "dadtransmits=int", "routerdiscovery=enabled|disabled|dhcp",
		"managedaddress=enabled|disabled", "otherstateful=enabled|disabled",
		"weakhostsend=enabled|disabled", "weakhostreceive=enabled|disabled",
		"ignoredefaultroutes=enabled|disabled", "advertisedrouterlifetime=int",
		"advertisedefaultroute=enabled|disabled", "currenthoplimit=int", "store=active|persistent",
		"dhcpstaticipcoexistence=enabled|disabled"},
	"set subinterface": {"*interface=string", "mtu=int", "subinterface=string", "store=active|persistent"},
	"delete address":   {"*name=string", "*address=ipv4", "gateway=ipv4|all", "store=active|persistent"},
	"delete route": {"*prefix=ipv4/len", "*interface=string", "nexthop=ipv4", "siteprefixlength=int",
		"store=active|persistent"},
}

// netshSample stands for the values the .cmd fills in at run time: an
// adapter name with a blank (it must be quoted), a DNS server, a static
// address and a route (prefix, next hop) from the registry.
var netshSample = strings.NewReplacer(`«IF»`, `Ethernet 2`, `%D`, `192.0.2.53`,
	`%X`, `192.0.2.10`, `%P`, `192.0.2.0/24`, `%Q`, `192.0.2.1`)

// netshCommands cuts the netsh commands out of a line (after phase 1).
func netshCommands(line string) []string {
	var out []string
	for {
		i := strings.Index(line, "netsh ")
		if i < 0 {
			return out
		}
		line = line[i:]
		end := len(line)
		in := false
		for k := 0; k < len(line); k++ {
			if line[k] == '"' {
				in = !in
			}
			if !in && (strings.HasPrefix(line[k:], " >") || strings.HasPrefix(line[k:], " ||") ||
				strings.HasPrefix(line[k:], " &&") || strings.HasPrefix(line[k:], " 2>")) {
				end = k
				break
			}
		}
		out = append(out, line[:end])
		line = line[end:]
	}
}

// netshTokens splits a command at blanks outside double quotes.
func netshTokens(cmd string) []string {
	var out []string
	var cur strings.Builder
	in, has := false, false
	for _, r := range cmd {
		switch {
		case r == '"':
			in = !in
			cur.WriteRune(r)
			has = true
		case r == ' ' && !in:
			if has {
				out = append(out, cur.String())
				cur.Reset()
				has = false
			}
		default:
			cur.WriteRune(r)
			has = true
		}
	}
	if has {
		out = append(out, cur.String())
	}
	return out
}

// checkNetsh holds one netsh command to the grammar; it returns the
// parameters it found.
func checkNetsh(cmd string) (map[string]string, error) {
	tok := netshTokens(netshSample.Replace(cmd))
	if len(tok) < 5 || tok[0] != "netsh" || tok[1] != "interface" || tok[2] != "ipv4" {
		return nil, fmt.Errorf("not a netsh interface ipv4 command")
	}
	verb := tok[3] + " " + tok[4]
	spec, ok := netshGrammar[verb]
	if !ok {
		return nil, fmt.Errorf("%q is not in the documented grammar", verb)
	}
	kinds := map[string]string{}
	var required []string
	for _, p := range spec {
		k, v, _ := strings.Cut(p, "=")
		if strings.HasPrefix(k, "*") {
			k = k[1:]
			required = append(required, k)
		}
		kinds[k] = v
	}
	got := map[string]string{}
	for _, a := range tok[5:] {
		k, v, ok := strings.Cut(a, "=")
		if !ok {
			return nil, fmt.Errorf("%q: enicfg writes every parameter with its tag", a)
		}
		kind, known := kinds[k]
		if !known {
			return nil, fmt.Errorf("%s has no parameter %q", verb, k)
		}
		if _, dup := got[k]; dup {
			return nil, fmt.Errorf("%s given twice", k)
		}
		if err := netshValue(kind, v); err != nil {
			return nil, fmt.Errorf("%s=%s: %v", k, v, err)
		}
		got[k] = v
	}
	for _, k := range required {
		if _, ok := got[k]; !ok {
			return nil, fmt.Errorf("%s needs %s", verb, k)
		}
	}
	// What the parameter descriptions add: gwmetric "Set only if gateway
	// is specified"; source=static "must be specified if an address or
	// gateway is being configured".
	if _, ok := got["gwmetric"]; ok && (got["gateway"] == "" || got["gateway"] == "none") {
		return nil, fmt.Errorf("gwmetric without a gateway")
	}
	if verb == "set address" {
		_, addr := got["address"]
		if got["source"] == "static" && (!addr || got["mask"] == "") {
			return nil, fmt.Errorf("source=static without address and mask")
		}
		if got["source"] == "dhcp" && len(got) != 2 {
			return nil, fmt.Errorf("source=dhcp with other parameters")
		}
	}
	return got, nil
}

func netshValue(kind, v string) error {
	switch kind {
	case "string":
		// A name is written quoted: the run-time value may hold blanks.
		if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' || strings.Count(v, `"`) != 2 {
			return fmt.Errorf("an interface name must be one double-quoted string")
		}
	case "ipv4", "ipv4|none":
		if v == "none" && kind == "ipv4|none" {
			return nil
		}
		if a, err := netip.ParseAddr(v); err != nil || !a.Is4() {
			return fmt.Errorf("not an IPv4 address")
		}
	case "ipv4/len":
		p, err := netip.ParsePrefix(v)
		if err != nil || !p.Addr().Is4() || p.Masked() != p {
			return fmt.Errorf("not an IPv4 prefix without host bits")
		}
	case "ipv4[/len]":
		if a, err := netip.ParseAddr(v); err != nil || !a.Is4() {
			return fmt.Errorf("not an IPv4 address")
		}
	case "mask":
		a, err := netip.ParseAddr(v)
		if err != nil || !a.Is4() {
			return fmt.Errorf("not a mask")
		}
		b := a.As4()
		m := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
		if m != 0 && (^m)&(^m+1) != 0 {
			return fmt.Errorf("mask bits are not contiguous")
		}
	case "int":
		if _, err := strconv.ParseUint(v, 10, 32); err != nil {
			return fmt.Errorf("not an integer")
		}
	case "metric":
		// Route metrics are 1 to 9999 in Microsoft's netsh reference; 0
		// is outside it.
		if n, err := strconv.ParseUint(v, 10, 32); err != nil || n < 1 || n > 9999 {
			return fmt.Errorf("not a route metric (1 to 9999)")
		}
	case "lifetime":
		if v != "infinite" {
			if _, err := strconv.ParseUint(v, 10, 32); err != nil {
				return fmt.Errorf("not a lifetime")
			}
		}
	default:
		if !slices.Contains(strings.Split(kind, "|"), v) {
			return fmt.Errorf("not one of %s", kind)
		}
	}
	return nil
}

func TestWindowsNetshGrammar(t *testing.T) {
	cmds, _ := windowsScripts(t)
	seen := map[string]int{}
	for _, s := range cmds {
		for n, line := range lines(s.data) {
			if strings.HasPrefix(line, "REM") {
				continue
			}
			exp, err := cmdPercent(line)
			if err != nil {
				continue // TestWindowsCmdSyntax reports it
			}
			for _, c := range netshCommands(exp) {
				got, err := checkNetsh(c)
				if err != nil {
					t.Errorf("%s:%d: %s\n\t%v", s.name, n+1, c, err)
					continue
				}
				tok := netshTokens(c)
				seen[tok[3]+" "+tok[4]]++
				if tok[3] == "add" && tok[4] == "address" && got["skipassource"] != "true" {
					t.Errorf("%s:%d: a secondary address without skipassource=true", s.name, n+1)
				}
			}
		}
	}
	total := 0
	for _, n := range seen {
		total += n
	}
	t.Logf("%d netsh commands in %d scripts hold to the grammar: %v", total, len(cmds), seen)
	for verb := range netshGrammar {
		if seen[verb] == 0 {
			t.Errorf("no script uses netsh interface ipv4 %s: the cases miss a feature", verb)
		}
	}
}

// TestWindowsNetshChecker shows that the grammar check rejects what the
// documentation does not allow.
func TestWindowsNetshChecker(t *testing.T) {
	for _, bad := range []string{
		`netsh interface ipv4 add address name="X" address=10.0.0.5 mask=255.0.255.0`,
		`netsh interface ipv4 add address name=Ethernet 2 address=10.0.0.5`,
		`netsh interface ipv4 add address name=«IF» address=10.0.0.5`,
		`netsh interface ipv4 add address name="X" address=10.0.0.5 skipassource=yes`,
		`netsh interface ipv4 add address name="X" addr=10.0.0.5`,
		`netsh interface ipv4 add route prefix=10.0.0.1/8 interface="X"`,
		`netsh interface ipv4 add route prefix=10.0.0.0/8`,
		`netsh interface ipv4 set address name="X" source=static address=10.0.0.5 mask=255.255.255.0 gateway=none gwmetric=5`,
		`netsh interface ipv4 set address name="X" source=dhcp gateway=none`,
		`netsh interface ipv4 set interface interface="X" metric=5`,
		`netsh interface ipv4 set subinterface "X" mtu=1500`,
		`netsh interface ip add address name="X" address=10.0.0.5`,
		`netsh interface ipv4 add neighbors interface="X" address=10.0.0.5`,
	} {
		if _, err := checkNetsh(bad); err == nil {
			t.Errorf("accepted: %s", bad)
		}
	}
	if _, err := checkNetsh(`netsh interface ipv4 add address name="«IF»" address=10.0.0.5 mask=255.255.255.0 skipassource=true`); err != nil {
		t.Errorf("rejected a good line: %v", err)
	}
}

// ---- PowerShell ----------------------------------------------------------

// psCmdlets are the commands the .ps1 may run, each with the parameters
// Microsoft documents for it on Windows Server 2012 R2 (the
// windowsserver2012r2-ps reference of the NetAdapter, NetTCPIP and
// DnsClient modules; Where-Object, Set-StrictMode, Write-Output and
// Out-Null are PowerShell 3.0 core cmdlets, which 2012 R2's PowerShell 4.0
// has). The common parameters (-ErrorAction ...) are allowed on all.
var psCmdlets = map[string][]string{
	"Get-NetAdapter": {"Name", "InterfaceDescription", "InterfaceIndex", "IncludeHidden", "Physical", "CimSession", "ThrottleLimit", "AsJob"},
	"Get-NetIPInterface": {"InterfaceIndex", "InterfaceAlias", "AddressFamily", "Forwarding", "Advertising", "NlMtuBytes",
		"InterfaceMetric", "NeighborUnreachabilityDetection", "BaseReachableTimeMs", "ReachableTimeMs", "RetransmitTimeMs",
		"DadTransmits", "DadRetransmitTimeMs", "RouterDiscovery", "ManagedAddressConfiguration", "OtherStatefulConfiguration",
		"WeakHostSend", "WeakHostReceive", "IgnoreDefaultRoutes", "AdvertisedRouterLifetime", "AdvertiseDefaultRoute",
		"CurrentHopLimit", "ForceArpNdWolPattern", "DirectedMacWolPattern", "EcnMarking", "Dhcp", "ConnectionState",
		"AutomaticMetric", "NeighborDiscoverySupported", "CompartmentId", "PolicyStore", "IncludeAllCompartments",
		"AssociatedRoute", "AssociatedIPAddress", "AssociatedNeighbor", "AssociatedAdapter", "CimSession", "ThrottleLimit", "AsJob"},
	"Set-NetIPInterface": {"InterfaceIndex", "InterfaceAlias", "AddressFamily", "ReachableTime", "NeighborDiscoverySupported",
		"CompartmentId", "PolicyStore", "IncludeAllCompartments", "Forwarding", "Advertising", "NlMtuBytes", "InterfaceMetric",
		"NeighborUnreachabilityDetection", "BaseReachableTimeMs", "RetransmitTimeMs", "DadTransmits", "DadRetransmitTimeMs",
		"RouterDiscovery", "ManagedAddressConfiguration", "OtherStatefulConfiguration", "WeakHostSend", "WeakHostReceive",
		"IgnoreDefaultRoutes", "AdvertisedRouterLifetime", "AdvertiseDefaultRoute", "CurrentHopLimit", "ForceArpNdWolPattern",
		"DirectedMacWolPattern", "EcnMarking", "Dhcp", "AutomaticMetric", "InputObject", "CimSession", "ThrottleLimit", "AsJob",
		"PassThru", "WhatIf", "Confirm"},
	"Get-NetIPAddress": {"IPAddress", "InterfaceIndex", "InterfaceAlias", "AddressFamily", "Type", "PrefixLength", "PrefixOrigin",
		"SuffixOrigin", "AddressState", "ValidLifetime", "PreferredLifetime", "SkipAsSource", "AssociatedIPInterface",
		"PolicyStore", "IncludeAllCompartments", "CimSession", "ThrottleLimit", "AsJob"},
	"New-NetIPAddress": {"IPAddress", "InterfaceAlias", "InterfaceIndex", "DefaultGateway", "AddressFamily", "Type", "PrefixLength",
		"ValidLifetime", "PreferredLifetime", "SkipAsSource", "PolicyStore", "CimSession", "ThrottleLimit", "AsJob", "WhatIf", "Confirm"},
	"Remove-NetIPAddress": {"IPAddress", "InterfaceIndex", "InterfaceAlias", "AddressFamily", "Type", "PrefixLength", "PrefixOrigin",
		"SuffixOrigin", "AddressState", "ValidLifetime", "PreferredLifetime", "SkipAsSource", "PolicyStore", "DefaultGateway",
		"IncludeAllCompartments", "InputObject", "CimSession", "ThrottleLimit", "AsJob", "PassThru", "WhatIf", "Confirm"},
	"Get-NetRoute": {"DestinationPrefix", "InterfaceIndex", "InterfaceAlias", "NextHop", "AddressFamily", "Publish", "RouteMetric",
		"Protocol", "ValidLifetime", "PreferredLifetime", "AssociatedIPInterface", "PolicyStore", "IncludeAllCompartments",
		"CimSession", "ThrottleLimit", "AsJob"},
	"New-NetRoute": {"DestinationPrefix", "InterfaceAlias", "InterfaceIndex", "AddressFamily", "NextHop", "PolicyStore", "Publish",
		"RouteMetric", "Protocol", "ValidLifetime", "PreferredLifetime", "CimSession", "ThrottleLimit", "AsJob", "WhatIf", "Confirm"},
	"Set-NetRoute": {"DestinationPrefix", "InterfaceIndex", "InterfaceAlias", "NextHop", "AddressFamily", "Protocol", "PolicyStore",
		"IncludeAllCompartments", "Publish", "RouteMetric", "ValidLifetime", "PreferredLifetime", "InputObject", "CimSession",
		"ThrottleLimit", "AsJob", "PassThru", "WhatIf", "Confirm"},
	"Remove-NetRoute": {"DestinationPrefix", "InterfaceIndex", "InterfaceAlias", "NextHop", "AddressFamily", "Publish", "RouteMetric",
		"Protocol", "ValidLifetime", "PreferredLifetime", "AssociatedIPInterface", "PolicyStore", "IncludeAllCompartments",
		"InputObject", "CimSession", "ThrottleLimit", "AsJob", "PassThru", "WhatIf", "Confirm"},
	"Get-DnsClientServerAddress": {"InterfaceIndex", "InterfaceAlias", "AddressFamily", "CimSession", "ThrottleLimit", "AsJob"},
	"Set-DnsClientServerAddress": {"InterfaceAlias", "InterfaceIndex", "InputObject", "ServerAddresses", "Validate",
		"ResetServerAddresses", "CimSession", "ThrottleLimit", "AsJob", "PassThru", "WhatIf", "Confirm"},
	// NetAdapter module of Windows Server 2012; the parameters are those
	// of the winserver2016-ps reference (the 2012 R2 pages are not in the
	// docs repository any more).
	"Get-NetAdapterAdvancedProperty": {"Name", "InterfaceDescription", "DisplayName", "RegistryKeyword", "AllProperties",
		"IncludeHidden", "CimSession", "ThrottleLimit", "AsJob"},
	"Set-NetAdapterAdvancedProperty": {"Name", "InterfaceDescription", "DisplayName", "DisplayValue", "RegistryKeyword",
		"RegistryValue", "AllProperties", "IncludeHidden", "NoRestart", "InputObject", "CimSession", "ThrottleLimit", "AsJob",
		"PassThru", "WhatIf", "Confirm"},
	"Write-Warning":  {"Message"},
	"Where-Object":   {"FilterScript", "InputObject", "Property", "Value"},
	"Set-StrictMode": {"Version", "Off"},
	"Write-Output":   {"InputObject", "NoEnumerate"},
	"Out-Null":       {"InputObject"},
	"Start-Sleep":    {"Seconds", "Milliseconds"},
}

var psCommon = []string{"Debug", "ErrorAction", "ErrorVariable", "OutVariable", "OutBuffer", "Verbose", "WarningAction", "WarningVariable"}

// psValues are the values the scripts may give a parameter: a pattern
// over the argument's text.
var psValues = map[string]*regexp.Regexp{
	"InterfaceIndex":      regexp.MustCompile(`^\$i$`),
	"AddressFamily":       regexp.MustCompile(`^IPv4$`),
	"Dhcp":                regexp.MustCompile(`^(Enabled|Disabled)$`),
	"IgnoreDefaultRoutes": regexp.MustCompile(`^(Enabled|Disabled)$`),
	"PolicyStore":         regexp.MustCompile(`^\$store$`),
	"ErrorAction":         regexp.MustCompile(`^SilentlyContinue$`),
	"Confirm":             regexp.MustCompile(`^\$false$`),
	"SkipAsSource":        regexp.MustCompile(`^\$true$`),
	"IPAddress":           regexp.MustCompile(`^'\d+\.\d+\.\d+\.\d+'$`),
	"NextHop":             regexp.MustCompile(`^'\d+\.\d+\.\d+\.\d+'$`),
	"DestinationPrefix":   regexp.MustCompile(`^'\d+\.\d+\.\d+\.\d+/\d+'$`),
	"PrefixLength":        regexp.MustCompile(`^([0-9]|[12][0-9]|3[0-2])$`),
	"RouteMetric":         regexp.MustCompile(`^[1-9]\d{0,3}$`),
	"NlMtuBytes":          regexp.MustCompile(`^\d+$`),
	"ServerAddresses":     regexp.MustCompile(`^\$(dns|servers)$`),
	"Version":             regexp.MustCompile(`^2\.0$`),
	"Seconds":             regexp.MustCompile(`^2$`),
	"Name":                regexp.MustCompile(`^\$a\[0\]\.Name$`),
	"RegistryKeyword":     regexp.MustCompile(`^('\*JumboPacket'|'MTU'|\$f\[0\]\.RegistryKeyword)$`),
	"RegistryValue":       regexp.MustCompile(`^\$size$`),
	"Message":             regexp.MustCompile(`^'[^']*'$`),
}

// psCommand is a command of a script: its name and its elements, each a
// parameter (-Name) or an argument.
type psCommand struct {
	Line     int
	Name     string
	Elements []psElement
}

type psElement struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

// psParams pairs each parameter with its argument ("" for a switch).
func (c psCommand) psParams() ([][2]string, []string) {
	var params [][2]string
	var positional []string
	for k := 0; k < len(c.Elements); k++ {
		e := c.Elements[k]
		if e.Type != "command_parameter" {
			positional = append(positional, e.Text)
			continue
		}
		name := strings.TrimSuffix(strings.TrimPrefix(e.Text, "-"), ":")
		val := ""
		if k+1 < len(c.Elements) && c.Elements[k+1].Type != "command_parameter" {
			val = c.Elements[k+1].Text
			k++
		}
		params = append(params, [2]string{name, val})
	}
	return params, positional
}

// checkPSCommands holds the commands of one script to the tables.
func checkPSCommands(t *testing.T, name string, cmds []psCommand) {
	t.Helper()
	for _, c := range cmds {
		where := fmt.Sprintf("%s:%d: %s", name, c.Line, c.Name)
		if c.Name == "netsh" {
			// A step no cmdlet does: held to the netsh grammar.
			_, positional := c.psParams()
			if _, err := checkNetsh("netsh " + strings.Join(positional, " ")); err != nil {
				t.Errorf("%s: %v", where, err)
			}
			continue
		}
		allowed, ok := psCmdlets[c.Name]
		if !ok {
			t.Errorf("%s: not a cmdlet documented for Windows Server 2012 R2 in this table", where)
			continue
		}
		params, positional := c.psParams()
		for _, p := range params {
			if !slices.Contains(allowed, p[0]) && !slices.Contains(psCommon, p[0]) {
				t.Errorf("%s: no parameter -%s", where, p[0])
				continue
			}
			if re, ok := psValues[p[0]]; ok && !re.MatchString(p[1]) {
				t.Errorf("%s: -%s %s: not a value the script should give", where, p[0], p[1])
			}
			if p[0] == "RouteMetric" {
				if v, _ := strconv.Atoi(p[1]); v > 9999 {
					t.Errorf("%s: -RouteMetric %d above 9999", where, v)
				}
			}
			if p[0] == "NlMtuBytes" {
				if v, _ := strconv.Atoi(p[1]); v < 576 {
					t.Errorf("%s: -NlMtuBytes %d below 576", where, v)
				}
			}
		}
		switch c.Name {
		case "Where-Object":
			if len(positional) != 1 || !strings.HasPrefix(positional[0], "{") {
				t.Errorf("%s: want one script block, got %q", where, positional)
			}
		case "Write-Output":
			if len(positional) != 1 {
				t.Errorf("%s: want one string", where)
			}
		default:
			if len(positional) != 0 {
				t.Errorf("%s: positional arguments %q (the scripts name every parameter)", where, positional)
			}
		}
	}
}

// psToken splits a PowerShell line into commands the way the scripts
// write them: commands start after a line start, |, {, ( or ; outside
// single-quoted strings, and their elements are blank-separated; script
// blocks and parenthesised expressions are one element each.
func psCommandsOf(data []byte) []psCommand {
	var out []psCommand
	cmdName := regexp.MustCompile(`^[A-Z][a-z]+-[A-Za-z]+$`)
	for n, line := range lines(data) {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "#") {
			continue
		}
		// Split at | { } ( ) ; outside quotes, keeping script blocks
		// after Where-Object whole.
		var segs []string
		var cur strings.Builder
		inQ := false
		depth := 0
		for i := 0; i < len(line); i++ {
			ch := line[i]
			if ch == '\'' {
				inQ = !inQ
			}
			if !inQ && depth > 0 {
				cur.WriteByte(ch)
				if ch == '{' {
					depth++
				} else if ch == '}' {
					depth--
				}
				continue
			}
			if !inQ && ch == '{' && strings.HasSuffix(strings.TrimSpace(cur.String()), "Where-Object") {
				cur.WriteByte(ch)
				depth = 1
				continue
			}
			if !inQ && strings.IndexByte("|{}();", ch) >= 0 {
				segs = append(segs, cur.String())
				cur.Reset()
				continue
			}
			cur.WriteByte(ch)
		}
		segs = append(segs, cur.String())
		for _, seg := range segs {
			f := psFields(strings.TrimSpace(seg))
			if len(f) == 0 || !cmdName.MatchString(f[0]) && f[0] != "netsh" {
				continue
			}
			c := psCommand{Line: n + 1, Name: f[0]}
			for _, e := range f[1:] {
				if name, val, ok := strings.Cut(e, ":"); ok && strings.HasPrefix(e, "-") {
					c.Elements = append(c.Elements, psElement{"command_parameter", name}, psElement{"value", val})
				} else if strings.HasPrefix(e, "-") && len(e) > 1 && e[1] >= 'A' && e[1] <= 'Z' {
					c.Elements = append(c.Elements, psElement{"command_parameter", e})
				} else {
					c.Elements = append(c.Elements, psElement{"value", e})
				}
			}
			out = append(out, c)
		}
	}
	return out
}

// psFields splits at blanks outside quotes and braces.
func psFields(s string) []string {
	var out []string
	var cur strings.Builder
	inQ, depth := false, 0
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch == '\'' && depth == 0:
			inQ = !inQ
		case ch == '{' && !inQ:
			depth++
		case ch == '}' && !inQ:
			depth--
		}
		if ch == ' ' && !inQ && depth == 0 {
			if cur.Len() > 0 {
				out = append(out, cur.String())
				cur.Reset()
			}
			continue
		}
		cur.WriteByte(ch)
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

func TestWindowsPowerShellCmdlets(t *testing.T) {
	_, ps1s := windowsScripts(t)
	used := map[string]bool{}
	ncmd := 0
	for _, s := range ps1s {
		if ls := lines(s.data); ls[0] != "#ps1_sysnative" {
			t.Errorf("%s: first line %q, want cloudbase-init's #ps1_sysnative", s.name, ls[0])
		}
		cmds := psCommandsOf(s.data)
		checkPSCommands(t, s.name, cmds)
		ncmd += len(cmds)
		for _, c := range cmds {
			used[c.Name] = true
		}
	}
	t.Logf("%d PowerShell commands in %d scripts hold to the table", ncmd, len(ps1s))
	for name := range psCmdlets {
		if !used[name] {
			t.Logf("%s is allowed but no script uses it", name)
		}
	}
}

// TestWindowsPowerShellParse parses every .ps1 with a real PowerShell
// grammar: tree-sitter-powershell, run by node through web-tree-sitter
// (npm ci --ignore-scripts --prefix testdata/ps1parse). It checks that the
// parse has no error, that the parser finds the same commands and
// parameters as the table check above, and holds those to the tables too.
func TestWindowsPowerShellParse(t *testing.T) {
	testenv.RealTools(t)
	dir := filepath.Join("..", "testdata", "ps1parse")
	node, err := exec.LookPath("node")
	if err == nil {
		_, err = os.Stat(filepath.Join(dir, "node_modules", "tree-sitter-powershell", "tree-sitter-powershell.wasm"))
	}
	if err != nil {
		testenv.Missing(t, "PowerShell parser missing (%v): npm ci --ignore-scripts --prefix testdata/ps1parse", err)
	}
	_, ps1s := windowsScripts(t)
	tmp := t.TempDir()
	var paths []string
	for k, s := range ps1s {
		p := filepath.Join(tmp, fmt.Sprintf("%03d.ps1", k))
		if err := os.WriteFile(p, s.data, 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	// A script with a syntax error shows that the parser does report them.
	broken := filepath.Join(tmp, "broken.ps1")
	if err := os.WriteFile(broken, []byte("if ($a -eq 'x' {\r\n  New-NetIPAddress -IPAddress 'a\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	results := parsePS(t, node, dir, append(paths, broken))
	if len(results) != len(paths)+1 {
		t.Fatalf("%d results for %d files", len(results), len(paths)+1)
	}
	if !results[len(paths)].HasError {
		t.Error("the parser found no error in a broken script")
	}
	t.Logf("tree-sitter-powershell parsed %d scripts", len(paths))
	for k, r := range results[:len(paths)] {
		name := ps1s[k].name
		if r.HasError {
			t.Errorf("%s: parse errors: %+v", name, r.Errors)
			continue
		}
		checkPSCommands(t, name, r.Commands)
		// The line-based extraction must see the same commands.
		var a, b []string
		for _, c := range r.Commands {
			ps, _ := c.psParams()
			a = append(a, fmt.Sprintf("%d %s %v", c.Line, c.Name, ps))
		}
		for _, c := range psCommandsOf(ps1s[k].data) {
			ps, _ := c.psParams()
			b = append(b, fmt.Sprintf("%d %s %v", c.Line, c.Name, ps))
		}
		slices.Sort(a)
		slices.Sort(b)
		if !slices.Equal(a, b) {
			t.Errorf("%s: the parser and the table check see different commands:\nparser: %q\ntable:  %q", name, a, b)
		}
	}
}

type psParse struct {
	File     string      `json:"file"`
	HasError bool        `json:"hasError"`
	Errors   []any       `json:"errors"`
	Commands []psCommand `json:"commands"`
}

func parsePS(t *testing.T, node, dir string, files []string) []psParse {
	t.Helper()
	cmd := exec.Command(node, append([]string{filepath.Join(dir, "parse.cjs")}, files...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("parse.cjs: %v\n%s", err, stderr.String())
	}
	var res []psParse
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("parse.cjs output: %v", err)
	}
	return res
}

// cmdLabel, cmdJump find label definitions and their uses in a .cmd.
var (
	cmdLabel = regexp.MustCompile(`^:([A-Za-z_][A-Za-z0-9_]*)\s*$`)
	cmdJump  = regexp.MustCompile(`(?i)\b(call|goto) :?([A-Za-z_][A-Za-z0-9_]*)`)
)

// TestWindowsCmdFlow holds every .cmd to a sound control flow: each label
// is defined once, each call and goto names a defined label (or :eof),
// and the main part (before the first label) has no exit before its last
// line but one, so no step of an interface can be skipped or run for
// another adapter.
func TestWindowsCmdFlow(t *testing.T) {
	cmds, _ := windowsScripts(t)
	for _, s := range cmds {
		lines := strings.Split(strings.ReplaceAll(string(s.data), "\r\n", "\n"), "\n")
		defined := map[string]int{}
		firstLabel := len(lines)
		for i, l := range lines {
			if m := cmdLabel.FindStringSubmatch(l); m != nil {
				defined[strings.ToLower(m[1])]++
				if i < firstLabel {
					firstLabel = i
				}
			}
		}
		for name, n := range defined {
			if n != 1 {
				t.Errorf("%s: label :%s defined %d times", s.name, name, n)
			}
		}
		for i, l := range lines {
			if strings.HasPrefix(strings.ToUpper(strings.TrimSpace(l)), "REM") {
				continue
			}
			for _, m := range cmdJump.FindAllStringSubmatch(l, -1) {
				if name := strings.ToLower(m[2]); name != "eof" && defined[name] != 1 {
					t.Errorf("%s:%d: %s to the undefined label %s", s.name, i+1, m[1], m[2])
				}
			}
		}
		var exits []int
		for i := 0; i < firstLabel; i++ {
			if regexp.MustCompile(`(?i)\bexit /b\b`).MatchString(lines[i]) && !strings.HasPrefix(strings.ToUpper(strings.TrimSpace(lines[i])), "REM") {
				exits = append(exits, i)
			}
		}
		if len(exits) != 1 {
			t.Errorf("%s: the main part exits at lines %v, want once, at its end", s.name, exits)
		}
	}
}

// TestWindowsReturnPath: Windows sends with the strong host model, so a
// reply from an address of a secondary ENI leaves only by a route of that
// ENI. Every secondary ENI that Linux would give policy routing
// (route_table) or whose addresses answer traffic from outside its subnet
// (EIPs, secondary IPs) must get a default route of its own, at the
// largest metric, in both scripts; the primary and ENIs without such
// addresses must not. The expectation is computed here from the
// description, not from the renderer's helper.
func TestWindowsReturnPath(t *testing.T) {
	for _, sc := range []scenario{
		{name: "nat-eip", yaml: natEIPWindows},
		{name: "three-enis", yaml: threeENIsWindows},
	} {
		m := sc.load(t)
		files := renderWith(t, m, "windows2022", true)
		cmd := blocks(string(fileOf(t, files, render.WindowsCmd)), "REM -----")
		ps := blocks(string(fileOf(t, files, render.WindowsPS1)), "# -----")
		if len(cmd) != len(m.Interfaces) || len(ps) != len(m.Interfaces) {
			t.Fatalf("%s: %d/%d interface blocks for %d interfaces", sc.name, len(cmd), len(ps), len(m.Interfaces))
		}
		for k, in := range m.Interfaces {
			needs := !in.Primary && !in.DefaultRoute && in.Gateway.IsValid() && (in.Table != 0 || len(in.EIPs)+len(in.SecondaryIPs) > 0)
			gw := in.Gateway.String()
			hasCmd := strings.Contains(cmd[k], "gateway="+gw+" gwmetric=9999 ")
			hasPS := strings.Contains(ps[k], "-DestinationPrefix '0.0.0.0/0' -NextHop '"+gw+"' -RouteMetric 9999 | Out-Null")
			if hasCmd != needs || hasPS != needs {
				t.Errorf("%s: %s: return path in netsh %v, in PowerShell %v, want %v\n%s", sc.name, in.Name, hasCmd, hasPS, needs, cmd[k])
			}
			if needs && (strings.Contains(cmd[k], "gateway=none") || strings.Contains(cmd[k], "nexthop="+gw+" >nul 2>&1 && set")) {
				t.Errorf("%s: %s: the script still takes the ENI's default route away", sc.name, in.Name)
			}
		}
	}
}

// blocks splits a script at the separator lines of its interfaces.
func blocks(s, sep string) []string {
	parts := strings.Split(s, "\n"+sep)
	return parts[1:]
}

// The seeds, found by adapter name where they have no MAC.
const natEIPWindows = `
version: 1
cloud: aliyun
interfaces:
  - name: eth0
    windows_name: Ethernet
    dhcp: true
  - name: eth1
    mac: "00:16:3e:12:cc:8d"
    address: 172.16.0.163/24
    gateway: 172.16.0.253
    secondary_ips: [172.16.0.164, 172.16.0.165]
    default_route: false
    eips:
      - {public: 47.100.10.1, private: 172.16.0.163}
      - {public: 47.100.10.2, private: 172.16.0.164}
`

const threeENIsWindows = `
version: 1
cloud: aliyun
interfaces:
  - name: eth0
    windows_name: Ethernet
    dhcp: true
    subnet: 10.0.0.0/24
    gateway: 10.0.0.253
  - name: eth1
    mac: "00:16:3e:12:e7:27"
    address: 10.0.0.20/24
    gateway: 10.0.0.253
    default_route: false
    route_table: 1001
  - name: eth2
    mac: "00:16:3e:12:16:ec"
    address: 10.0.0.21/24
    gateway: 10.0.0.253
    default_route: false
  - name: eth3
    mac: "00:16:3e:12:16:ed"
    address: 10.0.1.21/24
    gateway: 10.0.1.253
    default_route: false
    secondary_ips: [10.0.1.22]
`

// TestWindowsUserData: each launcher's form is the script unchanged inside
// the markers its documentation names, and the clouds' 16 KB limit is
// enforced where they apply it.
func TestWindowsUserData(t *testing.T) {
	m := scenario{name: "nat-eip", yaml: natEIPWindows}.load(t)
	for _, distro := range []string{"windows2022", "windows2008r2"} {
		files := renderWith(t, m, distro, true)
		script, ps := fileOf(t, files, render.WindowsCmd), false
		for _, f := range files {
			if f.Path == render.WindowsPS1 {
				script, ps = f.Data, true
			}
		}
		want := map[string][2]string{
			render.LauncherCloudbaseInit: {"", ""},
			render.LauncherEC2:           {"<script>\r\n", "</script>\r\n<persist>true</persist>\r\n"},
			render.LauncherAliyun:        {"[bat]\r\n", ""},
		}
		if ps {
			want[render.LauncherEC2] = [2]string{"<powershell>\r\n", "</powershell>\r\n<persist>true</persist>\r\n"}
			want[render.LauncherAliyun] = [2]string{"[powershell]\r\n", ""}
		}
		for _, l := range render.Launchers {
			got, err := render.WindowsUserData(l, files)
			if err != nil {
				t.Fatalf("%s %s: %v", distro, l, err)
			}
			w := want[l][0] + string(script) + want[l][1]
			if string(got) != w {
				t.Errorf("%s %s: user data is not the script inside %q ... %q", distro, l, want[l][0], want[l][1])
			}
			first, _, _ := strings.Cut(string(got), "\r\n")
			if l == render.LauncherCloudbaseInit && first != map[bool]string{true: "#ps1_sysnative", false: "rem cmd"}[ps] {
				t.Errorf("%s: cloudbase-init reads the type from the first line, got %q", distro, first)
			}
		}
	}
	big := scenario{name: "large", yaml: strings.ReplaceAll(gen.Description(8, 20), "    mac:", "    windows_name: x\n    mac:")}.load(t)
	files := renderWith(t, big, "windows2022", true)
	if _, err := render.WindowsUserData(render.LauncherEC2, files); err == nil || !strings.Contains(err.Error(), "more than the 16384") {
		t.Errorf("8 ENIs x 20 IPs as EC2 user data: want the 16 KB refusal, got %v", err)
	}
	if _, err := render.WindowsUserData(render.LauncherCloudbaseInit, files); err != nil {
		t.Errorf("cloudbase-init has no such limit: %v", err)
	}
}
