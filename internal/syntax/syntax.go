// Package syntax checks the lexical form of generated files, family by
// family: the fuzz tests hold every rendered file to it.
package syntax

import (
	"fmt"
	"path"
	"regexp"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// ShellLine is what a line of a file that bash sources may be: a comment,
// a blank, or KEY=value with a bare word, a double-quoted string without
// $ ` \ " !, or a single-quoted string. shellcheck alone accepts
// NAME=my nic, which runs "nic" when sourced.
var ShellLine = regexp.MustCompile(`^(#.*|[A-Za-z_][A-Za-z0-9_]*=([^][\s"'` + "`" + `$\\;&|<>()*?#~{}!]*|"[^"$` + "`" + `\\!]*"|'[^']*'))?$`)

var (
	// A line of route-/rule-/ifroute-/ifrule- files: ip arguments.
	ipLine = regexp.MustCompile(`^(#.*|[A-Za-z0-9./:_ -]*)$`)
	// A line of an ini-style file (systemd units, keyfiles).
	iniLine = regexp.MustCompile(`^(#.*|\[[A-Za-z0-9 _-]+\]|[A-Za-z0-9_-]+=[^\n]*)?$`)
	// A line of ifupdown's interfaces(5).
	ifupLine = regexp.MustCompile(`^(#.*|(auto|iface) [A-Za-z0-9_:-]+( inet (static|dhcp|loopback))?|    [a-z-]+ [^\n]*)?$`)
	// A udev rule line.
	udevLine = regexp.MustCompile(`^(#.*|([A-Z]+(\{[a-z_]+\})?(==|\+=|=)"[^"\\]*"(, )?)+)?$`)
)

// Check reports the first lexical problem of a generated file, or nil.
func Check(p string, data []byte) error {
	if len(data) == 0 || data[len(data)-1] != '\n' {
		return fmt.Errorf("%s: does not end with a newline", p)
	}
	if !utf8.Valid(data) {
		return fmt.Errorf("%s: not UTF-8", p)
	}
	text := string(data)
	if strings.ContainsRune(text, 0) {
		return fmt.Errorf("%s: holds NUL", p)
	}
	base := path.Base(p)
	var re *regexp.Regexp
	switch {
	case strings.HasSuffix(p, ".yaml"):
		var v any
		if err := yaml.Unmarshal(data, &v); err != nil {
			return fmt.Errorf("%s: not YAML: %v", p, err)
		}
		return nil
	case strings.HasSuffix(p, ".cmd") || strings.HasSuffix(p, ".ps1"):
		return nil // checked by the windows family's own tests
	case strings.HasPrefix(p, "/etc/udev/rules.d/"):
		re = udevLine
	case p == "/etc/network/interfaces":
		re = ifupLine
	case strings.HasPrefix(base, "route-") || strings.HasPrefix(base, "rule-") ||
		strings.HasPrefix(base, "ifroute-") || strings.HasPrefix(base, "ifrule-"):
		re = ipLine
	case strings.HasPrefix(base, "ifcfg-"):
		re = ShellLine
	case strings.HasSuffix(p, ".network") || strings.HasSuffix(p, ".link") ||
		strings.HasSuffix(p, ".nmconnection") || strings.HasSuffix(p, ".cfg"):
		if strings.HasSuffix(p, ".cfg") {
			var v any
			if err := yaml.Unmarshal(data, &v); err != nil {
				return fmt.Errorf("%s: not YAML: %v", p, err)
			}
			return nil
		}
		re = iniLine
		for i, l := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
			if strings.HasSuffix(l, "\\") {
				return fmt.Errorf("%s:%d: a line ending in a backslash joins the next one", p, i+1)
			}
		}
	default:
		return fmt.Errorf("%s: no syntax rule for this file", p)
	}
	for i, l := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		if !re.MatchString(l) {
			return fmt.Errorf("%s:%d: line %q breaks the file's syntax", p, i+1, l)
		}
	}
	return nil
}
