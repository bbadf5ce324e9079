package store

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/enicfg/enicfg/render"
)

func write(t *testing.T, p string, data string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, mode); err != nil {
		t.Fatal(err)
	}
}

// TestSaveApplyRestore: a plan that replaces a file (another mode), adds
// one and removes a stale one is saved, applied and restored to exactly
// the files and modes of before.
func TestSaveApplyRestore(t *testing.T) {
	root := t.TempDir()
	s := Store{Dir: t.TempDir()}
	write(t, filepath.Join(root, "etc/a.conf"), "old a\n", 0o600)
	write(t, filepath.Join(root, "etc/stale.conf"), "# Written by enicfg for x (family nm)\nstale\n", 0o640)
	files := render.FileSet{
		{Path: "/etc/a.conf", Mode: 0o644, Data: []byte("new a\n")},
		{Path: "/etc/b.conf", Mode: 0o600, Data: []byte("new b\n")},
	}
	plan, err := render.Plan(root, "nm", []string{"/etc"}, files)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan) != 3 {
		t.Fatalf("plan: %d changes, want 3 (replace, add, remove)", len(plan))
	}
	prev := &Applied{Distro: "rhel9", Description: "version: 1\n"}
	b, err := s.Save(root, plan, "rhel9", prev, time.Unix(1, 0))
	if err != nil {
		t.Fatal(err)
	}
	if err := Apply(root, plan); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "etc/stale.conf")); !os.IsNotExist(err) {
		t.Fatalf("stale file not removed: %v", err)
	}
	if p, err := render.Plan(root, "nm", []string{"/etc"}, files); err != nil || len(p) != 0 {
		t.Fatalf("after Apply the plan is %v (%v), want empty", p, err)
	}
	last, err := s.Last()
	if err != nil || last == nil || last.Dir != b.Dir || last.Manifest.Previous.Distro != "rhel9" {
		t.Fatalf("Last: %+v, %v", last, err)
	}
	if err := last.Restore(root); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]struct {
		data string
		mode os.FileMode
	}{"etc/a.conf": {"old a\n", 0o600}, "etc/stale.conf": {"# Written by enicfg for x (family nm)\nstale\n", 0o640}} {
		fi, err := os.Stat(filepath.Join(root, p))
		if err != nil {
			t.Fatal(err)
		}
		data, _ := os.ReadFile(filepath.Join(root, p))
		if string(data) != want.data || fi.Mode().Perm() != want.mode {
			t.Errorf("%s: %q %04o, want %q %04o", p, data, fi.Mode().Perm(), want.data, want.mode)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "etc/b.conf")); !os.IsNotExist(err) {
		t.Errorf("a file the apply added is still there after Restore: %v", err)
	}
	if again, err := s.Last(); err != nil || again != nil {
		t.Errorf("Last after the rollback: %+v, %v; want none", again, err)
	}
}

// TestLock: a second lock fails at once and names the holder; it is free
// again after unlock.
func TestLock(t *testing.T) {
	s := Store{Dir: t.TempDir()}
	unlock, err := s.Lock()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Lock(); err == nil || !strings.Contains(err.Error(), "holds") || !strings.Contains(err.Error(), "(process ") {
		t.Fatalf("second lock: %v", err)
	}
	unlock()
	unlock2, err := s.Lock()
	if err != nil {
		t.Fatalf("lock after unlock: %v", err)
	}
	unlock2()
}

// TestCurrent: the recorded description round-trips; nil removes it.
func TestCurrent(t *testing.T) {
	s := Store{Dir: t.TempDir()}
	if a, err := s.Current(); a != nil || err != nil {
		t.Fatalf("empty store: %v, %v", a, err)
	}
	want := &Applied{Distro: "debian12", Description: "version: 1\ninterfaces: []\n"}
	if err := s.SetCurrent(want); err != nil {
		t.Fatal(err)
	}
	if a, err := s.Current(); err != nil || *a != *want {
		t.Fatalf("Current: %+v, %v", a, err)
	}
	if err := s.SetCurrent(nil); err != nil {
		t.Fatal(err)
	}
	if a, err := s.Current(); a != nil || err != nil {
		t.Fatalf("after SetCurrent(nil): %v, %v", a, err)
	}
}
