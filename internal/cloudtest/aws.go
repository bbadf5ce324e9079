package cloudtest

import (
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"reflect"
	"sort"
	"strings"
	"sync"
	"time"

	cfg "github.com/aws/amazon-ec2-metadata-mock/pkg/config"
	"github.com/aws/amazon-ec2-metadata-mock/pkg/mock/static"
	"github.com/aws/amazon-ec2-metadata-mock/pkg/server"
)

// The mock serves a fixed set of keys (the fields of its config.Paths),
// each at a path and with a value that its configuration may change, and
// one ENI by default. Every key of the three ENIs goes into one field of
// its own: the ENI keys into the mock's own mac-* fields for the first
// ENI, and into fields whose keys the importer never reads for the
// others.
var awsSpareFields = []string{
	"AmiID", "AmiLaunchIndex", "AmiManifestPath", "BlockDeviceMappingAmi", "BlockDeviceMappingEbs",
	"BlockDeviceMappingEphemeral", "BlockDeviceMappingRoot", "BlockDeviceMappingSwap", "Hostname",
	"InstanceAction", "InstanceLifecycle", "InstanceType", "KernelID", "LocalHostName", "LocalIpv4",
	"PlacementAvailabilityZone", "PlacementAvailabilityZoneID", "PlacementGroupName", "PlacementHostID",
	"PlacementPartitionNumber", "PlacementRegion", "ProductCodes", "PublicHostName", "PublicIpv4",
	"PublicKey", "RamdiskID", "ReservationID", "SecurityGroups", "ServicesDomain", "ServicesPartition",
	"TagsInstanceName", "TagsInstanceTest", "MacOwnerID", "MacPublicHostname", "MacSecurityGroups",
	"MacSecurityGroupIds", "MacSubnetID", "MacVpcID", "MacVpcIpv4CidrBlock", "MacVpcIpv4CidrBlocks",
	"MacLocalHostname", "MacPublicIpv4s",
}

var (
	mockOnce sync.Once
	mockURL  string
	mockErr  error
)

// awsKeys gives the metadata keys of inst: path under /latest/meta-data/
// -> value.
func awsKeys(inst Instance) map[string]string {
	keys := map[string]string{"instance-id": inst.ID, "mac": inst.ENIs[0].MAC}
	for _, e := range inst.ENIs {
		d := "network/interfaces/macs/" + e.MAC + "/"
		keys[d+"mac"] = e.MAC
		keys[d+"interface-id"] = e.ID
		keys[d+"device-number"] = fmt.Sprint(e.Device)
		keys[d+"network-card-index"] = fmt.Sprint(e.Card)
		keys[d+"local-ipv4s"] = strings.Join(e.IPs, "\n")
		keys[d+"subnet-ipv4-cidr-block"] = e.CIDR
		keys[d+"subnet-id"] = e.Subnet
		for pub, priv := range e.EIPs {
			keys[d+"ipv4-associations/"+pub] = priv
		}
	}
	return keys
}

// startMock runs amazon-ec2-metadata-mock in this process with IMDSv2
// required, serving the keys of inst; it gives its URL. The mock's
// server is global, so it runs once per process.
func startMock(inst Instance) (string, error) {
	mockOnce.Do(func() {
		log.SetOutput(io.Discard) // the mock logs every request
		var c cfg.Config
		c.Imdsv2Required = true
		paths := reflect.ValueOf(&c.Metadata.Paths).Elem()
		values := reflect.ValueOf(&c.Metadata.Values).Elem()
		keys := awsKeys(inst)
		names := make([]string, 0, len(keys))
		for k := range keys {
			names = append(names, k)
		}
		sort.Strings(names)
		spare := awsSpareFields
		for _, k := range names {
			field := ""
			switch k {
			case "instance-id":
				field = "InstanceID"
			case "mac":
				field = "Mac"
			default:
				if len(spare) == 0 {
					mockErr = fmt.Errorf("cloudtest: no spare field of the mock for %s", k)
					return
				}
				field, spare = spare[0], spare[1:]
			}
			paths.FieldByName(field).SetString("/latest/meta-data/" + k)
			values.FieldByName(field).SetString(keys[k])
		}
		static.RegisterHandlers(c)
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			mockErr = err
			return
		}
		port := fmt.Sprint(l.Addr().(*net.TCPAddr).Port)
		_ = l.Close()
		go server.ListenAndServe("127.0.0.1", port)
		mockURL = "http://127.0.0.1:" + port
		for i := 0; i < 100; i++ {
			if resp, err := http.Get(mockURL + "/latest/meta-data/instance-id"); err == nil {
				resp.Body.Close()
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
		mockErr = fmt.Errorf("cloudtest: the metadata mock does not answer at %s", mockURL)
	})
	return mockURL, mockErr
}

// AWSMetadata serves inst through the real amazon-ec2-metadata-mock
// (v1.13.0, IMDSv2 required). The mock answers keys, not folders, so a
// proxy in front of it answers the two folders the importer lists
// (network/interfaces/macs/ and each ENI's ipv4-associations/) one entry
// a line, as the service does, after the mock has accepted the request's
// token; every other request goes to the mock as it is. The mock is
// global to the process: every caller must pass the same instance.
func AWSMetadata(inst Instance) (http.Handler, error) {
	base, err := startMock(inst)
	if err != nil {
		return nil, err
	}
	u, _ := url.Parse(base)
	proxy := httputil.NewSingleHostReverseProxy(u)
	folders := map[string][]string{}
	for k := range awsKeys(inst) {
		for dir := k; strings.Contains(dir, "/"); {
			i := strings.LastIndex(strings.TrimSuffix(dir, "/"), "/")
			if i < 0 {
				break
			}
			parent, entry := dir[:i+1], dir[i+1:]
			if !contains(folders[parent], entry) {
				folders[parent] = append(folders[parent], entry)
			}
			dir = parent
		}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key, _ := strings.CutPrefix(r.URL.Path, "/latest/meta-data/")
		list, ok := folders[strings.TrimSuffix(key, "/")+"/"]
		if !ok || r.Method != http.MethodGet {
			proxy.ServeHTTP(w, r)
			return
		}
		// The mock's answer to its own instance-id with this request's
		// token decides whether the folder is served.
		req, _ := http.NewRequest(http.MethodGet, base+"/latest/meta-data/instance-id", nil)
		req.Header = r.Header.Clone()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			w.WriteHeader(resp.StatusCode)
			return
		}
		sort.Strings(list)
		_, _ = io.WriteString(w, strings.Join(list, "\n"))
	}), nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
