package render_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/enicfg/enicfg/internal/netlab"
	"github.com/enicfg/enicfg/spec"
)

// `enicfg check` in the real-tool tests: after a family's tool brought a
// lab up from the rendered files, the command, run inside the lab's
// namespace, must find that the host matches the description (with the
// family's --distro and without), and after one change by hand it must
// name exactly that change.

// descriptions keeps the text of each loaded description, by its model,
// for the check command's -f.
var descriptions sync.Map // *spec.Model -> describedAs

type describedAs struct {
	scenario string
	yaml     []byte
}

// loadDescription loads a description and keeps its text for checkHost.
func loadDescription(t *testing.T, scenario, name string, data []byte) *spec.Model {
	t.Helper()
	m, err := spec.Load(name, data)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	descriptions.Store(m, describedAs{scenario, data})
	return m
}

var (
	enicfgOnce sync.Once
	enicfgBin  string
	enicfgErr  string
)

// enicfgBinary builds the command once for the whole test run.
func enicfgBinary(t *testing.T) string {
	t.Helper()
	enicfgOnce.Do(func() {
		dir, err := os.MkdirTemp("", "enicfg-bin-")
		if err != nil {
			enicfgErr = err.Error()
			return
		}
		enicfgBin = filepath.Join(dir, "enicfg")
		if out, err := exec.Command("go", "build", "-o", enicfgBin, "github.com/enicfg/enicfg/cmd/enicfg").CombinedOutput(); err != nil {
			enicfgErr = err.Error() + "\n" + string(out)
		}
	})
	if enicfgErr != "" {
		t.Fatalf("go build ./cmd/enicfg: %s", enicfgErr)
	}
	return enicfgBin
}

// runCheck runs `enicfg check` in the lab's namespace and gives its exit
// status and the difference lines it printed (the summary and the
// description's warnings left out).
func runCheck(t *testing.T, lab *netlab.Lab, file, distro string) (int, []string, string) {
	t.Helper()
	args := []string{"check", "-f", file}
	if distro != "" {
		args = append(args, "--distro", distro)
	}
	out, err := lab.Exec(30*time.Second, append([]string{enicfgBinary(t)}, args...)...)
	code := exitOf(t, err, out)
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if l != "" && !strings.HasPrefix(l, "enicfg: ") && !strings.Contains(l, ": warning: ") {
			lines = append(lines, l)
		}
	}
	return code, lines, out
}

// checkHost holds `enicfg check` to the lab that distro's tool brought up
// from m: exit 0 with --distro and without. For the scenario "routes", it
// then (with changes) makes each single change of the issue by hand and holds check to
// naming exactly that change.
func checkHost(t *testing.T, lab *netlab.Lab, m *spec.Model, distro string, changes bool) {
	t.Helper()
	v, ok := descriptions.Load(m)
	if !ok {
		t.Fatal("checkHost: the description was not loaded with loadDescription")
	}
	d := v.(describedAs)
	file := filepath.Join(lab.Dir(), "description.yaml")
	if err := os.WriteFile(file, d.yaml, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, dist := range []string{distro, ""} {
		if code, _, out := runCheck(t, lab, file, dist); code != 0 {
			t.Fatalf("enicfg check --distro %q: exit %d on the host the tool brought up:\n%s", dist, code, out)
		}
	}
	t.Logf("enicfg check: the host matches, with --distro %s and without", distro)
	if changes && d.scenario == "routes" {
		checkChanges(t, lab, file, distro)
		t.Logf("enicfg check named each change made by hand")
	}
}

// change is one change made by hand to the lab brought up from the
// scenario "routes", the line check must print, and how to undo it.
type change struct {
	name string
	do   []string // ip commands (run with -n NS)
	want string   // the one line check prints, without "FILE:LINE: "
	line int      // the description's line it names (0: none)
	undo []string
}

var routesChanges = []change{
	{
		name: "rule priority changed",
		do:   []string{"rule del priority 500 from 10.1.0.10 table 100", "rule add priority 501 from 10.1.0.10 table 100"},
		want: "eth0: rule priority: described rule 500: from 10.1.0.10 lookup 100, host has rule 501: from 10.1.0.10 lookup 100",
		line: 5,
		undo: []string{"rule del priority 501 from 10.1.0.10 table 100", "rule add priority 500 from 10.1.0.10 table 100"},
	},
	{
		name: "metric changed",
		do:   []string{"route del 10.9.0.0/16 via 10.1.0.254 metric 50", "route add 10.9.0.0/16 via 10.1.0.254 dev eth0 metric 60"},
		want: "eth0: route metric: described route 10.9.0.0/16 via 10.1.0.254 dev eth0 metric 50, host has route 10.9.0.0/16 via 10.1.0.254 dev eth0 metric 60",
		line: 14,
		undo: []string{"route del 10.9.0.0/16 via 10.1.0.254 metric 60", "route add 10.9.0.0/16 via 10.1.0.254 dev eth0 metric 50"},
	},
	{
		name: "extra address",
		do:   []string{"addr add 10.1.0.99/24 dev eth0"},
		want: "eth0: extra address 10.1.0.99/24",
		undo: []string{"addr del 10.1.0.99/24 dev eth0"},
	},
	{
		name: "route of a table deleted",
		do:   []string{"route del default table 200"},
		want: "eth0: missing route default via 10.1.0.254 dev eth0 table 200",
		line: 21,
	},
}

// checkChanges makes each change, runs check (with the family's --distro
// and without) and undoes the change; the last change is not undone.
// Last, the secondary IP is removed: the kernel drops the routes with it
// as source too, so check must name the address and only such routes.
func checkChanges(t *testing.T, lab *netlab.Lab, file, distro string) {
	t.Helper()
	ip := func(cmds []string) {
		t.Helper()
		for _, c := range cmds {
			netlab.Must(t, "ip", append([]string{"-n", lab.NS}, strings.Fields(c)...)...)
		}
	}
	for _, c := range routesChanges {
		ip(c.do)
		for _, dist := range []string{distro, ""} {
			code, lines, out := runCheck(t, lab, file, dist)
			want := c.want
			if c.line > 0 {
				want = file + ":" + strconv.Itoa(c.line) + ": " + want
			} else {
				want = "host: " + want
			}
			if code != 2 || len(lines) != 1 || lines[0] != want {
				t.Errorf("%s: enicfg check --distro %q: exit %d, want 2 and the one line\n%s\ngot:\n%s", c.name, dist, code, want, out)
			}
		}
		ip(c.undo)
	}
	ip([]string{"addr del 10.1.0.11/24 dev eth0"})
	for _, dist := range []string{distro, ""} {
		code, lines, out := runCheck(t, lab, file, dist)
		named := false
		for _, l := range lines {
			switch {
			case strings.HasSuffix(l, "eth0: missing address 10.1.0.11/24"):
				named = true
			case strings.Contains(l, "missing route default via 10.1.0.254 dev eth0 table 200"):
				// the change before, not undone
			case strings.Contains(l, ": missing route ") && strings.HasSuffix(l, " src 10.1.0.11"):
				// dropped by the kernel with its source address
			default:
				t.Errorf("address removed: enicfg check --distro %q names more than the address: %s", dist, l)
			}
		}
		if code != 2 || !named {
			t.Errorf("address removed: enicfg check --distro %q: exit %d, want 2 naming the address:\n%s", dist, code, out)
		}
	}
}

// exitOf gives the exit status of a command that ran, and fails the test
// when it could not run or timed out.
func exitOf(t *testing.T, err error, out string) int {
	t.Helper()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	if err != nil {
		t.Fatalf("enicfg: %v\n%s", err, out)
	}
	return 0
}
