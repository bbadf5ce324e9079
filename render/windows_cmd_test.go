package render_test

import (
	"strings"
	"testing"

	"github.com/enicfg/enicfg/internal/syntax"
)

// TestWindowsCmdSyntax holds every .cmd of the cases to the checker of
// internal/syntax (cmd.exe's expansion and quoting, the netsh grammar,
// the labels); its own tests show what it refuses.
func TestWindowsCmdSyntax(t *testing.T) {
	cmds, _ := windowsScripts(t)
	for _, s := range cmds {
		if err := syntax.Cmd(s.data); err != nil {
			t.Errorf("%s:\n%v", s.name, err)
		}
	}
	t.Logf("%d .cmd scripts hold to the checker", len(cmds))
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
			got, err := syntax.CmdPercent(strings.TrimSuffix(v, `"`))
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
