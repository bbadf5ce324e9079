package templates

import (
	"testing"
	"text/template"
)

// TestParseAll parses every family's templates (each is parsed lazily in
// the binary, so a broken one would otherwise show only when used).
func TestParseAll(t *testing.T) {
	fams := Families()
	if len(fams) < 5 {
		t.Fatalf("families: %v", fams)
	}
	noop := template.FuncMap{"q": func(s string) (string, error) { return s, nil }, "inc": func(i int) int { return i + 1 }}
	for _, f := range fams {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s: %v", f, r)
				}
			}()
			if Family(f, noop) == nil {
				t.Errorf("%s: no templates", f)
			}
		}()
	}
}
