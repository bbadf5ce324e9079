package render_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/enicfg/enicfg/internal/testenv"
)

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
