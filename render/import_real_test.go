package render_test

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/enicfg/enicfg/importer"
	"github.com/enicfg/enicfg/internal/cloudtest"
	"github.com/enicfg/enicfg/internal/netlab"
	"github.com/enicfg/enicfg/spec"
)

// TestImportRoundTrip imports the fixture instances of internal/cloudtest
// from each source (Alibaba's metadata service, the AWS metadata mock,
// the JSON of both APIs), renders the description for one Linux family
// each, and lets the real tool apply it in a namespace: the kernel must
// hold exactly the description's addresses, rules and routes (the
// families' own checks), and the description exactly the cloud's
// addresses, each on the ENI of its MAC (checked here against the
// fixture, written by hand).
func TestImportRoundTrip(t *testing.T) {
	apiFile := func(t *testing.T, name string) importer.APIFile {
		data, err := os.ReadFile(filepath.Join("..", "importer", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return importer.APIFile{Name: name, Data: data}
	}
	client := func(name, url string) *importer.Client {
		c := importer.NewClient(name, url)
		c.Backoff = time.Millisecond
		return c
	}
	for _, c := range []struct {
		source, distro string
		fixture        cloudtest.Instance
		read           func(t *testing.T) (*importer.Instance, error)
	}{
		{"aliyun-metadata", "debian12", cloudtest.Aliyun, func(t *testing.T) (*importer.Instance, error) {
			ts := httptest.NewServer(&cloudtest.AliyunMetadata{Inst: cloudtest.Aliyun})
			t.Cleanup(ts.Close)
			return importer.AliyunMetadata(client("aliyun-metadata", ts.URL))
		}},
		{"aws-metadata", "amazonlinux2023", cloudtest.AWS, func(t *testing.T) (*importer.Instance, error) {
			h, err := cloudtest.AWSMetadata(cloudtest.AWS)
			if err != nil {
				return nil, err
			}
			ts := httptest.NewServer(h)
			t.Cleanup(ts.Close)
			return importer.AWSMetadata(client("aws-metadata", ts.URL))
		}},
		{"aliyun-api", "rhel9", cloudtest.Aliyun, func(t *testing.T) (*importer.Instance, error) {
			gw := map[string]string{}
			for _, e := range cloudtest.Aliyun.ENIs {
				gw[e.Subnet] = e.Gateway
			}
			return importer.AliyunAPI([]importer.APIFile{apiFile(t, "aliyun-enis.json"), apiFile(t, "aliyun-vswitches.json")}, importer.APIOptions{Gateways: gw})
		}},
		{"aws-api", "debian12", cloudtest.AWS, func(t *testing.T) (*importer.Instance, error) {
			return importer.AWSAPI([]importer.APIFile{apiFile(t, "aws-enis.json"), apiFile(t, "aws-subnets.json")}, importer.APIOptions{})
		}},
		// Dual stack, IPv4-only and IPv6-only ENIs in one instance.
		{"aliyun-metadata-ipv6", "rhel9", cloudtest.Aliyun6, func(t *testing.T) (*importer.Instance, error) {
			ts := httptest.NewServer(&cloudtest.AliyunMetadata{Inst: cloudtest.Aliyun6})
			t.Cleanup(ts.Close)
			return importer.AliyunMetadata(client("aliyun-metadata", ts.URL))
		}},
		{"aws-metadata-ipv6", "amazonlinux2023", cloudtest.AWS6, func(t *testing.T) (*importer.Instance, error) {
			h, err := cloudtest.AWSMetadata(cloudtest.AWS6)
			if err != nil {
				return nil, err
			}
			ts := httptest.NewServer(h)
			t.Cleanup(ts.Close)
			inst, err := importer.AWSMetadata(client("aws-metadata", ts.URL))
			if err != nil {
				return nil, err
			}
			// AWS names no IPv6 router: the secondary ENIs' tables take
			// it from --ipv6-gateway, as an operator gives it.
			return inst, inst.SetIPv6(nil, map[string]string{"subnet-0bbb000000000002": "fe80::1", "subnet-0bbb000000000003": "fe80::1"})
		}},
	} {
		t.Run(c.source+"/"+c.distro, func(t *testing.T) {
			inst, err := c.read(t)
			if err != nil {
				t.Fatal(err)
			}
			data, _, err := importer.Describe(inst, importer.DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			m := loadDescription(t, c.source, c.source, data)
			sameAddresses(t, m, c.fixture)
			files := renderFor(t, m, c.distro)
			switch c.distro {
			case "debian12":
				netlab.Require(t, true, "ifup", "ifdown", "ip", "nsenter", "unshare", "ethtool", "dpkg-query")
				applyDebian(t, m, files, ifupdownBuilds(t)[0])
			case "amazonlinux2023":
				netlab.Require(t, true, networkdBin, "udevadm", "ip")
				runNetworkd(t, m, files, nil, func(ifname string) string { return "/etc/systemd/network/05-enicfg-" + ifname + ".network" }, 1024, "networkd")
			case "rhel9":
				netlab.Require(t, true, "NetworkManager", "nmcli", "dbus-daemon", "ip")
				runNM(t, m, files)
			}
		})
	}
}

// sameAddresses holds an imported description to the fixture: each ENI
// of the fixture is the interface of its MAC, with the fixture's IPs (the
// primary first), gateway and a table of its own when it is secondary.
func sameAddresses(t *testing.T, m *spec.Model, fix cloudtest.Instance) {
	t.Helper()
	if len(m.Interfaces) != len(fix.ENIs) {
		t.Fatalf("%d interfaces, the cloud has %d ENIs", len(m.Interfaces), len(fix.ENIs))
	}
	tables := map[uint32]bool{}
	for _, e := range fix.ENIs {
		k := slices.IndexFunc(m.Interfaces, func(in *spec.Interface) bool { return in.MAC == e.MAC })
		if k < 0 {
			t.Errorf("no interface has the MAC %s of %s", e.MAC, e.ID)
			continue
		}
		in := m.Interfaces[k]
		var ips []string
		for _, p := range in.IPs() {
			ips = append(ips, p.Addr().String())
		}
		if in.HasIPv4() != (len(e.IPs) > 0) || in.HasIPv4() && (!slices.Equal(ips, e.IPs) || in.Gateway.String() != e.Gateway || in.Subnet.String() != e.CIDR) {
			t.Errorf("%s (%s): %v in %s via %s; the cloud says %v in %s via %s", in.Name, e.ID, ips, in.Subnet, in.Gateway, e.IPs, e.CIDR, e.Gateway)
		}
		var ips6 []string
		for _, p := range in.IPv6.IPs() {
			ips6 = append(ips6, p.Addr().String())
		}
		if !slices.Equal(ips6, e.IPv6) || len(e.IPv6) > 0 && in.IPv6.Subnet.String() != e.CIDR6 {
			t.Errorf("%s (%s): IPv6 %v in %s; the cloud says %v in %s", in.Name, e.ID, ips6, in.IPv6.Subnet, e.IPv6, e.CIDR6)
		}
		if primary := e.Device == 0; in.Primary != primary || !primary && (in.Table == 0 || tables[in.Table]) {
			t.Errorf("%s (%s): primary %v, table %d: want the device-0 ENI primary and a table of its own for each other", in.Name, e.ID, in.Primary, in.Table)
		}
		tables[in.Table] = true
	}
}
