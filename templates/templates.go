package templates

import (
	"embed"
	"fmt"
	"io/fs"
	"text/template"
)

//go:embed */*.tmpl
var files embed.FS

// Family parses the templates of one family (the folder of that name),
// with funcs available to them. It panics on a broken template: they are
// part of the binary and tests parse every one of them.
func Family(name string, funcs template.FuncMap) *template.Template {
	t := template.New(name).Option("missingkey=error").Funcs(funcs)
	matches, err := fs.Glob(files, name+"/*.tmpl")
	if err != nil || len(matches) == 0 {
		panic(fmt.Sprintf("templates: no templates for family %q", name))
	}
	return template.Must(t.ParseFS(files, matches...))
}
