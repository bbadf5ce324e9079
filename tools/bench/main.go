// Command bench times whole `enicfg render` runs against cloud-init's
// `devel net-convert` on the same scenario and prints a Markdown report:
// median and 90th-percentile wall time, peak memory (max RSS), their
// ratio, and the size of the enicfg binary. make bench runs it.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/enicfg/enicfg/internal/gen"
)

type result struct {
	name      string
	wall      []time.Duration
	maxRSSKiB int64
}

func (r *result) median() time.Duration { return r.pct(50) }

func (r *result) pct(p int) time.Duration {
	s := append([]time.Duration{}, r.wall...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[(len(s)-1)*p/100]
}

func run(name string, n int, args ...string) (*result, error) {
	r := &result{name: name}
	for i := 0; i < n; i++ {
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Stdout, cmd.Stderr = nil, nil
		start := time.Now()
		if err := cmd.Run(); err != nil {
			out, _ := exec.Command(args[0], args[1:]...).CombinedOutput()
			return nil, fmt.Errorf("%s: %v\n%s", strings.Join(args, " "), err, out)
		}
		r.wall = append(r.wall, time.Since(start))
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && ru.Maxrss > r.maxRSSKiB {
			r.maxRSSKiB = ru.Maxrss
		}
	}
	return r, nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }

func main() {
	n := flag.Int("n", 30, "runs of each command")
	bin := flag.String("enicfg", "bin/enicfg", "the enicfg binary")
	flag.Parse()
	tmp, err := os.MkdirTemp("", "enicfg-bench")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer os.RemoveAll(tmp)
	large := filepath.Join(tmp, "large.yaml")
	os.WriteFile(large, []byte(gen.Description(16, 50)), 0o644)
	os.Mkdir(filepath.Join(tmp, "e"), 0o755)

	var rs []*result
	add := func(name string, args ...string) {
		r, err := run(name, *n, args...)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		rs = append(rs, r)
	}
	add("enicfg render --distro ubuntu2204 (seed, three ENIs)", *bin, "render", "--distro", "ubuntu2204", "-f", "examples/three-enis-policy-routing.yaml", "--root", filepath.Join(tmp, "e"))
	add("cloud-init devel net-convert -O netplan (same scenario)", "cloud-init", "devel", "net-convert", "-p", "testdata/bench/three-enis.netplan-v2.yaml",
		"-k", "yaml", "-d", filepath.Join(tmp, "c"), "-D", "ubuntu", "-O", "netplan")
	add("enicfg render --distro ubuntu2204 (16 ENIs x 50 IPs)", *bin, "render", "--distro", "ubuntu2204", "-f", large, "--root", filepath.Join(tmp, "e"))
	add("enicfg validate (16 ENIs x 50 IPs)", *bin, "validate", "-f", large)

	fi, _ := os.Stat(*bin)
	host, _ := os.Hostname()
	fmt.Printf("Machine: %s, %d CPUs, %s/%s, %s; %d runs each.\n\n", host, runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version(), *n)
	fmt.Println("| command | median wall | p90 wall | peak memory (max RSS) |")
	fmt.Println("| --- | --- | --- | --- |")
	for _, r := range rs {
		fmt.Printf("| %s | %s | %s | %.1f MiB |\n", r.name, ms(r.median()), ms(r.pct(90)), float64(r.maxRSSKiB)/1024)
	}
	fmt.Printf("\nRatio on the seed: cloud-init's median is %.0f times enicfg's; its peak memory %.1f times.\n",
		float64(rs[1].median())/float64(rs[0].median()), float64(rs[1].maxRSSKiB)/float64(rs[0].maxRSSKiB))
	fmt.Printf("Binary: %s, %.1f MiB.\n", *bin, float64(fi.Size())/(1<<20))
}
