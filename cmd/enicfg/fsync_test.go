package main

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/enicfg/enicfg/internal/testenv"
)

// TestWriteIsDurable traces the system calls of `enicfg render --root`
// with strace: every file must be written to a temporary file in its
// folder, that file fsync'ed before it is renamed over the target, and
// each folder fsync'ed after its last rename (so that a power cut leaves
// the old file or the new one, never an empty one).
func TestWriteIsDurable(t *testing.T) {
	testenv.RealTools(t)
	if _, err := exec.LookPath("strace"); err != nil {
		testenv.Missing(t, "strace is missing")
	}
	bin := buildEnicfg(t)
	dir := t.TempDir()
	desc := filepath.Join(dir, "net.yaml")
	testenv.WriteFile(t, desc, []byte("version: 1\ninterfaces:\n  - name: eth0\n    address: 10.0.0.10/24\n    gateway: 10.0.0.1\n  - name: eth1\n    address: 10.0.1.10/24\n    gateway: 10.0.1.1\n    route_table: 1001\n"), 0o644)
	root := filepath.Join(dir, "root")
	testenv.Mkdir(t, root)
	trace := filepath.Join(dir, "trace")
	out, err := exec.Command("strace", "-f", "-qq", "-o", trace, "-e", "trace=openat,fsync,fdatasync,close,rename,renameat,renameat2",
		bin, "render", "--distro", "centos7", "-f", desc, "--root", root).CombinedOutput()
	if err != nil {
		t.Fatalf("strace enicfg render: %v\n%s", err, out)
	}
	renames, problems := checkDurable(t, trace)
	for _, p := range problems {
		t.Error(p)
	}
	if renames < 4 {
		t.Errorf("%d renames traced, want one per file (at least 4)", renames)
	}
}

var (
	traceOpen   = regexp.MustCompile(`openat\(AT_FDCWD, "([^"]+)", ([^)]*)\)\s+=\s+(\d+)`)
	traceSync   = regexp.MustCompile(`f(?:data)?sync\((\d+)\)\s+=\s+0`)
	traceClose  = regexp.MustCompile(`close\((\d+)\)`)
	traceRename = regexp.MustCompile(`rename(?:at2?)?\((?:AT_FDCWD, )?"([^"]+)", (?:AT_FDCWD, )?"([^"]+)"(?:, \w+)?\)\s+=\s+0`)
)

// checkDurable reads an strace log: each renamed temporary file must have
// been fsync'ed while open, and each folder a file was renamed into must
// be fsync'ed after the last rename into it.
func checkDurable(t *testing.T, trace string) (int, []string) {
	t.Helper()
	f, err := os.Open(trace)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fds := map[string]string{} // open fd -> path
	synced := map[string]bool{}
	pendingDir := map[string]bool{} // folders with a rename not yet followed by their fsync
	renames := 0
	var problems []string
	unfinished := map[string]string{} // pid -> the start of a call another thread interrupted
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		pid, line, _ := strings.Cut(sc.Text(), " ")
		line = strings.TrimSpace(line)
		if start, ok := strings.CutSuffix(line, " <unfinished ...>"); ok {
			unfinished[pid] = start
			continue
		}
		if strings.HasPrefix(line, "<... ") {
			_, rest, _ := strings.Cut(line, " resumed>")
			line = unfinished[pid] + rest
			delete(unfinished, pid)
		}
		switch {
		case traceOpen.MatchString(line):
			m := traceOpen.FindStringSubmatch(line)
			fds[m[3]] = m[1]
			if strings.Contains(m[2], "O_CREAT") {
				synced[m[1]] = false
			}
		case traceSync.MatchString(line):
			p := fds[traceSync.FindStringSubmatch(line)[1]]
			synced[p] = true
			delete(pendingDir, p)
		case traceRename.MatchString(line):
			m := traceRename.FindStringSubmatch(line)
			renames++
			if !synced[m[1]] {
				problems = append(problems, "renamed without fsync: "+m[1]+" -> "+m[2])
			}
			pendingDir[filepath.Dir(m[2])] = true
		case traceClose.MatchString(line):
			delete(fds, traceClose.FindStringSubmatch(line)[1])
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for d := range pendingDir {
		problems = append(problems, "folder not fsync'ed after its renames: "+d)
	}
	return renames, problems
}
