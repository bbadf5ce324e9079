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

// Compare gives a unified diff from what is under root to files: changed
// and missing files, mode changes, and files that enicfg wrote earlier for
// family in dirs (and the folders of files) that would not be written now.
// The diff is "" when root holds exactly the files.
func Compare(root, family string, dirs []string, files FileSet) (string, error) {
	if fi, err := os.Stat(root); err != nil {
		return "", fmt.Errorf("diff: root folder: %w", err)
	} else if !fi.IsDir() {
		return "", fmt.Errorf("diff: root %s is not a folder", root)
	}
	var out strings.Builder
	want := map[string]bool{}
	scan := map[string]bool{}
	for _, d := range dirs {
		scan[d] = true
	}
	for _, f := range files {
		want[f.Path] = true
		scan[path.Dir(f.Path)] = true
		if err := checkPath(f.Path); err != nil {
			return "", err
		}
		local := filepath.Join(root, filepath.FromSlash(f.Path))
		old, mode, err := readUnder(local)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			out.WriteString(textdiff.Unified("/dev/null", f.Path, "", string(f.Data)))
			continue
		case err != nil:
			return "", fmt.Errorf("diff %s: %w", local, err)
		}
		out.WriteString(textdiff.Unified(f.Path, f.Path, string(old), string(f.Data)))
		if mode != f.Mode.Perm() {
			fmt.Fprintf(&out, "mode %s: %04o under the root, %04o rendered\n", f.Path, mode, f.Mode.Perm())
		}
	}
	var stale []string
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
			data, _, err := readUnder(filepath.Join(root, filepath.FromSlash(p)))
			if err == nil && WrittenBy(data) == family {
				stale = append(stale, p)
			}
		}
	}
	sort.Strings(stale)
	for _, p := range stale {
		data, _, _ := readUnder(filepath.Join(root, filepath.FromSlash(p)))
		fmt.Fprintf(&out, "stale %s: written by enicfg for the %s family, no longer rendered\n", p, family)
		out.WriteString(textdiff.Unified(p, "/dev/null", string(data), ""))
	}
	return out.String(), nil
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
