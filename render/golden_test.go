package render_test

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/enicfg/enicfg/internal/testenv"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rogpeppe/go-internal/txtar"

	"github.com/enicfg/enicfg/distros"
	"github.com/enicfg/enicfg/render"
	"github.com/enicfg/enicfg/spec"
)

// update tells the golden tests to rewrite their archives
// (ENICFG_UPDATE=1 go test ./...).

// goldenCase is one archive of testdata/golden/<family>/<case>.txtar:
//
//	a comment saying what the case covers
//	distro: NAME                 the --distro value
//	example: FILE.yaml           input from examples/ (else -- input.yaml --)
//	skip-unsupported: true       render with --skip-unsupported
//	-- input.yaml --
//	-- want/<absolute path> --   one section per generated file
//	-- want/MODES --             "MODE PATH" per generated file
//	-- want/stderr --            the error (or the warnings) instead
type goldenCase struct {
	path    string
	arc     *txtar.Archive
	distro  string
	input   []byte
	inName  string
	skip    bool
	family  string
	comment string
}

func loadGolden(t *testing.T, path string) *goldenCase {
	t.Helper()
	arc, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	gc := &goldenCase{path: path, arc: arc, family: filepath.Base(filepath.Dir(path)), comment: string(arc.Comment)}
	for _, line := range strings.Split(string(arc.Comment), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		switch strings.TrimSpace(k) {
		case "distro":
			gc.distro = v
		case "example":
			gc.inName = "examples/" + v
			gc.input, err = os.ReadFile(filepath.Join("..", "examples", v))
			if err != nil {
				t.Fatal(err)
			}
		case "skip-unsupported":
			gc.skip = v == "true"
		}
	}
	for _, f := range arc.Files {
		if f.Name == "input.yaml" {
			gc.input, gc.inName = f.Data, "input.yaml"
		}
	}
	if gc.distro == "" || gc.input == nil {
		t.Fatalf("%s: needs a distro: line and an input", path)
	}
	return gc
}

// renderCase renders a case as the CLI does: the files, and what goes to
// standard error (warnings, or the error).
func renderCase(gc *goldenCase) (render.FileSet, string) {
	var stderr bytes.Buffer
	tgt, err := distros.Lookup(gc.distro)
	if err != nil {
		return nil, err.Error() + "\n"
	}
	m, err := spec.Load(gc.inName, gc.input)
	if err != nil {
		return nil, err.Error() + "\n"
	}
	for _, w := range m.Warnings {
		fmt.Fprintln(&stderr, w)
	}
	files, refused, err := tgt.Render(m, gc.skip)
	if err != nil {
		var ue *render.UnsupportedError
		if !errors.As(err, &ue) {
			panic(err)
		}
		return nil, stderr.String() + err.Error() + "\n"
	}
	for _, u := range refused {
		fmt.Fprintf(&stderr, "warning: skipped %s\n", u)
	}
	return files, stderr.String()
}

func goldenWant(files render.FileSet, stderr string) map[string]string {
	got := map[string]string{}
	var modes []string
	for _, f := range files {
		got["want"+f.Path] = string(f.Data)
		modes = append(modes, fmt.Sprintf("%04o %s", f.Mode.Perm(), f.Path))
	}
	if len(modes) > 0 {
		got["want/MODES"] = strings.Join(modes, "\n") + "\n"
	}
	if stderr != "" {
		got["want/stderr"] = stderr
	}
	return got
}

func TestGolden(t *testing.T) {
	paths, err := filepath.Glob("../testdata/golden/*/*.txtar")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no golden cases: %v", err)
	}
	for _, path := range paths {
		name := strings.TrimSuffix(strings.TrimPrefix(path, "../testdata/golden/"), ".txtar")
		t.Run(name, func(t *testing.T) {
			gc := loadGolden(t, path)
			tgt, err := distros.Lookup(gc.distro)
			if err != nil {
				t.Fatal(err)
			}
			if tgt.Family != gc.family {
				t.Fatalf("distro %s is of family %s, but the case is under %s", gc.distro, tgt.Family, gc.family)
			}
			got := goldenWant(renderCase(gc))
			want := map[string]string{}
			for _, f := range gc.arc.Files {
				if strings.HasPrefix(f.Name, "want/") {
					want[f.Name] = string(f.Data)
				}
			}
			if testenv.Update() {
				writeGolden(t, gc, got)
				return
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s: output differs (-want +got); ENICFG_UPDATE=1 rewrites it:\n%s", path, diff)
			}
		})
	}
}

func writeGolden(t *testing.T, gc *goldenCase, got map[string]string) {
	arc := &txtar.Archive{Comment: gc.arc.Comment}
	for _, f := range gc.arc.Files {
		if !strings.HasPrefix(f.Name, "want/") {
			arc.Files = append(arc.Files, f)
		}
	}
	names := make([]string, 0, len(got))
	for n := range got {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		arc.Files = append(arc.Files, txtar.File{Name: n, Data: []byte(got[n])})
	}
	if err := os.WriteFile(gc.path, txtar.Format(arc), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestGoldenDeterministic renders every case twice and from a fresh load:
// byte-identical output.
func TestGoldenDeterministic(t *testing.T) {
	paths, _ := filepath.Glob("../testdata/golden/*/*.txtar")
	for _, path := range paths {
		gc := loadGolden(t, path)
		a, ea := renderCase(gc)
		b, eb := renderCase(gc)
		if diff := cmp.Diff(goldenWant(a, ea), goldenWant(b, eb)); diff != "" {
			t.Errorf("%s: two renderings differ:\n%s", path, diff)
		}
	}
}

// goldenInputs gives the description of every golden case.
func goldenInputs(tb testing.TB) [][]byte {
	paths, _ := filepath.Glob("../testdata/golden/*/*.txtar")
	var out [][]byte
	for _, p := range paths {
		arc, err := txtar.ParseFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		for _, f := range arc.Files {
			if f.Name == "input.yaml" {
				out = append(out, f.Data)
			}
		}
		for _, line := range strings.Split(string(arc.Comment), "\n") {
			if v, ok := strings.CutPrefix(line, "example: "); ok {
				if b, err := os.ReadFile(filepath.Join("..", "examples", strings.TrimSpace(v))); err == nil {
					out = append(out, b)
				}
			}
		}
	}
	return out
}
