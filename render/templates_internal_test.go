package render

import (
	"testing"

	"github.com/enicfg/enicfg/templates"
)

// TestTemplatesParse parses every family's templates with its functions:
// they are parsed lazily in the binary, so a broken one would otherwise
// show only when that family renders. Every template folder belongs to a
// family.
func TestTemplatesParse(t *testing.T) {
	for _, name := range templates.Families() {
		f, ok := FamilyNamed(name)
		if !ok {
			t.Errorf("templates/%s belongs to no family", name)
			continue
		}
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s: %v", name, r)
				}
			}()
			if f.Templates() == nil {
				t.Errorf("%s: no templates", name)
			}
		}()
	}
}
