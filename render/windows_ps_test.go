package render_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/enicfg/enicfg/internal/syntax"
	"github.com/enicfg/enicfg/internal/testenv"
)

func TestWindowsPowerShellCmdlets(t *testing.T) {
	_, ps1s := windowsScripts(t)
	used := map[string]bool{}
	ncmd := 0
	for _, s := range ps1s {
		if err := syntax.PowerShell(s.data); err != nil {
			t.Errorf("%s:\n%v", s.name, err)
		}
		cmds := syntax.PSCommands(s.data)
		ncmd += len(cmds)
		for _, c := range cmds {
			used[c.Name] = true
		}
	}
	t.Logf("%d PowerShell commands in %d scripts hold to the table", ncmd, len(ps1s))
	for _, name := range syntax.Cmdlets() {
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
		if err := syntax.CheckPS(r.Commands); err != nil {
			t.Errorf("%s (tree-sitter's commands):\n%v", name, err)
		}
		// The line-based extraction must see the same commands.
		var a, b []string
		for _, c := range r.Commands {
			ps, _ := c.Params()
			a = append(a, fmt.Sprintf("%d %s %v", c.Line, c.Name, ps))
		}
		for _, c := range syntax.PSCommands(ps1s[k].data) {
			ps, _ := c.Params()
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
	File     string             `json:"file"`
	HasError bool               `json:"hasError"`
	Errors   []any              `json:"errors"`
	Commands []syntax.PSCommand `json:"commands"`
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
