package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/enicfg/enicfg/spec"
)

// The one place enicfg prints from: results go to standard output with
// printf, warnings and errors to standard error with warningf and
// report, each line in one of two shapes:
//
//	FILE:LINE:COL: [warning: ]IFACE: message   (about the description)
//	enicfg: [warning: ]message                 (about anything else)

// printf writes a result line to the command's standard output.
func printf(c *cobra.Command, format string, args ...any) error {
	_, err := fmt.Fprintf(c.OutOrStdout(), format, args...)
	return err
}

// warningf prints a warning that is not about a place in the description.
func warningf(c *cobra.Command, format string, args ...any) {
	fmt.Fprintf(c.ErrOrStderr(), "enicfg: warning: "+format+"\n", args...)
}

// warnings prints the description's warnings, each at its place.
func warnings(c *cobra.Command, list spec.ErrorList) {
	for _, w := range list {
		fmt.Fprintln(c.ErrOrStderr(), w.Error())
	}
}

// report prints an error once. Positioned input errors are printed as
// FILE:LINE:COL: message, one per line, as tools and editors expect, then
// a count.
func report(w io.Writer, err error) {
	var list spec.ErrorList
	if errors.As(err, &list) {
		for _, e := range list {
			fmt.Fprintln(w, e.Error())
		}
		fmt.Fprintf(w, "enicfg: %d problem(s) in %s\n", len(list), list[0].File)
		return
	}
	fmt.Fprintf(w, "enicfg: %v\n", err)
}
