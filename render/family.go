package render

import (
	"fmt"
	"path"
	"sort"
	"text/template"

	"github.com/enicfg/enicfg/live"
	"github.com/enicfg/enicfg/spec"
	"github.com/enicfg/enicfg/versions"
)

// Family is everything that makes a family of targets, declared once in
// the family's own file: its variants, the folders and files it writes
// with the rule each file follows, the tools that read them and every
// construct it can emit with the tool version that brought it. The
// catalogue, the command line, diff, the docs' compatibility matrix and
// the tests read it; adding a family is its file, its templates, its
// golden cases and its catalogue rows.
type Family struct {
	Name string
	// Dirs are the folders where its files live (diff looks there for
	// files written earlier and no longer rendered).
	Dirs []string
	// Files gives the rule of every file the family writes.
	Files []FileRule
	// Constructs are every key, value form, file and command the family
	// can emit, each with the version of the tool that brought it; a key
	// that two readers take (the rhel family's ifcfg files) has an entry
	// per reader.
	Constructs versions.Table
	Variants   []Variant
	// Templates gives the family's parsed templates (templates/<name>).
	Templates func() *template.Template
}

// Variant is one way a family renders, for one kind of reader.
type Variant struct {
	Name   string // "" for a family's only variant
	Reader string // the software on the target that reads the files
	// Tools are the tools whose versions every target of the variant
	// names: the readers of its files and what its apply steps run.
	Tools    []versions.Tool
	Files    []string
	Renderer Renderer
	// Kernel says how the variant's software lays a description out in
	// the kernel (enicfg check --distro, apply's wait); nil where the
	// files are scripts run on another system (Windows).
	Kernel *live.Expect
}

// FileRule ties the files whose path matches Glob (path.Match) to their
// format.
type FileRule struct {
	Glob   string
	Format Format
}

// Format is a kind of file: its lexical rule and the reader of the
// constructs a file uses, named as in the family's Constructs.
type Format struct {
	Name  string
	Check func(data []byte) error
	Keys  func(data []byte) ([]string, error)
}

// Renderer renders a description into one family's files.
type Renderer interface {
	// Render gives the files, and the refusals that SkipUnsupported turned
	// into warnings. A refused feature without SkipUnsupported is an
	// *UnsupportedError.
	Render(m *spec.Model, opt Options) (FileSet, []Unsupported, error)
	// Activation gives the steps with which the target takes newly
	// written files.
	Activation(m *spec.Model, files FileSet, opt Options) Activation
}

// Activation is how a target takes newly written files.
type Activation struct {
	// Stop takes down what the files in place brought up, for the
	// families that bring an interface down by the configuration that
	// brought it up (ifupdown, network-scripts, SLES 11's scripts):
	// enicfg apply runs it before the files change, or an interface whose
	// stanza or file goes would keep its addresses, routes and rules.
	// Empty where the activation replaces the configuration itself.
	Stop []string
	// Start takes the new files, after Stop.
	Start []string
	// Restart is the steps in one go, where the family has such a form (a
	// service's restart): for cloud-init's runcmd.
	Restart []string
	// All tells whether the steps take every interface down and up; else
	// Links names those they do.
	All   bool
	Links []string
}

// Once gives the steps in one go, after the files are written
// (cloud-init's runcmd, in order): Restart, else Stop then Start.
func (a Activation) Once() []string {
	if a.Restart != nil {
		return a.Restart
	}
	return append(append([]string{}, a.Stop...), a.Start...)
}

// Steps gives every step of the activation (Stop, Start and Restart).
func (a Activation) Steps() []string {
	return append(append(append([]string{}, a.Stop...), a.Start...), a.Restart...)
}

// with gives a new list: cmds and then more.
func with(cmds []string, more ...string) []string {
	return append(append(make([]string, 0, len(cmds)+len(more)), cmds...), more...)
}

var families = map[string]*Family{}

// register adds a family; each family's file calls it from init.
func register(f *Family) {
	if _, dup := families[f.Name]; dup {
		panic("render: family " + f.Name + " registered twice")
	}
	for _, k := range f.Constructs {
		if k.Never == (k.Since != "") || (!k.Never && !k.Since.Valid()) || k.Source == "" {
			panic(fmt.Sprintf("render: %s: construct %q needs a valid Since (or Never) and a Source", f.Name, k.Key))
		}
	}
	families[f.Name] = f
}

// Families gives every family, sorted by name.
func Families() []*Family {
	out := make([]*Family, 0, len(families))
	for _, f := range families {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// FamilyNamed finds a family by name.
func FamilyNamed(name string) (*Family, bool) {
	f, ok := families[name]
	return f, ok
}

// Variant finds a variant by name.
func (f *Family) Variant(name string) (Variant, bool) {
	for _, v := range f.Variants {
		if v.Name == name {
			return v, true
		}
	}
	return Variant{}, false
}

// Rule gives the rule of a file the family writes.
func (f *Family) Rule(p string) (FileRule, bool) {
	for _, r := range f.Files {
		if ok, _ := path.Match(r.Glob, p); ok {
			return r, true
		}
	}
	return FileRule{}, false
}

// Check holds a rendered file to its rule: it must have one, keep its
// format's lexical rule and end with a newline.
func (f *Family) Check(file File) error {
	r, ok := f.Rule(file.Path)
	if !ok {
		return fmt.Errorf("%s: the %s family has no rule for this file", file.Path, f.Name)
	}
	if len(file.Data) == 0 || file.Data[len(file.Data)-1] != '\n' {
		return fmt.Errorf("%s: does not end with a newline", file.Path)
	}
	if err := r.Format.Check(file.Data); err != nil {
		return fmt.Errorf("%s: %w", file.Path, err)
	}
	return nil
}

// Keys gives the constructs a rendered file uses.
func (f *Family) Keys(file File) ([]string, error) {
	r, ok := f.Rule(file.Path)
	if !ok {
		return nil, fmt.Errorf("%s: the %s family has no rule for this file", file.Path, f.Name)
	}
	keys, err := r.Format.Keys(file.Data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file.Path, err)
	}
	return keys, nil
}

// Constructs gives the entries of key for the tools that c covers: the
// versions that decide whether the target can take the construct.
func (f *Family) ConstructsFor(key string, c versions.Coverage) []versions.Construct {
	var out []versions.Construct
	for _, k := range f.Constructs {
		if _, ok := c.Span(k.Tool); ok && k.Key == key {
			out = append(out, k)
		}
	}
	return out
}

// missing gives the first entry of key that c does not have; ok is false
// when every entry for c's tools is there. A key without an entry for
// c's tools is a bug in the family's code, caught by every test that
// renders.
func (f *Family) missing(key string, c versions.Coverage) (versions.Construct, bool) {
	ks := f.ConstructsFor(key, c)
	if len(ks) == 0 {
		panic(fmt.Sprintf("render: the %s family has no version of construct %q for the tools of %s", f.Name, key, c.Target))
	}
	for _, k := range ks {
		if !c.Has(k) {
			return k, true
		}
	}
	return versions.Construct{}, false
}

// variantOf finds the variant of a renderer.
func (f *Family) variantOf(r Renderer) (Variant, bool) {
	for _, v := range f.Variants {
		if v.Renderer == r {
			return v, true
		}
	}
	return Variant{}, false
}
