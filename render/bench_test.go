package render_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/enicfg/enicfg/distros"
	"github.com/enicfg/enicfg/internal/gen"
	"github.com/enicfg/enicfg/spec"
)

// BenchmarkRender measures each built family's rendering of the seed with
// three ENIs and of n ENIs with k private IPs each.
func BenchmarkRender(b *testing.B) {
	type input struct {
		name string
		data []byte
	}
	seed, err := os.ReadFile("../examples/three-enis-policy-routing.yaml")
	if err != nil {
		b.Fatal(err)
	}
	inputs := []input{{"seed-three-enis", seed}}
	for _, n := range []int{1, 8, 16} {
		for _, k := range []int{1, 20, 50} {
			inputs = append(inputs, input{fmt.Sprintf("enis=%d/ips=%d", n, k), []byte(gen.Description(n, k))})
		}
	}
	for _, tgt := range distros.All() {
		if !tgt.IsFamily() {
			continue
		}
		for _, in := range inputs {
			m, err := spec.Load(in.name, in.data)
			if err != nil {
				b.Fatal(err)
			}
			b.Run(tgt.Family+"/"+in.name, func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					if _, _, err := tgt.Render(m, true); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
