package render_test

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/enicfg/enicfg/internal/gen"
	"github.com/enicfg/enicfg/render"
)

// The Windows scripts cannot be run here (no Windows, and Wine's cmd.exe
// expands %% differently from Microsoft's), so these tests hold every
// generated line to what Microsoft documents, with the checkers of
// internal/syntax: cmd.exe's expansion rules and control flow
// (windows_cmd_test.go), the netsh interface ipv4 grammar
// (windows_netsh_test.go), the PowerShell cmdlets and parameters of
// Windows Server 2012 R2, and a PowerShell parser (windows_ps_test.go);
// and they run the scripts against a model of the host (internal/winmodel;
// winconverge_test.go, winmodel_test.go). This
// file renders the scripts they share.

// winScript is one generated script.
type winScript struct {
	name string // where it came from
	data []byte
}

// windowsScripts renders every windows golden case and every seed
// scenario (with --skip-unsupported) for each Windows target.
func windowsScripts(t *testing.T) (cmds, ps1s []winScript) {
	t.Helper()
	add := func(name string, files render.FileSet) {
		for _, f := range files {
			s := winScript{name: name + ":" + f.Path, data: f.Data}
			switch {
			case strings.HasSuffix(f.Path, ".cmd"):
				cmds = append(cmds, s)
			case strings.HasSuffix(f.Path, ".ps1"):
				ps1s = append(ps1s, s)
			default:
				t.Errorf("%s: unexpected file %s", name, f.Path)
			}
		}
	}
	paths, _ := filepath.Glob("../testdata/golden/windows/*.txtar")
	for _, p := range paths {
		gc := loadGolden(t, p)
		files, _ := renderCase(gc)
		add(filepath.Base(p), files)
	}
	scenarios := append(append([]scenario{}, seedScenarios...), windowsScenarios...)
	scenarios = append(append(scenarios, ipv6Scenarios...), ipv6LabScenarios...)
	for _, c := range convergeCases6 {
		scenarios = append(scenarios, scenario{name: c.name, yaml: c.yaml}, scenario{name: c.name + "-prev", yaml: c.prev})
	}
	for _, target := range []string{"windows2008r2", "windows2012r2", "windows2022"} {
		for _, sc := range scenarios {
			add(target+"/"+sc.name, renderWith(t, sc.load(t), target, true))
		}
	}
	if len(cmds) == 0 || len(ps1s) == 0 {
		t.Fatal("no scripts rendered")
	}
	return cmds, ps1s
}

// windowsScenarios give every interface an adapter (the seeds' eth0 has
// none) and use every feature the scripts express.
var windowsScenarios = []scenario{
	{name: "windows-all", yaml: `
version: 1
cloud: aliyun
interfaces:
  - name: eth0
    windows_name: "Ethernet %PATH% ^ & | <x> (a) !b! %A %~dpB $c #n"
    dhcp: true
    mtu: 1500
    routes:
      - to: 192.168.0.0/16
        via: 10.0.0.253
  - name: eth1
    mac: "00:16:3e:12:e7:27"
    address: 172.16.0.163/24
    gateway: 172.16.0.253
    secondary_ips: [172.16.0.164, 172.16.0.165]
    metric: 1001
    default_route: true
    mtu: 9000
    routes:
      - to: 10.10.0.0/16
        via: 172.16.0.253
        metric: 9999
      - to: 10.11.0.0/16
    description: "%~f0 ^ & | ^"
    eips:
      - public: 47.100.10.1
        private: 172.16.0.164
  - name: eth2
    windows_name: Ethernet 3
    dhcp: true
    default_route: false
`},
}

func TestWindowsScriptsAreWindowsText(t *testing.T) {
	cmds, ps1s := windowsScripts(t)
	for _, s := range append(cmds, ps1s...) {
		d := s.data
		if !bytes.HasSuffix(d, []byte("\r\n")) {
			t.Errorf("%s: does not end with CRLF", s.name)
		}
		for i, c := range d {
			switch {
			case c == '\n' && (i == 0 || d[i-1] != '\r'):
				t.Errorf("%s: byte %d: LF without CR", s.name, i)
			case c == '\r' && (i+1 == len(d) || d[i+1] != '\n'):
				t.Errorf("%s: byte %d: CR without LF", s.name, i)
			case c >= 0x80 || (c < ' ' && c != '\r' && c != '\n'):
				t.Errorf("%s: byte %d: %#x is not printable ASCII", s.name, i, c)
			}
		}
	}
}

func lines(d []byte) []string {
	return strings.Split(strings.TrimSuffix(string(d), "\r\n"), "\r\n")
}

// TestWindowsReturnPath: Windows sends with the strong host model, so a
// reply from an address of a secondary ENI leaves only by a route of that
// ENI. Every secondary ENI that Linux would give policy routing
// (route_table) or whose addresses answer traffic from outside its subnet
// (EIPs, secondary IPs) must get a default route of its own, at the
// largest metric, in both scripts; the primary and ENIs without such
// addresses must not. The expectation is computed here from the
// description, not from the renderer's helper.
func TestWindowsReturnPath(t *testing.T) {
	for _, sc := range []scenario{
		{name: "nat-eip", yaml: natEIPWindows},
		{name: "three-enis", yaml: threeENIsWindows},
	} {
		m := sc.load(t)
		files := renderWith(t, m, "windows2022", true)
		cmd := blocks(string(fileOf(t, files, render.WindowsCmd)), "REM -----")
		ps := blocks(string(fileOf(t, files, render.WindowsPS1)), "# -----")
		if len(cmd) != len(m.Interfaces) || len(ps) != len(m.Interfaces) {
			t.Fatalf("%s: %d/%d interface blocks for %d interfaces", sc.name, len(cmd), len(ps), len(m.Interfaces))
		}
		for k, in := range m.Interfaces {
			needs := !in.Primary && !in.DefaultRoute && in.Gateway.IsValid() && (in.Table != 0 || len(in.EIPs)+len(in.SecondaryIPs) > 0)
			gw := in.Gateway.String()
			hasCmd := strings.Contains(cmd[k], "gateway="+gw+" gwmetric=9999 ")
			hasPS := strings.Contains(ps[k], "-DestinationPrefix '0.0.0.0/0' -NextHop '"+gw+"' -RouteMetric 9999 | Out-Null")
			if hasCmd != needs || hasPS != needs {
				t.Errorf("%s: %s: return path in netsh %v, in PowerShell %v, want %v\n%s", sc.name, in.Name, hasCmd, hasPS, needs, cmd[k])
			}
			if needs && (strings.Contains(cmd[k], "gateway=none") || strings.Contains(cmd[k], "nexthop="+gw+" >nul 2>&1 && set")) {
				t.Errorf("%s: %s: the script still takes the ENI's default route away", sc.name, in.Name)
			}
		}
	}
}

// blocks splits a script at the separator lines of its interfaces.
func blocks(s, sep string) []string {
	parts := strings.Split(s, "\n"+sep)
	return parts[1:]
}

// The seeds, found by adapter name where they have no MAC.
const natEIPWindows = `
version: 1
cloud: aliyun
interfaces:
  - name: eth0
    windows_name: Ethernet
    dhcp: true
  - name: eth1
    mac: "00:16:3e:12:cc:8d"
    address: 172.16.0.163/24
    gateway: 172.16.0.253
    secondary_ips: [172.16.0.164, 172.16.0.165]
    default_route: false
    eips:
      - {public: 47.100.10.1, private: 172.16.0.163}
      - {public: 47.100.10.2, private: 172.16.0.164}
`

const threeENIsWindows = `
version: 1
cloud: aliyun
interfaces:
  - name: eth0
    windows_name: Ethernet
    dhcp: true
    subnet: 10.0.0.0/24
    gateway: 10.0.0.253
  - name: eth1
    mac: "00:16:3e:12:e7:27"
    address: 10.0.0.20/24
    gateway: 10.0.0.253
    default_route: false
    route_table: 1001
  - name: eth2
    mac: "00:16:3e:12:16:ec"
    address: 10.0.0.21/24
    gateway: 10.0.0.253
    default_route: false
  - name: eth3
    mac: "00:16:3e:12:16:ed"
    address: 10.0.1.21/24
    gateway: 10.0.1.253
    default_route: false
    secondary_ips: [10.0.1.22]
`

// TestWindowsUserData: each launcher's form is the script unchanged inside
// the markers its documentation names, and the clouds' 16 KB limit is
// enforced where they apply it.
func TestWindowsUserData(t *testing.T) {
	m := scenario{name: "nat-eip", yaml: natEIPWindows}.load(t)
	for _, distro := range []string{"windows2022", "windows2008r2"} {
		files := renderWith(t, m, distro, true)
		script, ps := fileOf(t, files, render.WindowsCmd), false
		for _, f := range files {
			if f.Path == render.WindowsPS1 {
				script, ps = f.Data, true
			}
		}
		want := map[string][2]string{
			render.LauncherCloudbaseInit: {"", ""},
			render.LauncherEC2:           {"<script>\r\n", "</script>\r\n<persist>true</persist>\r\n"},
			render.LauncherAliyun:        {"[bat]\r\n", ""},
		}
		if ps {
			want[render.LauncherEC2] = [2]string{"<powershell>\r\n", "</powershell>\r\n<persist>true</persist>\r\n"}
			want[render.LauncherAliyun] = [2]string{"[powershell]\r\n", ""}
		}
		for _, l := range render.Launchers {
			got, err := render.WindowsUserData(l, files)
			if err != nil {
				t.Fatalf("%s %s: %v", distro, l, err)
			}
			w := want[l][0] + string(script) + want[l][1]
			if string(got) != w {
				t.Errorf("%s %s: user data is not the script inside %q ... %q", distro, l, want[l][0], want[l][1])
			}
			first, _, _ := strings.Cut(string(got), "\r\n")
			if l == render.LauncherCloudbaseInit && first != map[bool]string{true: "#ps1_sysnative", false: "rem cmd"}[ps] {
				t.Errorf("%s: cloudbase-init reads the type from the first line, got %q", distro, first)
			}
		}
	}
	big := scenario{name: "large", yaml: strings.ReplaceAll(gen.Description(8, 20), "    mac:", "    windows_name: x\n    mac:")}.load(t)
	files := renderWith(t, big, "windows2022", true)
	if _, err := render.WindowsUserData(render.LauncherEC2, files); err == nil || !strings.Contains(err.Error(), "more than the 16384") {
		t.Errorf("8 ENIs x 20 IPs as EC2 user data: want the 16 KB refusal, got %v", err)
	}
	if _, err := render.WindowsUserData(render.LauncherCloudbaseInit, files); err != nil {
		t.Errorf("cloudbase-init has no such limit: %v", err)
	}
}
