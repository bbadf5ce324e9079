package spec_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/enicfg/enicfg/spec"
)

// seedInputs gives every description of the repository: examples, golden
// cases and spec cases.
func seedInputs(tb testing.TB, root string) [][]byte {
	var out [][]byte
	ex, _ := filepath.Glob(filepath.Join(root, "examples", "*.yaml"))
	for _, p := range ex {
		if b, err := os.ReadFile(p); err == nil {
			out = append(out, b)
		}
	}
	arcs, _ := filepath.Glob(filepath.Join(root, "testdata", "*", "*.txtar"))
	more, _ := filepath.Glob(filepath.Join(root, "testdata", "golden", "*", "*.txtar"))
	for _, p := range append(arcs, more...) {
		a, err := txtar.ParseFile(p)
		if err != nil {
			continue
		}
		for _, f := range a.Files {
			if filepath.Ext(f.Name) == ".yaml" {
				out = append(out, f.Data)
			}
		}
	}
	if len(out) == 0 {
		tb.Fatal("no seed inputs")
	}
	return out
}

// FuzzLoad: any input loads or fails with positioned errors, never
// panics, and loads the same way twice.
func FuzzLoad(f *testing.F) {
	for _, s := range seedInputs(f, "..") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m1, err1 := spec.Load("f.yaml", data)
		m2, err2 := spec.Load("f.yaml", data)
		if (err1 == nil) != (err2 == nil) {
			t.Fatal("two loads disagree")
		}
		if err1 != nil {
			list, ok := err1.(spec.ErrorList)
			if !ok || len(list) == 0 {
				t.Fatalf("error is not a positioned list: %v", err1)
			}
			for _, e := range list {
				if e.Line < 1 || e.Col < 1 || e.File != "f.yaml" {
					t.Fatalf("bad position: %v", e)
				}
			}
			if err1.Error() != err2.Error() {
				t.Fatal("two loads give different errors")
			}
			return
		}
		j1, _ := json.Marshal(m1)
		j2, _ := json.Marshal(m2)
		if string(j1) != string(j2) {
			t.Fatal("two loads give different models")
		}
		for _, in := range m1.Interfaces {
			if in.Name == "" || len(in.Name) > 15 {
				t.Fatalf("bad name %q in a valid model", in.Name)
			}
		}
	})
}
