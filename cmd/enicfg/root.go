package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
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
		newImportCmd(),
		newCheckCmd(),
		newApplyCmd(),
		newRollbackCmd(),
		newDistrosCmd(),
		newSchemaCmd(),
		newVersionCmd(),
	)
	return root
}
