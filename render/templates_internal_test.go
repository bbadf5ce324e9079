package render

import (
	"testing"
	"text/template"

	"github.com/enicfg/enicfg/templates"
)

// TestTemplatesParse parses every family's templates with its functions:
// they are parsed lazily in the binary, so a broken one would otherwise
// show only when that family renders.
func TestTemplatesParse(t *testing.T) {
	lazy := map[string]func() *template.Template{
		"debian": debianTmpl, "rhel": rhelTmpl, "networkd": networkdTmpl,
		"netplan": netplanTmpl, "nm": nmTmpl, "windows": windowsTmpl, "suse": suseTmpl,
	}
	for _, fam := range templates.Families() {
		get, ok := lazy[fam]
		if !ok {
			t.Errorf("templates/%s has no renderer here", fam)
			continue
		}
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s: %v", fam, r)
				}
			}()
			if get() == nil {
				t.Errorf("%s: no templates", fam)
			}
		}()
	}
}
