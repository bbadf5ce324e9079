package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/enicfg/enicfg/distros"
	"github.com/enicfg/enicfg/render"
	"github.com/enicfg/enicfg/spec"
)

type renderCmd struct {
	in     inputFlag
	distro string
	root   string
	skip   bool
}

func newRenderCmd() *cobra.Command {
	rc := &renderCmd{}
	c := &cobra.Command{
		Use:   "render --distro NAME [-f FILE|-] [--root DIR]",
		Short: "Render the configuration files of one target",
		Long: `Render the configuration files of one target (a distribution or a family;
see "enicfg distros").

Without --root, every file is printed to standard output under a header line
"==> PATH (MODE) <==". With --root DIR, the files are written under DIR at
their absolute paths, each atomically and with its mode; nothing is written
when the description is invalid or the target refuses a feature.`,
		Example: `  enicfg render --distro centos7 -f network.yaml
  enicfg render --distro debian12 -f network.yaml --root /`,
		Args: cobra.NoArgs,
		RunE: rc.run,
	}
	rc.in.register(c)
	c.Flags().StringVar(&rc.distro, "distro", "", "target distribution or family (required)")
	c.Flags().StringVar(&rc.root, "root", "", "write the files under this folder instead of printing them")
	c.Flags().BoolVar(&rc.skip, "skip-unsupported", false, "render what the target can express and warn about the rest")
	_ = c.MarkFlagRequired("distro")
	_ = c.MarkFlagDirname("root")
	_ = c.RegisterFlagCompletionFunc("distro", completeDistro)
	return c
}

func completeDistro(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return distros.Names(), cobra.ShellCompDirectiveNoFileComp
}

// renderFiles loads the description and renders it for the target.
func renderFiles(c *cobra.Command, in *inputFlag, distro string, skip bool) (render.FileSet, error) {
	t, err := distros.Lookup(distro)
	if err != nil {
		return nil, err
	}
	r, err := t.RendererOf()
	if err != nil {
		return nil, err
	}
	m, err := in.load(c)
	if err != nil {
		return nil, err
	}
	return renderModel(c, m, t, r, skip)
}

func renderModel(c *cobra.Command, m *spec.Model, t distros.Target, r render.Renderer, skip bool) (render.FileSet, error) {
	files, refused, err := r.Render(m, render.Options{Target: t.Name, SkipUnsupported: skip})
	if err != nil {
		return nil, err
	}
	for _, u := range refused {
		fmt.Fprintf(c.ErrOrStderr(), "enicfg: warning: skipped %s\n", u)
	}
	return files, nil
}

func (rc *renderCmd) run(c *cobra.Command, _ []string) error {
	files, err := renderFiles(c, &rc.in, rc.distro, rc.skip)
	if err != nil {
		return err
	}
	if rc.root != "" {
		if err := render.WriteRoot(rc.root, files); err != nil {
			return err
		}
		for _, f := range files {
			fmt.Fprintf(c.OutOrStdout(), "wrote %s (%04o)\n", f.Path, f.Mode.Perm())
		}
		return nil
	}
	return printFiles(c.OutOrStdout(), files)
}

// printFiles lists the files under a header line each.
func printFiles(w io.Writer, files render.FileSet) error {
	for i, f := range files {
		if i > 0 {
			if _, err := io.WriteString(w, "\n"); err != nil {
				return err
			}
		}
		if _, err := fmt.Fprintf(w, "==> %s (%04o) <==\n%s", f.Path, f.Mode.Perm(), f.Data); err != nil {
			return err
		}
	}
	return nil
}
