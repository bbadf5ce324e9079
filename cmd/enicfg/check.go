package main

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"
	"github.com/vishvananda/netlink"

	"github.com/enicfg/enicfg/distros"
	"github.com/enicfg/enicfg/live"
)

type checkCmd struct {
	in     inputFlag
	distro string
	output string
}

func newCheckCmd() *cobra.Command {
	cc := &checkCmd{}
	c := &cobra.Command{
		Use:   "check [-f FILE|-] [--distro NAME] [--output text|json]",
		Short: "Compare this host's links, addresses, rules and routes with the description",
		Long: `Read the host's IPv4 state through netlink (the described links by name:
MAC, MTU, up, combined channels where the driver has them; their addresses;
every policy rule; the main table's routes through them and every route of
the described tables) and print what is missing, extra or different, one
line each, with the description's line. Without --distro only what every
family agrees on is checked; with it, the family's own layout is expected
(NetworkManager's prefix route per address, networkd's DHCP metrics and
sources). Exit status: 0 the host matches, 2 it differs, 1 error.`,
		Example: `  enicfg check -f network.yaml
  enicfg check --distro rhel9 -f network.yaml --output json`,
		Args: cobra.NoArgs,
		RunE: cc.run,
	}
	cc.in.register(c)
	c.Flags().StringVar(&cc.distro, "distro", "", "expect the layout of this target's family")
	c.Flags().StringVar(&cc.output, "output", "text", "text, or json (docs/live.md has its schema)")
	_ = c.RegisterFlagCompletionFunc("distro", completeDistro)
	return c
}

// checkReport is the JSON form of check's result (docs/live.md).
type checkReport struct {
	Description string            `json:"description"`
	Layout      string            `json:"layout"`
	Matches     bool              `json:"matches"`
	Checked     map[string]int    `json:"checked"`
	Differences []live.Difference `json:"differences"`
}

func (cc *checkCmd) run(c *cobra.Command, _ []string) error {
	if cc.output != "text" && cc.output != "json" {
		return fmt.Errorf("--output %q: give text or json", cc.output)
	}
	e, name, err := expectOf(cc.distro)
	if err != nil {
		return err
	}
	m, err := cc.in.load(c)
	if err != nil {
		return err
	}
	want := e.Want(m)
	h, err := netlink.NewHandle()
	if err != nil {
		return fmt.Errorf("netlink: %w", err)
	}
	defer h.Close()
	got, err := live.Read(h, live.ScopeOf(want))
	if err != nil {
		return err
	}
	rep := checkReport{Description: cc.in.name(), Layout: name, Checked: map[string]int{}, Differences: live.Compare(want, got)}
	rep.Matches = len(rep.Differences) == 0
	for _, f := range want {
		if !f.Optional {
			rep.Checked[string(f.Kind)]++
		}
	}
	if rep.Differences == nil {
		rep.Differences = []live.Difference{}
	}
	if err := cc.print(c, rep); err != nil {
		return err
	}
	if !rep.Matches {
		return exitCode(exitDiff)
	}
	return nil
}

func (cc *checkCmd) print(c *cobra.Command, rep checkReport) error {
	if cc.output == "json" {
		b, err := json.MarshalIndent(rep, "", "  ")
		if err != nil {
			return err
		}
		return printf(c, "%s\n", b)
	}
	for _, d := range rep.Differences {
		where := "host: "
		if d.Line > 0 {
			where = fmt.Sprintf("%s:%d: ", rep.Description, d.Line)
		}
		if err := printf(c, "%s%s\n", where, d); err != nil {
			return err
		}
	}
	verdict := "matches " + rep.Description
	if !rep.Matches {
		verdict = fmt.Sprintf("differs from %s in %d fact(s)", rep.Description, len(rep.Differences))
	}
	return printf(c, "enicfg: the host %s (%s layout; checked %d link(s), %d address(es), %d rule(s), %d route(s))\n",
		verdict, rep.Layout, rep.Checked["link"], rep.Checked["address"], rep.Checked["rule"], rep.Checked["route"])
}

// expectOf gives what to expect of a target's kernel ("": what every
// family agrees on) and the layout's name.
func expectOf(distro string) (live.Expect, string, error) {
	if distro == "" {
		return live.Expect{Layout: live.Common}, "common", nil
	}
	t, err := distros.Lookup(distro)
	if err != nil {
		return live.Expect{}, "", err
	}
	k := t.Kernel()
	if k == nil {
		return live.Expect{}, "", fmt.Errorf("--distro %s: check reads a Linux host's kernel; on Windows the rendered scripts check and converge themselves", distro)
	}
	return *k, t.Reader(), nil
}
