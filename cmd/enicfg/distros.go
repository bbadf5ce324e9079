package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/enicfg/enicfg/distros"
)

func newDistrosCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "distros",
		Short: "List every target with its family and the files it gets",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			w := tabwriter.NewWriter(c.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(w, "TARGET\tFAMILY\tREAD BY\tSTATUS\tWHAT")
			for _, t := range distros.All() {
				status := "built"
				if t.Renderer == nil {
					status = "not built yet"
				}
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", t.Name, t.Family, t.Reader, status, t.Title)
			}
			if err := w.Flush(); err != nil {
				return err
			}
			fmt.Fprintln(c.OutOrStdout(), "\nFILES")
			seen := map[string]bool{}
			for _, t := range distros.All() {
				key := t.Family + "|" + t.Reader + "|" + strings.Join(t.Files, "|")
				if seen[key] {
					continue
				}
				seen[key] = true
				fmt.Fprintf(c.OutOrStdout(), "%s (%s):\n", t.Family, t.Reader)
				for _, f := range t.Files {
					fmt.Fprintf(c.OutOrStdout(), "  %s\n", f)
				}
			}
			return nil
		},
	}
}
