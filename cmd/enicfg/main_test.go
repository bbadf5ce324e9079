package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

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
			// The seeds' descriptions, for scripts that check them.
			abs, err := filepath.Abs("../../examples")
			env.Setenv("EXAMPLES", abs)
			return err
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
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
