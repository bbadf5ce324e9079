package netlab

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/enicfg/enicfg/live"
	"github.com/enicfg/enicfg/spec"
)

// Want gives the state that the description m must produce in a lab, in
// the form State reads with ip(8): the product's expectation (package
// live, which `enicfg check` uses) with everything the lab knows filled
// in, so that nothing is left open. Labels are the link's name unless
// e.AliasLabels says otherwise; an MTU not described is 1500.
func Want(t testing.TB, e live.Expect, m *spec.Model) State {
	t.Helper()
	if e.AliasLabels == nil {
		e.AliasLabels = func(*spec.Interface) bool { return false }
	}
	if e.DefaultMTU == 0 {
		e.DefaultMTU = 1500
	}
	s := State{Links: map[string]Link{}, Addrs: map[string][]string{}, Routes: map[string][]string{}}
	for _, f := range e.Want(m) {
		if f.Optional || f.Any&^live.AnyQueues != 0 {
			t.Fatalf("the lab's expectation leaves a value of %q open (%#x): give the lab's knowledge", f, f.Any)
		}
		switch f.Kind {
		case live.KindLink:
			s.Links[f.Dev] = Link{MAC: f.MAC, MTU: f.MTU, Up: f.Up}
		case live.KindAddress:
			if f.Prefix.Addr().Is6() {
				s.Addrs[f.Dev] = append(s.Addrs[f.Dev], f.Prefix.String())
			} else {
				s.Addrs[f.Dev] = append(s.Addrs[f.Dev], fmt.Sprintf("%s label %s", f.Prefix, f.Label))
			}
		case live.KindRule:
			from := f.Prefix.Addr().String()
			if f.Prefix.Bits() != f.Prefix.Addr().BitLen() {
				from = f.Prefix.String()
			}
			s.Rules = append(s.Rules, fmt.Sprintf("%d: from %s lookup %d", f.Metric, from, f.Table))
		case live.KindRoute:
			s.addRoute(f.Table, routeLine(f))
		}
	}
	s.sort()
	return s
}

// addRoute adds a route line to its table ("main" for 0).
func (s *State) addRoute(table uint32, line string) {
	key := "main"
	if table != 0 {
		key = fmt.Sprint(table)
	}
	s.Routes[key] = append(s.Routes[key], line)
}

// routeLine writes a wanted route as ip prints it.
func routeLine(f live.Fact) string {
	dst := f.Prefix.String()
	switch {
	case f.Prefix.Bits() == 0:
		dst = "default"
	case f.Prefix.Bits() == f.Prefix.Addr().BitLen():
		dst = f.Prefix.Addr().String() // ip prints a host route bare
	}
	via, src := "", ""
	if f.Via.IsValid() {
		via = f.Via.String()
	}
	if f.Src.IsValid() {
		src = f.Src.String()
	}
	m := int(f.Metric)
	return RouteLine(dst, via, f.Dev, &m, src)
}

// Diff compares a state read back with the wanted one: "" when equal.
func Diff(want, got State) string {
	return cmp.Diff(want, got)
}
