package spec_test

import (
	"encoding/json"
	"github.com/enicfg/enicfg/internal/testenv"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/enicfg/enicfg/internal/netlab"
	"github.com/enicfg/enicfg/spec"
)

// validator checks documents against the schema with python3-jsonschema
// (Draft7Validator, after check_schema): one JSON document per line on
// standard input, "ok" or "bad" per line on standard output.
const validator = `
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft7Validator.check_schema(schema)
v = jsonschema.Draft7Validator(schema)
for line in sys.stdin:
    errs = list(v.iter_errors(json.loads(line)))
    print("ok" if not errs else "bad: " + "; ".join(e.message for e in errs))
`

func yamlToJSON(t *testing.T, data string) string {
	t.Helper()
	var v any
	if err := yaml.Unmarshal([]byte(data), &v); err != nil {
		t.Fatal(err)
	}
	j, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(j)
}

// schemaBad are documents with the errors a schema can express: the
// JSON Schema must refuse each, and so must spec.Load.
var schemaBad = map[string]string{
	"unknown key":      "version: 1\ninterfaces: [{name: eth0, dhcp: true, bogus: 1}]",
	"no version":       "interfaces: [{name: eth0, dhcp: true}]",
	"version 2":        "version: 2\ninterfaces: [{name: eth0, dhcp: true}]",
	"no address":       "version: 1\ninterfaces: [{name: eth0}]",
	"address+dhcp":     "version: 1\ninterfaces: [{name: eth0, dhcp: true, address: 10.0.0.1/24}]",
	"bad name":         "version: 1\ninterfaces: [{name: eth/0, dhcp: true}]",
	"mtu type":         "version: 1\ninterfaces: [{name: eth0, dhcp: true, mtu: '1500'}]",
	"reserved table":   "version: 1\ninterfaces: [{name: eth0, dhcp: true, route_table: 254}]",
	"bad mac":          "version: 1\ninterfaces: [{name: eth0, dhcp: true, mac: '00-16-3e-00-00-01'}]",
	"route without to": "version: 1\ninterfaces: [{name: eth0, dhcp: true, routes: [{via: 10.0.0.1}]}]",
	"quote in text":    "version: 1\ninterfaces: [{name: eth0, dhcp: true, description: \"it's\"}]",
	"no interfaces":    "version: 1\ninterfaces: []",
}

// TestSchemaBadRefusedBySpec: what the schema refuses, the loader refuses
// too (the schema is for editors; the loader is what users run).
func TestSchemaBadRefusedBySpec(t *testing.T) {
	for name, y := range schemaBad {
		if _, err := spec.Load(name+".yaml", []byte(y)); err == nil {
			t.Errorf("%s: accepted by spec.Load, refused by the schema", name)
		}
	}
}

// TestSchemaJSONSchema: the schema is valid draft-07, every example is
// valid against it, and documents with the errors a schema can express are
// not.
func TestSchemaJSONSchema(t *testing.T) {
	netlab.Require(t, false, "/usr/bin/python3")
	if err := exec.Command("/usr/bin/python3", "-c", "import jsonschema").Run(); err != nil {
		testenv.Missing(t, "python3-jsonschema is missing")
	}
	dir := t.TempDir()
	schema := filepath.Join(dir, "schema.json")
	if err := os.WriteFile(schema, spec.Schema(), 0o644); err != nil {
		t.Fatal(err)
	}
	examples, _ := filepath.Glob("../examples/*.yaml")
	var docs []string
	var names []string
	for _, e := range examples {
		data, err := os.ReadFile(e)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, yamlToJSON(t, string(data)))
		names = append(names, e)
	}
	good := len(docs)
	for name, y := range schemaBad {
		docs = append(docs, yamlToJSON(t, y))
		names = append(names, name)
	}
	cmd := exec.Command("/usr/bin/python3", "-c", validator, schema)
	cmd.Stdin = strings.NewReader(strings.Join(docs, "\n") + "\n")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("jsonschema: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != len(docs) {
		t.Fatalf("got %d verdicts for %d documents:\n%s", len(lines), len(docs), out)
	}
	for i, l := range lines {
		if i < good && l != "ok" {
			t.Errorf("%s: %s", names[i], l)
		}
		if i >= good && l == "ok" {
			t.Errorf("%s: accepted by the schema", names[i])
		}
	}
}
