package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/enicfg/enicfg/spec"
)

func newDescribeCmd() *cobra.Command {
	var in inputFlag
	c := &cobra.Command{
		Use:   "describe [-f FILE|-]",
		Short: "Show the interfaces, IPs, EIPs, tables, rules and routes of a description",
		Long: `Show the resolved description as tables: every default made explicit
(primary interface, default routes, prefixes, rule priorities).`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			m, err := in.load(c)
			if err != nil {
				return err
			}
			return describe(c.OutOrStdout(), m)
		},
	}
	in.register(c)
	return c
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func describe(out io.Writer, m *spec.Model) error {
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	p := func(cols ...string) { fmt.Fprintln(w, strings.Join(cols, "\t")) }
	num := func(set bool, v any) string {
		if !set {
			return "-"
		}
		return fmt.Sprint(v)
	}

	fmt.Fprintf(w, "INTERFACES (cloud: %s)\n", m.Cloud)
	p("NAME", "ROLE", "MAC", "ADDRESSING", "SUBNET", "GATEWAY", "DEFAULT ROUTE", "TABLE", "MTU", "QUEUES", "DESCRIPTION")
	for _, i := range m.Interfaces {
		role, addressing, subnet, gw := "secondary", "static", "-", "-"
		if i.Primary {
			role = "primary"
		}
		if i.DHCP {
			addressing = "dhcp"
		}
		if i.HasSubnet() {
			subnet = i.Subnet.String()
		}
		if i.HasGateway() {
			gw = i.Gateway.String()
		}
		def := "no"
		if i.DefaultRoute {
			def = "yes"
			if i.HasMetric {
				def = fmt.Sprintf("yes, metric %d", i.Metric)
			}
		}
		p(i.Name, role, dash(i.MAC), addressing, subnet, gw, def, num(i.Table != 0, i.Table),
			num(i.MTU != 0, i.MTU), num(i.Queues != 0, i.Queues), dash(i.Description))
	}

	fmt.Fprintln(w, "\nPRIVATE IPS")
	p("INTERFACE", "IP", "KIND", "EIP (NAT mode)")
	for _, i := range m.Interfaces {
		eip := map[string]string{}
		for _, e := range i.EIPs {
			eip[e.Private.String()] = e.Public.String()
		}
		if i.DHCP {
			p(i.Name, "(from DHCP)", "primary", "-")
		}
		for k, ip := range i.IPs() {
			kind := "secondary"
			if k == 0 && !i.DHCP {
				kind = "primary"
			}
			p(i.Name, ip.String(), kind, dash(eip[ip.Addr().String()]))
		}
	}

	fmt.Fprintln(w, "\nPOLICY RULES")
	p("PRIORITY", "FROM", "TABLE", "INTERFACE")
	n := 0
	for _, i := range m.Interfaces {
		for _, r := range i.Rules {
			p(fmt.Sprint(r.Priority), r.From.String(), fmt.Sprint(r.Table), i.Name)
			n++
		}
	}
	if n == 0 {
		p("(none)")
	}

	fmt.Fprintln(w, "\nROUTES")
	p("TABLE", "TO", "VIA", "DEV", "METRIC", "SRC", "FROM")
	for _, i := range m.Interfaces {
		if i.DefaultRoute {
			via := "(DHCP router)"
			if i.HasGateway() && !i.DHCP {
				via = i.Gateway.String()
			}
			p("main", "default", via, i.Name, num(i.HasMetric, i.Metric), "-", "default_route")
		}
		for _, r := range i.TableRoutes {
			p(tableLabel(r.Table), routeTo(r), dash(addr(r.Via.IsValid(), r.Via)), r.Dev, "-", "-", "route_table")
		}
		for _, r := range i.Routes {
			p(tableLabel(r.Table), routeTo(r), dash(addr(r.Via.IsValid(), r.Via)), r.Dev, num(r.HasMetric, r.Metric), dash(addr(r.Src.IsValid(), r.Src)), "routes")
		}
	}

	// DNS and kernel settings, when described.
	var dnsRows [][]string
	for _, i := range m.Interfaces {
		if i.DNS.Empty() {
			continue
		}
		var servers []string
		for _, a := range i.DNS.Servers {
			servers = append(servers, a.String())
		}
		dnsRows = append(dnsRows, []string{i.Name, dash(strings.Join(servers, " ")), dash(strings.Join(i.DNS.Search, " "))})
	}
	if len(dnsRows) > 0 {
		fmt.Fprintln(w, "\nDNS")
		p("INTERFACE", "SERVERS", "SEARCH")
		for _, r := range dnsRows {
			p(r...)
		}
	}
	if keys := m.Sysctls(); len(keys) > 0 {
		fmt.Fprintln(w, "\nKERNEL SETTINGS (/etc/sysctl.d/99-zz-enicfg.conf)")
		p("KEY", "VALUE")
		for _, k := range keys {
			p(k.Key, k.Value)
		}
	}
	return w.Flush()
}

func addr(ok bool, v fmt.Stringer) string {
	if !ok {
		return ""
	}
	return v.String()
}

func routeTo(r spec.Route) string {
	if r.IsDefault() {
		return "default"
	}
	return r.To.String()
}

func tableLabel(t uint32) string {
	if t == 0 {
		return "main"
	}
	return fmt.Sprint(t)
}
