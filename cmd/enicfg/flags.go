package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/enicfg/enicfg/distros"
	"github.com/enicfg/enicfg/render"
	"github.com/enicfg/enicfg/spec"
	"github.com/enicfg/enicfg/versions"
)

// The flags that several commands share: -f and --strict (inputFlag:
// render, diff, validate, describe) and the target (targetFlags: render,
// diff).

// inputFlag is the -f flag shared by the commands that read a description.
// With --from, the description is imported from the cloud instead.
type inputFlag struct {
	file   string
	strict bool
	cloud  importFlags
	text   []byte // the description read by load
}

func (f *inputFlag) register(c *cobra.Command) {
	c.Flags().StringVarP(&f.file, "file", "f", "-", "the description (YAML or JSON); - reads standard input")
	c.Flags().BoolVar(&f.strict, "strict", false, "treat the description's warnings as errors")
	_ = c.MarkFlagFilename("file", "yaml", "yml", "json")
	f.cloud.register(c)
	c.MarkFlagsMutuallyExclusive("file", "from")
}

// name is the description's name in messages: its file, <stdin>, or the
// cloud source it is imported from.
func (f *inputFlag) name() string {
	switch {
	case f.cloud.from != "":
		return f.cloud.from
	case f.file == "-" || f.file == "":
		return "<stdin>"
	}
	return f.file
}

// load reads and validates the description, printing its warnings; the
// text read is kept in f.text.
func (f *inputFlag) load(c *cobra.Command) (*spec.Model, error) {
	var (
		m   *spec.Model
		err error
	)
	switch {
	case f.cloud.from != "":
		f.text, m, err = f.cloud.describe(c)
	case f.file == "-" || f.file == "":
		if f.text, err = io.ReadAll(io.LimitReader(c.InOrStdin(), spec.MaxSize+1)); err != nil {
			return nil, fmt.Errorf("<stdin>: %w", err)
		}
		m, err = spec.Load("<stdin>", f.text)
	default:
		var fh *os.File
		if fh, err = os.Open(f.file); err != nil {
			return nil, fmt.Errorf("read description: %w", err)
		}
		f.text, err = io.ReadAll(io.LimitReader(fh, spec.MaxSize+1))
		fh.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.file, err)
		}
		m, err = spec.Load(f.file, f.text)
	}
	if err != nil {
		return nil, err
	}
	if f.strict && len(m.Warnings) > 0 {
		return nil, m.Warnings.Strict()
	}
	warnings(c, m.Warnings)
	return m, nil
}

// targetFlags are the flags shared by render and diff.
type targetFlags struct {
	in      inputFlag
	distro  string
	tools   []string
	skip    bool
	noCINet bool
}

func (tf *targetFlags) register(c *cobra.Command) {
	tf.in.register(c)
	c.Flags().StringVar(&tf.distro, "distro", "", "target distribution or family (required)")
	c.Flags().StringArrayVar(&tf.tools, "tool-version", nil,
		"TOOL=VERSION: the image's version of a tool that reads the files (netplan=0.99), when newer than the target's first release (repeatable)")
	c.Flags().BoolVar(&tf.skip, "skip-unsupported", false, "render what the target can express and warn about the rest")
	c.Flags().BoolVar(&tf.noCINet, "disable-cloud-init-network", false,
		"also write "+render.CloudInitDisablePath+" so that cloud-init does not write its network configuration over enicfg's")
	_ = c.MarkFlagRequired("distro")
	_ = c.RegisterFlagCompletionFunc("distro", completeDistro)
}

// rendering is the result of loading, validating and rendering.
type rendering struct {
	model  *spec.Model
	target distros.Target
	files  render.FileSet
}

// render loads the description and renders it for the target.
func (tf *targetFlags) render(c *cobra.Command) (*rendering, error) {
	t, err := distros.Lookup(tf.distro)
	if err != nil {
		return nil, err
	}
	for _, tv := range tf.tools {
		tool, v, ok := strings.Cut(tv, "=")
		if !ok {
			return nil, fmt.Errorf("--tool-version %q: give TOOL=VERSION, such as netplan=0.99", tv)
		}
		if t, err = t.WithToolVersion(tool, versions.Version(v)); err != nil {
			return nil, err
		}
	}
	m, err := tf.in.load(c)
	if err != nil {
		return nil, err
	}
	files, refused, err := t.Render(m, tf.skip)
	if err != nil {
		return nil, err
	}
	for _, u := range refused {
		warningf(c, "skipped %s", u)
	}
	if tf.noCINet {
		files = append(files, render.CloudInitDisable(render.Header(t.Name, t.Family, "#")))
		files.Sort()
	}
	return &rendering{model: m, target: t, files: files}, nil
}

func completeDistro(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return distros.Names(), cobra.ShellCompDirectiveNoFileComp
}
