package distros

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/enicfg/enicfg/live"
	"github.com/enicfg/enicfg/render"
	"github.com/enicfg/enicfg/spec"
	"github.com/enicfg/enicfg/versions"
)

// Target is one value of --distro: a distribution release, a point
// release of one (rhel8.2, sles12sp3), or a family name. Its rows in the
// catalogue name the family, the variant and the versions of the tools
// that read its files, release by release.
type Target struct {
	Name    string // the --distro value
	Family  string
	Variant string // the family's variant ("" for its only one)
	Title   string // what it is, for people
	// Point joins the target's name and a point release: "." for rhel8.2,
	// "sp" for sles12sp3; "" for a target without point releases.
	Point string
	// Releases are the release and its point releases that change a tool
	// version that matters, oldest first. The first is the release itself
	// (named "0": rhel8.0 is rhel8 as first released); a point release
	// that is not listed takes the versions of the last one listed before
	// it.
	Releases []versions.Release
	// LastPoint is the newest point release there is ("10" for RHEL 8.10).
	LastPoint string
	// Last are the versions of the last update of the newest release.
	Last []versions.Pin
	// As is the distribution target that a family target stands for
	// (netplan: ubuntu2204); its point releases name later versions.
	As string

	// from is the release that a point-release target starts at, and
	// baseName the name of the target it is a point release of.
	from     int
	baseName string
	// given are tool versions the user names (--tool-version): the image
	// has that version or a later one.
	given []versions.Pin
}

// Release gives the release the target starts at: its first, or the
// point release it names.
func (t Target) Release() versions.Release { return t.Releases[t.from] }

// IsFamily tells whether the target is a family name rather than a
// distribution.
func (t Target) IsFamily() bool { return t.Name == t.Family }

// family gives the target's family descriptor.
func (t Target) family() *render.Family {
	f, ok := render.FamilyNamed(t.Family)
	if !ok {
		panic("distros: " + t.Name + ": no family " + t.Family)
	}
	return f
}

func (t Target) variant() render.Variant {
	v, ok := t.family().Variant(t.Variant)
	if !ok {
		panic(fmt.Sprintf("distros: %s: the %s family has no variant %q", t.Name, t.Family, t.Variant))
	}
	return v
}

// Renderer gives the target's renderer.
func (t Target) Renderer() render.Renderer { return t.variant().Renderer }

// Kernel says how the target's software lays a description out in the
// kernel; nil for a target whose files are scripts run on another system.
func (t Target) Kernel() *live.Expect { return t.variant().Kernel }

// Reader names the software on the target that reads the files.
func (t Target) Reader() string { return t.variant().Reader }

// Files lists the files the target gets, for people.
func (t Target) Files() []string { return t.variant().Files }

// Dirs gives the folders where the family's files live.
func (t Target) Dirs() []string { return t.family().Dirs }

// Coverage gives the tool versions the target stands for: from those of
// its first (or named point) release to those of the last update.
func (t Target) Coverage() versions.Coverage {
	c := versions.Coverage{Target: t.Name}
	for _, g := range t.given {
		c.Target += fmt.Sprintf(" (%s %s)", g.Tool, g.Version)
	}
	first := t.Releases[t.from]
	for _, p := range first.Tools {
		s := versions.Span{Tool: p.Tool, First: p.Version, Last: p.Version}
		for _, g := range t.given {
			if g.Tool == p.Tool {
				s.First = g.Version
			}
		}
		for _, l := range t.Last {
			if l.Tool == p.Tool {
				s.Last = l.Version
			}
		}
		c.Spans = append(c.Spans, s)
	}
	base := t.base()
	if t.As != "" {
		base = t.As
	}
	for _, r := range t.Releases[t.from+1:] {
		c.Later = append(c.Later, versions.Named{Target: base + t.Point + r.Name, Release: r})
	}
	return c
}

// base gives the name of the target without its point release.
func (t Target) base() string {
	if t.baseName != "" {
		return t.baseName
	}
	return t.Name
}

// Options gives the render options of the target.
func (t Target) Options(skipUnsupported bool) render.Options {
	return render.Options{Target: t.Name, Coverage: t.Coverage(), SkipUnsupported: skipUnsupported}
}

// All gives every target of the catalogue (without point releases):
// families first, then distributions, each group in catalogue order.
func All() []Target {
	out := make([]Target, len(catalogue))
	copy(out, catalogue)
	return out
}

// PointReleases gives the point-release targets of t that the catalogue
// lists (rhel8.2 for rhel8), oldest first.
func (t Target) PointReleases() []Target {
	var out []Target
	if t.Point == "" {
		return nil
	}
	for i := range t.Releases {
		if i == 0 {
			continue
		}
		p := t
		p.Name, p.from, p.baseName = t.Name+t.Point+t.Releases[i].Name, i, t.Name
		out = append(out, p)
	}
	return out
}

// Names gives every --distro value without point releases, sorted.
func Names() []string {
	out := make([]string, 0, len(catalogue))
	for _, t := range catalogue {
		out = append(out, t.Name)
	}
	sort.Strings(out)
	return out
}

// Families gives the family names in catalogue order.
func Families() []string {
	var out []string
	for _, t := range catalogue {
		if t.IsFamily() {
			out = append(out, t.Name)
		}
	}
	return out
}

// Lookup finds a target by its --distro value: a name of the catalogue,
// or one followed by a point release (rhel8.2, sles12sp3, ubuntu1804.5).
func Lookup(name string) (Target, error) {
	for _, t := range catalogue {
		if t.Name == name {
			return t, nil
		}
	}
	for _, t := range catalogue {
		if t.Point == "" || !strings.HasPrefix(name, t.Name+t.Point) {
			continue
		}
		point := strings.TrimPrefix(name, t.Name+t.Point)
		n, err := strconv.Atoi(point)
		if err != nil || strconv.Itoa(n) != point {
			continue
		}
		first, _ := strconv.Atoi(t.Releases[0].Name)
		last, _ := strconv.Atoi(t.LastPoint)
		if n < first || n > last {
			return Target{}, fmt.Errorf("unknown distro %q: %s has point releases %s%s%s to %s%s%s", name, t.Title, t.Name, t.Point, t.Releases[0].Name, t.Name, t.Point, t.LastPoint)
		}
		p := t
		p.Name, p.baseName = name, t.Name
		for i, r := range t.Releases {
			if k, _ := strconv.Atoi(r.Name); k <= n {
				p.from = i
			}
		}
		return p, nil
	}
	low := strings.ToLower(strings.TrimSpace(name))
	if low != name {
		if t, err := Lookup(low); err == nil {
			return Target{}, fmt.Errorf("unknown distro %q (did you mean %q?)", name, t.Name)
		}
	}
	return Target{}, fmt.Errorf("unknown distro %q: run `enicfg distros` for the list", name)
}

// WithToolVersion narrows the target to images whose tool has version v
// or a later one (--tool-version TOOL=VERSION): v must lie between the
// versions the target covers.
func (t Target) WithToolVersion(tool string, v versions.Version) (Target, error) {
	if !v.Valid() {
		return t, fmt.Errorf("--tool-version %s=%s: %q is not a version such as 0.40.1", tool, v, string(v))
	}
	cov := t.Coverage()
	var names []string
	for _, s := range cov.Spans {
		names = append(names, string(s.Tool))
		if !strings.EqualFold(string(s.Tool), tool) {
			continue
		}
		if v.Compare(s.First) < 0 || (v.Compare(s.Last) > 0 && !v.Within(s.Last)) {
			return t, fmt.Errorf("--tool-version %s=%s: %s covers %s %s to %s", tool, v, t.Name, s.Tool, s.First, s.Last)
		}
		out := t
		out.given = append(append([]versions.Pin{}, t.given...), versions.Pin{Tool: s.Tool, Version: v, Source: "--tool-version"})
		return out, nil
	}
	return t, fmt.Errorf("--tool-version %s=%s: %s has no tool %s (its tools: %s)", tool, v, t.Name, tool, strings.Join(names, ", "))
}

// Render renders a description for the target.
func (t Target) Render(m *spec.Model, skipUnsupported bool) (render.FileSet, []render.Unsupported, error) {
	return t.Renderer().Render(m, t.Options(skipUnsupported))
}

// ApplyCommands gives the commands with which the target takes the files
// in one go, after they are written (cloud-init's runcmd; empty for a
// target whose files are scripts run on the host).
func (t Target) ApplyCommands(m *spec.Model, files render.FileSet) []string {
	return t.Activation(m, files).Once()
}

// Activation gives the target's steps to take the files: those to run
// before they change and after (enicfg apply).
func (t Target) Activation(m *spec.Model, files render.FileSet) render.Activation {
	return t.Renderer().Activation(m, files, t.Options(false))
}

// Expanded gives every target with every point release the catalogue
// lists, in catalogue order.
func Expanded() []Target {
	var out []Target
	for _, t := range catalogue {
		out = append(out, t)
		out = append(out, t.PointReleases()...)
	}
	return out
}

// Representatives gives, for every variant of every family, the target
// that covers the oldest tool versions and the one whose versions are the
// newest (one target when they are the same): the tests that cannot run
// every target run these, so that every branch a version takes is seen.
func Representatives() []Target {
	type pick struct{ oldest, newest Target }
	picks := map[string]*pick{}
	var order []string
	older := func(a, b Target) bool { return compareFirst(a, b) < 0 }
	for _, t := range Expanded() {
		key := t.Family + "/" + t.Variant
		p, ok := picks[key]
		if !ok {
			picks[key] = &pick{t, t}
			order = append(order, key)
			continue
		}
		if older(t, p.oldest) {
			p.oldest = t
		}
		if older(p.newest, t) {
			p.newest = t
		}
	}
	var out []Target
	for _, k := range order {
		p := picks[k]
		out = append(out, p.oldest)
		if p.newest.Name != p.oldest.Name {
			out = append(out, p.newest)
		}
	}
	return out
}

// compareFirst orders two targets of one variant by the first versions
// of their tools, tool by tool in the order the first names them.
func compareFirst(a, b Target) int {
	cb := b.Coverage()
	for _, s := range a.Coverage().Spans {
		if o, ok := cb.Span(s.Tool); ok {
			if c := s.First.Compare(o.First); c != 0 {
				return c
			}
		}
	}
	return 0
}

// Check holds a rendered file to its family's rule for it.
func (t Target) Check(f render.File) error { return t.family().Check(f) }
