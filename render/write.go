package render

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// WriteRoot writes every file of s under root at its absolute path, each
// atomically: into a temporary file in the same folder, synced, given its
// mode, then renamed over the old file. Folders are created 0755. No path
// may climb out of root or pass through a symbolic link below it. On an
// error the files already written stay, the others are untouched, and the
// error names the file that failed.
func WriteRoot(root string, s FileSet) error {
	if root == "" {
		return errors.New("write: empty root folder")
	}
	info, err := os.Stat(root)
	if err != nil {
		return fmt.Errorf("write: root folder: %w", err)
	}
	if !info.IsDir() {
		return fmt.Errorf("write: root %s is not a folder", root)
	}
	for _, f := range s {
		if err := checkPath(f.Path); err != nil {
			return err
		}
	}
	synced := map[string]bool{}
	var dirs []string
	for _, f := range s {
		dir, err := writeFile(root, f)
		if err != nil {
			syncDirs(dirs)
			return fmt.Errorf("write %s: %w", filepath.Join(root, filepath.FromSlash(f.Path)), err)
		}
		if !synced[dir] {
			synced[dir] = true
			dirs = append(dirs, dir)
		}
	}
	syncDirs(dirs)
	return nil
}

// syncDirs makes the renames in each folder durable, once per folder; a
// folder that cannot be synced still holds its files.
func syncDirs(dirs []string) {
	for _, dir := range dirs {
		if d, err := os.Open(dir); err == nil {
			d.Sync()
			d.Close()
		}
	}
}

// checkPath accepts only clean absolute paths without . or .. parts.
func checkPath(p string) error {
	if !path.IsAbs(p) || path.Clean(p) != p || p == "/" {
		return fmt.Errorf("write: refusing path %q: not a clean absolute file path", p)
	}
	for _, part := range strings.Split(p[1:], "/") {
		if part == "" || part == "." || part == ".." {
			return fmt.Errorf("write: refusing path %q", p)
		}
	}
	return nil
}

// mkdirs creates the folders of rel under root, one level at a time, and
// refuses any level that exists as something other than a real folder.
func mkdirs(root string, parts []string) (string, error) {
	dir := root
	for _, part := range parts {
		dir = filepath.Join(dir, part)
		fi, err := os.Lstat(dir)
		switch {
		case err == nil && fi.Mode()&fs.ModeSymlink != 0:
			return "", fmt.Errorf("%s is a symbolic link; refusing to follow it out of the root", dir)
		case err == nil && !fi.IsDir():
			return "", fmt.Errorf("%s is not a folder", dir)
		case err == nil:
		case errors.Is(err, fs.ErrNotExist):
			if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
				return "", err
			}
			if fi, err := os.Lstat(dir); err != nil || !fi.IsDir() {
				return "", fmt.Errorf("%s changed while being created", dir)
			}
		default:
			return "", err
		}
	}
	return dir, nil
}

// writeFile writes one file atomically and gives its folder.
func writeFile(root string, f File) (string, error) {
	parts := strings.Split(f.Path[1:], "/")
	dir, err := mkdirs(root, parts[:len(parts)-1])
	if err != nil {
		return "", err
	}
	target := filepath.Join(dir, parts[len(parts)-1])
	if fi, err := os.Lstat(target); err == nil && fi.IsDir() {
		return "", fmt.Errorf("%s is a folder", target)
	}
	tmp, err := os.CreateTemp(dir, ".enicfg-*.tmp")
	if err != nil {
		return "", err
	}
	name := tmp.Name()
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(name)
		}
	}()
	if _, err := tmp.Write(f.Data); err != nil {
		return "", err
	}
	if err := tmp.Chmod(f.Mode.Perm()); err != nil {
		return "", err
	}
	if err := tmp.Sync(); err != nil {
		return "", err
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	if err := os.Rename(name, target); err != nil {
		return "", err
	}
	ok = true
	return dir, nil
}
