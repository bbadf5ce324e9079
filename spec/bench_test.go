package spec_test

import (
	"fmt"
	"os"
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
