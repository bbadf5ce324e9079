package main

import (
	"errors"

	"github.com/spf13/cobra"
)

type diffCmd struct {
	targetFlags
	root string
}

func newDiffCmd() *cobra.Command {
	dc := &diffCmd{}
	c := &cobra.Command{
		Use:   "diff --distro NAME [-f FILE|-] --root DIR",
		Short: "Show how the files under a root differ from what render would write",
		Long: `Print a unified diff from the files under --root to those that
"enicfg render" would write there: changed, missing and mode-changed files,
and files that enicfg wrote earlier for the same family (recognised by the
header it writes in every file) and would not write now (a removed
interface). Exit status: 0 equal, 2 different, 1 error.`,
		Example: `  enicfg diff --distro sles15 -f network.yaml --root /`,
		Args:    cobra.NoArgs,
		RunE:    dc.run,
	}
	dc.targetFlags.register(c)
	c.Flags().StringVar(&dc.root, "root", "", "the folder to compare with (required)")
	_ = c.MarkFlagRequired("root")
	_ = c.MarkFlagDirname("root")
	return c
}

func (dc *diffCmd) run(c *cobra.Command, _ []string) error {
	if dc.root == "" {
		return errors.New("--root is required")
	}
	res, err := dc.render(c)
	if err != nil {
		return err
	}
	return diffOutput{dc.root}.write(c, res)
}
