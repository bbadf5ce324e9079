package render_test

import (
	"fmt"
	"os"
	"testing"
)

// TestMain runs the tests and then fails the run if a command hidden in
// the hostile-text scenario ran anywhere (sourced by bash, run by
// ifupdown, a daemon, cloud-init or packer).
func TestMain(m *testing.M) {
	os.Remove(canary)
	code := m.Run()
	if _, err := os.Stat(canary); err == nil {
		fmt.Fprintf(os.Stderr, "FAIL: %s exists: a command from a description's free text ran\n", canary)
		code = 1
	}
	os.Exit(code)
}
