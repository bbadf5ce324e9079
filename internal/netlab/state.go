package netlab

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
)

// State is the IPv4 and IPv6 state of NS as the kernel reports it, in the
// forms `ip` prints: addresses per link ("10.0.0.10/24 label eth0:0",
// "2001:db8::10/64", with " tentative" or " dadfailed" while DAD has not
// passed), rules ("1001: from 10.0.0.20 lookup 1001", default rules left
// out) and routes per table ("default via 10.0.0.253 dev eth1 metric
// 1001"; proto, scope, expiry, preference and the onlink flag left out,
// local, broadcast and multicast routes left out). IPv6 link-local
// addresses and the kernel's fe80::/64 route of every link are left out:
// the kernel adds them to every link.
type State struct {
	Links  map[string]Link
	Addrs  map[string][]string
	Rules  []string
	Routes map[string][]string
}

// Link is one link's MAC, MTU and whether it is UP.
type Link struct {
	MAC string
	MTU int
	Up  bool
}

type ipLink struct {
	Ifname  string   `json:"ifname"`
	Address string   `json:"address"`
	Flags   []string `json:"flags"`
	MTU     int      `json:"mtu"`
}

type ipAddr struct {
	Ifname   string `json:"ifname"`
	AddrInfo []struct {
		Family    string `json:"family"`
		Local     string `json:"local"`
		Prefixlen int    `json:"prefixlen"`
		Label     string `json:"label"`
		Scope     string `json:"scope"`
		Tentative bool   `json:"tentative"`
		DADFailed bool   `json:"dadfailed"`
	} `json:"addr_info"`
}

type ipRule struct {
	Priority int    `json:"priority"`
	Src      string `json:"src"`
	Srclen   *int   `json:"srclen"`
	Table    string `json:"table"`
}

type ipRoute struct {
	Type     string   `json:"type"`
	Dst      string   `json:"dst"`
	Gateway  string   `json:"gateway"`
	Dev      string   `json:"dev"`
	Metric   *int     `json:"metric"`
	Prefsrc  string   `json:"prefsrc"`
	Table    string   `json:"table"`
	Flags    []string `json:"flags"`
	Protocol string   `json:"protocol"`
}

// State reads the state of NS.
func (l *Lab) State() State {
	l.t.Helper()
	get := func(v any, args ...string) {
		l.t.Helper()
		out := Must(l.t, "ip", append([]string{"-n", l.NS, "-j"}, args...)...)
		if err := json.Unmarshal([]byte(out), v); err != nil {
			l.t.Fatalf("ip %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	var links []ipLink
	get(&links, "link", "show")
	s := State{Links: map[string]Link{}, Addrs: map[string][]string{}, Routes: map[string][]string{}}
	for _, k := range links {
		if k.Ifname == "lo" {
			continue
		}
		up := false
		for _, f := range k.Flags {
			up = up || f == "UP"
		}
		s.Links[k.Ifname] = Link{MAC: k.Address, MTU: k.MTU, Up: up}
	}
	for _, family := range []string{"-4", "-6"} {
		var addrs []ipAddr
		var rules []ipRule
		var routes []ipRoute
		get(&addrs, family, "addr", "show")
		get(&rules, family, "rule", "show")
		get(&routes, family, "route", "show", "table", "all")
		s.addAddrs(addrs)
		s.addRules(rules)
		s.addRoutes(routes)
	}
	s.sort()
	return s
}

func (s *State) addAddrs(addrs []ipAddr) {
	for _, a := range addrs {
		for _, ai := range a.AddrInfo {
			switch {
			case a.Ifname == "lo":
			case ai.Family == "inet":
				s.Addrs[a.Ifname] = append(s.Addrs[a.Ifname], fmt.Sprintf("%s/%d label %s", ai.Local, ai.Prefixlen, ai.Label))
			case ai.Family == "inet6" && ai.Scope != "link":
				line := fmt.Sprintf("%s/%d", ai.Local, ai.Prefixlen)
				if ai.DADFailed {
					line += " dadfailed"
				} else if ai.Tentative {
					line += " tentative"
				}
				s.Addrs[a.Ifname] = append(s.Addrs[a.Ifname], line)
			}
		}
	}
}

func (s *State) addRules(rules []ipRule) {
	for _, r := range rules {
		from := r.Src
		if r.Srclen != nil && *r.Srclen != 32 && *r.Srclen != 128 {
			from = fmt.Sprintf("%s/%d", r.Src, *r.Srclen)
		}
		line := fmt.Sprintf("%d: from %s lookup %s", r.Priority, from, r.Table)
		switch line {
		case "0: from all lookup local", "32766: from all lookup main", "32767: from all lookup default":
			continue
		}
		s.Rules = append(s.Rules, line)
	}
}

func (s *State) addRoutes(routes []ipRoute) {
	for _, r := range routes {
		if r.Table == "local" || (r.Type != "" && r.Type != "unicast") || r.Dev == "lo" || r.Dst == "fe80::/64" {
			continue
		}
		table := r.Table
		if table == "" {
			table = "main"
		}
		s.Routes[table] = append(s.Routes[table], RouteLine(r.Dst, r.Gateway, r.Dev, r.Metric, r.Prefsrc))
	}
}

// RouteLine writes a route in the form State uses.
func RouteLine(dst, via, dev string, metric *int, src string) string {
	var b strings.Builder
	b.WriteString(dst)
	if via != "" {
		b.WriteString(" via " + via)
	}
	b.WriteString(" dev " + dev)
	if metric != nil && *metric != 0 {
		fmt.Fprintf(&b, " metric %d", *metric)
	}
	if src != "" {
		b.WriteString(" src " + src)
	}
	return b.String()
}

func (s *State) sort() {
	for _, v := range s.Addrs {
		sort.Strings(v)
	}
	sort.Strings(s.Rules)
	for _, v := range s.Routes {
		sort.Strings(v)
	}
}

// WaitFor polls the state until ok accepts it or the timeout passes, and
// gives the last state read.
func (l *Lab) WaitFor(timeout time.Duration, ok func(State) bool) State {
	deadline := time.Now().Add(timeout)
	for {
		s := l.State()
		if ok(s) || time.Now().After(deadline) {
			return s
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Leftovers lists what a state still holds after a tool took everything
// down: addresses, non-default rules, routes of any table.
func (s State) Leftovers() []string {
	var left []string
	for name, a := range s.Addrs {
		left = append(left, fmt.Sprintf("addresses on %s: %v", name, a))
	}
	for _, r := range s.Rules {
		left = append(left, "rule "+r)
	}
	for table, rs := range s.Routes {
		left = append(left, fmt.Sprintf("table %s: %v", table, rs))
	}
	sort.Strings(left)
	return left
}
