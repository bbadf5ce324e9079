package templates

import (
	"embed"
	"fmt"
	"io/fs"
	"sync"
	"text/template"
)

//go:embed */*.tmpl
var files embed.FS

// shared is the folder of the templates every family may use (lines.tmpl:
// a header, notes and one line each, for route and rule files).
const shared = "shared"

// Family parses the templates of one family (the folder of that name) and
// the shared ones, with funcs available to them. It panics on a broken
// template: they are part of the binary and tests parse every one of
// them.
func Family(name string, funcs template.FuncMap) *template.Template {
	t := template.New(name).Option("missingkey=error").Funcs(funcs)
	matches, err := fs.Glob(files, name+"/*.tmpl")
	if err != nil || len(matches) == 0 {
		panic(fmt.Sprintf("templates: no templates for family %q", name))
	}
	common, _ := fs.Glob(files, shared+"/*.tmpl")
	return template.Must(t.ParseFS(files, append(common, matches...)...))
}

// Lazy gives a function that parses the family's templates on its first
// call only: a run renders one family, and start-up pays for none.
func Lazy(name string, funcs template.FuncMap) func() *template.Template {
	return sync.OnceValue(func() *template.Template { return Family(name, funcs) })
}

// Families gives the names of every template folder.
func Families() []string {
	ents, _ := fs.ReadDir(files, ".")
	var out []string
	for _, e := range ents {
		if e.IsDir() && e.Name() != shared {
			out = append(out, e.Name())
		}
	}
	return out
}
