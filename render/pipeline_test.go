package render_test

import (
	"fmt"
	"github.com/enicfg/enicfg/internal/testenv"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/enicfg/enicfg/distros"
	"github.com/enicfg/enicfg/internal/netlab"
	"github.com/enicfg/enicfg/render"
)

// pipelineTargets are one target of each variant of each family: the one
// with the newest tool versions (the output forms do not depend on them).
func pipelineTargets(t *testing.T) []distros.Target {
	newest := map[string]distros.Target{}
	var order []string
	for _, tgt := range distros.Representatives() {
		k := tgt.Family + "/" + tgt.Variant
		if _, ok := newest[k]; !ok {
			order = append(order, k)
		}
		newest[k] = tgt // Representatives gives the oldest, then the newest
	}
	var out []distros.Target
	for _, k := range order {
		out = append(out, newest[k])
	}
	return out
}

// pipelineScenarios are what the output forms are checked with: the seeds
// (text files of every family), hostile text, and the largest case.
func pipelineScenarios() []scenario {
	var out []scenario
	for _, sc := range seedScenarios {
		switch sc.name {
		case "nat-eip", "three-enis", "dhcp-secondaries", "hostile-text", "large-8x20":
			out = append(out, sc)
		}
	}
	return out
}

// tree reads every file under dir as "MODE\ncontent", by absolute path.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out["/"+filepath.ToSlash(rel)] = fmt.Sprintf("%04o\n%s", fi.Mode().Perm(), data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// rootTree is what render --root writes: the reference for every other
// output form.
func rootTree(t *testing.T, files render.FileSet) map[string]string {
	t.Helper()
	dir := t.TempDir()
	if err := render.WriteRoot(dir, files); err != nil {
		t.Fatal(err)
	}
	return tree(t, dir)
}

// cloudInitDecode decodes write_files with cloud-init's own functions
// (cc_write_files: extract_contents, decode_perms) into a folder.
const cloudInitDecode = `
import os, sys
from cloudinit import util
from cloudinit.config.cc_write_files import canonicalize_extraction, extract_contents, decode_perms, DEFAULT_PERMS
cfg = util.load_yaml(open(sys.argv[1]).read())
for f in cfg["write_files"]:
    data = extract_contents(f.get("content", ""), canonicalize_extraction(f.get("encoding")))
    if isinstance(data, str):
        data = data.encode()
    p = os.path.join(sys.argv[2], f["path"].lstrip("/"))
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "wb") as fh:
        fh.write(data)
    os.chmod(p, decode_perms(f["permissions"], DEFAULT_PERMS))
    assert f["owner"] == "root:root", f["owner"]
print("runcmd", len(cfg.get("runcmd") or []))
`

// TestCloudConfig: for every built family and scenario, the cloud-config
// output (with --apply's runcmd and the cloud-init drop-in) passes
// `cloud-init schema --config-file`, and cloud-init's own decoding of
// write_files gives byte for byte, mode for mode, what --root writes.
func TestCloudConfig(t *testing.T) {
	netlab.Require(t, false, "cloud-init", "/usr/bin/python3")
	for _, tgt := range pipelineTargets(t) {
		for _, sc := range pipelineScenarios() {
			t.Run(tgt.Name+"/"+sc.name, func(t *testing.T) {
				t.Parallel()
				m := sc.load(t)
				files := renderWith(t, m, tgt.Name, true)
				files = append(files, render.CloudInitDisable(render.Header(tgt.Name, tgt.Family, "#")))
				files.Sort()
				runcmd := tgt.ApplyCommands(m, files)
				doc, err := render.CloudConfig(render.Header(tgt.Name, tgt.Family, "#"), files, runcmd)
				if err != nil {
					t.Fatal(err)
				}
				dir := t.TempDir()
				cfg := filepath.Join(dir, "user-data")
				testenv.WriteFile(t, cfg, doc, 0o600)
				out, err := netlab.Run(t, 60*time.Second, "cloud-init", "schema", "--config-file", cfg)
				if err != nil || !strings.Contains(out, "Valid cloud-config") {
					t.Fatalf("cloud-init schema: %v\n%s\n%s", err, out, doc)
				}
				got := filepath.Join(dir, "decoded")
				out, err = netlab.Run(t, 60*time.Second, "/usr/bin/python3", "-c", cloudInitDecode, cfg, got)
				if err != nil {
					t.Fatalf("cloud-init decoding: %v\n%s", err, out)
				}
				if want := fmt.Sprintf("runcmd %d", len(runcmd)); !strings.Contains(out, want) {
					t.Errorf("decoded %q, want %q", out, want)
				}
				if d := cmp.Diff(rootTree(t, files), tree(t, got)); d != "" {
					t.Errorf("write_files differ from --root (-root +cloud-config):\n%s", d)
				}
			})
		}
	}
}

// TestTar: `tar -x` of the tar output gives the tree of --root; the
// archive is the same on every run and lists root-owned entries of the
// Unix epoch, and no folders.
func TestTar(t *testing.T) {
	netlab.Require(t, false, "tar")
	for _, tgt := range pipelineTargets(t) {
		for _, sc := range pipelineScenarios() {
			t.Run(tgt.Name+"/"+sc.name, func(t *testing.T) {
				m := sc.load(t)
				files := renderWith(t, m, tgt.Name, true)
				a, err := render.Tar(files)
				if err != nil {
					t.Fatal(err)
				}
				b, _ := render.Tar(renderWith(t, m, tgt.Name, true))
				if string(a) != string(b) {
					t.Fatal("two tar outputs differ")
				}
				dir := t.TempDir()
				arc := filepath.Join(dir, "out.tar")
				testenv.WriteFile(t, arc, a, 0o644)
				x := filepath.Join(dir, "x")
				testenv.Mkdir(t, x)
				if out, err := netlab.Run(t, 30*time.Second, "tar", "-x", "-p", "-C", x, "-f", arc); err != nil {
					t.Fatalf("tar -x: %v\n%s", err, out)
				}
				if d := cmp.Diff(rootTree(t, files), tree(t, x)); d != "" {
					t.Errorf("tar -x differs from --root (-root +tar):\n%s", d)
				}
				list, err := netlab.Run(t, 30*time.Second, "tar", "-t", "-v", "--numeric-owner", "--utc", "-f", arc)
				if err != nil {
					t.Fatal(err)
				}
				for _, l := range strings.Split(strings.TrimSpace(list), "\n") {
					if !strings.HasPrefix(l, "-") || !strings.Contains(l, " 0/0 ") || !strings.Contains(l, " 1970-01-01 00:00 ") {
						t.Errorf("tar entry: %s", l)
					}
				}
			})
		}
	}
}

// cloudInitSysConfig reads a cloud.cfg with its cloud.cfg.d drop-ins as
// cloud-init does, and says whether its network configuration is off.
const cloudInitSysConfig = `
import sys
from cloudinit import util
from cloudinit.net import is_disabled_cfg
cfg = util.read_conf_with_confd(sys.argv[1])
print("disabled" if is_disabled_cfg(cfg.get("network")) else "enabled")
`

// TestCloudInitDropIn: cloud-init's own reader of /etc/cloud/cloud.cfg and
// its drop-ins finds the network configuration disabled with enicfg's
// drop-in and enabled without it, beside the network configuration that
// installers leave in cloud.cfg.d (curtin/subiquity's 50-curtin-networking.cfg,
// in version 2 and in version 1, whose config: list shares the key).
func TestCloudInitDropIn(t *testing.T) {
	netlab.Require(t, false, "/usr/bin/python3", "cloud-init")
	installers := map[string]string{
		"none":      "",
		"version 2": "network: {version: 2, ethernets: {eth0: {dhcp4: true}}}\n",
		"version 1": "network: {version: 1, config: [{type: physical, name: eth0, subnets: [{type: dhcp}]}]}\n",
	}
	f := render.CloudInitDisable(render.Header("ubuntu2204", "netplan", "#"))
	for name, installer := range installers {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := filepath.Join(dir, "cloud.cfg")
			d := filepath.Join(dir, "cloud.cfg.d")
			testenv.Mkdir(t, d)
			testenv.WriteFile(t, cfg, []byte("datasource_list: [NoCloud, None]\n"), 0o644)
			if installer != "" {
				testenv.WriteFile(t, filepath.Join(d, "50-curtin-networking.cfg"), []byte(installer), 0o644)
			}
			read := func() string {
				out, err := netlab.Run(t, 30*time.Second, "/usr/bin/python3", "-c", cloudInitSysConfig, cfg)
				if err != nil {
					t.Fatalf("cloud-init's config reader: %v\n%s", err, out)
				}
				return strings.TrimSpace(out)
			}
			if got := read(); got != "enabled" {
				t.Fatalf("without the drop-in: %s", got)
			}
			testenv.WriteFile(t, filepath.Join(d, filepath.Base(f.Path)), f.Data, 0o644)
			if got := read(); got != "disabled" {
				t.Fatalf("with %s: %s", f.Path, got)
			}
		})
	}
}
