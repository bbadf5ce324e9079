package spec_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/enicfg/enicfg/spec"
)

// mustFail loads data and wants exactly one error line that starts with
// prefix (file:line:col: and the start of the message).
func mustFail(t *testing.T, data []byte, prefix string) {
	t.Helper()
	m, err := spec.Load("t.yaml", data)
	if err == nil {
		t.Fatalf("loaded (%d interfaces); want an error starting %q", len(m.Interfaces), prefix)
	}
	if !strings.HasPrefix(err.Error(), prefix) {
		t.Fatalf("error %q, want it to start with %q", err, prefix)
	}
}

func TestNotUTF8(t *testing.T) {
	data := []byte("version: 1\ninterfaces:\n  - name: eth0\n    description: caf\xe9\n    dhcp: true\n")
	mustFail(t, data, "t.yaml:4:21: not valid UTF-8 (byte 0xe9 at offset 58)")
}

func TestNUL(t *testing.T) {
	mustFail(t, []byte("version: 1\x00\n"), "t.yaml:1:1: YAML syntax: control characters are not allowed")
}

func TestTooLarge(t *testing.T) {
	data := bytes.Repeat([]byte("# padding\n"), spec.MaxSize/10+1)
	mustFail(t, data, fmt.Sprintf("t.yaml:1:1: description too large: %d bytes, the limit is %d", len(data), spec.MaxSize))
}

// TestAliasExpansion: a small file whose aliases expand to millions of
// values inside the structure the decoder walks; refused by the visit
// budget.
func TestAliasExpansion(t *testing.T) {
	var b strings.Builder
	b.WriteString("version: 1\ninterfaces:\n  - &i\n    name: eth0\n    address: 10.0.0.10/16\n    gateway: 10.0.0.1\n    routes:\n")
	for i := 0; i < 1000; i++ {
		fmt.Fprintf(&b, "      - {to: 10.%d.%d.0/24, via: 10.0.0.1, metric: %d}\n", 100+i/250, i%250, i)
	}
	for i := 1; i < 256; i++ {
		b.WriteString("  - *i\n")
	}
	if len(b.String()) > 64000 {
		t.Fatalf("the bomb should be small, is %d bytes", len(b.String()))
	}
	m, err := spec.Load("t.yaml", []byte(b.String()))
	if err == nil {
		t.Fatalf("loaded %d interfaces", len(m.Interfaces))
	}
	if !strings.Contains(err.Error(), "description too large: more than 131072 values after alias expansion") {
		t.Fatalf("error does not name the expansion budget:\n%.2000s", err)
	}
}

// TestDeepNesting: deep flow nesting is refused by the YAML parser or by
// the decoder, not by a crash.
func TestDeepNesting(t *testing.T) {
	data := "version: 1\ninterfaces: " + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + "\n"
	if _, err := spec.Load("t.yaml", []byte(data)); err == nil {
		t.Fatal("deep nesting loaded")
	}
}

func TestTooManyInterfaces(t *testing.T) {
	var b strings.Builder
	b.WriteString("version: 1\ninterfaces:\n")
	for i := 0; i <= spec.MaxInterfaces; i++ {
		fmt.Fprintf(&b, "  - {name: e%d, dhcp: true, default_route: false}\n", i)
	}
	mustFail(t, []byte(b.String()), "t.yaml:3:3: 257 interfaces, more than the 256 this tool accepts")
}

func TestManyErrorsCapped(t *testing.T) {
	var b strings.Builder
	b.WriteString("version: 1\ninterfaces:\n")
	for i := 0; i < 200; i++ {
		fmt.Fprintf(&b, "  - {name: e%d, bogus: 1}\n", i)
	}
	_, err := spec.Load("t.yaml", []byte(b.String()))
	if err == nil {
		t.Fatal("loaded")
	}
	list := err.(spec.ErrorList)
	if len(list) != 101 || !strings.HasSuffix(list[100].Msg, "too many errors; stopping") {
		t.Fatalf("got %d errors, last %q", len(list), list[len(list)-1].Msg)
	}
}

// TestLargestAccepted: the largest description the limits allow loads.
func TestLargestAccepted(t *testing.T) {
	var b strings.Builder
	b.WriteString("version: 1\ninterfaces:\n")
	for i := 0; i < spec.MaxInterfaces; i++ {
		fmt.Fprintf(&b, "  - name: e%d\n    address: 10.%d.0.10/16\n    gateway: 10.%d.0.1\n    default_route: %v\n    route_table: %d\n    secondary_ips: [", i, i, i, i == 0, 1000+i)
		for k := 0; k < 49; k++ {
			if k > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, "10.%d.1.%d", i, k+1)
		}
		b.WriteString("]\n")
	}
	m, err := spec.Load("t.yaml", []byte(b.String()))
	if err != nil {
		t.Fatalf("%.500s", err)
	}
	if len(m.Interfaces) != spec.MaxInterfaces || len(m.Interfaces[255].Rules) != 50 {
		t.Fatalf("got %d interfaces", len(m.Interfaces))
	}
}
