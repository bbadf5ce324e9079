package render

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/enicfg/enicfg/internal/syntax"
	"github.com/enicfg/enicfg/versions"
)

// The formats that several families share, and the readers of the
// constructs in them. A construct key names the kind of file, then what
// is used: "link [Link] Name", "udev NAME=", "run: netplan apply".

// keySet collects construct keys once each, sorted.
type keySet map[string]bool

func (s keySet) add(keys ...string) {
	for _, k := range keys {
		s[k] = true
	}
}

func (s keySet) list() []string {
	out := make([]string, 0, len(s))
	for k := range s {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// dataLines gives the lines of a file that are neither blank nor
// comments, trimmed.
func dataLines(data []byte, comment string) []string {
	var out []string
	for _, l := range strings.Split(string(data), "\n") {
		l = strings.TrimSpace(l)
		if l != "" && !strings.HasPrefix(l, comment) {
			out = append(out, l)
		}
	}
	return out
}

// iniEntry is one key of an ini-style file with its section.
type iniEntry struct{ Section, Key, Value string }

// iniKeys gives the keys that each adds for the entries of an ini-style
// file.
func iniKeys(data []byte, each func(s keySet, e iniEntry)) ([]string, error) {
	es, err := iniEntries(data)
	if err != nil {
		return nil, err
	}
	s := keySet{}
	for _, e := range es {
		each(s, e)
	}
	return s.list(), nil
}

func iniEntries(data []byte) ([]iniEntry, error) {
	var out []iniEntry
	section := ""
	for _, l := range dataLines(data, "#") {
		if strings.HasPrefix(l, "[") && strings.HasSuffix(l, "]") {
			section = l[1 : len(l)-1]
			continue
		}
		k, v, ok := strings.Cut(l, "=")
		if !ok || section == "" {
			return nil, fmt.Errorf("line %q is neither a section nor a key of one", l)
		}
		out = append(out, iniEntry{section, k, v})
	}
	return out, nil
}

// trailingNumber matches the index of a numbered key (IPADDR1, IPADDR_0,
// ROUTING_RULE_2, address1, route1_options).
var trailingNumber = regexp.MustCompile(`^([A-Za-z_-]*?[A-Za-z_-])(\d+)((?:_options)?)$`)

// numbered names a numbered key by its kind: IPADDR1 -> IPADDRn,
// LABEL_0 -> LABEL_n, route2_options -> routeN_options.
func numbered(k, n string) string {
	if m := trailingNumber.FindStringSubmatch(k); m != nil {
		return m[1] + n + m[3]
	}
	return k
}

// shellKeys names the variables of a sysconfig/ifcfg file, numbered ones
// by their kind (IPADDRn), with the value forms that matter: an ethtool
// option string that names the device (ETHTOOL_OPTS=-L).
func shellKeys(prefix string, data []byte) ([]string, error) {
	s := keySet{}
	for _, l := range dataLines(data, "#") {
		k, v, ok := strings.Cut(l, "=")
		if !ok {
			return nil, fmt.Errorf("line %q is not KEY=value", l)
		}
		k = numbered(k, "n")
		s.add(prefix + k)
		if v = strings.Trim(v, `"'`); strings.HasPrefix(v, "-") && strings.HasPrefix(k, "ETHTOOL_OPT") {
			f := strings.Fields(v)
			s.add(prefix + k + "=" + f[0])
		}
	}
	return s.list(), nil
}

// ipKeys names the options used by lines of `ip route`/`ip rule`
// arguments in a file: "<prefix> table", "<prefix> src", and
// "<prefix> file" for the file itself.
func ipKeys(prefix string, data []byte) []string {
	s := keySet{}
	s.add(prefix + " file")
	for _, l := range dataLines(data, "#") {
		for _, w := range strings.Fields(l) {
			switch w {
			case "via", "dev", "metric", "table", "src", "from", "priority", "lookup", "ipv4", "default", "scope":
				s.add(prefix + " " + w)
			}
		}
	}
	return s.list()
}

var udevAssign = regexp.MustCompile(`([A-Z]+(?:\{[a-z_]+\})?)(==|!=|\+=|:=|=)"`)

// udevKeys names the match and assignment keys of a udev rules file:
// "udev NAME=", "udev ATTR{address}==", "udev RUN+=".
func udevKeys(data []byte) ([]string, error) {
	s := keySet{}
	for _, l := range dataLines(data, "#") {
		for _, m := range udevAssign.FindAllStringSubmatch(l, -1) {
			s.add("udev " + m[1] + m[2])
		}
	}
	return s.list(), nil
}

// udevFormat is a udev rules file.
var udevFormat = Format{Name: "udev rules", Check: syntax.Udev, Keys: udevKeys}

// linkFormat is a systemd .link file, read by udev.
var linkFormat = Format{Name: "systemd .link", Check: syntax.Ini, Keys: func(data []byte) ([]string, error) {
	return iniKeys(data, func(s keySet, e iniEntry) {
		s.add("link ["+e.Section+"]", fmt.Sprintf("link [%s] %s", e.Section, e.Key))
	})
}}

// udevConstructs are the keys of the udev rules that several families
// write (70-enicfg-net.rules, 71-enicfg-queues.rules) and the commands
// that make udev apply rules and .link files. udev's history before
// systemd is in eudev-project/eudev (tags udev-001 to 182); its NEWS
// dates what the tags lack.
var udevConstructs = versions.Table{
	{Key: "udev SUBSYSTEM==", Tool: versions.Udev, Since: "128", Source: udevBase},
	{Key: "udev ACTION==", Tool: versions.Udev, Since: "128", Source: udevBase},
	{Key: "udev KERNEL==", Tool: versions.Udev, Since: "128", Source: udevBase},
	{Key: "udev ATTR{address}==", Tool: versions.Udev, Since: "128", Source: udevBase},
	{Key: "udev ATTR{type}==", Tool: versions.Udev, Since: "128", Source: udevBase},
	{Key: "udev NAME:=", Tool: versions.Udev, Since: "128", Source: "udev 131 NEWS: \"If later rules assign a NAME value again, the former value will be overwritten ... the NAME value can be protected by doing a final assignment with NAME:=\"; udev 128 parses := and keeps the first NAME anyway",
		Note: "A plain NAME= loses to the NAME= of a later rules file from udev 131 on, such as the 70-persistent-net.rules that Debian 8 and Ubuntu 14.04 generate (Debian's udev.README.Debian)."},
	{Key: "udev RUN+=", Tool: versions.Udev, Since: "128", Source: udevBase},
	{Key: "udev KERNEL!=", Tool: versions.Udev, Since: "128", Source: udevBase},
	{Key: "run: udevadm control --reload", Tool: versions.Udev, Since: "176", Source: "udev 176 NEWS: \"The 'udevadm control --reload-rules' option has been renamed to '--reload'\" (7c85d636)"},
	{Key: "run: udevadm control --reload-rules", Tool: versions.Udev, Since: "128", Source: "udev 128 udevadm-control.c {\"reload-rules\", ... 'R'}; still an alias in systemd 256"},
	{Key: "run: udevadm trigger --action=add --subsystem-match=net", Tool: versions.Udev, Since: "128", Source: "udev 128 udevadm-trigger.c: --action and --subsystem-match; since udev 152 the default action is change, so add is given"},
}

// sysctlFormat is the sysctl.d(5) file of the host settings; its keys are
// "sysctl <key>" with the interface name replaced by <if>.
var sysctlFormat = Format{Name: "sysctl.d", Check: syntax.Sysctl, Keys: func(data []byte) ([]string, error) {
	s := keySet{}
	for _, l := range dataLines(data, "#") {
		k, _, _ := strings.Cut(l, " = ")
		parts := strings.Split(k, ".")
		if len(parts) == 5 && parts[3] != "all" && parts[3] != "default" {
			parts[3] = "<if>"
		}
		s.add("sysctl " + strings.Join(parts, "."))
	}
	return s.list(), nil
}}

// sysctlConstructs are the kernel settings of the host section and the
// commands that apply them. Their reader is the kernel with procps'
// sysctl and the boot's sysctl.d reader (systemd-sysctl, RHEL 6's
// apply_sysctl, Ubuntu 14.04's procps job); none has a version in the
// catalogue, so they are recorded under udev, the one tool that every
// Linux target names, at its oldest version: every target's kernel
// (RHEL 6's 2.6.32 and newer) has these keys.
var sysctlConstructs = versions.Table{
	{Key: "sysctl net.ipv4.conf.all.rp_filter", Tool: versions.Udev, Since: "128", Source: sysctlRP},
	{Key: "sysctl net.ipv4.conf.default.rp_filter", Tool: versions.Udev, Since: "128", Source: sysctlRP},
	{Key: "sysctl net.ipv4.conf.<if>.rp_filter", Tool: versions.Udev, Since: "128", Source: sysctlRP},
	{Key: "sysctl net.ipv4.conf.all.arp_ignore", Tool: versions.Udev, Since: "128", Source: sysctlARP},
	{Key: "sysctl net.ipv4.conf.default.arp_ignore", Tool: versions.Udev, Since: "128", Source: sysctlARP},
	{Key: "sysctl net.ipv4.conf.<if>.arp_ignore", Tool: versions.Udev, Since: "128", Source: sysctlARP},
	{Key: "sysctl net.ipv4.conf.all.arp_announce", Tool: versions.Udev, Since: "128", Source: sysctlARP},
	{Key: "sysctl net.ipv4.conf.default.arp_announce", Tool: versions.Udev, Since: "128", Source: sysctlARP},
	{Key: "sysctl net.ipv4.conf.<if>.arp_announce", Tool: versions.Udev, Since: "128", Source: sysctlARP},
	{Key: "sysctl net.ipv6.conf.<if>.disable_ipv6", Tool: versions.Udev, Since: "128", Source: "Linux 2.6.27 (2008, commit 778d80be \"ipv6: Add disable_ipv6 sysctl to disable IPv6 operaion on specific interface\"), Documentation/networking/ip-sysctl: conf/interface/disable_ipv6; every target's kernel is newer"},
	{Key: "run: sysctl -q -e -p " + sysctlPath, Tool: versions.Udev, Since: "128", Source: "procps 3.2 sysctl(8) (the pre-procps-ng man page, linux.die.net/man/8/sysctl): \"sysctl [-n] [-e] [-q] -p <filename>\"; -e ignores unknown keys (an interface that is not there yet); procps-ng keeps all three"},
}

const (
	sysctlRP  = "Linux Documentation/networking/ip-sysctl.rst rp_filter: 0 off, 1 strict (RFC 3704), 2 loose (kernel 2.6.32, 27fed4175acf); the larger of conf/all and conf/<if> applies"
	sysctlARP = "Linux Documentation/networking/ip-sysctl.rst arp_ignore (1: reply only for an address of the receiving interface) and arp_announce (2: the best local address for the target); the larger of conf/all and conf/<if> applies (kernel 2.6 and older)"
)

const udevBase = "udev 128 rules syntax: match keys with ==, assignments with =, +=, := (eudev-project/eudev tag udev-128, udev_rules_parse.c)"

// linkConstructs are the keys of the .link files that several families
// write, read by udev (systemd-udevd: udev's version is systemd's).
var linkConstructs = versions.Table{
	{Key: "link [Match]", Tool: versions.Udev, Since: "209", Source: linkBase},
	{Key: "link [Match] MACAddress", Tool: versions.Udev, Since: "209", Source: linkBase},
	{Key: "link [Match] OriginalName", Tool: versions.Udev, Since: "218", Source: "systemd 7eb08da4 \"udev: net_setup - allow matching on OriginalName=\" (v218, NEWS 218)"},
	{Key: "link [Link]", Tool: versions.Udev, Since: "209", Source: linkBase},
	{Key: "link [Link] Name", Tool: versions.Udev, Since: "209", Source: "systemd 43b3a5ef \"udev: link-config: add rtnl support\" (v209)"},
	{Key: "link [Link] MTUBytes", Tool: versions.Udev, Since: "210", Source: "systemd 733f7a2c \"udev: net - allow MTU and Speed to be specified with units\" (v210; v209 called it MTU=)"},
	{Key: "link [Link] CombinedChannels", Tool: versions.Udev, Since: "239", Source: "systemd 5f945202 (v239), NEWS 239: \".link files now support setting the number of receive and transmit channels\""},
}

const linkBase = "systemd af6f0d42 \"udev: add network link configuration tool\" (v209), NEWS 209; the first matching .link file applies (v209 udev(7))"

// join gives the concatenation of construct tables.
func join(tables ...versions.Table) versions.Table {
	var out versions.Table
	for _, t := range tables {
		out = append(out, t...)
	}
	return out
}
