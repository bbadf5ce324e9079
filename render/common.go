package render

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/enicfg/enicfg/spec"
	"github.com/enicfg/enicfg/versions"
)

// defaultRoute is 0.0.0.0/0.
var defaultRoute = netip.PrefixFrom(netip.IPv4Unspecified(), 0)

// maxLabel is the kernel's limit for an interface name or address label
// (IFNAMSIZ less the terminating NUL).
const maxLabel = 15

// notes are the comment lines (without comment marker) that describe an
// interface: its role, its description and its EIPs.
func notes(in *spec.Interface) []string {
	role := "secondary ENI"
	if in.Primary {
		role = "primary ENI"
	}
	out := []string{in.Name + ": " + role}
	if in.Description != "" {
		out[0] += ": " + in.Description
	}
	for _, e := range in.EIPs {
		out = append(out, fmt.Sprintf("EIP %s maps to %s in NAT mode (the cloud translates it; nothing to configure here)", e.Public, e.Private))
	}
	return out
}

// aliasLabels gives the labels name:0, name:1, ... of the secondary IPs,
// or refuses them when a label would be longer than the kernel allows.
func (j *job) aliasLabels(in *spec.Interface) ([]string, bool) {
	labels := make([]string, len(in.SecondaryIPs))
	for k := range in.SecondaryIPs {
		labels[k] = fmt.Sprintf("%s:%d", in.Name, k)
		if len(labels[k]) > maxLabel {
			j.refuse(in.Name, "secondary_ips", "the alias label %s is longer than the kernel's %d characters; use a shorter interface name", labels[k], maxLabel)
			return nil, false
		}
	}
	return labels, true
}

// ipRoute gives a route as arguments of `ip route add`.
func ipRoute(r spec.Route) string {
	var b strings.Builder
	if r.IsDefault() {
		b.WriteString("default")
	} else {
		b.WriteString(r.To.String())
	}
	if r.Via.IsValid() {
		fmt.Fprintf(&b, " via %s", r.Via)
	}
	fmt.Fprintf(&b, " dev %s%s", r.Dev, routeOptions(r))
	return b.String()
}

// ipRule gives a rule as arguments of `ip rule add`.
func ipRule(r spec.Rule) string {
	return fmt.Sprintf("from %s table %d priority %d", hostOrPrefix(r.From), r.Table, r.Priority)
}

// udevRules names MAC-bound interfaces with a udev rule, for families
// whose configuration matches devices by name only. NAME set by a rule
// in /etc/udev/rules.d wins over the predictable-name policy of
// 80-net-setup-link.rules; the final assignment NAME:= also wins over a
// later rules file that names the NIC again (the 70-persistent-net.rules
// that Debian 8 and Ubuntu 14.04 generate sorts after this file).
func (j *job) udevRules(m *spec.Model) {
	var lines []string
	for _, in := range m.Interfaces {
		if in.MAC == "" {
			continue
		}
		lines = append(lines, fmt.Sprintf(`SUBSYSTEM=="net", ACTION=="add", ATTR{address}=="%s", ATTR{type}=="1", NAME:="%s"`, in.MAC, in.Name))
	}
	if len(lines) == 0 {
		return
	}
	j.addBytes(udevNamesPath, 0o644,
		[]byte(j.header("#")+"# Names each described NIC by its MAC address.\n"+strings.Join(lines, "\n")+"\n"))
}

// linkFile writes a systemd .link file for an interface that needs one:
// renaming by MAC (Name=) and, with channels, NIC multiqueue
// (CombinedChannels=), which udev applies when the device appears. Only
// the first .link file that matches a device applies, so the file sorts
// before cloud-init's and netplan's 10-*.link and systemd's 99-default.link,
// and carries the name and the MTU too (netplan before 0.99 sets the MTU
// only in its own .link).
func (j *job) linkFile(in *spec.Interface, channels bool) {
	queues := in.Queues != 0 && channels
	if in.MAC == "" && !queues {
		return
	}
	var b strings.Builder
	b.WriteString(j.header("#"))
	why := "Names " + in.Name + " by its MAC address"
	if in.MAC == "" {
		why = "Sets the NIC multiqueue of " + in.Name
	} else if queues {
		why += " and sets its NIC multiqueue"
	}
	fmt.Fprintf(&b, "# %s.\n# Only the first .link file that matches a device applies: this one sorts\n# before cloud-init's and netplan's 10-*.link and systemd's 99-default.link.\n\n[Match]\n", why)
	if in.MAC != "" {
		fmt.Fprintf(&b, "MACAddress=%s\n\n[Link]\nName=%s\n", in.MAC, in.Name)
	} else {
		fmt.Fprintf(&b, "OriginalName=%s\n\n[Link]\n", in.Name)
	}
	if in.MTU != 0 {
		fmt.Fprintf(&b, "MTUBytes=%d\n", in.MTU)
	}
	if queues {
		fmt.Fprintf(&b, "CombinedChannels=%d\n", in.Queues)
	}
	j.addBytes("/etc/systemd/network/05-enicfg-"+in.Name+".link", 0o644, []byte(b.String()))
}

// systemdComment makes a note safe as a comment line of a systemd or
// keyfile-style file: a trailing backslash would join the next line.
func systemdComment(s string) string {
	if strings.HasSuffix(s, "\\") {
		return s + " (end)"
	}
	return s
}

// udevQueuesPath is the udev rule that sets NIC multiqueue.
const udevQueuesPath = "/etc/udev/rules.d/71-enicfg-queues.rules"

// udevNamesPath is the udev rule that names NICs by MAC address.
const udevNamesPath = "/etc/udev/rules.d/70-enicfg-net.rules"

// udevQueues sets the combined channels of every interface with queues by
// a udev rule that runs ethtool when the device appears (matched by MAC
// when one is described, else by name), for families whose own reader
// cannot set channels; why says so in the file. udev runs an absolute
// path: /sbin/ethtool is where the distributions without a merged /usr
// (RHEL 6, Ubuntu 18.04) install it, and where the merged ones link it.
func (j *job) udevQueues(m *spec.Model, why string) {
	var lines []string
	for _, in := range m.Interfaces {
		if in.Queues == 0 {
			continue
		}
		match := fmt.Sprintf(`KERNEL=="%s"`, in.Name)
		if in.MAC != "" {
			match = fmt.Sprintf(`ATTR{address}=="%s"`, in.MAC)
		}
		lines = append(lines, fmt.Sprintf(`ACTION=="add", SUBSYSTEM=="net", %s, RUN+="/sbin/ethtool -L $name combined %d"`, match, in.Queues))
	}
	if len(lines) == 0 {
		return
	}
	j.addBytes(udevQueuesPath, 0o644,
		[]byte(j.header("#")+"# NIC multiqueue: "+why+", so udev sets the channels.\n"+strings.Join(lines, "\n")+"\n"))
}

// sysctlPath is the host settings' sysctl.d file. It sorts after every
// distribution file (10-network-security.conf, 50-default.conf,
// 99-sysctl.conf, the link to /etc/sysctl.conf), and systemd-sysctl and
// procps' sysctl --system apply the last setting of a key.
const sysctlPath = "/etc/sysctl.d/99-zz-enicfg.conf"

// udevSysctlPath is the udev rule that applies the host settings to a
// NIC when it appears.
const udevSysctlPath = "/etc/udev/rules.d/99-enicfg-sysctl.rules"

// sysctls writes the host settings, for every Linux family. Keys of an
// interface exist only once the NIC does: a NIC that appears after the
// boot's sysctl run (a hot-plugged ENI) gets them from enicfg's udev rule,
// which loads the file again when any NIC is added (systemd's own
// 99-systemd.rules hook does the same, but RHEL 6, SLES 11 and Ubuntu
// 14.04's upstart do not have it).
func (j *job) sysctls(m *spec.Model) {
	keys := m.Sysctls()
	if len(keys) == 0 {
		return
	}
	var b strings.Builder
	b.WriteString(j.header("#"))
	b.WriteString("# Kernel settings for several ENIs. The kernel uses the larger of\n")
	b.WriteString("# conf.all and conf.<if>: conf.all holds the smallest value described.\n")
	for _, k := range keys {
		fmt.Fprintf(&b, "%s = %s\n", k.Key, k.Value)
	}
	j.addBytes(sysctlPath, 0o644, []byte(b.String()))
	perIf := false
	for _, k := range keys {
		if !strings.HasPrefix(k.Key, "net.ipv4.conf.all.") && !strings.HasPrefix(k.Key, "net.ipv4.conf.default.") {
			perIf = true
		}
	}
	if perIf {
		j.addBytes(udevSysctlPath, 0o644, []byte(j.header("#")+
			"# Applies "+sysctlPath+" to a NIC when it appears (its conf.<if> keys\n# exist only then).\n"+
			`ACTION=="add", SUBSYSTEM=="net", KERNEL!="lo", RUN+="/sbin/sysctl -q -e -p `+sysctlPath+`"`+"\n"))
	}
}

// udevApply gives the commands that make udev apply rendered rules and
// .link files to the NICs present now: channels take effect at once; a
// NIC that is up keeps its name until the next boot.
func udevApply(files FileSet, c versions.Coverage) []string {
	var cmds []string
	for _, f := range files {
		if f.Path == sysctlPath {
			cmds = append(cmds, "sysctl -q -e -p "+sysctlPath)
		}
	}
	for _, f := range files {
		if strings.HasPrefix(f.Path, "/etc/udev/rules.d/") || strings.HasSuffix(f.Path, ".link") {
			reload := "udevadm control --reload"
			if k, _ := udevConstructs.Lookup("run: " + reload); !c.Has(k) {
				reload = "udevadm control --reload-rules"
			}
			return append(cmds, reload, "udevadm trigger --action=add --subsystem-match=net")
		}
	}
	return cmds
}

// dnsStrings gives the servers and search domains of d as text.
func dnsStrings(d spec.DNS) (servers, search []string) {
	for _, a := range d.Servers {
		servers = append(servers, a.String())
	}
	return servers, d.Search
}

// eachInterface gives the command prefix + name for every interface, in
// the description's order.
func eachInterface(m *spec.Model, prefix string) []string {
	cmds := make([]string, 0, len(m.Interfaces))
	for _, in := range m.Interfaces {
		cmds = append(cmds, prefix+in.Name)
	}
	return cmds
}
