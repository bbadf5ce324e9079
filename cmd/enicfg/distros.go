package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/enicfg/enicfg/distros"
	"github.com/enicfg/enicfg/versions"
)

func newDistrosCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "distros",
		Short: "List every target with its family, tool versions and files",
		Long: `List every target with its family, the software that reads its files and
the versions of that software the target stands for (from its first release
to its last update), then the point releases that bring newer versions
(--distro rhel8.2, sles12sp3), then the files of each family.

docs/compatibility.md shows which version brought each construct.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return listDistros(c.OutOrStdout())
		},
	}
}

// spans writes the tool versions a target covers: "netplan 0.36.1-0.103".
func spans(cov versions.Coverage) string {
	var parts []string
	for _, s := range cov.Spans {
		v := string(s.First)
		if s.Last != s.First {
			v += "-" + string(s.Last)
		}
		parts = append(parts, string(s.Tool)+" "+v)
	}
	return strings.Join(parts, ", ")
}

func listDistros(out io.Writer) error {
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "TARGET\tFAMILY\tREAD BY\tTOOL VERSIONS\tWHAT")
	for _, t := range distros.All() {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", t.Name, t.Family, t.Reader(), spans(t.Coverage()), t.Title)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(out, "\nPOINT RELEASES (the image is that release or later)")
	w = tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	for _, t := range distros.All() {
		for _, p := range t.PointReleases() {
			fmt.Fprintf(w, "%s\t%s\t%s\n", p.Name, p.Release().Title, spans(p.Coverage()))
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(out, "\nFILES")
	seen := map[string]bool{}
	for _, t := range distros.All() {
		key := t.Family + "|" + t.Variant
		if seen[key] {
			continue
		}
		seen[key] = true
		fmt.Fprintf(out, "%s (%s):\n", t.Family, t.Reader())
		for _, f := range t.Files() {
			fmt.Fprintf(out, "  %s\n", f)
		}
	}
	return nil
}
