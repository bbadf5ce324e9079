package render

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/enicfg/enicfg/internal/textdiff"
)

// headerRE finds the header that j.header writes in every file.
var headerRE = regexp.MustCompile(`Written by enicfg for ([A-Za-z0-9_-]+) \(family ([a-z]+)\)`)

// WrittenBy tells which family's header a file's first lines hold, or "".
func WrittenBy(data []byte) string {
	if len(data) > 1024 {
		data = data[:1024]
	}
	if m := headerRE.FindSubmatch(data); m != nil {
		return string(m[2])
	}
	return ""
}

// Change is one file that writing a rendering under a root changes: a
// file written (New set; Existed tells whether one was there, with Old
// and OldMode) or a stale one removed (New nil).
type Change struct {
	Path    string
	Existed bool
	Old     []byte
	OldMode fs.FileMode
	New     *File
}

// Plan gives what writing files under root changes: the files that are
// missing, differ or have another mode, then the files that enicfg wrote
// earlier for family in dirs (and the folders of files) that would not be
// written now. An empty plan: root holds exactly the files.
func Plan(root, family string, dirs []string, files FileSet) ([]Change, error) {
	if fi, err := os.Stat(root); err != nil {
		return nil, fmt.Errorf("root folder: %w", err)
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("root %s is not a folder", root)
	}
	var plan []Change
	want := map[string]bool{}
	scan := map[string]bool{}
	for _, d := range dirs {
		scan[d] = true
	}
	for i, f := range files {
		want[f.Path] = true
		scan[path.Dir(f.Path)] = true
		if err := checkPath(f.Path); err != nil {
			return nil, err
		}
		local := filepath.Join(root, filepath.FromSlash(f.Path))
		old, mode, err := readUnder(local)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			plan = append(plan, Change{Path: f.Path, New: &files[i]})
		case err != nil:
			return nil, fmt.Errorf("%s: %w", local, err)
		case string(old) != string(f.Data) || mode != f.Mode.Perm():
			plan = append(plan, Change{Path: f.Path, Existed: true, Old: old, OldMode: mode, New: &files[i]})
		}
	}
	var stale []Change
	for d := range scan {
		ents, err := os.ReadDir(filepath.Join(root, filepath.FromSlash(d)))
		if err != nil {
			continue
		}
		for _, e := range ents {
			p := path.Join(d, e.Name())
			if !e.Type().IsRegular() || want[p] || strings.HasPrefix(e.Name(), ".enicfg-") {
				continue
			}
			data, mode, err := readUnder(filepath.Join(root, filepath.FromSlash(p)))
			if err == nil && WrittenBy(data) == family {
				stale = append(stale, Change{Path: p, Existed: true, Old: data, OldMode: mode})
			}
		}
	}
	sort.Slice(stale, func(i, j int) bool { return stale[i].Path < stale[j].Path })
	return append(plan, stale...), nil
}

// Compare gives a unified diff from what is under root to files: changed
// and missing files, mode changes, and files that enicfg wrote earlier for
// family in dirs (and the folders of files) that would not be written now.
// The diff is "" when root holds exactly the files.
func Compare(root, family string, dirs []string, files FileSet) (string, error) {
	plan, err := Plan(root, family, dirs, files)
	if err != nil {
		return "", fmt.Errorf("diff: %w", err)
	}
	return Unified(plan, family), nil
}

// Unified writes a plan as a unified diff, with a line for each mode
// change and each stale file.
func Unified(plan []Change, family string) string {
	var out strings.Builder
	for _, c := range plan {
		switch {
		case c.New == nil:
			fmt.Fprintf(&out, "stale %s: written by enicfg for the %s family, no longer rendered\n", c.Path, family)
			out.WriteString(textdiff.Unified(c.Path, "/dev/null", string(c.Old), ""))
		case !c.Existed:
			out.WriteString(textdiff.Unified("/dev/null", c.Path, "", string(c.New.Data)))
		default:
			out.WriteString(textdiff.Unified(c.Path, c.Path, string(c.Old), string(c.New.Data)))
			if c.OldMode != c.New.Mode.Perm() {
				fmt.Fprintf(&out, "mode %s: %04o under the root, %04o rendered\n", c.Path, c.OldMode, c.New.Mode.Perm())
			}
		}
	}
	return out.String()
}

// readUnder reads a regular file without following a symbolic link.
func readUnder(p string) ([]byte, fs.FileMode, error) {
	fi, err := os.Lstat(p)
	if err != nil {
		return nil, 0, err
	}
	if !fi.Mode().IsRegular() {
		return nil, 0, fmt.Errorf("%s is not a regular file", p)
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, 16<<20))
	return data, fi.Mode().Perm(), err
}
