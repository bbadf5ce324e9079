package render

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"text/template"

	"github.com/enicfg/enicfg/versions"
)

// File is one generated file: its absolute path on the target system, its
// mode and its content.
type File struct {
	Path string
	Mode fs.FileMode
	Data []byte
}

// FileSet is the files of one rendering, sorted by path.
type FileSet []File

// Sort orders the set by path.
func (s FileSet) Sort() { sort.Slice(s, func(i, j int) bool { return s[i].Path < s[j].Path }) }

// Options are the settings of one rendering.
type Options struct {
	// Target is the distribution or family name asked for; it appears in
	// messages and in every file's header.
	Target string
	// Coverage is the tool versions the target covers; a construct is
	// written only when every covered version reads it.
	Coverage versions.Coverage
	// SkipUnsupported renders what the target can express and turns
	// refusals into warnings.
	SkipUnsupported bool
}

// Unsupported is a feature of an interface that a target cannot express.
type Unsupported struct {
	Target    string
	Interface string
	Feature   string
	Why       string
}

func (u Unsupported) String() string {
	if u.Interface == "" { // a setting of the whole instance
		return fmt.Sprintf("%s: %s: %s", u.Target, u.Feature, u.Why)
	}
	return fmt.Sprintf("%s: %s: %s: %s", u.Target, u.Interface, u.Feature, u.Why)
}

// UnsupportedError lists every refused feature of one rendering.
type UnsupportedError struct{ List []Unsupported }

func (e *UnsupportedError) Error() string {
	var b strings.Builder
	for i, u := range e.List {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(u.String())
		b.WriteString(" (--skip-unsupported renders the rest)")
	}
	return b.String()
}

// job is the state of one rendering, shared by the family renderers.
type job struct {
	opt     Options
	family  string
	fam     *Family
	tmpl    *template.Template
	files   FileSet
	refused []Unsupported
	err     error
}

func newJob(f *Family, r Renderer, opt Options) *job {
	if opt.Target == "" {
		opt.Target = f.Name
	}
	j := &job{opt: opt, family: f.Name, fam: f, tmpl: f.Templates()}
	v, ok := f.variantOf(r)
	if !ok {
		j.err = fmt.Errorf("render: %v is no variant of the %s family", r, f.Name)
	}
	for _, tool := range v.Tools {
		if _, ok := opt.Coverage.Span(tool); !ok {
			j.err = fmt.Errorf("render: target %s names no version of %s, which reads the %s family's files", opt.Target, tool, f.Name)
		}
	}
	return j
}

// has tells whether every version of the tools that the target covers
// reads the construct.
func (j *job) has(key string) bool {
	_, missing := j.fam.missing(key, j.opt.Coverage)
	return !missing
}

// needs refuses iface's feature because the target's oldest tool version
// does not read the construct key that would express it; what says what
// goes wrong there.
func (j *job) needs(iface, feature, key, what string) {
	k, _ := j.fam.missing(key, j.opt.Coverage)
	s, _ := j.opt.Coverage.Span(k.Tool)
	j.refuse(iface, feature, "%s %s %s: %s", k.Tool, s.First, what, j.opt.Coverage.Needs(k))
}

// refuse records that iface's feature cannot be expressed; the caller
// leaves the feature out.
func (j *job) refuse(iface, feature, format string, args ...any) {
	u := Unsupported{Target: j.opt.Target, Interface: iface, Feature: feature, Why: fmt.Sprintf(format, args...)}
	for _, r := range j.refused {
		if r == u {
			return // one reason said once, however many routes it stops
		}
	}
	j.refused = append(j.refused, u)
}

// header is the first comment of every file. It names the family, so
// that files written by enicfg can be recognised later.
func (j *job) header(comment string) string { return Header(j.opt.Target, j.family, comment) }

// Header is the first comment of every file written for target of family,
// with the given comment marker.
func Header(target, family, comment string) string {
	return fmt.Sprintf("%s Written by enicfg for %s (family %s). Edit the description and render again;\n%s changes made here are overwritten.\n",
		comment, target, family, comment)
}

// add executes template name with data into a file at p.
func (j *job) add(p string, mode fs.FileMode, name string, data any) {
	if j.err != nil {
		return
	}
	var b bytes.Buffer
	if err := j.tmpl.ExecuteTemplate(&b, name, data); err != nil {
		j.err = fmt.Errorf("render %s: %w", p, err)
		return
	}
	j.addBytes(p, mode, b.Bytes())
}

func (j *job) addBytes(p string, mode fs.FileMode, data []byte) {
	if !path.IsAbs(p) || path.Clean(p) != p {
		j.err = fmt.Errorf("render: bad output path %q", p)
		return
	}
	for _, f := range j.files {
		if f.Path == p {
			j.err = fmt.Errorf("render: %s generated twice", p)
			return
		}
	}
	if len(data) > 0 && data[len(data)-1] != '\n' {
		data = append(data, '\n')
	}
	j.files = append(j.files, File{Path: p, Mode: mode, Data: data})
}

func (j *job) done() (FileSet, []Unsupported, error) {
	if j.err != nil {
		return nil, nil, j.err
	}
	if len(j.refused) > 0 && !j.opt.SkipUnsupported {
		return nil, nil, &UnsupportedError{List: j.refused}
	}
	j.files.Sort()
	return j.files, j.refused, nil
}
