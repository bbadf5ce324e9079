package render_test

import (
	"bytes"
	"github.com/enicfg/enicfg/internal/testenv"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/enicfg/enicfg/internal/netlab"
	"github.com/enicfg/enicfg/render"
)

func TestWriteRoot(t *testing.T) {
	root := t.TempDir()
	files := render.FileSet{
		{Path: "/etc/a/one", Mode: 0o644, Data: []byte("one\n")},
		{Path: "/etc/netplan/two.yaml", Mode: 0o600, Data: []byte("two\n")},
	}
	if err := render.WriteRoot(root, files); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		p := filepath.Join(root, f.Path)
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != f.Mode {
			t.Errorf("%s: mode %04o, want %04o", f.Path, fi.Mode().Perm(), f.Mode)
		}
		if b, _ := os.ReadFile(p); string(b) != string(f.Data) {
			t.Errorf("%s: %q", f.Path, b)
		}
	}
	if fi, _ := os.Stat(filepath.Join(root, "etc/a")); fi.Mode().Perm() != 0o755 {
		t.Errorf("folder mode %04o", fi.Mode().Perm())
	}

	// Overwriting replaces the file (a new inode: readers of the old one
	// never see a half-written file) and leaves no temporary file.
	old, _ := os.Stat(filepath.Join(root, "etc/a/one"))
	files[0].Data = []byte("new\n")
	if err := render.WriteRoot(root, files); err != nil {
		t.Fatal(err)
	}
	now, _ := os.Stat(filepath.Join(root, "etc/a/one"))
	if os.SameFile(old, now) {
		t.Error("the file was rewritten in place, not replaced")
	}
	if tmp, _ := filepath.Glob(filepath.Join(root, "etc/a/.enicfg-*")); len(tmp) > 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
}

func TestWriteRootRefuses(t *testing.T) {
	for _, p := range []string{"etc/x", "/etc/../x", "/etc/./x", "/", "/etc//x"} {
		if err := render.WriteRoot(t.TempDir(), render.FileSet{{Path: p, Mode: 0o644}}); err == nil {
			t.Errorf("%q: written", p)
		}
	}
}

// TestWriteRootSymlinks: a folder below the root that is a symbolic link
// is refused; a file that is a symbolic link is replaced, not written
// through.
func TestWriteRootSymlinks(t *testing.T) {
	root, outside := t.TempDir(), t.TempDir()
	if err := os.Symlink(outside, filepath.Join(root, "etc")); err != nil {
		t.Fatal(err)
	}
	err := render.WriteRoot(root, render.FileSet{{Path: "/etc/x", Mode: 0o644, Data: []byte("x\n")}})
	if err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Fatalf("got %v", err)
	}
	if ents, _ := os.ReadDir(outside); len(ents) > 0 {
		t.Fatalf("wrote outside the root: %v", ents)
	}

	root2 := t.TempDir()
	target := filepath.Join(outside, "victim")
	testenv.WriteFile(t, target, []byte("keep\n"), 0o644)
	os.MkdirAll(filepath.Join(root2, "etc"), 0o755)
	os.Symlink(target, filepath.Join(root2, "etc/x"))
	if err := render.WriteRoot(root2, render.FileSet{{Path: "/etc/x", Mode: 0o644, Data: []byte("x\n")}}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(target); string(b) != "keep\n" {
		t.Fatalf("wrote through a symbolic link: %q", b)
	}
	if fi, _ := os.Lstat(filepath.Join(root2, "etc/x")); fi.Mode()&os.ModeSymlink != 0 {
		t.Fatal("the link is still there")
	}
}

// TestWriteRootMidwayFailure: when a file cannot be written, the files
// before it are written, the ones after it are not, and the error names
// the file.
func TestWriteRootMidwayFailure(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "etc"), 0o755)
	testenv.WriteFile(t, filepath.Join(root, "etc/blocker"), []byte("a file, not a folder\n"), 0o644)
	files := render.FileSet{
		{Path: "/etc/a", Mode: 0o644, Data: []byte("a\n")},
		{Path: "/etc/blocker/b", Mode: 0o644, Data: []byte("b\n")},
		{Path: "/etc/c", Mode: 0o644, Data: []byte("c\n")},
	}
	err := render.WriteRoot(root, files)
	if err == nil || !strings.Contains(err.Error(), filepath.Join(root, "etc/blocker/b")) {
		t.Fatalf("error does not name the file: %v", err)
	}
	if _, err := os.Stat(filepath.Join(root, "etc/a")); err != nil {
		t.Error("the file before the failure is missing")
	}
	if _, err := os.Stat(filepath.Join(root, "etc/c")); err == nil {
		t.Error("the file after the failure was written")
	}
}

// TestWriteRootFullDisk writes into a tiny tmpfs: the file that does not
// fit fails with an error naming it, the files before it are complete,
// the old content of the failed file is untouched, and no temporary file
// is left.
func TestWriteRootFullDisk(t *testing.T) {
	netlab.Require(t, true, "mount", "umount")
	root := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=64k", "enicfg-full", root).CombinedOutput(); err != nil {
		t.Fatalf("mount: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", root).Run() })
	if err := os.MkdirAll(filepath.Join(root, "etc"), 0o755); err != nil {
		t.Fatal(err)
	}
	testenv.WriteFile(t, filepath.Join(root, "etc/b"), []byte("old b\n"), 0o644)
	files := render.FileSet{
		{Path: "/etc/a", Mode: 0o644, Data: []byte("a\n")},
		{Path: "/etc/b", Mode: 0o644, Data: bytes.Repeat([]byte("b"), 200<<10)},
		{Path: "/etc/c", Mode: 0o644, Data: []byte("c\n")},
	}
	err := render.WriteRoot(root, files)
	if err == nil || !strings.Contains(err.Error(), filepath.Join(root, "etc/b")) || !strings.Contains(err.Error(), "no space left") {
		t.Fatalf("got %v, want a no-space error naming etc/b", err)
	}
	if b, _ := os.ReadFile(filepath.Join(root, "etc/a")); string(b) != "a\n" {
		t.Errorf("etc/a: %q", b)
	}
	if b, _ := os.ReadFile(filepath.Join(root, "etc/b")); string(b) != "old b\n" {
		t.Errorf("etc/b was changed: %.20q", b)
	}
	if _, err := os.Stat(filepath.Join(root, "etc/c")); err == nil {
		t.Error("etc/c was written after the failure")
	}
	if tmp, _ := filepath.Glob(filepath.Join(root, "etc/.enicfg-*")); len(tmp) > 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
}
