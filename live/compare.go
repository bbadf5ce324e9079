package live

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Change is how a fact differs.
type Change string

// The changes Compare reports.
const (
	Missing   Change = "missing"   // described, not on the host
	Extra     Change = "extra"     // on the host, not described
	Different Change = "different" // on the host with other values
)

// Difference is one fact that differs between the description and the
// host.
type Difference struct {
	Change Change `json:"change"`
	Kind   Kind   `json:"kind"`
	// Interface is the described interface the fact belongs to ("" for a
	// rule that no interface describes).
	Interface string `json:"interface,omitempty"`
	// Want is the described fact and Got the host's, as ip(8) prints
	// them; one is empty for a missing or an extra fact.
	Want string `json:"want,omitempty"`
	Got  string `json:"got,omitempty"`
	// Fields names the values that differ (Different only).
	Fields []string `json:"fields,omitempty"`
	// Line is the description's line of the fact (0: none).
	Line int `json:"line,omitempty"`
}

// String writes the difference on one line, without its line number.
func (d Difference) String() string {
	who := ""
	if d.Interface != "" {
		who = d.Interface + ": "
	}
	switch d.Change {
	case Missing:
		return fmt.Sprintf("%smissing %s", who, d.Want)
	case Extra:
		return fmt.Sprintf("%sextra %s", who, d.Got)
	}
	return fmt.Sprintf("%s%s %s: described %s, host has %s", who, d.Kind, strings.Join(d.Fields, ", "), d.Want, d.Got)
}

// Compare gives what differs between the wanted facts and the host's, in
// a stable order. The host's facts are first matched to wanted facts that
// agree in every checked value; what is left on both sides with the same
// key (the same link, address, rule source and table, route destination)
// is "different", the rest missing or extra.
func Compare(want, got State) []Difference {
	usedW := make([]bool, len(want))
	usedG := make([]bool, len(got))
	// Exact facts first, then facts with open values, then optional ones:
	// an open fact must not take the host's fact that an exact one needs.
	for pass := 0; pass < 3; pass++ {
		for i, w := range want {
			if usedW[i] || w.pass() != pass {
				continue
			}
			for j, g := range got {
				if usedG[j] || !w.matches(g) {
					continue
				}
				usedG[j] = true
				if !w.Optional {
					usedW[i] = true
					break
				}
			}
		}
	}
	var out []Difference
	for i, w := range want {
		if usedW[i] || w.Optional {
			continue
		}
		d := Difference{Change: Missing, Kind: w.Kind, Interface: w.owner(), Want: w.String(), Line: w.Line}
		if w.Any&AnyPrefix == 0 {
			for j, g := range got {
				if !usedG[j] && g.key() == w.key() {
					usedG[j] = true
					d.Change, d.Got, d.Fields = Different, g.String(), w.differing(g)
					break
				}
			}
		}
		out = append(out, d)
	}
	for j, g := range got {
		if !usedG[j] {
			out = append(out, Difference{Change: Extra, Kind: g.Kind, Interface: g.owner(), Got: g.String()})
		}
	}
	slices.SortStableFunc(out, func(a, b Difference) int {
		return cmp.Or(cmp.Compare(kindOrder(a.Kind), kindOrder(b.Kind)), cmp.Compare(a.Interface, b.Interface),
			cmp.Compare(a.Want+a.Got, b.Want+b.Got))
	})
	return out
}

func kindOrder(k Kind) int {
	return slices.Index([]Kind{KindLink, KindAddress, KindRule, KindRoute}, k)
}

func (f Fact) pass() int {
	switch {
	case f.Optional:
		return 2
	case f.Any&(AnyPrefix|AnyVia) != 0:
		return 1
	}
	return 0
}

// matches tells whether the host's fact g is this wanted fact.
func (f Fact) matches(g Fact) bool {
	return f.Kind == g.Kind && g.Other == "" && len(f.differing(g)) == 0
}

// differing names the checked values in which g differs from f.
func (f Fact) differing(g Fact) []string {
	var d []string
	check := func(name string, open Field, same bool) {
		if (open == 0 || f.Any&open == 0) && !same {
			d = append(d, name)
		}
	}
	check("device", 0, f.Dev == g.Dev)
	if f.Kind != KindLink {
		check("family", 0, f.Is6() == g.Is6())
	}
	switch f.Kind {
	case KindLink:
		check("mac", AnyMAC, f.MAC == g.MAC)
		check("mtu", AnyMTU, f.MTU == g.MTU)
		check("state", 0, f.Up == g.Up)
		check("queues", AnyQueues, f.Queues == g.Queues || g.Queues == 0)
	case KindAddress:
		check("address", AnyPrefix, f.Prefix == g.Prefix)
		check("label", AnyLabel, f.Label == g.Label)
	case KindRule:
		check("from", 0, f.Prefix == g.Prefix)
		check("table", 0, f.Table == g.Table)
		check("priority", 0, f.Metric == g.Metric)
	case KindRoute:
		check("table", 0, f.Table == g.Table)
		check("to", AnyPrefix, f.Prefix == g.Prefix)
		check("via", AnyVia, f.Via == g.Via)
		check("metric", AnyMetric, f.Metric == g.Metric)
		check("src", AnySrc, f.Src == g.Src)
	}
	if g.Other != "" {
		d = append(d, "other")
	}
	return d
}

// owner is the interface the fact belongs to.
func (f Fact) owner() string { return cmp.Or(f.Iface, f.Dev) }
