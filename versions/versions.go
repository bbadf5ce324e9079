package versions

import (
	"fmt"
	"strconv"
	"strings"
)

// Tool is a program on the target that reads enicfg's files or runs its
// commands.
type Tool string

// The tools. udev is systemd's since systemd 183; a target without
// systemd-udevd names udev's own version.
const (
	Netplan        Tool = "netplan"
	Systemd        Tool = "systemd"
	NetworkManager Tool = "NetworkManager"
	Initscripts    Tool = "initscripts"
	Wicked         Tool = "wicked"
	Sysconfig      Tool = "sysconfig"
	Ifupdown       Tool = "ifupdown"
	Udev           Tool = "udev"
	Windows        Tool = "Windows"
)

// Version is a dotted version number ("0.40.1", "252", "9.03.61",
// "6.1.7601"). Components compare as numbers.
type Version string

// parse gives the numeric components, or an error for anything but
// digits separated by single dots.
func (v Version) parse() ([]int, error) {
	if v == "" {
		return nil, fmt.Errorf("empty version")
	}
	parts := strings.Split(string(v), ".")
	out := make([]int, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || p == "" || p[0] == '+' || p[0] == '-' {
			return nil, fmt.Errorf("version %q: %q is not a number", string(v), p)
		}
		out[i] = n
	}
	return out, nil
}

// Valid tells whether v is a dotted version number.
func (v Version) Valid() bool {
	_, err := v.parse()
	return err == nil
}

// Compare gives -1, 0 or 1 as v is older than, the same as or newer than
// w; missing components count as 0 (0.40 == 0.40.0). Invalid versions
// sort first.
func (v Version) Compare(w Version) int {
	a, errA := v.parse()
	b, errB := w.parse()
	switch {
	case errA != nil && errB != nil:
		return 0
	case errA != nil:
		return -1
	case errB != nil:
		return 1
	}
	for i := 0; i < len(a) || i < len(b); i++ {
		var x, y int
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}

// AtLeast tells whether v is w or newer.
func (v Version) AtLeast(w Version) bool { return v.Compare(w) >= 0 }

// Pin is the version of a tool that a release shipped, with where that
// fact comes from.
type Pin struct {
	Tool    Tool
	Version Version
	Source  string
}

// Release is a release or point release of a distribution and the tool
// versions it shipped on its release day.
type Release struct {
	// Name is the point release as added to the target's name after its
	// separator ("2" in rhel8.2, "3" in sles12sp3); "" for the first
	// release.
	Name  string
	Title string // "RHEL 8.2"
	Date  string // YYYY-MM
	Tools []Pin
}

// Pin gives the release's version of t.
func (r Release) Pin(t Tool) (Pin, bool) {
	for _, p := range r.Tools {
		if p.Tool == t {
			return p, true
		}
	}
	return Pin{}, false
}

// Span is the versions of one tool that a target covers: from the
// version of the oldest release it stands for to the last update.
type Span struct {
	Tool        Tool
	First, Last Version
}

// Construct is one thing a renderer can write into a file (a key, a
// section, a form of value, a file) or run (an apply command), named by
// Key as the family's key reader names it, with the version of Tool that
// brought it and the source of that fact.
type Construct struct {
	Key  string
	Tool Tool
	// Since is the first version of Tool that reads the construct as
	// enicfg means it; "" with Never.
	Since Version
	// Never marks a construct that no version reads as meant (written
	// wrong, or ignored): the renderer must never emit it.
	Never bool
	// Broken are releases from Since on that do not read it as meant (a
	// regression fixed later); "245" stands for every 245.x.
	Broken []Version
	// Rejected tells that releases before Since refuse a file that holds
	// it (rather than ignore or misread it): the old tools' tests expect
	// them to.
	Rejected bool
	Source   string
	// Note says what older versions do instead, or what is left to know.
	Note string
}

// Coverage is what one target stands for: for each tool the versions from
// the oldest release it covers to the last update, and the releases that
// come after that oldest one.
type Coverage struct {
	Target string // the --distro value
	Spans  []Span
	// Later are the point releases after the oldest covered one, oldest
	// first, each with the name of its target.
	Later []Named
}

// Named is a release with the --distro value that names it.
type Named struct {
	Target string
	Release
}

// Span gives the versions of t that the target covers.
func (c Coverage) Span(t Tool) (Span, bool) {
	for _, s := range c.Spans {
		if s.Tool == t {
			return s, true
		}
	}
	return Span{}, false
}

// Within tells whether v is w or one of its updates: w's components are
// the first of v's (245.4 is within 245).
func (v Version) Within(w Version) bool {
	a, errA := v.parse()
	b, errB := w.parse()
	if errA != nil || errB != nil || len(b) > len(a) {
		return false
	}
	for i := range b {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// reaches tells whether the span takes in release b or one of its
// updates.
func (s Span) reaches(b Version) bool {
	return (s.First.Compare(b) <= 0 || s.First.Within(b)) && (s.Last.Compare(b) >= 0)
}

// Has tells whether every version of the construct's tool that the target
// covers reads the construct.
func (c Coverage) Has(k Construct) bool {
	s, ok := c.Span(k.Tool)
	if !ok || k.Never || !s.First.AtLeast(k.Since) {
		return false
	}
	for _, b := range k.Broken {
		if s.reaches(b) {
			return false
		}
	}
	return true
}

// Bringing gives the first later point release whose tool version reads
// the construct.
func (c Coverage) Bringing(k Construct) (Named, bool) {
	if k.Never {
		return Named{}, false
	}
	for _, r := range c.Later {
		if p, ok := r.Pin(k.Tool); ok && p.Version.AtLeast(k.Since) && !brokenAt(k, p.Version) {
			return r, true
		}
	}
	return Named{}, false
}

func brokenAt(k Construct, v Version) bool {
	for _, b := range k.Broken {
		if v.Within(b) {
			return true
		}
	}
	return false
}

// Needs is the reason a target cannot take a construct: the versions
// that read it, where that fact comes from, and the point release that
// brings one, if any.
func (c Coverage) Needs(k Construct) string {
	if k.Never {
		return fmt.Sprintf("no version of %s reads it as meant (%s)", k.Tool, k.Source)
	}
	s, _ := c.Span(k.Tool)
	msg := fmt.Sprintf("it needs %s %s or later", k.Tool, k.Since)
	for i, b := range k.Broken {
		if i == 0 {
			msg += " but not "
		} else {
			msg += " or "
		}
		msg += string(b)
	}
	msg += fmt.Sprintf(" (%s), and %s covers %s %s", k.Source, c.Target, k.Tool, spanText(s))
	if r, ok := c.Bringing(k); ok {
		msg += fmt.Sprintf("; %s brings it: if the image is %s or later, use --distro %s", r.Title, r.Title, r.Target)
	}
	if !s.Last.AtLeast(k.Since) || brokenAt(k, s.Last) {
		return msg
	}
	return msg + fmt.Sprintf("; or name the image's version: --tool-version %s=%s", k.Tool, k.Since)
}

// Table is a family's constructs by key.
type Table []Construct

// Lookup finds a construct by key.
func (t Table) Lookup(key string) (Construct, bool) {
	for _, k := range t {
		if k.Key == key {
			return k, true
		}
	}
	return Construct{}, false
}

func spanText(s Span) string {
	if s.First == s.Last {
		return string(s.First)
	}
	return string(s.First) + " to " + string(s.Last)
}
