package textdiff

import (
	"github.com/enicfg/enicfg/internal/testenv"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/enicfg/enicfg/internal/netlab"
)

// TestPatchApplies checks every diff with GNU patch: applied to the old
// text it must give the new one.
func TestPatchApplies(t *testing.T) {
	netlab.Require(t, false, "patch")
	cases := [][2]string{
		{"a\nb\nc\n", "a\nB\nc\n"},
		{"", "new\nfile\n"},
		{"gone\n", ""},
		{"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n", "1\n2\nx\n4\n5\n6\n7\n8\n9\n10\ny\n12\n"},
		{"a\nb", "a\nc"},
		{strings.Repeat("same\n", 50) + "x\n", "y\n" + strings.Repeat("same\n", 50)},
	}
	dir := t.TempDir()
	for i, c := range cases {
		d := Unified("old", "new", c[0], c[1])
		f := filepath.Join(dir, "f")
		testenv.WriteFile(t, f, []byte(c[0]), 0o644)
		p := filepath.Join(dir, "p")
		testenv.WriteFile(t, p, []byte(d), 0o644)
		out, err := exec.Command("patch", "-s", f, p).CombinedOutput()
		if err != nil {
			t.Fatalf("case %d: patch: %v\n%s\n%s", i, err, out, d)
		}
		got, _ := os.ReadFile(f)
		if string(got) != c[1] {
			t.Errorf("case %d: patched %q, want %q\n%s", i, got, c[1], d)
		}
	}
	if Unified("a", "b", "x\n", "x\n") != "" {
		t.Error("a diff of equal texts")
	}
}
