package compatdoc_test

import (
	"bytes"
	"github.com/enicfg/enicfg/internal/testenv"
	"os"
	"path/filepath"
	"testing"

	"github.com/enicfg/enicfg/internal/compatdoc"
)

// TestPageIsCurrent: docs/compatibility.md is what the data gives;
// ENICFG_UPDATE=1 rewrites it.
func TestPageIsCurrent(t *testing.T) {
	p := filepath.Join("..", "..", compatdoc.Path)
	want := compatdoc.Markdown()
	if testenv.Update() {
		if err := os.WriteFile(p, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is not what the version data gives: run make update", compatdoc.Path)
	}
}
