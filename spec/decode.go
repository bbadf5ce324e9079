package spec

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Limits on what Load reads. A description past them is refused with a
// positioned error; none of them is near what a real instance needs.
const (
	MaxSize          = 1 << 20 // bytes of input
	MaxInterfaces    = 256
	MaxListItems     = 1024    // items of any list of an interface
	maxNodeVisits    = 1 << 17 // far more than any description of MaxSize bytes needs
	maxReportedError = 100
)

// field names a key of a mapping and the JSON type of its value.
type field struct {
	Key  string
	Type string // string | integer | boolean | array | object
	Doc  string
}

var topFields = []field{
	{"version", "integer", "format version; only 1 exists"},
	{"cloud", "string", "aliyun | aws | generic (default): turns on that provider's documented limits"},
	{"interfaces", "array", "the instance's network interfaces (ENIs)"},
	{"dns", "object", "name servers and search domains of the primary interface, unless it names its own"},
	{"host", "object", "kernel settings of the instance (one sysctl.d file on Linux)"},
}

var ifaceFields = []field{
	{"name", "string", "Linux device name, 1 to 15 characters of A-Z a-z 0-9 _ -"},
	{"primary", "boolean", "the instance's primary ENI; default: the first interface"},
	{"dhcp", "boolean", "the primary private IP comes from DHCP"},
	{"subnet", "string", "the vSwitch CIDR; needed with dhcp when there are secondary_ips or a route_table"},
	{"gateway", "string", "the vSwitch gateway"},
	{"mac", "string", "unicast MAC in colon form; the config binds to it"},
	{"address", "string", "static primary private IP in CIDR form"},
	{"secondary_ips", "array", "secondary private IPs of this ENI"},
	{"default_route", "boolean", "carry a default route in the main table; default: true for the primary ENI only"},
	{"metric", "integer", "metric of this ENI's default route"},
	{"route_table", "integer", "source-based policy routing table"},
	{"rule_priority", "integer", "priority of the policy rules; default: route_table when below 32766"},
	{"mtu", "integer", "link MTU"},
	{"queues", "integer", "NIC multiqueue: combined channels"},
	{"eips", "array", "EIPs bound in NAT mode (never configured in the guest)"},
	{"routes", "array", "extra static routes"},
	{"description", "string", "free text, rendered as a comment only"},
	{"windows_name", "string", "Windows adapter name, used when no mac is given"},
	{"dns", "object", "name servers and search domains of this interface"},
	{"rp_filter", "string", "reverse-path filter of this interface: strict | loose | off (default: host.rp_filter)"},
	{"arp", "string", "own | any: ARP answers and announcements for this interface (default: host.arp)"},
	{"ipv6", "object", "IPv6 of this ENI: address, dhcp or slaac, secondary_ips, gateway; without address and dhcp the interface is IPv6-only"},
}

var eipFields = []field{
	{"public", "string", "the EIP, a public unicast IPv4"},
	{"private", "string", "the private IP of this interface that the EIP maps to"},
}

var routeFields = []field{
	{"to", "string", "destination in CIDR form, IPv4 or IPv6 (then via and src are IPv6)"},
	{"via", "string", "next hop inside the interface's subnet (IPv6: or link-local); omitted: a link route"},
	{"metric", "integer", "route metric"},
	{"table", "integer", "routing table; default: main"},
	{"src", "string", "preferred source, an IP of this interface"},
}

// decoder walks a yaml.Node tree, checking keys and types, and collects
// every problem with its position.
type decoder struct {
	errs
	warns  ErrorList
	visits int
	budget bool // the visit budget has been reported
}

// mapping is a YAML mapping whose keys were checked against a field list;
// vals and keys are indexed like the fields.
type mapping struct {
	node   *yaml.Node
	fields []field
	vals   []*yaml.Node
	keys   []*yaml.Node
}

func fieldIndex(fields []field, key string) int {
	for i, f := range fields {
		if f.Key == key {
			return i
		}
	}
	return -1
}

// val gives the value node of key, or nil.
func (m *mapping) val(key string) *yaml.Node {
	if i := fieldIndex(m.fields, key); i >= 0 {
		return m.vals[i]
	}
	return nil
}

func (m *mapping) has(key string) bool { return m.val(key) != nil }

// at reports a problem at a node.
func (d *decoder) at(n *yaml.Node, format string, args ...any) {
	if len(d.list) >= maxReportedError {
		d.capped = true
		return
	}
	line, col := 1, 1
	if n != nil {
		line, col = n.Line, n.Column
	}
	d.add(line, col, format, args...)
}

// warn records a positioned remark that does not make the description
// invalid.
func (d *decoder) warn(n *yaml.Node, format string, args ...any) {
	d.warns = append(d.warns, &Error{File: d.file, Line: n.Line, Col: n.Column, Msg: "warning: " + fmt.Sprintf(format, args...)})
}

// deref follows aliases and charges the visit budget, so that alias
// expansion cannot make the walk blow up.
func (d *decoder) deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode; i++ {
		d.visits++
		if i > 100 {
			return nil
		}
		n = n.Alias
	}
	d.visits++
	if d.visits > maxNodeVisits {
		if !d.budget {
			d.budget = true
			d.at(n, "description too large: more than %d values after alias expansion", maxNodeVisits)
		}
		return nil
	}
	return n
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return "null"
		case "!!bool":
			return "a boolean"
		case "!!int":
			return "an integer"
		case "!!float":
			return "a number"
		case "!!str":
			return "a string"
		}
		return "a " + strings.TrimPrefix(n.ShortTag(), "!!")
	}
	return "an unexpected value"
}

// mapping checks that n is a mapping with known, unique keys.
func (d *decoder) mapping(n *yaml.Node, what string, fields []field) *mapping {
	n = d.deref(n)
	if n == nil {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		d.at(n, "%s: expected a mapping, got %s", what, kindName(n))
		return nil
	}
	m := &mapping{node: n, fields: fields, vals: make([]*yaml.Node, len(fields)), keys: make([]*yaml.Node, len(fields))}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := d.deref(n.Content[i]), n.Content[i+1]
		if k == nil {
			return nil
		}
		if k.Kind != yaml.ScalarNode {
			d.at(k, "%s: keys must be strings, got %s", what, kindName(k))
			continue
		}
		if k.Tag == "!!merge" || k.Value == "<<" {
			d.at(k, "%s: YAML merge keys (<<) are not supported", what)
			continue
		}
		i := fieldIndex(fields, k.Value)
		if i < 0 {
			d.at(k, "%s: unknown key %q%s", what, k.Value, suggest(k.Value, fields))
			continue
		}
		if prev := m.keys[i]; prev != nil {
			d.at(k, "%s: duplicate key %q (first at line %d)", what, k.Value, prev.Line)
			continue
		}
		m.keys[i] = k
		m.vals[i] = v
	}
	return m
}

// suggest names the closest known key, for typos.
func suggest(key string, fields []field) string {
	best, bestD := "", 3
	for _, f := range fields {
		if dd := editDistance(strings.ToLower(key), f.Key); dd < bestD {
			best, bestD = f.Key, dd
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 99
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			c = min(c, prev[j]+1, cur[j-1]+1)
			cur[j] = c
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// scalar gives the value node of key when it is a scalar of the wanted
// tag, reporting a type error otherwise.
func (d *decoder) scalar(m *mapping, key, what, tag, want string) (*yaml.Node, bool) {
	v := m.val(key)
	if v == nil {
		return nil, false
	}
	v = d.deref(v)
	if v == nil {
		return nil, false
	}
	if v.Kind != yaml.ScalarNode || v.ShortTag() != tag {
		d.at(v, "%s: %s must be %s, got %s", what, key, want, kindName(v))
		return nil, false
	}
	return v, true
}

func (d *decoder) str(m *mapping, key, what string) (string, *yaml.Node, bool) {
	v, ok := d.scalar(m, key, what, "!!str", "a string")
	if !ok {
		return "", nil, false
	}
	return v.Value, v, true
}

func (d *decoder) boolean(m *mapping, key, what string) (bool, *yaml.Node, bool) {
	v, ok := d.scalar(m, key, what, "!!bool", "true or false")
	if !ok {
		return false, nil, false
	}
	var b bool
	if err := v.Decode(&b); err != nil {
		d.at(v, "%s: %s must be true or false", what, key)
		return false, nil, false
	}
	return b, v, true
}

// integer reads an integer in [lo, hi].
func (d *decoder) integer(m *mapping, key, what string, lo, hi int64) (int64, *yaml.Node, bool) {
	v, ok := d.scalar(m, key, what, "!!int", "an integer")
	if !ok {
		return 0, nil, false
	}
	var n int64
	if err := v.Decode(&n); err != nil {
		d.at(v, "%s: %s: %s is out of range", what, key, v.Value)
		return 0, nil, false
	}
	if n < lo || n > hi {
		d.at(v, "%s: %s must be between %d and %d, got %d", what, key, lo, hi, n)
		return 0, nil, false
	}
	return n, v, true
}

// list gives the items of a list value, bounded by MaxListItems.
func (d *decoder) seq(m *mapping, key, what string) ([]*yaml.Node, *yaml.Node, bool) {
	v := m.val(key)
	if v == nil {
		return nil, nil, false
	}
	v = d.deref(v)
	if v == nil {
		return nil, nil, false
	}
	if v.Kind != yaml.SequenceNode {
		d.at(v, "%s: %s must be a list, got %s", what, key, kindName(v))
		return nil, nil, false
	}
	if len(v.Content) > MaxListItems {
		d.at(v, "%s: %s has %d items, more than the %d this tool accepts", what, key, len(v.Content), MaxListItems)
		return nil, nil, false
	}
	return v.Content, v, true
}

// strItems gives the items of a list that are strings, reporting every
// other item; ok is false when an alias exhausts the visit budget.
func (d *decoder) strItems(items []*yaml.Node, what, key string) (out []*yaml.Node, ok bool) {
	for _, it := range items {
		it = d.deref(it)
		if it == nil {
			return nil, false
		}
		if it.Kind != yaml.ScalarNode || it.ShortTag() != "!!str" {
			d.at(it, "%s: %s items must be strings, got %s", what, key, kindName(it))
			continue
		}
		out = append(out, it)
	}
	return out, true
}

var yamlLineErr = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parse turns raw bytes into the document's root node, refusing what is
// not one UTF-8 YAML document of sane size.
func (d *decoder) parse(data []byte) *yaml.Node {
	if len(data) > MaxSize {
		d.add(1, 1, "description too large: %d bytes, the limit is %d", len(data), MaxSize)
		return nil
	}
	if !utf8.Valid(data) {
		off := 0
		for off < len(data) {
			r, size := utf8.DecodeRune(data[off:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			off += size
		}
		line := 1 + bytes.Count(data[:off], []byte{'\n'})
		col := 1 + utf8.RuneCount(data[bytes.LastIndexByte(data[:off], '\n')+1:off])
		d.add(line, col, "not valid UTF-8 (byte 0x%02x at offset %d)", data[off], off)
		return nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var root yaml.Node
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			d.add(1, 1, "empty description: expected a mapping with version and interfaces")
			return nil
		}
		d.yamlErr(err)
		return nil
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		d.add(extra.Line, extra.Column, "more than one YAML document: a description is one document")
		return nil
	} else if !errors.Is(err, io.EOF) {
		d.yamlErr(err)
		return nil
	}
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		return root.Content[0]
	}
	d.add(1, 1, "empty description: expected a mapping with version and interfaces")
	return nil
}

func (d *decoder) yamlErr(err error) {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		for _, e := range te.Errors {
			d.add(1, 1, "%s", e)
		}
		return
	}
	msg := err.Error()
	if m := yamlLineErr.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		d.add(line, 1, "YAML syntax: %s", m[2])
		return
	}
	d.add(1, 1, "YAML syntax: %s", strings.TrimPrefix(msg, "yaml: "))
}
