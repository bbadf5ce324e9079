package main

import (
	"github.com/spf13/cobra"

	"github.com/enicfg/enicfg/spec"
)

func newSchemaCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of the description, for editors",
		Long: `Print the JSON Schema (draft-07) of the description. Editors use it for
completion and checks, e.g. with "# yaml-language-server: $schema=enicfg.schema.json".
enicfg validate checks more than a schema can say (subnets, uniqueness, routes).`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			_, err := c.OutOrStdout().Write(spec.Schema())
			return err
		},
	}
}
