// Package compatdoc writes docs/compatibility.md from the catalogue and
// the families' version data, so that the page and the code never
// disagree.
package compatdoc

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/enicfg/enicfg/distros"
	"github.com/enicfg/enicfg/render"
	"github.com/enicfg/enicfg/versions"
)

// Path is where the page lives, from the module root.
const Path = "docs/compatibility.md"

// cell escapes text for a Markdown table cell.
func cell(s string) string {
	return strings.NewReplacer("|", "\\|", "\n", " ").Replace(s)
}

func span(s versions.Span) string {
	if s.First == s.Last {
		return string(s.First)
	}
	return string(s.First) + " to " + string(s.Last)
}

// Markdown gives the page.
func Markdown() []byte {
	var b bytes.Buffer
	b.WriteString(`# Compatibility: the tool versions behind every target

<!-- Generated from distros/ and render/ by ` + "`make update`" + ` (internal/compatdoc); do not edit. -->

Every target stands for the versions of the tools that read its files,
from its first release to the last update of its newest one. enicfg writes
a construct (a key, a form of value, a file, a command) only when every one
of those versions reads it; where an older construct does the same job it
writes that one, and where none does it refuses the feature by name, with
the version that reads it and the point release that brings that version.

A point release is named by adding it to the target's name: ` + "`rhel8.2`" + `,
` + "`sles12sp3`" + `, ` + "`ubuntu1804.5`" + ` (the image is that release or later, or has
its updates). A point release that is not listed below takes the versions
of the last one listed before it. The generic ` + "`networkd`" + ` family takes the
systemd version the same way (` + "`networkd.246`" + `).

The test ` + "`TestConstructVersions`" + ` renders every description the tests know
for every target and point release, reads back every construct from the
files, and fails when one has no version entry or is newer than the
target's oldest tool. How the data was checked against the real tools is
in [testing.md](testing.md#tool-versions).

## Targets

| target | family (variant) | read by | tool versions | first release, and where the versions come from |
| --- | --- | --- | --- | --- |
`)
	for _, t := range distros.All() {
		var spans, srcs []string
		for _, s := range t.Coverage().Spans {
			spans = append(spans, string(s.Tool)+" "+span(s))
		}
		r := t.Release()
		for _, p := range r.Tools {
			srcs = append(srcs, p.Source)
		}
		for _, p := range t.Last {
			srcs = append(srcs, "last: "+p.Source)
		}
		fam := t.Family
		if t.Variant != "" {
			fam += " (" + t.Variant + ")"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s%s. %s |\n", t.Name, fam, cell(t.Reader()), cell(strings.Join(spans, ", ")),
			cell(r.Title), dated(r.Date), cell(strings.Join(dedupe(srcs), "; ")))
	}
	b.WriteString("\n## Point releases\n\n| `--distro` | release | tool versions | source |\n| --- | --- | --- | --- |\n")
	for _, t := range distros.All() {
		for _, p := range t.PointReleases() {
			var spans, srcs []string
			for _, s := range p.Coverage().Spans {
				spans = append(spans, string(s.Tool)+" "+span(s))
			}
			for _, pin := range p.Release().Tools {
				srcs = append(srcs, pin.Source)
			}
			fmt.Fprintf(&b, "| `%s` | %s%s | %s | %s |\n", p.Name, cell(p.Release().Title), dated(p.Release().Date),
				cell(strings.Join(spans, ", ")), cell(strings.Join(dedupe(srcs), "; ")))
		}
	}
	for _, f := range render.Families() {
		family(&b, f)
	}
	return b.Bytes()
}

// family writes a family's constructs: the version that brought each,
// its source, and a matrix of the family's targets.
func family(b *bytes.Buffer, f *render.Family) {
	var targets []distros.Target
	for _, t := range distros.All() {
		if t.Family == f.Name {
			targets = append(targets, t)
		}
	}
	fmt.Fprintf(b, "\n## The %s family\n\n", f.Name)
	b.WriteString("Each construct with the first version of its tool that reads it as enicfg means\nit. In the target columns, `yes`: every version the target covers reads it;\n`from X`: point release X brings it; `no`: no covered version does (enicfg\nwrites an older equivalent or refuses the feature); `-`: not that target's tool.\n\n")
	b.WriteString("| construct | tool | since | source |")
	for _, t := range targets {
		fmt.Fprintf(b, " %s |", t.Name)
	}
	b.WriteString("\n| --- | --- | --- | --- |")
	for range targets {
		b.WriteString(" --- |")
	}
	b.WriteString("\n")
	for _, c := range f.Constructs {
		since := string(c.Since)
		if c.Never {
			since = "never"
		}
		src := c.Source
		if c.Note != "" {
			src += " " + c.Note
		}
		fmt.Fprintf(b, "| `%s` | %s | %s | %s |", cell(c.Key), c.Tool, since, cell(src))
		for _, t := range targets {
			cov := t.Coverage()
			v := "-"
			if _, ok := cov.Span(c.Tool); ok {
				switch r, later := cov.Bringing(c); {
				case cov.Has(c):
					v = "yes"
				case later:
					v = "from " + strings.TrimPrefix(r.Target, t.Name)
				default:
					v = "no"
				}
			}
			fmt.Fprintf(b, " %s |", v)
		}
		b.WriteString("\n")
	}
}

func dated(d string) string {
	if d == "" {
		return ""
	}
	return " (" + d + ")"
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
