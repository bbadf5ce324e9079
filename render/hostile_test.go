package render_test

import (
	"fmt"
	"path"
	"regexp"
	"strings"
	"testing"

	"github.com/enicfg/enicfg/distros"
	"github.com/enicfg/enicfg/internal/netlab"
	"github.com/enicfg/enicfg/spec"
)

// hostileValues are values from the hostile-input list of every kind.
var hostileValues = []struct{ name, value string }{
	{"shell", "a; rm -rf / && echo | cat > /etc/passwd < x * ? ~ { } [ ]"},
	{"command substitution", "$(touch " + canary + ")"},
	{"backticks", "`touch " + canary + "`"},
	{"parameter", "${IFS}$HOME$1"},
	{"double quote", `say "hi"`},
	{"single quote", "it's"},
	{"curly quotes", "‘single’ “double”"},
	{"cmd percent and caret", "%PATH% %~dp0 ^& ^| !delayed!"},
	{"trailing backslash", `ends with \`},
	{"newline", "one\ntwo"},
	{"carriage return", "one\rtwo"},
	{"tab", "a\tb"},
	{"NUL", "a\x00b"},
	{"escape", "a\x1b[31mred"},
	{"bidi override", "abc\u202edef"},
	{"zero width", "a\u200bb"},
	{"look-alikes", "ｅｔｈ０ ＄（ｒｍ） ∕etc∕passwd ꞉"},
	{"long", strings.Repeat("x", 300)},
	{"yaml", "key: value\n- item"},
	{"comment markers", "# REM :: <# #> ; //"},
}

// textFields are the fields that hold free text; the others are refused
// unless they are their strict forms.
var hostileFields = []string{"description", "windows_name", "name", "mac", "gateway", "ipv6.address", "ipv6.gateway", "ipv6.secondary_ips"}

// commentLine tells whether a line is a comment in its file.
var commentLine = regexp.MustCompile(`^\s*(#|REM |rem |::)`)

// TestHostileValues: every hostile value in every string field is either
// refused with a positioned error, or rendered by every built target
// inside comment lines only, files keeping their syntax, and shell-sourced
// files sourced by bash running nothing.
func TestHostileValues(t *testing.T) {
	netlab.Require(t, false, "bash", "shellcheck")
	dir := t.TempDir()
	for _, field := range hostileFields {
		for _, hv := range hostileValues {
			t.Run(field+"/"+hv.name, func(t *testing.T) {
				in := map[string]string{"name": "eth0", "address": "10.0.0.10/24", "gateway": "10.0.0.1"}
				in[field] = hv.value
				y := "version: 1\ninterfaces:\n  - address: 10.0.0.10/24\n"
				for _, k := range []string{"name", "gateway", "mac", "description", "windows_name"} {
					if v, ok := in[k]; ok {
						y += fmt.Sprintf("    %s: %q\n", k, v)
					}
				}
				// The IPv6 values, each hostile in its turn.
				six := map[string]string{"ipv6.address": "2001:db8::10/64", "ipv6.gateway": "fe80::1"}
				if strings.HasPrefix(field, "ipv6.") {
					six[field] = hv.value
				}
				y += fmt.Sprintf("    ipv6:\n      address: %q\n      gateway: %q\n", six["ipv6.address"], six["ipv6.gateway"])
				if v, ok := six["ipv6.secondary_ips"]; ok {
					y += fmt.Sprintf("      secondary_ips: [%q]\n", v)
				}
				m, err := spec.Load("h.yaml", []byte(y))
				if err != nil {
					if !regexp.MustCompile(`^h\.yaml:\d+:\d+: `).MatchString(err.Error()) {
						t.Fatalf("refused without a position: %v", err)
					}
					return
				}
				if field != "description" && field != "windows_name" {
					t.Fatalf("%s %q was accepted", field, hv.value)
				}
				for _, tgt := range distros.Representatives() {
					files, _, err := tgt.Render(m, true)
					if err != nil {
						t.Fatalf("%s: %v", tgt.Name, err)
					}
					for _, f := range files {
						if err := tgt.Check(f); err != nil {
							t.Fatalf("%s: %v", tgt.Name, err)
						}
						if strings.HasSuffix(f.Path, ".cmd") || strings.HasSuffix(f.Path, ".ps1") {
							continue // windows_name is quoted there; the windows tests parse it
						}
						for i, l := range strings.Split(string(f.Data), "\n") {
							if strings.Contains(l, hv.value) && !commentLine.MatchString(l) {
								t.Fatalf("%s: %s:%d holds the value outside a comment: %q", tgt.Name, f.Path, i+1, l)
							}
						}
						if strings.HasPrefix(path.Base(f.Path), "ifcfg-") {
							lintSourced(t, dir, path.Base(f.Path), f.Data)
						}
					}
				}
			})
		}
	}
}
