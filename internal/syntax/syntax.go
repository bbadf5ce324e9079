// Package syntax holds the lexical rules of the kinds of file enicfg
// writes; each family's descriptor ties its files to these rules, and the
// fuzz and hostile-input tests hold every rendered file to them.
package syntax

import (
	"fmt"
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
	ifupLine = regexp.MustCompile(`^(#.*|(auto|iface) [A-Za-z0-9_:-]+( inet (static|dhcp|loopback)| inet6 (static|dhcp|auto))?|    [a-z_-]+ [^\n]*)?$`)
	// A udev rule line.
	udevLine = regexp.MustCompile(`^(#.*|([A-Z]+(\{[a-z_]+\})?(==|!=|\+=|:=|=)"[^"\\]*"(, )?)+)?$`)
	// A line of a sysctl.d(5) file as enicfg writes it.
	sysctlLine = regexp.MustCompile(`^(#.*|[a-z0-9_]+(\.[A-Za-z0-9_-]+)+ = [0-9]+)?$`)
)

// text checks what every generated file must be: UTF-8 without NUL.
func text(data []byte) (string, error) {
	if !utf8.Valid(data) {
		return "", fmt.Errorf("not UTF-8")
	}
	s := string(data)
	if strings.ContainsRune(s, 0) {
		return "", fmt.Errorf("holds NUL")
	}
	return strings.TrimSuffix(s, "\n"), nil
}

func lines(re *regexp.Regexp, data []byte) error {
	s, err := text(data)
	if err != nil {
		return err
	}
	for i, l := range strings.Split(s, "\n") {
		if !re.MatchString(l) {
			return fmt.Errorf("line %d: %q breaks the file's syntax", i+1, l)
		}
	}
	return nil
}

// Shell checks a file that bash sources (ifcfg files).
func Shell(data []byte) error { return lines(ShellLine, data) }

// IPLines checks a file of `ip route`/`ip rule` argument lines.
func IPLines(data []byte) error { return lines(ipLine, data) }

// Ifupdown checks ifupdown's interfaces(5).
func Ifupdown(data []byte) error { return lines(ifupLine, data) }

// Udev checks a udev rules file.
func Udev(data []byte) error { return lines(udevLine, data) }

// Sysctl checks a sysctl.d(5) file: comments and key = number lines.
func Sysctl(data []byte) error { return lines(sysctlLine, data) }

// Ini checks an ini-style file (systemd .network/.link, NetworkManager
// keyfiles): no line may end in a backslash, which joins the next one.
func Ini(data []byte) error {
	if err := lines(iniLine, data); err != nil {
		return err
	}
	s, _ := text(data)
	for i, l := range strings.Split(s, "\n") {
		if strings.HasSuffix(l, "\\") {
			return fmt.Errorf("line %d: a line ending in a backslash joins the next one", i+1)
		}
	}
	return nil
}

// YAML checks that a file is one YAML document.
func YAML(data []byte) error {
	if _, err := text(data); err != nil {
		return err
	}
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		return fmt.Errorf("not YAML: %v", err)
	}
	return nil
}

// Text checks only what every file must be (scripts whose grammar the
// family's own tests check).
func Text(data []byte) error {
	_, err := text(data)
	return err
}
