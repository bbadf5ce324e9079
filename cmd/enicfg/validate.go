package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/enicfg/enicfg/spec"
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
	ips, eips, tables, ips6 := 0, 0, 0, 0
	six := false
	for _, i := range m.Interfaces {
		if i.IPv6.Enabled() {
			six = true
			ips6 += len(i.IPv6.IPs())
			if i.IPv6.Mode != spec.IPv6Static {
				ips6++
			}
		}
		ips += len(i.IPs())
		if i.DHCP {
			ips++
		}
		eips += len(i.EIPs)
		if i.Table != 0 {
			tables++
		}
	}
	v6 := ""
	if six {
		v6 = fmt.Sprintf(", %d IPv6 address(es)", ips6)
	}
	return printf(c, "%s: valid: %d interface(s), %d private IP(s), %d EIP(s), %d routing table(s)%s\n",
		vc.in.name(), len(m.Interfaces), ips, eips, tables, v6)
}
