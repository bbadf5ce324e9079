package main

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/enicfg/enicfg/internal/testenv"

	"github.com/google/go-cmp/cmp"

	"github.com/enicfg/enicfg/internal/netlab"
)

// docBlocks gives the ```hcl blocks of a document that start with
// "# file: NAME", by NAME.
func docBlocks(t *testing.T, doc, lang string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(doc)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile("(?s)```" + lang + "\n# file: ([^\n]+)\n(.*?)```")
	out := map[string]string{}
	for _, m := range re.FindAllStringSubmatch(string(data), -1) {
		out[m[1]] = m[2]
	}
	if len(out) == 0 {
		t.Fatalf("%s has no %s blocks", doc, lang)
	}
	return out
}

func buildEnicfg(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "enicfg")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func fileTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, _ := d.Info()
		data, _ := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[rel] = fmt.Sprintf("%04o\n%s", fi.Mode().Perm(), data)
		return nil
	})
	return out
}

// TestPackerTemplates: every template of docs/packer.md passes
// `packer validate` (Debian's packer, offline), and the null-builder ones
// built with `packer build` leave exactly the tree of `render --root`.
func TestPackerTemplates(t *testing.T) {
	netlab.Require(t, false, "packer", "go", "tar")
	bin := buildEnicfg(t)
	desc, _ := filepath.Abs("../../examples/multiqueue.yaml")
	blocks := docBlocks(t, "../../docs/packer.md", "hcl")
	for _, name := range []string{"inside-image.pkr.hcl", "upload-tree.pkr.hcl", "offline-inside.pkr.hcl", "offline-upload.pkr.hcl"} {
		if blocks[name] == "" {
			t.Fatalf("docs/packer.md has no template %s", name)
		}
	}
	ref := t.TempDir()
	if out, err := exec.Command(bin, "render", "--distro", "debian12", "-f", desc, "--root", ref, "--disable-cloud-init-network").CombinedOutput(); err != nil {
		t.Fatalf("render: %v\n%s", err, out)
	}
	want := fileTree(t, ref)
	for name, hcl := range blocks {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			tmpl := filepath.Join(dir, name)
			testenv.WriteFile(t, tmpl, []byte(hcl), 0o644)
			root := filepath.Join(dir, "image")
			testenv.Mkdir(t, root)
			vars := []string{"-var", "enicfg=" + bin, "-var", "description=" + desc}
			if strings.HasPrefix(name, "offline-") {
				vars = append(vars, "-var", "distro=debian12", "-var", "root="+root)
			}
			packer := func(args ...string) string {
				t.Helper()
				cmd := exec.Command("packer", args...)
				cmd.Dir = dir
				// Offline and private: no checkpoint call, packer's own
				// folders in the test's folder, dummy cloud credentials for
				// validate.
				cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1", "PACKER_CONFIG_DIR="+dir, "PACKER_CACHE_DIR="+dir+"/cache",
					"TMPDIR="+dir, "ALICLOUD_ACCESS_KEY=test", "ALICLOUD_SECRET_KEY=test")
				out, err := cmd.CombinedOutput()
				if err != nil {
					t.Fatalf("packer %s: %v\n%s", strings.Join(args, " "), err, out)
				}
				return string(out)
			}
			packer(append(append([]string{"validate"}, vars...), name)...)
			if !strings.HasPrefix(name, "offline-") {
				return
			}
			packer(append(append([]string{"build", "-color=false"}, vars...), name)...)
			if d := cmp.Diff(want, fileTree(t, root)); d != "" {
				t.Errorf("the image tree differs from render --root (-root +packer):\n%s", d)
			}
		})
	}
}
