package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/enicfg/enicfg/spec"
)

// Exit codes.
const (
	exitOK    = 0
	exitError = 1
	exitDiff  = 2 // diff: the files differ
)

// exitCode is an error that carries its own exit code and has already been
// reported (or needs no message).
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit %d", int(e)) }

// Main runs the command line and gives the process exit code.
func Main() int {
	return run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRoot()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.Execute()
	if err == nil {
		return exitOK
	}
	var code exitCode
	if errors.As(err, &code) {
		return int(code)
	}
	report(stderr, err)
	return exitError
}

// report prints an error once. Positioned input errors are printed as
// FILE:LINE:COL: message, one per line, as tools and editors expect.
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

func newRoot() *cobra.Command {
	root := &cobra.Command{
		Use:   "enicfg",
		Short: "Render cloud VM network interface configuration for every OS family",
		Long: `enicfg turns one YAML description of a VM's network interfaces (ENIs,
primary and secondary private IPs, gateways, metrics, policy-routing tables,
EIPs in NAT mode, multiqueue) into the files each operating system reads.`,
		Version:       versionString(),
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetVersionTemplate("enicfg {{.Version}}\n")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return fmt.Errorf("%w (see `%s --help`)", err, c.CommandPath())
	})
	root.AddCommand(
		newRenderCmd(),
		newDiffCmd(),
		newValidateCmd(),
		newDescribeCmd(),
		newDistrosCmd(),
		newSchemaCmd(),
		newVersionCmd(),
	)
	return root
}

// inputFlag is the -f flag shared by the commands that read a description.
type inputFlag struct {
	file   string
	strict bool
}

func (f *inputFlag) register(c *cobra.Command) {
	c.Flags().StringVarP(&f.file, "file", "f", "-", "the description (YAML or JSON); - reads standard input")
	c.Flags().BoolVar(&f.strict, "strict", false, "treat the description's warnings as errors")
	_ = c.MarkFlagFilename("file", "yaml", "yml", "json")
}

// load reads and validates the description, printing its warnings.
func (f *inputFlag) load(c *cobra.Command) (*spec.Model, error) {
	var (
		m   *spec.Model
		err error
	)
	if f.file == "-" || f.file == "" {
		m, err = spec.Read("<stdin>", c.InOrStdin())
	} else {
		var fh *os.File
		fh, err = os.Open(f.file)
		if err != nil {
			return nil, fmt.Errorf("read description: %w", err)
		}
		defer fh.Close()
		m, err = spec.Read(f.file, fh)
	}
	if err != nil {
		return nil, err
	}
	if f.strict && len(m.Warnings) > 0 {
		return nil, m.Warnings.Strict()
	}
	for _, w := range m.Warnings {
		fmt.Fprintln(c.ErrOrStderr(), w.Error())
	}
	return m, nil
}
