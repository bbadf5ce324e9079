package main

import (
	"github.com/spf13/cobra"
)

func newValidateCmd() *cobra.Command {
	var in inputFlag
	c := &cobra.Command{
		Use:   "validate [-f FILE|-]",
		Short: "Check a description and report every problem with its position",
		Args:  cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			m, err := in.load(c)
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
			name := in.file
			if name == "-" || name == "" {
				name = "<stdin>"
			}
			err = printf(c, "%s: valid: %d interface(s), %d private IP(s), %d EIP(s), %d routing table(s)\n",
				name, len(m.Interfaces), ips, eips, tables)
			return err
		},
	}
	in.register(c)
	return c
}
