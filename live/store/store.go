// Package store keeps what `enicfg apply` needs to undo itself on a host:
// its lock, a copy of every file it replaces or removes, and the
// description it applied last.
package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/enicfg/enicfg/render"
)

// Store is the folder where `enicfg apply` keeps its lock, a copy of every
// file it replaces or removes (one dated folder per apply), and the
// description it applied last.
type Store struct{ Dir string }

// DefaultStore is the folder of a host's store.
const DefaultStore = "/var/lib/enicfg"

// Applied is a description that apply brought to the host, with its
// target.
type Applied struct {
	Distro      string `json:"distro"`
	Description string `json:"description"`
}

// Manifest lists what one apply changed: every file it wrote or removed,
// whether the file was there before (its copy is in the backup's files/
// folder, at its path), and what was applied before it.
type Manifest struct {
	Time       string   `json:"time"`
	Distro     string   `json:"distro"`
	Previous   *Applied `json:"previous,omitempty"`
	Files      []Saved  `json:"files"`
	RolledBack bool     `json:"rolled_back"`
}

// Saved is one file an apply changed.
type Saved struct {
	Path    string      `json:"path"`
	Existed bool        `json:"existed"`
	Mode    fs.FileMode `json:"mode,omitempty"`
}

// Backup is one apply's folder in the store.
type Backup struct {
	Dir      string
	Manifest Manifest
}

// Lock takes the store's lock, so that one apply or rollback runs at a
// time; it fails at once when another holds it, naming its process.
func (s Store) Lock() (unlock func(), err error) {
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("state folder: %w", err)
	}
	p := filepath.Join(s.Dir, "lock")
	f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		data, _ := os.ReadFile(p)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			who := ""
			if pid := strings.TrimSpace(string(data)); pid != "" {
				who = " (process " + pid + ")"
			}
			return nil, fmt.Errorf("another enicfg apply or rollback holds %s%s: try again when it is done", p, who)
		}
		return nil, fmt.Errorf("lock %s: %w", p, err)
	}
	f.Truncate(0)
	f.WriteString(strconv.Itoa(os.Getpid()) + "\n")
	return func() {
		f.Truncate(0)
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

// Current gives the description applied last, or nil.
func (s Store) Current() (*Applied, error) {
	data, err := os.ReadFile(filepath.Join(s.Dir, "current.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var a Applied
	if err := json.Unmarshal(data, &a); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(s.Dir, "current.json"), err)
	}
	return &a, nil
}

// SetCurrent records the description applied last (nil: none).
func (s Store) SetCurrent(a *Applied) error {
	if a == nil {
		err := os.Remove(filepath.Join(s.Dir, "current.json"))
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return err
	}
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		return err
	}
	return writeJSON(s.Dir, "current.json", a)
}

// writeJSON writes v as indented JSON to dir/name, atomically and
// durably (render.WriteRoot: temporary file, fsync, rename, folder fsync).
func writeJSON(dir, name string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return render.WriteRoot(dir, render.FileSet{{Path: "/" + name, Mode: 0o600, Data: append(data, '\n')}})
}

// Save copies every file that plan replaces or removes under root into a
// new dated folder of the store, with a manifest, before anything is
// changed.
func (s Store) Save(root string, plan []render.Change, distro string, prev *Applied, now time.Time) (*Backup, error) {
	base := filepath.Join(s.Dir, "backups")
	if err := os.MkdirAll(base, 0o700); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	name := now.UTC().Format("20060102T150405.000000000Z")
	dir := filepath.Join(base, name)
	if err := os.Mkdir(dir, 0o700); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	b := &Backup{Dir: dir, Manifest: Manifest{Time: now.UTC().Format(time.RFC3339), Distro: distro, Previous: prev}}
	var saved render.FileSet
	for _, c := range plan {
		b.Manifest.Files = append(b.Manifest.Files, Saved{Path: c.Path, Existed: c.Existed, Mode: c.OldMode})
		if c.Existed {
			saved = append(saved, render.File{Path: c.Path, Mode: c.OldMode, Data: c.Old})
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "files"), 0o700); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	if err := render.WriteRoot(filepath.Join(dir, "files"), saved); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	if err := writeJSON(dir, "manifest.json", b.Manifest); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	return b, nil
}

// Apply writes the plan's new files under root (each atomically, with its
// mode) and removes its stale ones.
func Apply(root string, plan []render.Change) error {
	var write render.FileSet
	for _, c := range plan {
		if c.New != nil {
			write = append(write, *c.New)
		}
	}
	if err := render.WriteRoot(root, write); err != nil {
		return err
	}
	for _, c := range plan {
		if c.New == nil {
			if err := os.Remove(filepath.Join(root, filepath.FromSlash(c.Path))); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("remove %s: %w", c.Path, err)
			}
		}
	}
	return nil
}

// Restore puts every file of the backup back under root as it was: the
// saved copy (atomically, with its mode), or no file where there was none.
// It then marks the backup as rolled back.
func (b *Backup) Restore(root string) error {
	var write render.FileSet
	for _, f := range b.Manifest.Files {
		if !f.Existed {
			err := os.Remove(filepath.Join(root, filepath.FromSlash(f.Path)))
			if err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("restore: remove %s: %w", f.Path, err)
			}
			continue
		}
		data, err := os.ReadFile(filepath.Join(b.Dir, "files", filepath.FromSlash(f.Path)))
		if err != nil {
			return fmt.Errorf("restore: the saved copy of %s: %w", f.Path, err)
		}
		write = append(write, render.File{Path: f.Path, Mode: f.Mode, Data: data})
	}
	if err := render.WriteRoot(root, write); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	b.Manifest.RolledBack = true
	return writeJSON(b.Dir, "manifest.json", b.Manifest)
}

// Last gives the newest backup that was not rolled back, or nil.
func (s Store) Last() (*Backup, error) {
	base := filepath.Join(s.Dir, "backups")
	ents, err := os.ReadDir(base)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range ents {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	sort.Sort(sort.Reverse(sort.StringSlice(names)))
	for _, n := range names {
		b := &Backup{Dir: filepath.Join(base, n)}
		data, err := os.ReadFile(filepath.Join(b.Dir, "manifest.json"))
		if err != nil {
			return nil, fmt.Errorf("backup %s: %w", b.Dir, err)
		}
		if err := json.Unmarshal(data, &b.Manifest); err != nil {
			return nil, fmt.Errorf("backup %s: %w", b.Dir, err)
		}
		if !b.Manifest.RolledBack {
			return b, nil
		}
	}
	return nil, nil
}
