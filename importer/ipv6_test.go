package importer

import (
	"bytes"
	"fmt"
	"net/http/httptest"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/enicfg/enicfg/internal/cloudtest"
	"github.com/enicfg/enicfg/spec"
)

// lines6 writes the IPv6 of a fixture's ENIs one line each.
func lines6(inst cloudtest.Instance) []string {
	var out []string
	for _, e := range inst.ENIs {
		out = append(out, fmt.Sprintf("%s %s v4=%v v6=%v subnet6=%s gw6=%s", e.ID, e.MAC, e.IPs, e.IPv6, e.CIDR6, e.Gateway6))
	}
	return out
}

// instanceLines6 writes an import the same way.
func instanceLines6(inst *Instance) []string {
	inst.sortENIs()
	str := func(ok bool, s string) string {
		if ok {
			return s
		}
		return ""
	}
	var out []string
	for _, e := range inst.ENIs {
		var v4, v6 []string
		for _, ip := range e.IPs {
			v4 = append(v4, ip.String())
		}
		for _, ip := range e.IPv6 {
			v6 = append(v6, ip.String())
		}
		out = append(out, fmt.Sprintf("%s %s v4=%v v6=%v subnet6=%s gw6=%s", e.ID, e.MAC, v4, v6,
			str(e.Subnet6.IsValid(), e.Subnet6.String()), str(e.Gateway6.IsValid(), e.Gateway6.String())))
	}
	return out
}

// describe6 compares an import with its fixture (IPv4 and IPv6), writes
// its description with opt and loads it with spec: each interface has
// the fixture's IPv4 and (unless left out) IPv6 addresses and subnet.
func describe6(t *testing.T, inst *Instance, fix cloudtest.Instance, opt Options) (*spec.Model, string, []string) {
	t.Helper()
	if diff := cmp.Diff(lines6(fix), instanceLines6(inst)); diff != "" {
		t.Errorf("the import differs from the cloud's (-cloud +import):\n%s", diff)
	}
	data, warns, err := Describe(inst, opt)
	if err != nil {
		t.Fatal(err)
	}
	m, err := spec.Load("import", data)
	if err != nil {
		t.Fatalf("the description is not valid: %v\n%s", err, data)
	}
	if len(m.Interfaces) != len(fix.ENIs) {
		t.Fatalf("%d interfaces, want %d", len(m.Interfaces), len(fix.ENIs))
	}
	for k, in := range m.Interfaces {
		e := fix.ENIs[k]
		var v4, v6 []string
		for _, p := range in.IPs() {
			v4 = append(v4, p.Addr().String())
		}
		for _, p := range in.IPv6.IPs() {
			v6 = append(v6, p.Addr().String())
		}
		// A DHCP address is the lease's: the description names the rest.
		want4, want6 := e.IPs, e.IPv6
		if in.DHCP {
			want4 = e.IPs[1:]
		}
		if in.IPv6.Mode == spec.IPv6DHCP {
			want6 = e.IPv6[1:]
		}
		if in.MAC != e.MAC || !slices.Equal(v4, want4) || in.HasIPv4() != (len(e.IPs) > 0) {
			t.Errorf("%s: %s IPv4 %v, want %s %v", in.Name, in.MAC, v4, e.MAC, want4)
		}
		if in.IPv6.Enabled() && (!slices.Equal(v6, want6) || in.IPv6.Subnet.String() != e.CIDR6) {
			t.Errorf("%s: IPv6 %v in %s, want %v in %s", in.Name, v6, in.IPv6.Subnet, want6, e.CIDR6)
		}
	}
	return m, string(data), warns
}

// rules6 gives an interface's IPv6 rules as "from table priority".
func rules6(in *spec.Interface) []string {
	var out []string
	for _, r := range in.IPv6.Rules {
		out = append(out, fmt.Sprintf("%s %d %d", r.From, r.Table, r.Priority))
	}
	return out
}

// TestAliyunMetadataIPv6: the documented IPv6 keys of Alibaba's metadata
// (ipv6s in brackets, vswitch-ipv6-cidr-block, ipv6-gateway) become each
// interface's ipv6, with the vSwitch's gateway, a table's IPv6 rules on
// the secondary ENIs, an IPv4-only ENI (ipv6s 404) without and an
// IPv6-only one (its IPv4 keys 404) with only ipv6.
func TestAliyunMetadataIPv6(t *testing.T) {
	ts := httptest.NewServer(&cloudtest.AliyunMetadata{Inst: cloudtest.Aliyun6})
	defer ts.Close()
	inst, err := AliyunMetadata(fastClient("aliyun-metadata", ts.URL))
	if err != nil {
		t.Fatal(err)
	}
	m, _, warns := describe6(t, inst, cloudtest.Aliyun6, DefaultOptions())
	if len(warns) > 0 {
		t.Errorf("warnings: %q", warns)
	}
	eth0, eth1, eth2, eth3 := m.Interfaces[0], m.Interfaces[1], m.Interfaces[2], m.Interfaces[3]
	if eth0.IPv6.Gateway.String() != cloudtest.Aliyun6.ENIs[0].Gateway6 || !eth0.IPv6.DefaultRoute || eth0.IPv6.Mode != spec.IPv6Static {
		t.Errorf("eth0: IPv6 %s via %s, default route %v; want static via the ipv6-gateway with the default route", eth0.IPv6.Mode, eth0.IPv6.Gateway, eth0.IPv6.DefaultRoute)
	}
	want := []string{"2408:4005:3a0:c601::a/128 1001 1001", "2408:4005:3a0:c601::b/128 1001 1001", "2408:4005:3a0:c601::c/128 1001 1001"}
	if got := rules6(eth1); !slices.Equal(got, want) || eth1.IPv6.DefaultRoute {
		t.Errorf("eth1: IPv6 rules %q, default route %v; want %q and none", got, eth1.IPv6.DefaultRoute, want)
	}
	if eth2.IPv6.Enabled() || eth2.Table != 1002 {
		t.Errorf("eth2: IPv6 %q, table %d; want none, 1002", eth2.IPv6.Mode, eth2.Table)
	}
	want = []string{"2408:4005:3a0:c603::10/128 1003 1003", "2408:4005:3a0:c603::11/128 1003 1003"}
	if got := rules6(eth3); eth3.HasIPv4() || eth3.Table != 1003 || !slices.Equal(got, want) {
		t.Errorf("eth3: IPv4 %v, table %d, IPv6 rules %q; want IPv6-only, 1003, %q", eth3.HasIPv4(), eth3.Table, got, want)
	}
	// --dhcp governs IPv6 too: DHCPv6 with the vSwitch's CIDR.
	opt := DefaultOptions()
	opt.DHCP = DHCPSecondary
	m, _, _ = describe6(t, inst, cloudtest.Aliyun6, opt)
	for _, in := range m.Interfaces {
		if in.IPv6.Enabled() && (in.IPv6.Mode == spec.IPv6DHCP) != !in.Primary {
			t.Errorf("%s: IPv6 %s with --dhcp secondary", in.Name, in.IPv6.Mode)
		}
	}
}

// TestAWSMetadataIPv6: the mock serves ipv6s and subnet-ipv6-cidr-blocks
// (its own mac-ipv6-associations and mac-subnet-ipv6-cidr-blocks fields
// for the first ENI); an ENI without local-ipv4s and
// subnet-ipv4-cidr-block is IPv6-only. AWS names no IPv6 router: the
// primary takes the router of router advertisements, and the secondary
// ENIs' tables need --ipv6-gateway; without it the dual-stack ENI keeps
// its IPv4 table with its IPv6 as a comment, the IPv6-only one has no
// table, each with a warning.
func TestAWSMetadataIPv6(t *testing.T) {
	h, err := cloudtest.AWSMetadata(cloudtest.AWS6)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h)
	defer ts.Close()
	inst, err := AWSMetadata(fastClient("aws-metadata", ts.URL))
	if err != nil {
		t.Fatal(err)
	}
	m, data, warns := describe6(t, inst, cloudtest.AWS6, DefaultOptions())
	eth0, eth1, eth2 := m.Interfaces[0], m.Interfaces[1], m.Interfaces[2]
	if !eth0.IPv6.GatewayRA || !eth0.IPv6.DefaultRoute {
		t.Errorf("eth0: IPv6 gateway ra %v, default route %v; want both", eth0.IPv6.GatewayRA, eth0.IPv6.DefaultRoute)
	}
	if eth1.IPv6.Enabled() || eth1.Table != 1001 || !strings.Contains(data, "    #   address: 2600:1f18:4a1:c801::30/64\n") {
		t.Errorf("eth1: IPv6 %q, table %d; want IPv6 as a comment and table 1001:\n%s", eth1.IPv6.Mode, eth1.Table, data)
	}
	if eth2.HasIPv4() || eth2.Table != 0 || eth2.IPv6.Gateway.IsValid() || eth2.IPv6.GatewayRA {
		t.Errorf("eth2: IPv4 %v, table %d, gateway %s; want IPv6-only without table or router", eth2.HasIPv4(), eth2.Table, eth2.IPv6.Gateway)
	}
	if len(warns) != 2 || !strings.HasPrefix(warns[0], "eth1: IPv6 2600:1f18:4a1:c801::30 left out as a comment") ||
		!strings.Contains(warns[0], "give --ipv6-gateway subnet-0bbb000000000002=ADDR") || !strings.HasPrefix(warns[1], "eth2: no route_table") {
		t.Errorf("warnings %q", warns)
	}
	if !slices.Contains(inst.Notes, awsRouter6Note) {
		t.Errorf("notes %q lack the IPv6 router's", inst.Notes)
	}
	// With the routers, by subnet ID and by IPv6 CIDR: every table.
	if err := inst.SetIPv6(nil, map[string]string{"subnet-0bbb000000000002": "fe80::1", "2600:1f18:4a1:c802::/64": "fe80::2"}); err != nil {
		t.Fatal(err)
	}
	fix := cloudtest.AWS6
	fix.ENIs = slices.Clone(fix.ENIs)
	fix.ENIs[1].Gateway6, fix.ENIs[2].Gateway6 = "fe80::1", "fe80::2"
	m, _, warns = describe6(t, inst, fix, DefaultOptions())
	eth1, eth2 = m.Interfaces[1], m.Interfaces[2]
	if len(warns) > 0 || eth1.IPv6.Gateway.String() != "fe80::1" || eth2.IPv6.Gateway.String() != "fe80::2" || eth2.Table != 1002 ||
		!slices.Equal(rules6(eth1), []string{"2600:1f18:4a1:c801::30/128 1001 1001", "2600:1f18:4a1:c801::31/128 1001 1001"}) {
		t.Errorf("with --ipv6-gateway: warnings %q, eth1 via %s rules %q, eth2 via %s table %d", warns, eth1.IPv6.Gateway, rules6(eth1), eth2.IPv6.Gateway, eth2.Table)
	}
	// And the IPv4 fixture, served by the same mock, still has no IPv6.
	h, err = cloudtest.AWSMetadata(cloudtest.AWS)
	if err != nil {
		t.Fatal(err)
	}
	ts4 := httptest.NewServer(h)
	defer ts4.Close()
	inst, err = AWSMetadata(fastClient("aws-metadata", ts4.URL))
	if err != nil {
		t.Fatal(err)
	}
	checkImport(t, inst, cloudtest.AWS, false)
}

// TestAPIJSONIPv6: the APIs' IPv6: Alibaba's Ipv6Sets with the vSwitch's
// IPv6 CIDR and gateway from the flags (the API has neither), AWS's
// Ipv6Addresses (IsPrimaryIpv6 first) with the subnet's associated IPv6
// CIDR block, an IPv6-native subnet's ENI IPv6-only.
func TestAPIJSONIPv6(t *testing.T) {
	files := readAPI(t, "aliyun-enis-ipv6.json", "aliyun-vswitches-ipv6.json")
	gw := map[string]string{}
	sub6, gw6 := map[string]string{}, map[string]string{}
	for _, e := range cloudtest.Aliyun6.ENIs {
		if len(e.IPs) > 0 {
			gw[e.Subnet] = e.Gateway
		}
		if len(e.IPv6) > 0 {
			sub6[e.Subnet], gw6[e.Subnet] = e.CIDR6, e.Gateway6
		}
	}
	inst, err := AliyunAPI(files, APIOptions{Gateways: gw})
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = Describe(inst, DefaultOptions())
	if want := "(00:16:3e:16:00:0a): no IPv6 CIDR of vsw-bp16zero0000000000: give --ipv6-subnet vsw-bp16zero0000000000=CIDR"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("without --ipv6-subnet: %v, want %q", err, want)
	}
	if err := inst.SetIPv6(sub6, nil); err != nil {
		t.Fatal(err)
	}
	_, _, err = Describe(inst, DefaultOptions())
	if want := "no IPv6 gateway of vsw-bp16zero0000000000 (2408:4005:3a0:c600::/64): give --ipv6-gateway vsw-bp16zero0000000000=IP"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("without --ipv6-gateway: %v, want %q", err, want)
	}
	if err := inst.SetIPv6(nil, gw6); err != nil {
		t.Fatal(err)
	}
	if _, _, warns := describe6(t, inst, cloudtest.Aliyun6, DefaultOptions()); len(warns) > 0 {
		t.Errorf("warnings %q", warns)
	}
	inst, err = AWSAPI(readAPI(t, "aws-enis-ipv6.json", "aws-subnets-ipv6.json"), APIOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m, _, _ := describe6(t, inst, cloudtest.AWS6, DefaultOptions())
	if !m.Interfaces[0].IPv6.GatewayRA || m.Interfaces[2].HasIPv4() {
		t.Errorf("eth0 gateway ra %v, eth2 IPv4 %v", m.Interfaces[0].IPv6.GatewayRA, m.Interfaces[2].HasIPv4())
	}
}

// TestIPv6Failures: each wrong IPv6 answer is an error that names the
// source and the key, and nothing is described.
func TestIPv6Failures(t *testing.T) {
	mac1 := "network/interfaces/macs/" + cloudtest.Aliyun6.ENIs[1].MAC + "/"
	aws1 := "network/interfaces/macs/" + cloudtest.AWS6.ENIs[1].MAC + "/"
	aws2 := "network/interfaces/macs/" + cloudtest.AWS6.ENIs[2].MAC + "/"
	for _, c := range []struct {
		name   string
		aws    bool
		faults cloudtest.Faults
		want   string
	}{
		{"ipv6s without brackets", false, cloudtest.Faults{Malformed: map[string]string{mac1 + "ipv6s": "2408:4005:3a0:c601::a"}}, mac1 + `ipv6s: "2408:4005:3a0:c601::a" is not a list of addresses in brackets`},
		{"ipv6s with an IPv4 item", false, cloudtest.Faults{Malformed: map[string]string{mac1 + "ipv6s": "[2408:4005:3a0:c601::a,172.16.1.9]"}}, mac1 + `ipv6s: "172.16.1.9" is not an IPv6 address`},
		{"an address outside the vSwitch", false, cloudtest.Faults{Malformed: map[string]string{mac1 + "vswitch-ipv6-cidr-block": "2408:4005:3a0:c6ff::/64"}}, mac1 + "vswitch-ipv6-cidr-block: 2408:4005:3a0:c601::a is outside 2408:4005:3a0:c6ff::/64"},
		{"a CIDR with host bits", false, cloudtest.Faults{Malformed: map[string]string{mac1 + "vswitch-ipv6-cidr-block": "2408:4005:3a0:c601::1/64"}}, mac1 + `vswitch-ipv6-cidr-block: "2408:4005:3a0:c601::1/64" is not an IPv6 CIDR block`},
		{"a gateway outside the vSwitch", false, cloudtest.Faults{Malformed: map[string]string{mac1 + "ipv6-gateway": "2408:4005:3a0:c6ff::1"}}, mac1 + "ipv6-gateway: 2408:4005:3a0:c6ff::1 is outside vswitch-ipv6-cidr-block 2408:4005:3a0:c601::/64"},
		{"ipv6-gateway missing", false, cloudtest.Faults{Missing: mac1 + "ipv6-gateway"}, mac1 + "ipv6-gateway: not found (HTTP 404)"},
		{"half the IPv4 keys of a dual-stack ENI", false, cloudtest.Faults{Missing: mac1 + "primary-ip-address"}, mac1 + "primary-ip-address: not found (HTTP 404)"},
		{"IMDS ipv6s not addresses", true, cloudtest.Faults{Malformed: map[string]string{aws1 + "ipv6s": "2600:1f18:4a1:c801::30\n2600:1f18:4a1:c801::zz"}}, aws1 + `ipv6s: "2600:1f18:4a1:c801::zz" is not an IPv6 address`},
		{"IMDS addresses in two blocks", true, cloudtest.Faults{Malformed: map[string]string{aws1 + "ipv6s": "2600:1f18:4a1:c801::30\n2600:1f18:4a1:c8aa::31"}}, aws1 + "subnet-ipv6-cidr-blocks: 2600:1f18:4a1:c8aa::31 is outside 2600:1f18:4a1:c801::/64, which holds 2600:1f18:4a1:c801::30"},
		{"IMDS subnet-ipv6-cidr-blocks missing", true, cloudtest.Faults{Missing: aws1 + "subnet-ipv6-cidr-blocks"}, aws1 + "subnet-ipv6-cidr-blocks: not found (HTTP 404)"},
		{"IMDS half the IPv4 keys", true, cloudtest.Faults{Missing: aws1 + "local-ipv4s"}, aws1 + "local-ipv4s: not found (HTTP 404)"},
		{"IMDS neither family", true, cloudtest.Faults{Missing: aws2 + "ipv6s"}, aws2 + "local-ipv4s: not found (HTTP 404)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var inst *Instance
			var err error
			if c.aws {
				h, herr := cloudtest.AWSMetadataFaults(cloudtest.AWS6, c.faults)
				if herr != nil {
					t.Fatal(herr)
				}
				ts := httptest.NewServer(h)
				defer ts.Close()
				inst, err = AWSMetadata(fastClient("aws-metadata", ts.URL))
			} else {
				ts := httptest.NewServer(&cloudtest.AliyunMetadata{Inst: cloudtest.Aliyun6, Faults: c.faults})
				defer ts.Close()
				inst, err = AliyunMetadata(fastClient("aliyun-metadata", ts.URL))
			}
			var data []byte
			if err == nil {
				data, _, err = Describe(inst, DefaultOptions())
			}
			source := map[bool]string{true: "aws-metadata", false: "aliyun-metadata"}[c.aws]
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), source) || data != nil {
				t.Errorf("error %v\nwant %s: ... %q and nothing described", err, source, c.want)
			}
		})
	}
}

// TestAPIJSONIPv6Failures: the API's IPv6 and the flags, refused by name.
func TestAPIJSONIPv6Failures(t *testing.T) {
	aws := func(edit func(string) string) func() error {
		return func() error {
			files := readAPI(t, "aws-enis-ipv6.json", "aws-subnets-ipv6.json")
			files[0].Data = []byte(edit(string(files[0].Data)))
			inst, err := AWSAPI(files, APIOptions{})
			if err == nil {
				_, _, err = Describe(inst, DefaultOptions())
			}
			return err
		}
	}
	set := func(subnets, gateways map[string]string) func() error {
		return func() error {
			inst, err := AWSAPI(readAPI(t, "aws-enis-ipv6.json", "aws-subnets-ipv6.json"), APIOptions{})
			if err != nil {
				return err
			}
			return inst.SetIPv6(subnets, gateways)
		}
	}
	for _, c := range []struct {
		name string
		run  func() error
		want string
	}{
		{"not an address", aws(func(s string) string {
			return strings.Replace(s, "2600:1f18:4a1:c802::41", "2600:1f18:4a1:c802::4g", 1)
		}),
			`aws-api: NetworkInterfaces[0] (eni-0b1c2d3e4f5a60003).Ipv6Addresses[].Ipv6Address: "2600:1f18:4a1:c802::4g" is not an IPv6 address`},
		{"outside the subnet", aws(func(s string) string {
			return strings.Replace(s, "2600:1f18:4a1:c802::41", "2600:1f18:4a1:c8aa::41", 1)
		}),
			"DescribeSubnets subnet-0bbb000000000003.Ipv6CidrBlockAssociationSet[].Ipv6CidrBlock: 2600:1f18:4a1:c8aa::41 is outside 2600:1f18:4a1:c802::/64"},
		{"a gateway that is no address", set(nil, map[string]string{"subnet-0bbb000000000002": "fe80::1::1"}), `--ipv6-gateway subnet-0bbb000000000002: "fe80::1::1" is not an IPv6 address`},
		{"a gateway of no subnet", set(nil, map[string]string{"subnet-0fff": "fe80::1"}), "--ipv6-gateway subnet-0fff: no network interface with IPv6 is in subnet-0fff"},
		{"a subnet the source gave otherwise", set(map[string]string{"subnet-0bbb000000000002": "2600:1f18:4a1:c8aa::/64"}, nil),
			"--ipv6-subnet subnet-0bbb000000000002=2600:1f18:4a1:c8aa::/64: eni-0b1c2d3e4f5a60002 (0e:49:61:0f:d6:02) has 2600:1f18:4a1:c801::/64 from aws-api"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := c.run(); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v\nwant %q", err, c.want)
			}
		})
	}
}

// TestBracketList: the forms of Alibaba's ipv6s.
func TestBracketList(t *testing.T) {
	a, b := netip.MustParseAddr("2408::1"), netip.MustParseAddr("2408::2")
	for in, want := range map[string][]netip.Addr{
		"[2408::1]":              {a},
		"[2408::1,2408::2]":      {a, b},
		`["2408::1", "2408::2"]`: {a, b},
		"[2408::1, 2408::1]":     {a},
		"[]":                     nil,
	} {
		got, err := bracketList("ipv6s", in)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("%q: %v %v, want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"2408::1", "[2408::1", "2408::1]", "[2408::1,]", "[fe80::1%eth0]", "[10.0.0.1]"} {
		if got, err := bracketList("ipv6s", in); err == nil {
			t.Errorf("%q: %v, want an error", in, got)
		}
	}
}

// TestIPv6OnlyPrimaryDNS: an IPv6-only primary gets no IPv4 resolvers,
// and a comment saying why.
func TestIPv6OnlyPrimaryDNS(t *testing.T) {
	inst, err := AWSAPI(readAPI(t, "aws-enis-ipv6.json", "aws-subnets-ipv6.json"), APIOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// The IPv6-only ENI becomes the primary.
	for k := range inst.ENIs {
		inst.ENIs[k].Primary = inst.ENIs[k].ID == "eni-0b1c2d3e4f5a60003"
	}
	data, _, err := Describe(inst, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte("\ndns:")) || !bytes.Contains(data, []byte("# No dns: the primary is IPv6-only")) {
		t.Errorf("dns of an IPv6-only primary:\n%s", data)
	}
	if _, err := spec.Load("import", data); err != nil {
		t.Errorf("%v\n%s", err, data)
	}
}
