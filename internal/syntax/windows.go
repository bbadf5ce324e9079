package syntax

// The checkers of the Windows scripts: the lexical rules of the .cmd
// (cmd.exe's percent expansion, quoting, FOR variables, labels), the
// documented grammar of the netsh commands both scripts run, and the
// documented cmdlets and parameters of the .ps1. They hold the scripts
// to Microsoft's references where no Windows host can run them; the host
// model in internal/winmodel runs them.

import (
	"errors"
	"fmt"
	"maps"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// cmdVars are the variables the .cmd expands with %NAME%.
var cmdVars = map[string]bool{
	"IF": true, "T": true, "N": true, "GUID": true, "DHCP": true, "DNS": true,
	"KEEP": true, "WANT": true, "CAND": true, "CANDT": true, "SDNS": true,
	"ENICFG_KEY": true, "ENICFG_MARK": true, "ENICFG_IF": true, "WANTMAC": true,
	"FOUND": true, "IPS": true, "MASKS": true, "GW": true, "GWM": true,
	"MARKA": true, "MARKR": true, "WANTR": true, "OLD": true, "NS": true,
	"MARKA6": true, "MARKR6": true, "WANTA6": true, "WANTR6": true,
}

// CmdPercent applies cmd.exe's percent expansion of a batch file line
// (phase 1): %% is a literal %, %NAME% and %NAME:...% expand. Variables
// become «NAME»; an unknown variable, a batch parameter (%0-%9, %*, %~) or
// an unpaired % is an error.
func CmdPercent(line string) (string, error) {
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
	"rem", "REM", "@echo", "setlocal", "set", "for", "if", "netsh",
	"call", "goto", "exit", "echo", "reg", ">&2", ":fail", ":byname", ":bound",
	":dhcpdns", ":notfound", ":findmac", ":findname", ":settle", ":readreg",
	":oldroute", ":deladdrs", ":oldaddr6", ":oldroute6",
}

// forVar matches a FOR variable reference after phase 1.
var forVar = regexp.MustCompile(`%~?[ABCDKPQRVWX]`)

// cmdLabel, cmdJump find label definitions and their uses in a .cmd.
var (
	cmdLabel = regexp.MustCompile(`^:([A-Za-z_][A-Za-z0-9_]*)\s*$`)
	cmdJump  = regexp.MustCompile(`(?i)\b(call|goto) :?([A-Za-z_][A-Za-z0-9_]*)`)
)

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

// netshGrammar6 is the part of `netsh interface ipv6` the scripts use,
// from the same reference ("netsh interface ipv6 add address
// [interface=]<string> [address=]<IPv6 address>[/<integer>]
// [type=]unicast|anycast [validlifetime=]... [store=]active|persistent
// [skipassource=]true|false" and so on): the interface is interface=,
// not name=, and set address has no skipassource.
var netshGrammar6 = map[string][]string{
	"add address": {"*interface=string", "*address=ipv6[/len]", "type=unicast|anycast",
		"validlifetime=lifetime", "preferredlifetime=lifetime", "store=active|persistent", "skipassource=true|false"},
	"delete address": {"*interface=string", "*address=ipv6", "store=active|persistent"},
	"add route": {"*prefix=ipv6/len", "*interface=string", "nexthop=ipv6", "siteprefixlength=int",
		"metric=metric", "publish=no|age|yes", "validlifetime=lifetime", "preferredlifetime=lifetime",
		"store=active|persistent"},
	"set route": {"*prefix=ipv6/len", "*interface=string", "nexthop=ipv6", "siteprefixlength=int",
		"metric=metric", "publish=no|age|yes", "validlifetime=lifetime", "preferredlifetime=lifetime",
		"store=active|persistent"},
	"delete route": {"*prefix=ipv6/len", "*interface=string", "nexthop=ipv6", "store=active|persistent"},
	"set interface": {"*interface=string", "forwarding=enabled|disabled", "advertise=enabled|disabled",
		"mtu=int", "siteprefixlength=int", "nud=enabled|disabled", "basereachabletime=int",
		"retransmittime=int", "dadtransmits=int", "routerdiscovery=enabled|disabled|dhcp",
		"managedaddress=enabled|disabled", "otherstateful=enabled|disabled",
		"weakhostsend=enabled|disabled", "weakhostreceive=enabled|disabled",
		"ignoredefaultroutes=enabled|disabled", "advertisedrouterlifetime=int",
		"advertisedefaultroute=enabled|disabled", "currenthoplimit=int", "store=active|persistent"},
	"set subinterface": {"*interface=string", "mtu=int", "subinterface=string", "store=active|persistent"},
}

// netshSample stands for the values the .cmd fills in at run time: an
// adapter name with a blank (it must be quoted), a DNS server, a static
// address and a route (prefix, next hop) from the registry.
var netshSample = strings.NewReplacer(`«IF»`, `Ethernet 2`, `%D`, `192.0.2.53`,
	`%X`, `192.0.2.10`, `%P`, `192.0.2.0/24`, `%Q`, `192.0.2.1`)

// netshSample6 is netshSample for netsh interface ipv6, whose run-time
// values (an address, a route from enicfg's record) are IPv6.
var netshSample6 = strings.NewReplacer(`«IF»`, `Ethernet 2`, `%X`, `2001:db8::10`,
	`%P`, `2001:db8::/64`, `%Q`, `fe80::1`)

// NetshCommands cuts the netsh commands out of a line (after phase 1).
func NetshCommands(line string) []string {
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

// netshFields splits a command at blanks outside double quotes.
func netshFields(cmd string) []string {
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

// Netsh holds one netsh command to the grammar; it returns the
// parameters it found.
func Netsh(cmd string) (map[string]string, error) {
	grammar, sample := netshGrammar, netshSample
	if strings.HasPrefix(cmd, "netsh interface ipv6 ") {
		grammar, sample = netshGrammar6, netshSample6
	}
	tok := netshFields(sample.Replace(cmd))
	if len(tok) < 5 || tok[0] != "netsh" || tok[1] != "interface" || tok[2] != "ipv4" && tok[2] != "ipv6" {
		return nil, fmt.Errorf("not a netsh interface ipv4 or ipv6 command")
	}
	verb := tok[3] + " " + tok[4]
	spec, ok := grammar[verb]
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
	case "ipv6":
		if a, err := netip.ParseAddr(v); err != nil || !a.Is6() || a.Is4In6() || a.Zone() != "" {
			return fmt.Errorf("not an IPv6 address")
		}
	case "ipv6/len", "ipv6[/len]":
		p, err := netip.ParsePrefix(v)
		if err != nil || !p.Addr().Is6() || p.Addr().Is4In6() {
			return fmt.Errorf("not an IPv6 prefix")
		}
		if kind == "ipv6/len" && p.Masked() != p {
			return fmt.Errorf("not an IPv6 prefix without host bits")
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
	"InterfaceIndex":              regexp.MustCompile(`^\$i$`),
	"AddressFamily":               regexp.MustCompile(`^IPv[46]$`),
	"RouterDiscovery":             regexp.MustCompile(`^(Enabled|Disabled)$`),
	"ManagedAddressConfiguration": regexp.MustCompile(`^(Enabled|Disabled)$`),
	"Dhcp":                        regexp.MustCompile(`^(Enabled|Disabled)$`),
	"IgnoreDefaultRoutes":         regexp.MustCompile(`^(Enabled|Disabled)$`),
	"PolicyStore":                 regexp.MustCompile(`^\$store$`),
	"ErrorAction":                 regexp.MustCompile(`^SilentlyContinue$`),
	"Confirm":                     regexp.MustCompile(`^\$false$`),
	"SkipAsSource":                regexp.MustCompile(`^\$(true|false)$`),
	"IPAddress":                   regexp.MustCompile(`^'(\d+\.\d+\.\d+\.\d+|[0-9a-f:]*:[0-9a-f:]*)'$`),
	"NextHop":                     regexp.MustCompile(`^'(\d+\.\d+\.\d+\.\d+|[0-9a-f:]*:[0-9a-f:]*)'$`),
	"DestinationPrefix":           regexp.MustCompile(`^'(\d+\.\d+\.\d+\.\d+|[0-9a-f:]*:[0-9a-f:]*)/\d+'$`),
	"PrefixLength":                regexp.MustCompile(`^([0-9]|[1-9][0-9]|1[01][0-9]|12[0-8])$`),
	"RouteMetric":                 regexp.MustCompile(`^[1-9]\d{0,3}$`),
	"NlMtuBytes":                  regexp.MustCompile(`^\d+$`),
	"ServerAddresses":             regexp.MustCompile(`^\$(dns|servers)$`),
	"Version":                     regexp.MustCompile(`^2\.0$`),
	"Seconds":                     regexp.MustCompile(`^2$`),
	"Name":                        regexp.MustCompile(`^\$a\[0\]\.Name$`),
	"RegistryKeyword":             regexp.MustCompile(`^('\*JumboPacket'|'MTU'|\$f\[0\]\.RegistryKeyword)$`),
	"RegistryValue":               regexp.MustCompile(`^\$size$`),
	"Message":                     regexp.MustCompile(`^'[^']*'$`),
}

// PSCommand is a command of a script: its name and its elements, each a
// parameter (-Name) or an argument.
type PSCommand struct {
	Line     int
	Name     string
	Elements []PSElement
}

type PSElement struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

// Params pairs each parameter with its argument ("" for a switch).
func (c PSCommand) Params() ([][2]string, []string) {
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

// CheckPS holds the commands of a script to the tables of cmdlets,
// parameters and values; it gives every problem, with its line.
func CheckPS(cmds []PSCommand) error {
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	for _, c := range cmds {
		where := fmt.Sprintf("line %d: %s", c.Line, c.Name)
		if c.Name == "netsh" {
			// A step no cmdlet does: held to the netsh grammar.
			_, positional := c.Params()
			if _, err := Netsh("netsh " + strings.Join(positional, " ")); err != nil {
				fail("%s: %v", where, err)
			}
			continue
		}
		allowed, ok := psCmdlets[c.Name]
		if !ok {
			fail("%s: not a cmdlet documented for Windows Server 2012 R2 in this table", where)
			continue
		}
		params, positional := c.Params()
		six := slices.Contains(params, [2]string{"AddressFamily", "IPv6"})
		for _, p := range params {
			if !slices.Contains(allowed, p[0]) && !slices.Contains(psCommon, p[0]) {
				fail("%s: no parameter -%s", where, p[0])
				continue
			}
			if re, ok := psValues[p[0]]; ok && !re.MatchString(p[1]) {
				fail("%s: -%s %s: not a value the script should give", where, p[0], p[1])
			}
			if p[0] == "RouteMetric" {
				if v, _ := strconv.Atoi(p[1]); v > 9999 {
					fail("%s: -RouteMetric %d above 9999", where, v)
				}
			}
			if p[0] == "NlMtuBytes" {
				if v, _ := strconv.Atoi(p[1]); v < 576 || six && v < 1280 {
					fail("%s: -NlMtuBytes %d below the minimum (IPv4 576, IPv6 1280)", where, v)
				}
			}
		}
		switch c.Name {
		case "Where-Object":
			if len(positional) != 1 || !strings.HasPrefix(positional[0], "{") {
				fail("%s: want one script block, got %q", where, positional)
			}
		case "Write-Output":
			if len(positional) != 1 {
				fail("%s: want one string", where)
			}
		default:
			if len(positional) != 0 {
				fail("%s: positional arguments %q (the scripts name every parameter)", where, positional)
			}
		}
	}
	return errors.Join(errs...)
}

// cmdName is the form of a cmdlet's name: Verb-Noun.
var cmdName = regexp.MustCompile(`^[A-Z][a-z]+-[A-Za-z]+$`)

// PSCommands splits a PowerShell script into commands the way the scripts
// write them: commands start after a line start, |, {, ( or ; outside
// single-quoted strings, and their elements are blank-separated; script
// blocks and parenthesised expressions are one element each.
func PSCommands(data []byte) []PSCommand {
	var out []PSCommand
	for n, line := range strings.Split(strings.TrimSuffix(string(data), "\r\n"), "\r\n") {
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
			c := PSCommand{Line: n + 1, Name: f[0]}
			for _, e := range f[1:] {
				if name, val, ok := strings.Cut(e, ":"); ok && strings.HasPrefix(e, "-") {
					c.Elements = append(c.Elements, PSElement{"command_parameter", name}, PSElement{"value", val})
				} else if strings.HasPrefix(e, "-") && len(e) > 1 && e[1] >= 'A' && e[1] <= 'Z' {
					c.Elements = append(c.Elements, PSElement{"command_parameter", e})
				} else {
					c.Elements = append(c.Elements, PSElement{"value", e})
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
	inQ, depth, start := false, 0, 0
	for i := 0; i < len(s); i++ {
		switch ch := s[i]; {
		case ch == '\'':
			// a quote inside a script block too: a brace in a
			// single-quoted string there is text
			inQ = !inQ
		case ch == '{' && !inQ:
			depth++
		case ch == '}' && !inQ:
			depth--
		case ch == ' ' && !inQ && depth == 0:
			if i > start {
				out = append(out, s[start:i])
			}
			start = i + 1
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// PowerShell checks a .ps1 as enicfg writes it: cloudbase-init's
// #ps1_sysnative first, then only the documented cmdlets with their
// documented parameters and the values the scripts give them, and netsh
// held to its grammar.
func PowerShell(data []byte) error {
	s, err := text(data)
	if err != nil {
		return err
	}
	if first, _, _ := strings.Cut(s, "\r\n"); first != "#ps1_sysnative" {
		return fmt.Errorf("line 1: %q, want cloudbase-init's #ps1_sysnative", first)
	}
	return CheckPS(PSCommands(data))
}

// Cmd checks a .cmd as enicfg writes it: cloudbase-init's "rem cmd" and
// @echo off first, delayed expansion off, only the script's own commands
// and labels, only its own variables, balanced quotes, no % in a FOR line
// that is not a loop variable, no operator outside double quotes but the
// script's own, every netsh command held to the documented grammar, each
// label defined once and each call or goto to a defined one.
func Cmd(data []byte) error {
	s, err := text(data)
	if err != nil {
		return err
	}
	ls := strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n")
	var errs []error
	if len(ls) < 2 || ls[0] != "rem cmd" || ls[1] != "@echo off" {
		errs = append(errs, errors.New("line 1: want the cloudbase-init marker rem cmd, then @echo off"))
	}
	if !slices.Contains(ls, "setlocal EnableExtensions DisableDelayedExpansion") {
		errs = append(errs, errors.New("no setlocal DisableDelayedExpansion"))
	}
	for n, line := range ls {
		if err := cmdLine(line); err != nil {
			errs = append(errs, fmt.Errorf("line %d: %s: %w", n+1, line, err))
		}
	}
	errs = append(errs, cmdFlow(ls)...)
	return errors.Join(errs...)
}

// cmdLine checks one line of a .cmd.
func cmdLine(line string) error {
	if line == "" {
		return nil
	}
	first, _, _ := strings.Cut(line, " ")
	if !slices.Contains(cmdFirstWords, first) {
		return fmt.Errorf("unexpected command %q", first)
	}
	if strings.Contains(line, "EnableDelayedExpansion") {
		return errors.New("delayed expansion must stay off (! is literal in names)")
	}
	exp, err := CmdPercent(line)
	if err != nil {
		return err
	}
	if first == "REM" || first == "rem" {
		// A REM line ends at its line end only if no unescaped ^ is
		// last; % was checked above.
		if carets := len(exp) - len(strings.TrimRight(exp, "^")); carets%2 == 1 {
			return errors.New("ends with an escaping ^, which joins the next line")
		}
		return nil
	}
	if strings.Count(exp, `"`)%2 != 0 {
		return errors.New("unbalanced double quotes")
	}
	// In a FOR line every % left after phase 1 is read as a loop
	// variable, so none may come from the description.
	if rest := forVar.ReplaceAllString(exp, ""); first == "for" && strings.Contains(rest, "%") {
		return errors.New("a % in a FOR line that is no loop variable")
	}
	// Outside quotes, only the script's own operators may appear.
	out := cmdUnquoted(exp)
	for _, op := range []string{"2^>nul", "2>&1", ">&2", ">nul", "||", "&&", " & ", " > "} {
		out = strings.ReplaceAll(out, op, " ")
	}
	if i := strings.IndexAny(out, "&|<>^"); i >= 0 {
		return fmt.Errorf("%q outside double quotes", out[i])
	}
	for _, c := range NetshCommands(exp) {
		if _, err := Netsh(c); err != nil {
			return fmt.Errorf("%s: %w", c, err)
		}
	}
	return nil
}

// cmdFlow: each label is defined once, each call and goto names a
// defined label (or :eof), and the main part (before the first label)
// exits once, at its end, so no step of an interface can be skipped or
// run for another adapter.
func cmdFlow(ls []string) []error {
	var errs []error
	defined := map[string]int{}
	firstLabel := len(ls)
	for i, l := range ls {
		if m := cmdLabel.FindStringSubmatch(l); m != nil {
			defined[strings.ToLower(m[1])]++
			firstLabel = min(firstLabel, i)
		}
	}
	for name, n := range defined {
		if n != 1 {
			errs = append(errs, fmt.Errorf("label :%s defined %d times", name, n))
		}
	}
	var exits []int
	for i, l := range ls {
		if strings.HasPrefix(strings.ToUpper(strings.TrimSpace(l)), "REM") {
			continue
		}
		for _, m := range cmdJump.FindAllStringSubmatch(l, -1) {
			if name := strings.ToLower(m[2]); name != "eof" && defined[name] != 1 {
				errs = append(errs, fmt.Errorf("line %d: %s to the undefined label %s", i+1, m[1], m[2]))
			}
		}
		if i < firstLabel && cmdExit.MatchString(l) {
			exits = append(exits, i+1)
		}
	}
	if len(exits) != 1 {
		errs = append(errs, fmt.Errorf("the main part exits at lines %v, want once, at its end", exits))
	}
	slices.SortFunc(errs, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) })
	return errs
}

var cmdExit = regexp.MustCompile(`(?i)\bexit /b\b`)

// NetshVerbs are the netsh interface ipv4 and ipv6 commands of the
// grammar ("ipv4 add address", "ipv6 add route", ...), sorted.
func NetshVerbs() []string {
	var out []string
	for v := range maps.Keys(netshGrammar) {
		out = append(out, "ipv4 "+v)
	}
	for v := range maps.Keys(netshGrammar6) {
		out = append(out, "ipv6 "+v)
	}
	slices.Sort(out)
	return out
}

// Cmdlets are the commands the .ps1 may run, sorted.
func Cmdlets() []string {
	return slices.Sorted(maps.Keys(psCmdlets))
}
