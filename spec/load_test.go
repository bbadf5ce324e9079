package spec_test

import (
	"encoding/json"
	"errors"
	"github.com/enicfg/enicfg/internal/testenv"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rogpeppe/go-internal/txtar"

	"github.com/enicfg/enicfg/spec"
)

var posRE = regexp.MustCompile(`^t\.yaml:[0-9]+:[0-9]+: \S`)

// TestCases runs testdata/spec/*.txtar: each holds input.yaml and either
// want/errors (every problem, in order, with its position) or want/model
// (the resolved model as JSON: every default explicit) and, optionally,
// want/warnings.
func TestCases(t *testing.T) {
	paths, _ := filepath.Glob("../testdata/spec/*.txtar")
	if len(paths) == 0 {
		t.Fatal("no cases")
	}
	for _, path := range paths {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txtar"), func(t *testing.T) {
			arc, err := txtar.ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var input []byte
			want := map[string]string{}
			for _, f := range arc.Files {
				if f.Name == "input.yaml" {
					input = f.Data
				} else {
					want[f.Name] = string(f.Data)
				}
			}
			if input == nil {
				t.Fatal("no input.yaml")
			}
			got := map[string]string{}
			m, err := spec.Load("t.yaml", input)
			if err != nil {
				var list spec.ErrorList
				if !errors.As(err, &list) {
					t.Fatalf("error is not an ErrorList: %v", err)
				}
				for _, e := range list {
					if !posRE.MatchString(e.Error()) {
						t.Errorf("error without position: %q", e.Error())
					}
				}
				got["want/errors"] = err.Error() + "\n"
				if m != nil {
					t.Error("a model came with the errors")
				}
			} else {
				j, _ := json.MarshalIndent(m.Interfaces, "", "  ")
				got["want/model"] = string(j) + "\n"
				if len(m.Warnings) > 0 {
					got["want/warnings"] = m.Warnings.Error() + "\n"
				}
			}
			if testenv.Update() {
				out := &txtar.Archive{Comment: arc.Comment, Files: []txtar.File{{Name: "input.yaml", Data: input}}}
				for _, k := range []string{"want/errors", "want/model", "want/warnings"} {
					if v, ok := got[k]; ok {
						out.Files = append(out.Files, txtar.File{Name: k, Data: []byte(v)})
					}
				}
				if err := os.WriteFile(path, txtar.Format(out), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
