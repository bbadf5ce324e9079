package render_test

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
)

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
