// Package testenv holds what the project's tests share about their
// environment: the switches (ENICFG_UPDATE, ENICFG_REQUIRE_TOOLS,
// ENICFG_COMPAT), what a test does when a tool it needs is missing, the
// short mode, and small helpers that fail the test instead of ignoring an
// error. It is the one place the tests read the environment (cue's
// internal/cuetest is the model).
package testenv

import (
	"os"
	"testing"
)

// The switches, set by make and CI.
const (
	// UpdateEnv=1 rewrites golden files and generated pages instead of
	// comparing them.
	UpdateEnv = "ENICFG_UPDATE"
	// RequireEnv=1 turns a missing tool from a skip into a failure (CI
	// sets it, so nothing is skipped there).
	RequireEnv = "ENICFG_REQUIRE_TOOLS"
	// CompatEnv names the folder where .ci/compat-build built the
	// upstream tools at the versions the targets ship.
	CompatEnv = "ENICFG_COMPAT"
)

// Update tells whether the tests rewrite their golden files.
func Update() bool { return os.Getenv(UpdateEnv) == "1" }

// RequireTools tells whether a missing tool fails the test.
func RequireTools() bool { return os.Getenv(RequireEnv) == "1" }

// CompatDir is the folder of the old tools' builds, "" when not given.
func CompatDir() string { return os.Getenv(CompatEnv) }

// Missing ends a test whose tool is missing: a skip, or a failure when
// ENICFG_REQUIRE_TOOLS=1.
func Missing(t testing.TB, format string, args ...any) {
	t.Helper()
	if RequireTools() {
		t.Fatalf(format+" (and "+RequireEnv+"=1)", args...)
	}
	t.Skipf(format, args...)
}

// RealTools skips a test that runs the distributions' real tools (in
// network namespaces, for seconds to minutes) in short mode: `go test
// -short` (make unit) runs only the fast tests, even as root.
func RealTools(t testing.TB) {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: the real-tool tests do not run")
	}
}

// WriteFile writes a file or fails the test.
func WriteFile(t testing.TB, path string, data []byte, perm os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, data, perm); err != nil {
		t.Fatal(err)
	}
}

// Mkdir makes a folder and its parents or fails the test.
func Mkdir(t testing.TB, path string) {
	t.Helper()
	if err := os.MkdirAll(path, 0o755); err != nil {
		t.Fatal(err)
	}
}
