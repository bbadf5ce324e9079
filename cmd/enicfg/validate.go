package main

import (
	"github.com/spf13/cobra"
)

type validateCmd struct{ in inputFlag }

func newValidateCmd() *cobra.Command {
	vc := &validateCmd{}
	c := &cobra.Command{
		Use:   "validate [-f FILE|-]",
		Short: "Check a description and report every problem with its position",
		Args:  cobra.NoArgs,
		RunE:  vc.run,
	}
	vc.in.register(c)
	return c
}

// run loads the description (its problems are the error) and sums it up.
func (vc *validateCmd) run(c *cobra.Command, _ []string) error {
	m, err := vc.in.load(c)
	if err != nil {
		return err
	}
	ips, eips, tables := 0, 0, 0
	for _, i := range m.Interfaces {
		ips += len(i.IPs())
		if i.DHCP {
			ips++
		}
		eips += len(i.EIPs)
		if i.Table != 0 {
			tables++
		}
	}
	return printf(c, "%s: valid: %d interface(s), %d private IP(s), %d EIP(s), %d routing table(s)\n",
		vc.in.name(), len(m.Interfaces), ips, eips, tables)
}
