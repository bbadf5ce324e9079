package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/enicfg/enicfg/internal/cloudtest"
	"github.com/enicfg/enicfg/internal/testenv"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){"enicfg": main})
}

// TestScripts runs testdata/script/*.txtar; ENICFG_UPDATE=1 rewrites the
// files that cmp compares with.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "../../testdata/script",
		UpdateScripts:       testenv.Update(),
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Setup: func(env *testscript.Env) error {
			// The seeds' descriptions, for scripts that check them, and
			// the importer's API JSON fixtures.
			abs, err := filepath.Abs("../../examples")
			env.Setenv("EXAMPLES", abs)
			if err != nil {
				return err
			}
			abs, err = filepath.Abs("../../importer/testdata")
			env.Setenv("APIJSON", abs)
			return err
		},
		// [root]: root with ip(8), to make network namespaces.
		Condition: func(cond string) (bool, error) {
			if cond != "root" {
				return false, fmt.Errorf("unknown condition %q", cond)
			}
			_, err := exec.LookPath("ip")
			return os.Geteuid() == 0 && err == nil, nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"metadata": metadataCmd,
			"netns":    netnsCmd,
			// mode PATH OCTAL: the file's permission bits are OCTAL.
			"mode": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) != 2 {
					ts.Fatalf("usage: mode PATH OCTAL")
				}
				fi, err := os.Stat(ts.MkAbs(args[0]))
				ts.Check(err)
				want, err := strconv.ParseUint(args[1], 8, 32)
				ts.Check(err)
				got := uint64(fi.Mode().Perm())
				if (got == want) == neg {
					ts.Fatalf("%s: mode %04o, want %s%04o", args[0], got, map[bool]string{true: "not ", false: ""}[neg], want)
				}
			},
			// nofiles DIR: DIR is a folder that holds no file at any
			// depth (a folder that is not there is an error, not "empty").
			"nofiles": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) != 1 {
					ts.Fatalf("usage: nofiles DIR")
				}
				n := 0
				var walk func(string)
				walk = func(d string) {
					ents, err := os.ReadDir(d)
					ts.Check(err)
					for _, e := range ents {
						if e.IsDir() {
							walk(d + "/" + e.Name())
						} else {
							n++
						}
					}
				}
				walk(ts.MkAbs(args[0]))
				if (n == 0) == neg {
					ts.Fatalf("%s holds %s", args[0], fmt.Sprint(n, " file(s)"))
				}
			},
		},
	})
}

// metadataCmd: metadata aliyun|aws|aliyun6|aws6 [FAULT...] serves a
// fixture instance of internal/cloudtest at $METADATA until the script
// ends (aliyun6 and aws6: the dual-stack ones, with IPv6-only ENIs):
// Alibaba's metadata service with the faults asked for (refuse-token,
// no-token, no-enis, missing=KEY, malformed=KEY=VALUE, truncate=KEY,
// slow=DURATION, fail5xx=N), or the real amazon-ec2-metadata-mock (aws6:
// with missing= and malformed=, which a proxy in front of it serves).
func metadataCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: metadata aliyun|aws|aliyun6|aws6 [FAULT...]")
	}
	f := metadataFaults(ts, args[1:])
	var h http.Handler
	var err error
	switch args[0] {
	case "aws":
		if len(args) > 1 {
			ts.Fatalf("the AWS mock takes no faults")
		}
		h, err = cloudtest.AWSMetadata(cloudtest.AWS)
	case "aws6":
		if f.RefuseToken || f.NoToken || f.NoENIs || f.Truncate != "" || f.Slow > 0 || f.Fail5xx > 0 {
			ts.Fatalf("the AWS mock takes only missing= and malformed=")
		}
		h, err = cloudtest.AWSMetadataFaults(cloudtest.AWS6, f)
	case "aliyun":
		h = &cloudtest.AliyunMetadata{Inst: cloudtest.Aliyun, Faults: f}
	case "aliyun6":
		h = &cloudtest.AliyunMetadata{Inst: cloudtest.Aliyun6, Faults: f}
	default:
		ts.Fatalf("usage: metadata aliyun|aws|aliyun6|aws6 [FAULT...]")
	}
	ts.Check(err)
	srv := httptest.NewServer(h)
	ts.Defer(srv.Close)
	ts.Setenv("METADATA", srv.URL)
}

// metadataFaults reads the faults of a metadata command.
func metadataFaults(ts *testscript.TestScript, args []string) cloudtest.Faults {
	var f cloudtest.Faults
	for _, a := range args {
		k, v, _ := strings.Cut(a, "=")
		switch k {
		case "refuse-token":
			f.RefuseToken = true
		case "no-token":
			f.NoToken = true
		case "no-enis":
			f.NoENIs = true
		case "missing":
			f.Missing = v
		case "truncate":
			f.Truncate = v
		case "malformed":
			key, val, _ := strings.Cut(v, "=")
			f.Malformed = map[string]string{key: val}
		case "slow":
			d, err := time.ParseDuration(v)
			ts.Check(err)
			f.Slow = d
		case "fail5xx":
			n, err := strconv.Atoi(v)
			ts.Check(err)
			f.Fail5xx = n
		default:
			ts.Fatalf("unknown fault %q", a)
		}
	}
	return f
}

var netnsSeq int

// netnsCmd makes a network namespace for the script, named in $NS, with
// lo up and a veth link eth0 (MAC 02:ee:00:00:00:01) whose peer, peer0,
// is in the same namespace; both up, without addresses. The namespace is
// removed when the script ends. Nothing leaves it.
func netnsCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: netns")
	}
	netnsSeq++
	ns := fmt.Sprintf("enicfg-ts-%d-%d", os.Getpid(), netnsSeq)
	run := func(args ...string) {
		if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
			ts.Fatalf("ip %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	run("netns", "add", ns)
	ts.Defer(func() { exec.Command("ip", "netns", "del", ns).Run() })
	run("-n", ns, "link", "set", "lo", "up")
	run("-n", ns, "link", "add", "eth0", "address", "02:ee:00:00:00:01", "type", "veth", "peer", "name", "peer0")
	run("-n", ns, "link", "set", "eth0", "up")
	run("-n", ns, "link", "set", "peer0", "up")
	ts.Setenv("NS", ns)
}
