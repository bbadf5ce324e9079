package spec_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/enicfg/enicfg/internal/gen"
	"github.com/enicfg/enicfg/spec"
)

// BenchmarkLoad measures decoding and validating: the seeds, and n ENIs
// with k private IPs each (cost should grow linearly with n*k).
func BenchmarkLoad(b *testing.B) {
	cases := map[string][]byte{}
	for _, ex := range []string{"nat-eip-secondary-eni", "three-enis-policy-routing", "dhcp-primary-secondary-ips"} {
		data, err := os.ReadFile("../examples/" + ex + ".yaml")
		if err != nil {
			b.Fatal(err)
		}
		cases["seed-"+ex] = data
	}
	for _, n := range []int{1, 8, 16} {
		for _, k := range []int{1, 20, 50} {
			cases[fmt.Sprintf("enis=%d/ips=%d", n, k)] = []byte(gen.Description(n, k))
		}
		// The same with as many IPv6 addresses beside (dual stack).
		cases[fmt.Sprintf("dual-stack/enis=%d/ips=20+20", n)] = []byte(gen.DualStack(n, 20, 20))
	}
	for _, name := range sortedKeys(cases) {
		data := cases[name]
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for i := 0; i < b.N; i++ {
				if _, err := spec.Load("b.yaml", data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func sortedKeys(m map[string][]byte) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	for i := range keys {
		for j := i + 1; j < len(keys); j++ {
			if keys[j] < keys[i] {
				keys[i], keys[j] = keys[j], keys[i]
			}
		}
	}
	return keys
}

// BenchmarkLimits measures the inputs at and past the limits: the largest
// description accepted, and the refusals of alias expansion, deep
// nesting, too many interfaces and too much input; each is bounded in
// time and memory.
func BenchmarkLimits(b *testing.B) {
	var alias, many strings.Builder
	alias.WriteString("version: 1\ninterfaces:\n  - &i\n    name: eth0\n    address: 10.0.0.10/16\n    gateway: 10.0.0.1\n    routes:\n")
	for i := 0; i < 1000; i++ {
		fmt.Fprintf(&alias, "      - {to: 10.%d.%d.0/24, via: 10.0.0.1, metric: %d}\n", 100+i/250, i%250, i)
	}
	for i := 1; i < 256; i++ {
		alias.WriteString("  - *i\n")
	}
	many.WriteString("version: 1\ninterfaces:\n")
	for i := 0; i < 5000; i++ {
		fmt.Fprintf(&many, "  - {name: e%d, dhcp: true}\n", i)
	}
	cases := []struct {
		name string
		data []byte
		ok   bool
	}{
		{"largest-accepted-256x50", []byte(gen.Description(spec.MaxInterfaces, 50)), true},
		{"alias-expansion", []byte(alias.String()), false},
		{"deep-nesting", []byte("version: 1\ninterfaces: " + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + "\n"), false},
		{"5000-interfaces", []byte(many.String()), false},
		{"over-1MiB", []byte(strings.Repeat("# padding\n", spec.MaxSize/10+1)), false},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(c.data)))
			for i := 0; i < b.N; i++ {
				_, err := spec.Load("b.yaml", c.data)
				if (err == nil) != c.ok {
					b.Fatalf("err = %v", err)
				}
			}
		})
	}
}
