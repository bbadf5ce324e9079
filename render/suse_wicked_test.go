package render_test

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/enicfg/enicfg/distros"
	"github.com/enicfg/enicfg/internal/netlab"
	"github.com/enicfg/enicfg/live"
	"github.com/enicfg/enicfg/render"
	"github.com/enicfg/enicfg/spec"
	"github.com/enicfg/enicfg/versions"
)

// wickedBuild is one wicked built from ../shared/compat (ENICFG_COMPAT):
// an install prefix (configure --prefix=DIR --sysconfdir=DIR/etc
// --localstatedir=DIR/var --with-compat=suse) with DIR/sbin/wicked,
// wickedd, wickedd-nanny and DIR/libexec/wicked/bin/wickedd-dhcp4.
type wickedBuild struct {
	version versions.Version
	prefix  string
}

var wickedVersion = regexp.MustCompile(`^wicked ([0-9.]+)`)

// wickedBuilds gives each distinct build once (the branches whose
// sources are the same are one build), with the version it reports.
func wickedBuilds(t *testing.T) []wickedBuild {
	t.Helper()
	var out []wickedBuild
	seen := map[string]bool{}
	for _, tool := range netlab.Compat(t, "wicked") {
		real, err := filepath.EvalSymlinks(tool.Dir)
		if err != nil {
			t.Fatal(err)
		}
		if seen[real] {
			continue
		}
		seen[real] = true
		for _, f := range []string{"sbin/wicked", "sbin/wickedd", "sbin/wickedd-nanny", "libexec/wicked/bin/wickedd-dhcp4"} {
			if _, err := os.Stat(filepath.Join(real, f)); err != nil {
				t.Fatalf("%s: %v", tool.Dir, err)
			}
		}
		stdout, _ := runSplit(t, filepath.Join(real, "sbin/wicked"), "--version")
		m := wickedVersion.FindStringSubmatch(stdout)
		if m == nil {
			t.Fatalf("%s: wicked --version says %q", tool.Dir, stdout)
		}
		out = append(out, wickedBuild{version: versions.Version(m[1]), prefix: real})
	}
	return out
}

// forWicked runs f for every wicked build and every suse target or point
// release whose versions take the build in, for every scenario, once per
// distinct file set and build: the files rendered (with what the target
// refuses by version left out, and the model without it).
//
// With extremes, only the targets that cover the build with the oldest
// and with the newest first version take part (the daemon runs wait for
// DHCP and take long; the files of the targets between hold nothing the
// two ends do not).
func forWicked(t *testing.T, extremes bool, f func(t *testing.T, b wickedBuild, m *spec.Model, files render.FileSet, rendered *spec.Model)) {
	builds := wickedBuilds(t)
	var mu sync.Mutex
	done := map[string]bool{}
	for _, b := range builds {
		var covering []distros.Target
		for _, tgt := range distros.Expanded() {
			if span, ok := tgt.Coverage().Span(versions.Wicked); ok && inSpan(span, b.version) {
				covering = append(covering, tgt)
			}
		}
		if extremes && len(covering) > 2 {
			first := func(tgt distros.Target) versions.Version {
				s, _ := tgt.Coverage().Span(versions.Wicked)
				return s.First
			}
			sort.SliceStable(covering, func(i, j int) bool { return first(covering[i]).Compare(first(covering[j])) < 0 })
			covering = []distros.Target{covering[0], covering[len(covering)-1]}
		}
		for _, tgt := range covering {
			for _, sc := range append(append([]scenario{}, suseScenarios...), suseLabScenarios...) {
				t.Run(string(b.version)+"/"+tgt.Name+"/"+sc.name, func(t *testing.T) {
					t.Parallel()
					m := sc.load(t)
					files, rendered := renderSUSE(t, m, tgt.Name)
					id := string(b.version) + "\x00" + sc.name + "\x00" + seen(nil, files)
					mu.Lock()
					again := done[id]
					done[id] = true
					mu.Unlock()
					if again {
						t.Skip("the same files were read by this build for another target")
					}
					f(t, b, m, files, rendered)
				})
			}
		}
	}
}

// labelled tells whether the rendered ifcfg of an interface gives its
// secondary addresses labels (LABEL_n, wicked 0.6.13).
func labelled(files render.FileSet, name string) bool {
	for _, f := range files {
		if path.Base(f.Path) == "ifcfg-"+name {
			return strings.Contains(string(f.Data), "\nLABEL_")
		}
	}
	return false
}

// writeSUSEConfig writes the sysconfig files of a rendering into a
// folder of their own (wicked's --ifconfig compat:suse:DIR), with empty
// global config and dhcp files, so that only wicked's built-in defaults
// and the rendered files count.
func writeSUSEConfig(t *testing.T, files render.FileSet) (string, []byte) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "network")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var udev []byte
	for _, f := range files {
		if f.Path == "/etc/udev/rules.d/70-enicfg-net.rules" {
			udev = f.Data
			continue
		}
		if err := os.WriteFile(filepath.Join(dir, path.Base(f.Path)), f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, g := range []string{"config", "dhcp"} {
		if err := os.WriteFile(filepath.Join(dir, g), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir, udev
}

// wickedConfig is the part of `wicked show-config` that enicfg's files
// set.
type wickedConfig struct {
	Interfaces []struct {
		Name    string `xml:"name"`
		Mode    string `xml:"control>mode"`
		MTU     int    `xml:"link>mtu"`
		Ethtool struct {
			Combined int `xml:"channels>combined"`
		} `xml:"ethtool"`
		DHCP *struct {
			Enabled       bool    `xml:"enabled"`
			Update        string  `xml:"update"`
			RoutePriority *uint32 `xml:"route-priority"`
			RouteSetSrc   bool    `xml:"route-set-src"`
		} `xml:"ipv4 dhcp"`
		Static struct {
			Addrs []struct {
				Local string `xml:"local"`
				Label string `xml:"label"`
			} `xml:"address"`
			Routes []struct {
				Destination string  `xml:"destination"`
				Gateway     string  `xml:"nexthop>gateway"`
				Table       uint32  `xml:"kern>table"`
				Priority    *uint32 `xml:"priority"`
				PrefSource  string  `xml:"pref-source"`
			} `xml:"route"`
			Rules []struct {
				Priority uint32 `xml:"match>priority"`
				From     string `xml:"match>from"`
				Action   string `xml:"action>type"`
				Table    uint32 `xml:"action>table"`
			} `xml:"rule"`
		} `xml:"ipv4 static"`
		Static6 struct {
			Addrs []struct {
				Local string `xml:"local"`
			} `xml:"address"`
			Routes []struct {
				Destination string  `xml:"destination"`
				Gateway     string  `xml:"nexthop>gateway"`
				Table       uint32  `xml:"kern>table"`
				Priority    *uint32 `xml:"priority"`
				PrefSource  string  `xml:"pref-source"`
			} `xml:"route"`
			Rules []struct {
				Priority uint32 `xml:"match>priority"`
				From     string `xml:"match>from"`
				Action   string `xml:"action>type"`
				Table    uint32 `xml:"action>table"`
			} `xml:"rule"`
		} `xml:"ipv6 static"`
		DHCP6 *struct {
			Enabled bool `xml:"enabled"`
		} `xml:"ipv6 dhcp"`
		Auto6 *struct {
			Enabled bool `xml:"enabled"`
		} `xml:"ipv6 auto"`
		AcceptRA  string `xml:"ipv6>accept-ra"`
		AcceptDAD string `xml:"ipv6>accept-dad"`
		Autoconf  string `xml:"ipv6>autoconf"`
	} `xml:"interface"`
}

// wickedView is what wicked's configuration of an interface holds, as
// comparable strings.
type wickedView struct {
	Mode, DHCP string
	// IPv6: dhcp6 or auto6, and the ifsysctl settings (accept-ra,
	// autoconf) as show-config gives them.
	IPv6     string
	MTU      int
	Channels int
	Addrs    []string
	Routes   []string
	Rules    []string
}

func wickedRoute(dst, gw string, table uint32, metric *uint32, src string) string {
	s := dst
	if gw != "" {
		s += " via " + gw
	}
	if table != 0 && table != 254 {
		s += fmt.Sprintf(" table %d", table)
	}
	if metric != nil && *metric != 0 {
		s += fmt.Sprintf(" metric %d", *metric)
	}
	if src != "" {
		s += " src " + src
	}
	return s
}

// wantWicked gives the view of each interface that the description
// means, from the model and whether the files label the addresses.
func wantWicked(m *spec.Model, files render.FileSet) map[string]wickedView {
	out := map[string]wickedView{}
	for _, in := range m.Interfaces {
		v := wickedView{Mode: "boot", MTU: in.MTU, DHCP: "off"}
		for _, f := range files {
			if path.Base(f.Path) == "ifcfg-"+in.Name && strings.Contains(string(f.Data), "\nETHTOOL_OPTIONS=") {
				v.Channels = in.Queues // else the udev rule sets them
			}
		}
		if in.DHCP {
			v.DHCP = "default-route=" + fmt.Sprint(in.DefaultRoute)
			if in.DefaultRoute && in.HasMetric {
				v.DHCP += fmt.Sprintf(" route-priority=%d", in.Metric)
			}
			if in.DefaultRoute && len(in.SecondaryIPs) > 0 {
				v.DHCP += " route-set-src"
			}
		}
		if in.Address.IsValid() {
			v.Addrs = append(v.Addrs, in.Address.String())
		}
		for k, ip := range in.SecondaryIPs {
			if labelled(files, in.Name) {
				v.Addrs = append(v.Addrs, fmt.Sprintf("%s label %d", ip, k))
			} else {
				v.Addrs = append(v.Addrs, ip.String())
			}
		}
		var routes []spec.Route
		if !in.DHCP && in.DefaultRoute {
			routes = append(routes, spec.Route{To: netip.MustParsePrefix("0.0.0.0/0"), Via: in.Gateway, HasMetric: in.HasMetric, Metric: in.Metric})
		}
		routes = append(append(routes, in.TableRoutes...), in.Routes...)
		routes = append(routes, wantWicked6(in, &v)...)
		for _, r := range routes {
			var gw, src string
			if r.Via.IsValid() {
				gw = r.Via.String()
			}
			if r.Src.IsValid() {
				src = r.Src.String()
			}
			var metric *uint32
			if r.HasMetric {
				metric = &r.Metric
			}
			v.Routes = append(v.Routes, wickedRoute(r.To.String(), gw, r.Table, metric, src))
		}
		for _, r := range append(append([]spec.Rule{}, in.Rules...), in.IPv6.Rules...) {
			v.Rules = append(v.Rules, fmt.Sprintf("%d: from %s lookup %d", r.Priority, r.From, r.Table))
		}
		sort.Strings(v.Routes)
		sort.Strings(v.Rules)
		out[in.Name] = v
	}
	return out
}

// wantWicked6 adds the IPv6 of an interface to its view: the addresses,
// the addrconf (dhcp6, auto6) and the ifsysctl settings, and gives its
// routes (the default route via a described router first).
func wantWicked6(in *spec.Interface, v *wickedView) []spec.Route {
	six := &in.IPv6
	if !six.Enabled() {
		if in.DHCP {
			v.IPv6 = "dhcp6" // BOOTPROTO dhcp runs DHCPv6 beside DHCPv4
		}
		return nil
	}
	for _, p := range six.IPs() {
		v.Addrs = append(v.Addrs, p.String())
	}
	switch {
	case six.Mode == spec.IPv6DHCP:
		v.IPv6 = "dhcp6 autoconf=false"
	case six.Mode == spec.IPv6SLAAC:
		v.IPv6 = "auto6"
	case six.GatewayRA && six.DefaultRoute:
		v.IPv6 = "autoconf=false"
	default:
		v.IPv6 = "autoconf=false accept-ra=disable"
	}
	for _, r := range six.Routes {
		if r.Src.IsValid() {
			v.IPv6 += " accept-dad=disable"
			break
		}
	}
	var routes []spec.Route
	if six.DefaultRoute && six.Gateway.IsValid() {
		routes = append(routes, spec.Route{To: netip.MustParsePrefix("::/0"), Via: six.Gateway, HasMetric: six.HasMetric, Metric: six.Metric})
	}
	return append(append(routes, six.TableRoutes...), six.Routes...)
}

// TestWickedShowConfig has every wicked built from ../shared/compat (the
// SLES 12 SP3 branch's 0.6.64 and the SLES 12 SP5 / 15 SP7 branches'
// 0.6.79) read, offline, the files of every suse target and point release
// that covers it (`wicked show-config --ifconfig compat:suse:DIR all`, the
// parser wickedd uses) and compares what it understood with the
// description: addresses and labels, every route with its table, metric
// and source, every rule, MTU, channels, and the DHCP default route and
// its priority. wicked must log nothing: no ignored variable, no
// unparsable route or rule line.
func TestWickedShowConfig(t *testing.T) {
	forWicked(t, false, func(t *testing.T, b wickedBuild, m *spec.Model, files render.FileSet, rendered *spec.Model) {
		prefix := b.prefix
		{
			dir, _ := writeSUSEConfig(t, files)
			stdout, stderr := runSplit(t, filepath.Join(prefix, "sbin/wicked"), "--log-level", "info", "show-config", "--ifconfig", "compat:suse:"+dir, "all")
			if strings.TrimSpace(stderr) != "" {
				t.Fatalf("wicked logged while reading the files:\n%s\n%s", stderr, dump(files))
			}
			var cfg wickedConfig
			if err := xml.Unmarshal([]byte("<r>"+stdout+"</r>"), &cfg); err != nil {
				t.Fatalf("show-config output: %v\n%s", err, stdout)
			}
			got := map[string]wickedView{}
			for _, i := range cfg.Interfaces {
				v := wickedView{Mode: i.Mode, MTU: i.MTU, Channels: i.Ethtool.Combined, DHCP: "off"}
				if i.DHCP != nil && i.DHCP.Enabled {
					v.DHCP = "default-route=" + fmt.Sprint(strings.Contains(","+i.DHCP.Update+",", ",default-route,"))
					if i.DHCP.RoutePriority != nil {
						v.DHCP += fmt.Sprintf(" route-priority=%d", *i.DHCP.RoutePriority)
					}
					if i.DHCP.RouteSetSrc {
						v.DHCP += " route-set-src"
					}
				}
				for _, a := range i.Static.Addrs {
					s := a.Local
					if a.Label != "" {
						s += " label " + a.Label
					}
					v.Addrs = append(v.Addrs, s)
				}
				for _, r := range i.Static.Routes {
					dst := r.Destination
					if dst == "" {
						dst = "0.0.0.0/0" // before 0.6.77 show-config leaves a default route's out
					}
					v.Routes = append(v.Routes, wickedRoute(dst, r.Gateway, r.Table, r.Priority, r.PrefSource))
				}
				for _, r := range append(i.Static.Rules, i.Static6.Rules...) {
					from := strings.TrimSuffix(r.From, "/32")
					if r.Action != "lookup" {
						from += " action " + r.Action
					}
					v.Rules = append(v.Rules, fmt.Sprintf("%d: from %s lookup %d", r.Priority, from, r.Table))
				}
				for _, a := range i.Static6.Addrs {
					v.Addrs = append(v.Addrs, a.Local)
				}
				for _, r := range i.Static6.Routes {
					dst := r.Destination
					if dst == "" {
						dst = "::/0" // as for IPv4, before 0.6.77
					}
					v.Routes = append(v.Routes, wickedRoute(dst, r.Gateway, r.Table, r.Priority, r.PrefSource))
				}
				v.IPv6 = shownIPv6(i.DHCP6 != nil && i.DHCP6.Enabled, i.Auto6 != nil && i.Auto6.Enabled, i.Autoconf, i.AcceptRA, i.AcceptDAD)
				sort.Strings(v.Routes)
				sort.Strings(v.Rules)
				got[i.Name] = v
			}
			want := wantWicked(rendered, files)
			for n, v := range want {
				for k, r := range v.Rules {
					v.Rules[k] = strings.Replace(r, "/32 lookup", " lookup", 1)
				}
				want[n] = v
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Fatalf("wicked reads other settings than the description (-want +got):\n%s\n%s", d, dump(files))
			}
		}
	})
}

// shownIPv6 gives the IPv6 part of the view from what show-config says.
func shownIPv6(dhcp6, auto6 bool, autoconf, acceptRA, acceptDAD string) string {
	var f []string
	if dhcp6 {
		f = append(f, "dhcp6")
	}
	if auto6 {
		f = append(f, "auto6")
	}
	if autoconf != "" {
		f = append(f, "autoconf="+autoconf)
	}
	if acceptRA != "" {
		f = append(f, "accept-ra="+acceptRA)
	}
	if acceptDAD != "" {
		f = append(f, "accept-dad="+acceptDAD)
	}
	return strings.Join(f, " ")
}

// TestWickedRouteSetSrc holds the version data to the real wicked where
// the builds at hand straddle a construct: DHCLIENT_ROUTE_SET_SRC came
// with 0.6.68, so 0.6.64 (SLES 12 SP3's last) must not read it and
// 0.6.79 must.
func TestWickedRouteSetSrc(t *testing.T) {
	fam, _ := render.FamilyNamed("suse")
	builds := wickedBuilds(t)
	m := (scenario{name: "dhcp-secondaries", file: "dhcp-primary-secondary-ips.yaml"}).load(t)
	files := renderFor(t, m, "sles15sp4")
	dir, _ := writeSUSEConfig(t, files)
	for _, b := range builds {
		cov := versions.Coverage{Spans: []versions.Span{{Tool: versions.Wicked, First: b.version, Last: b.version}}}
		want := false
		for _, c := range fam.ConstructsFor("ifcfg DHCLIENT_ROUTE_SET_SRC", cov) {
			want = cov.Has(c)
		}
		stdout, _ := runSplit(t, filepath.Join(b.prefix, "sbin/wicked"), "show-config", "--ifconfig", "compat:suse:"+dir, "all")
		if got := strings.Contains(stdout, "<route-set-src>true</route-set-src>"); got != want {
			t.Errorf("wicked %s reads DHCLIENT_ROUTE_SET_SRC: %v; the version data says %v", b.version, got, want)
		}
	}
}

// TestWickedIfup applies every scenario's files with the real wickedd of
// each build, for the targets that cover the build with the oldest and the
// newest first version, in a private network namespace: MAC-bound links are named by
// the rendered udev rule, a private dbus-daemon carries wickedd,
// wickedd-nanny and the DHCP supplicants, dnsmasq on the peer answers
// DHCP, and `wicked ifup --ifconfig compat:suse:DIR all` brings the
// interfaces up. /sys is read-only in the sandbox (wicked then takes
// udev as absent and links as ready), /etc is an overlay and /run and
// wicked's state folder are private, so nothing of the host is written;
// the daemons run in their own UTS namespace. The kernel state must be
// the description, a second ifup must not change it, ifdown must leave
// no address, rule or route, and ifup again gives the same state.
func TestWickedIfup(t *testing.T) {
	netlab.Require(t, true, "dbus-daemon", "dbus-send", "dnsmasq", "unshare", "setsid")
	forWicked(t, true, func(t *testing.T, b wickedBuild, m *spec.Model, files render.FileSet, rendered *spec.Model) {
		applyWicked(t, m, files, rendered, b.prefix)
	})
}

func applyWicked(t *testing.T, m *spec.Model, files render.FileSet, rendered *spec.Model, prefix string) {
	cfg, udev := writeSUSEConfig(t, files)
	// The lab serves what was rendered: no router advertisements for an
	// interface whose IPv6 the target refused (the kernel would take
	// them, as for any interface described without IPv6).
	tn := netlab.NewNet(t, rendered, ruleFile(udev), netlab.DHCPServed)
	lab, mac, leases, routers := tn.Lab, tn.MACs, tn.Leases, tn.Routers

	dir := lab.Dir()
	sb, env, logs, _ := startWicked(t, lab, prefix, "")
	wicked := func(args ...string) string {
		t.Helper()
		start := time.Now()
		out, err := sb.Run(120*time.Second, env, append([]string{prefix + "/sbin/wicked", "--log-target", "stderr"}, args...)...)
		t.Logf("wicked %s: %.1f s", args[0], time.Since(start).Seconds())
		if err != nil {
			t.Fatalf("wicked %s: %v\n%s\n%s\n%s", strings.Join(args, " "), err, out, logs(), dump(files))
		}
		return out
	}

	want := netlab.Want(t, tn.IPv6.Fill(live.Expect{Layout: live.Wicked, MACs: mac, AliasLabels: func(in *spec.Interface) bool { return labelled(files, in.Name) }, Leases: leases, Routers: routers}), rendered)
	check := func(when string) {
		t.Helper()
		// Router advertisements and DHCPv6 come when the lab's router
		// answers.
		wait := 10 * time.Second
		if debianServed6(rendered) {
			wait = 30 * time.Second
		}
		got := lab.WaitFor(wait, func(s netlab.State) bool { return netlab.Diff(want, s) == "" })
		if d := netlab.Diff(want, got); d != "" {
			t.Fatalf("%s: kernel state differs from the description (-want +got):\n%s\n%s\n%s", when, d, logs(), dump(files))
		}
	}
	up := []string{"ifup", "--ifconfig", "compat:suse:" + cfg, "all"}
	out := wicked(up...)
	for _, in := range m.Interfaces {
		if !regexp.MustCompile(`(?m)^` + in.Name + `\s+up$`).MatchString(out) {
			t.Fatalf("wicked ifup: %s is not up:\n%s\n%s", in.Name, out, logs())
		}
	}
	check("after wicked ifup all")
	checkEgressSource(t, lab, rendered, leases)
	// veth has no combined channels: wickedd's warning shows that it
	// read ETHTOOL_OPTIONS and tried to set them.
	for _, in := range m.Interfaces {
		if in.Queues == 0 || wantWicked(rendered, files)[in.Name].Channels == 0 {
			continue // none, or set by the udev rule
		}
		data, _ := os.ReadFile(filepath.Join(dir, "daemon1.log"))
		if !strings.Contains(string(data), in.Name+": ethtool set channels") {
			t.Errorf("%s: wickedd did not try to set the channels (queues: %d):\n%s", in.Name, in.Queues, logs())
		}
	}
	wicked(up...)
	check("after a second wicked ifup all")
	wicked("ifdown", "all")
	// wicked ifdown returns before wickedd has removed everything (a DHCP
	// interface's rules can go a moment after the release): wait. 10 s
	// was not enough once (0.6.64, dhcp-metrics, a CI rehearsal with the
	// IPv6 scenarios running beside it).
	start := time.Now()
	first := lab.State().Leftovers()
	left := lab.WaitFor(30*time.Second, func(s netlab.State) bool { return len(s.Leftovers()) == 0 }).Leftovers()
	if len(first) > 0 && len(left) == 0 {
		t.Logf("wicked ifdown all: gone %.1f s after it returned: %s", time.Since(start).Seconds(), strings.Join(first, "; "))
	}
	if len(left) > 0 {
		t.Fatalf("wicked ifdown all left:\n%s\n%s", strings.Join(left, "\n"), logs())
	}
	// After a release, wicked's DHCP client asks for a new lease; on a
	// loaded machine (CI runs many namespaces at once) it can take longer
	// than wicked's 30 s default: wait up to 90 s.
	wicked("ifup", "--timeout", "90", "--ifconfig", "compat:suse:"+cfg, "all")
	check("after wicked ifdown all and ifup all")
	// enicfg check, where the target expressed the whole description.
	if reflect.DeepEqual(m.Interfaces, rendered.Interfaces) {
		checkHost(t, tn.Lab, m, "suse", true)
	}
}

// runSplit runs a command and gives its standard output and standard
// error apart; a failure ends the test.
func runSplit(t *testing.T, name string, args ...string) (string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String(), stderr.String()
}

// startWicked runs a private D-Bus and wicked's daemons (the build at
// prefix) in a sandbox of the lab, with a private /etc (overlay), /run
// and wicked's state; extra is more setup for the sandbox. It gives the
// sandbox, the environment that reaches the bus, the daemons' logs, and
// restart, which stops wicked's daemons and starts them again (stop only,
// when start is false).
func startWicked(t *testing.T, lab *netlab.Lab, prefix, extra string) (sb *netlab.Sandbox, env []string, logs func() string, restart func(start bool)) {
	t.Helper()
	dir := lab.Dir()
	bus := filepath.Join(dir, "bus")
	if err := os.WriteFile(filepath.Join(dir, "bus.conf"), []byte(netlab.BusConfig(bus)), 0o644); err != nil {
		t.Fatal(err)
	}
	sb = lab.Sandbox(fmt.Sprintf(`
mount -o remount,ro /sys
mkdir -p %[1]s/etc-up %[1]s/etc-wk
mount -t overlay enicfg-etc -o lowerdir=/etc,upperdir=%[1]s/etc-up,workdir=%[1]s/etc-wk /etc
mount -t tmpfs enicfg-run /run
mount -t tmpfs enicfg-wicked %[2]s/var
mkdir -p %[2]s/var/run/wicked %[2]s/var/lib/wicked
`, dir, prefix) + extra)
	env = []string{"DBUS_SYSTEM_BUS_ADDRESS=unix:path=" + bus}
	// Started one after the other as their systemd units order them:
	// each is on the bus before the next starts (nanny asks wickedd for
	// its interfaces once, at start).
	daemons := []struct{ cmd, name string }{
		{"setsid dbus-daemon --nofork --config-file=" + filepath.Join(dir, "bus.conf"), "org.freedesktop.DBus"},
		{"setsid unshare --uts " + prefix + "/sbin/wickedd --foreground --log-target stderr --log-level info", "org.opensuse.Network"},
		{"setsid unshare --uts " + prefix + "/libexec/wicked/bin/wickedd-dhcp4 --foreground --log-target stderr", "org.opensuse.Network.DHCP4"},
		{"setsid unshare --uts " + prefix + "/libexec/wicked/bin/wickedd-dhcp6 --foreground --log-target stderr", "org.opensuse.Network.DHCP6"},
		{"setsid unshare --uts " + prefix + "/sbin/wickedd-nanny --foreground --log-target stderr", "org.opensuse.Network.Nanny"},
	}
	run := func(from int) {
		t.Helper()
		var script strings.Builder
		script.WriteString("set -e\n")
		for k, d := range daemons[from:] {
			k += from
			log := filepath.Join(dir, fmt.Sprintf("daemon%d.log", k))
			fmt.Fprintf(&script, "%s </dev/null >>%s 2>&1 &\necho $! > /run/enicfg-daemon%d.pid\n", d.cmd, log, k)
			if k == 0 {
				fmt.Fprintf(&script, "for i in $(seq 100); do [ -S %s ] && break; sleep 0.1; done\n", bus)
				continue
			}
			fmt.Fprintf(&script, `ok=
for i in $(seq 100); do
	if dbus-send --system --print-reply --dest=org.freedesktop.DBus / org.freedesktop.DBus.NameHasOwner string:%[1]s | grep -q 'boolean true'; then ok=1; break; fi
	sleep 0.1
done
[ -n "$ok" ] || { echo "%[1]s is not on the bus"; exit 1; }
`, d.name)
		}
		if out, err := sb.Run(60*time.Second, env, "sh", "-c", script.String()); err != nil {
			t.Fatalf("starting wickedd: %v\n%s", err, out)
		}
	}
	run(0)
	logs = func() string {
		var b strings.Builder
		for k, d := range daemons {
			data, _ := os.ReadFile(filepath.Join(dir, fmt.Sprintf("daemon%d.log", k)))
			fmt.Fprintf(&b, "--- %s\n%s", d.cmd, data)
		}
		return b.String()
	}
	restart = func(start bool) {
		t.Helper()
		// setsid makes each daemon the leader of its own session: the
		// recorded process is setsid's, which execs the daemon (unshare
		// execs it in turn).
		if out, err := sb.Run(10*time.Second, nil, "sh", "-c",
			"for k in 1 2 3 4; do kill $(cat /run/enicfg-daemon$k.pid) 2>/dev/null; done; sleep 0.5"); err != nil {
			t.Fatalf("stopping wicked's daemons: %v\n%s", err, out)
		}
		if start {
			run(1)
		}
	}
	return sb, env, logs, restart
}
