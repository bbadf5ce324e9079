package render_test

import (
	"strings"
	"testing"

	"github.com/enicfg/enicfg/internal/syntax"
)

func TestWindowsNetshGrammar(t *testing.T) {
	cmds, _ := windowsScripts(t)
	seen := map[string]int{}
	for _, s := range cmds {
		for n, line := range lines(s.data) {
			if strings.HasPrefix(line, "REM") {
				continue
			}
			exp, err := syntax.CmdPercent(line)
			if err != nil {
				continue // TestWindowsCmdSyntax reports it
			}
			for _, c := range syntax.NetshCommands(exp) {
				got, err := syntax.Netsh(c)
				if err != nil {
					t.Errorf("%s:%d: %s\n\t%v", s.name, n+1, c, err)
					continue
				}
				tok := strings.Fields(c)
				seen[tok[2]+" "+tok[3]+" "+tok[4]]++
				// IPv4's primary goes with set address, so every IPv4
				// add address is a secondary; IPv6's primary is added
				// too, so each IPv6 one says skipassource either way.
				if tok[2] == "ipv4" && tok[3] == "add" && tok[4] == "address" && got["skipassource"] != "true" {
					t.Errorf("%s:%d: a secondary address without skipassource=true", s.name, n+1)
				}
				if tok[2] == "ipv6" && tok[3] == "add" && tok[4] == "address" && got["skipassource"] == "" {
					t.Errorf("%s:%d: an IPv6 address without skipassource=", s.name, n+1)
				}
			}
		}
	}
	total := 0
	for _, n := range seen {
		total += n
	}
	t.Logf("%d netsh commands in %d scripts hold to the grammar: %v", total, len(cmds), seen)
	for _, verb := range syntax.NetshVerbs() {
		if seen[verb] == 0 {
			t.Errorf("no script uses netsh interface %s: the cases miss a feature", verb)
		}
	}
}
