package render_test

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"testing"
)

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
