package importer

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/enicfg/enicfg/internal/cloudtest"
	"github.com/enicfg/enicfg/spec"
)

// fixtureLines writes a fixture's ENIs one line each, in device order:
// what an import of it must give. queues: whether the source knows them.
// aliyunMetadataView gives what Alibaba's metadata says of a fixture:
// the secondary ENIs in MAC order, and only the EIP of the primary IP.
func aliyunMetadataView(inst cloudtest.Instance) cloudtest.Instance {
	inst.ENIs = slices.Clone(inst.ENIs)
	slices.SortFunc(inst.ENIs[1:], func(a, b cloudtest.ENI) int { return strings.Compare(a.MAC, b.MAC) })
	for k := range inst.ENIs[1:] {
		inst.ENIs[k+1].EIPs = nil
	}
	return inst
}

func fixtureLines(inst cloudtest.Instance, queues bool) []string {
	var out []string
	for _, e := range inst.ENIs {
		var eips []string
		for pub, priv := range e.EIPs {
			eips = append(eips, pub+">"+priv)
		}
		slices.Sort(eips)
		q := 0
		if queues {
			q = e.Queues
		}
		out = append(out, fmt.Sprintf("%s %s ips=%v subnet=%s gw=%s eips=%v queues=%d", e.ID, e.MAC, e.IPs, e.CIDR, e.Gateway, eips, q))
	}
	return out
}

// instanceLines writes an import the same way.
func instanceLines(inst *Instance) []string {
	inst.sortENIs()
	var out []string
	for _, e := range inst.ENIs {
		var eips []string
		for _, x := range e.EIPs {
			eips = append(eips, x.Public.String()+">"+x.Private.String())
		}
		slices.Sort(eips)
		var ips []string
		for _, ip := range e.IPs {
			ips = append(ips, ip.String())
		}
		out = append(out, fmt.Sprintf("%s %s ips=%v subnet=%s gw=%s eips=%v queues=%d", e.ID, e.MAC, ips, e.Subnet, e.Gateway, eips, e.Queues))
	}
	return out
}

// checkImport compares an import with its fixture and holds its
// description to spec: valid, with the fixture's addresses, names in
// device order and a table per secondary ENI.
func checkImport(t *testing.T, inst *Instance, fix cloudtest.Instance, queues bool) *spec.Model {
	t.Helper()
	if diff := cmp.Diff(fixtureLines(fix, queues), instanceLines(inst)); diff != "" {
		t.Errorf("the import differs from the cloud's (-cloud +import):\n%s", diff)
	}
	if inst.ID != fix.ID {
		t.Errorf("instance %q, want %q", inst.ID, fix.ID)
	}
	data, warns, err := Describe(inst, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if len(warns) > 0 {
		t.Errorf("warnings: %q", warns)
	}
	again, _, _ := Describe(inst, DefaultOptions())
	if !bytes.Equal(data, again) {
		t.Error("two imports of the same instance differ")
	}
	m, err := spec.Read("import", bytes.NewReader(data))
	if err != nil {
		t.Fatalf("the description is not valid: %v\n%s", err, data)
	}
	for k, in := range m.Interfaces {
		e := fix.ENIs[k]
		var ips []string
		for _, p := range in.IPs() {
			ips = append(ips, p.Addr().String())
		}
		if in.Name != fmt.Sprintf("eth%d", k) || in.MAC != e.MAC || !slices.Equal(ips, e.IPs) || in.Gateway.String() != e.Gateway {
			t.Errorf("interface %d: %s %s %v via %s, want eth%d %s %v via %s", k, in.Name, in.MAC, ips, in.Gateway, k, e.MAC, e.IPs, e.Gateway)
		}
		wantTable := uint32(0)
		if k > 0 {
			wantTable = 1000 + uint32(k)
		}
		if in.Table != wantTable || in.Primary != (k == 0) || in.DefaultRoute != (k == 0) {
			t.Errorf("%s: table %d, primary %v, default route %v; want table %d and only eth0 primary with the default route", in.Name, in.Table, in.Primary, in.DefaultRoute, wantTable)
		}
		if len(in.EIPs) != len(e.EIPs) {
			t.Errorf("%s: %d EIPs, want %d", in.Name, len(in.EIPs), len(e.EIPs))
		}
	}
	want := map[string]string{"aliyun": "[100.100.2.136 100.100.2.138]", "aws": "[169.254.169.253]"}[inst.Cloud]
	if got := fmt.Sprint(m.Interfaces[0].DNS.Servers); got != want {
		t.Errorf("dns servers %s, want the cloud's resolvers %s", got, want)
	}
	if len(m.Interfaces) != len(fix.ENIs) || m.Cloud != inst.Cloud {
		t.Errorf("%d interfaces on %s, want %d on %s", len(m.Interfaces), m.Cloud, len(fix.ENIs), inst.Cloud)
	}
	return m
}

// fastClient asks a test server with short timeouts and backoff.
func fastClient(name, url string) *Client {
	c := NewClient(name, url)
	c.Timeout, c.Retries, c.Backoff = 500*time.Millisecond, 2, time.Millisecond
	return c
}

func TestAliyunMetadata(t *testing.T) {
	srv := &cloudtest.AliyunMetadata{Inst: cloudtest.Aliyun}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	inst, err := AliyunMetadata(fastClient("aliyun-metadata", ts.URL))
	if err != nil {
		t.Fatal(err)
	}
	// The metadata has no queues and no device index (the secondary ENIs
	// come in MAC order), and its one EIP key, eipv4, is the primary IP's.
	checkImport(t, inst, aliyunMetadataView(cloudtest.Aliyun), false)
}

// TestAliyunMetadataFailures: each failure of the service is an error
// that names the source and the key; the transient ones are retried.
func TestAliyunMetadataFailures(t *testing.T) {
	mac1 := "network/interfaces/macs/" + cloudtest.Aliyun.ENIs[1].MAC + "/"
	for _, c := range []struct {
		name   string
		faults cloudtest.Faults
		want   string // in the error; "" : the import succeeds
	}{
		{"token refused", cloudtest.Faults{RefuseToken: true}, "/latest/api/token: HTTP 403 Forbidden: the token was refused"},
		{"key missing", cloudtest.Faults{Missing: mac1 + "gateway"}, mac1 + "gateway: not found (HTTP 404): the key is missing"},
		{"private-ipv4s not JSON", cloudtest.Faults{Malformed: map[string]string{mac1 + "private-ipv4s": `["172.16.1.163", "172.16.1.1`}}, mac1 + "private-ipv4s: not a JSON array of addresses"},
		{"an address that is none", cloudtest.Faults{Malformed: map[string]string{mac1 + "primary-ip-address": "172.16.1.999"}}, mac1 + `primary-ip-address: "172.16.1.999" is not an IPv4 address`},
		{"netmask against the CIDR", cloudtest.Faults{Malformed: map[string]string{mac1 + "netmask": "255.255.0.0"}}, mac1 + "netmask: 255.255.0.0 does not match vswitch-cidr-block 172.16.1.0/24"},
		{"a MAC that is none", cloudtest.Faults{Malformed: map[string]string{"mac": "00:16:3e"}}, `meta-data/mac: "00:16:3e" is not a MAC address`},
		{"truncated answer", cloudtest.Faults{Truncate: mac1 + "vswitch-cidr-block"}, mac1 + "vswitch-cidr-block: the answer is truncated: unexpected EOF (3 attempts)"},
		{"no ENIs", cloudtest.Faults{NoENIs: true}, "the instance has no network interfaces"},
		{"too slow", cloudtest.Faults{Slow: time.Second}, "/latest/api/token: no answer within 500ms (3 attempts)"},
		{"two 503s, then served", cloudtest.Faults{Fail5xx: 2}, ""},
		{"three 503s", cloudtest.Faults{Fail5xx: 3}, "/latest/api/token: HTTP 503 Service Unavailable (3 attempts)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv := &cloudtest.AliyunMetadata{Inst: cloudtest.Aliyun, Faults: c.faults}
			ts := httptest.NewServer(srv)
			defer ts.Close()
			inst, err := AliyunMetadata(fastClient("aliyun-metadata", ts.URL))
			if err == nil {
				_, _, err = Describe(inst, DefaultOptions())
			}
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("failed: %v", err)
			case c.want == "":
				return
			case err == nil:
				t.Fatalf("no error, want %q", c.want)
			case !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "aliyun-metadata"):
				t.Errorf("error %q\nwant aliyun-metadata: ... %q", err, c.want)
			}
		})
	}
}

// TestAliyunMetadataNeedsToken: the service refuses a GET without the
// token (hardened mode), so an import that got no token cannot pass.
func TestAliyunMetadataNeedsToken(t *testing.T) {
	ts := httptest.NewServer(&cloudtest.AliyunMetadata{Inst: cloudtest.Aliyun})
	defer ts.Close()
	c := fastClient("aliyun-metadata", ts.URL)
	if _, err := c.Get("/latest/meta-data/instance-id"); err == nil || !strings.Contains(err.Error(), "HTTP 401") {
		t.Errorf("a GET without a token: %v, want HTTP 401", err)
	}
}

func TestAWSMetadataMock(t *testing.T) {
	h, err := cloudtest.AWSMetadata(cloudtest.AWS)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(h)
	defer ts.Close()
	// IMDSv2 is required: without a token the mock answers 401.
	resp, err := http.Get(ts.URL + "/latest/meta-data/instance-id")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("without a token: HTTP %d, want 401", resp.StatusCode)
	}
	inst, err := AWSMetadata(fastClient("aws-metadata", ts.URL))
	if err != nil {
		t.Fatal(err)
	}
	checkImport(t, inst, cloudtest.AWS, false)
}

func readAPI(t *testing.T, names ...string) []APIFile {
	t.Helper()
	var out []APIFile
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join("testdata", n))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, APIFile{Name: n, Data: data})
	}
	return out
}

func aliyunGateways() map[string]string {
	g := map[string]string{}
	for _, e := range cloudtest.Aliyun.ENIs {
		g[e.Subnet] = e.Gateway
	}
	return g
}

func TestAPIJSON(t *testing.T) {
	inst, err := AliyunAPI(readAPI(t, "aliyun-enis.json", "aliyun-vswitches.json"), APIOptions{Gateways: aliyunGateways()})
	if err != nil {
		t.Fatal(err)
	}
	m := checkImport(t, inst, cloudtest.Aliyun, true)
	for k, in := range m.Interfaces {
		if int(in.Queues) != cloudtest.Aliyun.ENIs[k].Queues {
			t.Errorf("%s: queues %d, want QueueNumber %d", in.Name, in.Queues, cloudtest.Aliyun.ENIs[k].Queues)
		}
	}
	inst, err = AWSAPI(readAPI(t, "aws-subnets.json", "aws-enis.json"), APIOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkImport(t, inst, cloudtest.AWS, false)
}

// TestAPIJSONFailures: what the JSON cannot say is refused by name.
func TestAPIJSONFailures(t *testing.T) {
	gw := aliyunGateways()
	delete(gw, cloudtest.Aliyun.ENIs[2].Subnet)
	other := []APIFile{{Name: "other.json", Data: []byte(`{"Instances":{"Instance":[]}}`)}}
	for _, c := range []struct {
		name string
		run  func() (*Instance, error)
		want string
	}{
		{"no gateway", func() (*Instance, error) {
			return AliyunAPI(readAPI(t, "aliyun-enis.json", "aliyun-vswitches.json"), APIOptions{Gateways: gw})
		}, "aliyun-api: NetworkInterfaceSet[2] (eni-bp1third00000000c): the API gives no gateway of vSwitch vsw-bp1two000000000000 (172.16.2.0/24): give --gateway vsw-bp1two000000000000=IP"},
		{"the JSON of another API", func() (*Instance, error) {
			return AliyunAPI(append(readAPI(t, "aliyun-enis.json"), other...), APIOptions{Gateways: gw})
		}, "aliyun-api: other.json: not the output of NetworkInterfaceSets or VSwitches (its top-level keys: Instances)"},
		{"the other cloud's JSON", func() (*Instance, error) {
			return AWSAPI(readAPI(t, "aliyun-enis.json", "aws-subnets.json"), APIOptions{})
		}, "aws-api: aliyun-enis.json: not the output of NetworkInterfaces or Subnets"},
		{"no subnets", func() (*Instance, error) { return AWSAPI(readAPI(t, "aws-enis.json"), APIOptions{}) },
			"aws-api: no JSON holds Subnets: give the output of that call too"},
		{"not JSON", func() (*Instance, error) {
			return AWSAPI([]APIFile{{Name: "cut.json", Data: []byte(`{"NetworkInterfaces": [`)}}, APIOptions{})
		}, "aws-api: cut.json: not a JSON object"},
		{"another instance", func() (*Instance, error) {
			return AWSAPI(readAPI(t, "aws-enis.json", "aws-subnets.json"), APIOptions{Instance: "i-0fff"})
		}, "aws-api: no network interface is attached to i-0fff (the JSON has: i-0123456789abcdef0)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := c.run()
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v\nwant %q", err, c.want)
			}
		})
	}
}

// TestDescribeChoices: the flags' choices reach the description.
func TestDescribeChoices(t *testing.T) {
	inst, err := AWSAPI(readAPI(t, "aws-enis.json", "aws-subnets.json"), APIOptions{})
	if err != nil {
		t.Fatal(err)
	}
	opt := Options{NamePrefix: "ens", DHCP: DHCPAll, PolicyRouting: true, TableBase: 200}
	data, warns, err := Describe(inst, opt)
	if err != nil {
		t.Fatal(err)
	}
	m, err := spec.Read("import", bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	for k, in := range m.Interfaces {
		if in.Name != fmt.Sprintf("ens%d", k) || !in.DHCP || k > 0 && in.Table != 199+uint32(k) {
			t.Errorf("%s: dhcp %v table %d", in.Name, in.DHCP, in.Table)
		}
	}
	// eth0's EIP is on its DHCP address: a warning and a comment, not
	// a silent drop.
	if len(warns) != 1 || !strings.Contains(warns[0], "EIP 3.120.0.10 maps to the DHCP address 172.31.10.20") ||
		!strings.Contains(string(data), "# EIP 3.120.0.10 maps to the DHCP address 172.31.10.20") {
		t.Errorf("warnings %q", warns)
	}
	opt = DefaultOptions()
	opt.PolicyRouting = false
	data, _, _ = Describe(inst, opt)
	if strings.Contains(string(data), "route_table") {
		t.Error("route_table without policy routing")
	}
}

// TestDeviceOrder: the primary first, then by network card, then by
// device index; a second card's ENI is never the primary.
func TestDeviceOrder(t *testing.T) {
	files := readAPI(t, "aws-enis.json", "aws-subnets.json")
	// The ENI of device 1 moves to network card 1.
	files[0].Data = bytes.Replace(files[0].Data, []byte(`"DeviceIndex": 1,
                "NetworkCardIndex": 0`), []byte(`"DeviceIndex": 1,
                "NetworkCardIndex": 1`), 1)
	inst, err := AWSAPI(files, APIOptions{})
	if err != nil {
		t.Fatal(err)
	}
	data, _, err := Describe(inst, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range inst.ENIs {
		got = append(got, fmt.Sprintf("%s:%d/%d", e.ID[len(e.ID)-1:], e.Card, e.Device))
	}
	if want := []string{"1:0/0", "3:0/2", "2:1/1"}; !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
	if !strings.Contains(string(data), "  - name: eth2  # device index 1, network card 1\n") {
		t.Errorf("the card is not named:\n%s", data)
	}
}
