package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/enicfg/enicfg/spec"
)

type describeCmd struct{ in inputFlag }

func newDescribeCmd() *cobra.Command {
	dc := &describeCmd{}
	c := &cobra.Command{
		Use:   "describe [-f FILE|-]",
		Short: "Show the interfaces, IPs, EIPs, tables, rules and routes of a description",
		Long: `Show the resolved description as tables: every default made explicit
(primary interface, default routes, prefixes, rule priorities).`,
		Args: cobra.NoArgs,
		RunE: dc.run,
	}
	dc.in.register(c)
	return c
}

func (dc *describeCmd) run(c *cobra.Command, _ []string) error {
	m, err := dc.in.load(c)
	if err != nil {
		return err
	}
	return describe(c.OutOrStdout(), m)
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func describe(out io.Writer, m *spec.Model) error {
	t := table{w: tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)}
	t.interfaces(m)
	t.ipv6(m)
	t.privateIPs(m)
	t.rules(m)
	t.routes(m)
	t.dns(m)
	if keys := m.Sysctls(); len(keys) > 0 {
		t.title("KERNEL SETTINGS (/etc/sysctl.d/99-zz-enicfg.conf)")
		t.row("KEY", "VALUE")
		for _, k := range keys {
			t.row(k.Key, k.Value)
		}
	}
	return t.w.Flush()
}

// table writes describe's tables, one row per line, columns aligned.
type table struct{ w *tabwriter.Writer }

func (t table) row(cols ...string) { fmt.Fprintln(t.w, strings.Join(cols, "\t")) }

// title starts a table after a blank line.
func (t table) title(s string) { fmt.Fprintln(t.w, "\n"+s) }

// num is v, or - when it is not set.
func num(set bool, v any) string {
	if !set {
		return "-"
	}
	return fmt.Sprint(v)
}

func (t table) interfaces(m *spec.Model) {
	fmt.Fprintf(t.w, "INTERFACES (cloud: %s)\n", m.Cloud)
	t.row("NAME", "ROLE", "MAC", "ADDRESSING", "SUBNET", "GATEWAY", "DEFAULT ROUTE", "TABLE", "MTU", "QUEUES", "DESCRIPTION")
	for _, i := range m.Interfaces {
		role, addressing, subnet, gw := "secondary", "static", "-", "-"
		if i.Primary {
			role = "primary"
		}
		if i.DHCP {
			addressing = "dhcp"
		} else if !i.HasIPv4() {
			addressing = "none (IPv6-only)"
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
		t.row(i.Name, role, dash(i.MAC), addressing, subnet, gw, def, num(i.Table != 0, i.Table),
			num(i.MTU != 0, i.MTU), num(i.Queues != 0, i.Queues), dash(i.Description))
	}
}

func (t table) privateIPs(m *spec.Model) {
	t.title("PRIVATE IPS")
	t.row("INTERFACE", "IP", "KIND", "EIP (NAT mode)")
	for _, i := range m.Interfaces {
		eip := map[string]string{}
		for _, e := range i.EIPs {
			eip[e.Private.String()] = e.Public.String()
		}
		if i.DHCP {
			t.row(i.Name, "(from DHCP)", "primary", "-")
		}
		for k, ip := range i.IPs() {
			kind := "secondary"
			if k == 0 && !i.DHCP {
				kind = "primary"
			}
			t.row(i.Name, ip.String(), kind, dash(eip[ip.Addr().String()]))
		}
		six := &i.IPv6
		switch six.Mode {
		case spec.IPv6DHCP:
			t.row(i.Name, "(from DHCPv6)", "primary", "-")
		case spec.IPv6SLAAC:
			t.row(i.Name, "(from router advertisements)", "primary", "-")
		}
		for k, ip := range six.IPs() {
			kind := "secondary"
			if k == 0 && six.Mode == spec.IPv6Static {
				kind = "primary"
			}
			t.row(i.Name, ip.String(), kind, "-")
		}
	}
}

// ipv6 lists the interfaces' IPv6, when any is described.
func (t table) ipv6(m *spec.Model) {
	first := true
	for _, i := range m.Interfaces {
		six := &i.IPv6
		if !six.Enabled() {
			continue
		}
		if first {
			t.title("IPV6")
			t.row("NAME", "ADDRESSING", "SUBNET", "GATEWAY", "DEFAULT ROUTE")
			first = false
		}
		subnet, gw := "-", "-"
		if six.Subnet.IsValid() {
			subnet = six.Subnet.String()
		}
		if six.Gateway.IsValid() {
			gw = six.Gateway.String()
		} else if six.GatewayRA {
			gw = "(router advertisements)"
		}
		def := "no"
		if six.DefaultRoute {
			def = "yes"
			if six.HasMetric {
				def = fmt.Sprintf("yes, metric %d", six.Metric)
			}
		}
		t.row(i.Name, six.Mode, subnet, gw, def)
	}
}

func (t table) rules(m *spec.Model) {
	t.title("POLICY RULES")
	t.row("PRIORITY", "FROM", "TABLE", "INTERFACE")
	n := 0
	for _, i := range m.Interfaces {
		for _, r := range append(append([]spec.Rule(nil), i.Rules...), i.IPv6.Rules...) {
			t.row(fmt.Sprint(r.Priority), r.From.String(), fmt.Sprint(r.Table), i.Name)
			n++
		}
	}
	if n == 0 {
		t.row("(none)")
	}
}

func (t table) routes(m *spec.Model) {
	t.title("ROUTES")
	t.row("TABLE", "TO", "VIA", "DEV", "METRIC", "SRC", "FROM")
	for _, i := range m.Interfaces {
		if i.DefaultRoute {
			via := "(DHCP router)"
			if i.HasGateway() && !i.DHCP {
				via = i.Gateway.String()
			}
			t.row("main", "default", via, i.Name, num(i.HasMetric, i.Metric), "-", "default_route")
		}
		for _, r := range i.TableRoutes {
			t.row(tableLabel(r.Table), routeTo(r), dash(addr(r.Via.IsValid(), r.Via)), r.Dev, "-", "-", "route_table")
		}
		for _, r := range i.Routes {
			t.row(tableLabel(r.Table), routeTo(r), dash(addr(r.Via.IsValid(), r.Via)), r.Dev, num(r.HasMetric, r.Metric), dash(addr(r.Src.IsValid(), r.Src)), "routes")
		}
		six := &i.IPv6
		if six.DefaultRoute {
			via := "(router advertisements)"
			if six.Gateway.IsValid() {
				via = six.Gateway.String()
			}
			t.row("main", "default (IPv6)", via, i.Name, num(six.HasMetric, six.Metric), "-", "ipv6.default_route")
		}
		for _, r := range six.TableRoutes {
			t.row(tableLabel(r.Table), routeTo(r)+routeFamily(r), dash(addr(r.Via.IsValid(), r.Via)), r.Dev, "-", "-", "route_table")
		}
		for _, r := range six.Routes {
			t.row(tableLabel(r.Table), routeTo(r), dash(addr(r.Via.IsValid(), r.Via)), r.Dev, num(r.HasMetric, r.Metric), dash(addr(r.Src.IsValid(), r.Src)), "routes")
		}
	}
}

// dns lists the DNS settings, when any are described.
func (t table) dns(m *spec.Model) {
	var rows [][]string
	for _, i := range m.Interfaces {
		if i.DNS.Empty() {
			continue
		}
		var servers []string
		for _, a := range i.DNS.Servers {
			servers = append(servers, a.String())
		}
		rows = append(rows, []string{i.Name, dash(strings.Join(servers, " ")), dash(strings.Join(i.DNS.Search, " "))})
	}
	if len(rows) > 0 {
		t.title("DNS")
		t.row("INTERFACE", "SERVERS", "SEARCH")
		for _, r := range rows {
			t.row(r...)
		}
	}
}

func addr(ok bool, v fmt.Stringer) string {
	if !ok {
		return ""
	}
	return v.String()
}

// routeFamily marks an IPv6 default route, which routeTo writes as
// "default" too.
func routeFamily(r spec.Route) string {
	if r.IsDefault() && r.To.Addr().Is6() {
		return " (IPv6)"
	}
	return ""
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
