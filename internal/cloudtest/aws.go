package cloudtest

import (
	"fmt"
	"io"
	"log"
	"maps"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"reflect"
	"slices"
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
// one ENI by default. Every key of an instance goes into one field of
// its own: the first ENI's keys into the mock's own mac-* fields (its
// mac-ipv6-associations serves ipv6s, its mac-subnet-ipv6-cidr-blocks
// subnet-ipv6-cidr-blocks), the other ENIs' into fields whose keys the
// importer never reads.
var awsSpareFields = []string{
	"AmiID", "AmiLaunchIndex", "AmiManifestPath", "BlockDeviceMappingAmi", "BlockDeviceMappingEbs",
	"BlockDeviceMappingEphemeral", "BlockDeviceMappingRoot", "BlockDeviceMappingSwap", "Hostname",
	"InstanceAction", "InstanceLifecycle", "InstanceType", "KernelID", "LocalHostName", "LocalIpv4",
	"PlacementAvailabilityZone", "PlacementAvailabilityZoneID", "PlacementGroupName", "PlacementHostID",
	"PlacementPartitionNumber", "PlacementRegion", "ProductCodes", "PublicHostName", "PublicIpv4",
	"PublicKey", "RamdiskID", "ReservationID", "SecurityGroups", "ServicesDomain", "ServicesPartition",
	"TagsInstanceName", "TagsInstanceTest", "MacOwnerID", "MacPublicHostname", "MacSecurityGroups",
	"MacSecurityGroupIds", "MacSubnetID", "MacVpcID", "MacVpcIpv4CidrBlock", "MacVpcIpv4CidrBlocks",
	"MacLocalHostname", "MacPublicIpv4s", "MacVpcIpv6CidrBlocks",
}

// awsOwnFields are the mock's fields for the keys of its one ENI.
var awsOwnFields = map[string]string{
	"mac": "MacMac", "interface-id": "MacNetworkInterfaceID", "device-number": "MacDeviceNumber",
	"network-card-index": "MacNetworkInterfaceCardIndex", "local-ipv4s": "MacLocalIpv4s",
	"subnet-ipv4-cidr-block": "MacSubnetIpv4CidrBlock", "ipv6s": "MacIpv6Associations",
	"subnet-ipv6-cidr-blocks": "MacSubnetIpv6CidrBlocks",
}

var (
	mockMu   sync.Mutex
	mockURL  string
	mockErr  error
	mockSeen = map[string]bool{} // the instances registered, by ID
)

// awsKeys gives the metadata keys of inst: path under /latest/meta-data/
// -> value. An ENI without IPs has no IPv4 keys (an IPv6-only subnet), one
// without IPv6 no IPv6 keys (the metadata answers 404).
func awsKeys(inst Instance) map[string]string {
	keys := map[string]string{"instance-id": inst.ID, "mac": inst.ENIs[0].MAC}
	for _, e := range inst.ENIs {
		d := "network/interfaces/macs/" + e.MAC + "/"
		keys[d+"mac"] = e.MAC
		keys[d+"interface-id"] = e.ID
		keys[d+"device-number"] = fmt.Sprint(e.Device)
		keys[d+"network-card-index"] = fmt.Sprint(e.Card)
		keys[d+"subnet-id"] = e.Subnet
		if len(e.IPs) > 0 {
			keys[d+"local-ipv4s"] = strings.Join(e.IPs, "\n")
			keys[d+"subnet-ipv4-cidr-block"] = e.CIDR
		}
		if len(e.IPv6) > 0 {
			keys[d+"ipv6s"] = strings.Join(e.IPv6, "\n")
			keys[d+"subnet-ipv6-cidr-blocks"] = e.CIDR6
		}
		for pub, priv := range e.EIPs {
			keys[d+"ipv4-associations/"+pub] = priv
		}
	}
	return keys
}

// mockPrefix is where the mock serves inst's keys: each instance under
// its own path, so that one mock serves them all.
func mockPrefix(inst Instance) string { return "/" + inst.ID }

// mockConfig puts the keys of inst into a configuration of the mock.
func mockConfig(inst Instance) (cfg.Config, error) {
	var c cfg.Config
	c.Imdsv2Required = true
	paths := reflect.ValueOf(&c.Metadata.Paths).Elem()
	values := reflect.ValueOf(&c.Metadata.Values).Elem()
	keys := awsKeys(inst)
	first := "network/interfaces/macs/" + inst.ENIs[0].MAC + "/"
	spare := awsSpareFields
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		field := map[string]string{"instance-id": "InstanceID", "mac": "Mac"}[k]
		if own, ok := awsOwnFields[strings.TrimPrefix(k, first)]; ok && strings.HasPrefix(k, first) {
			field = own
		}
		if field == "" {
			if len(spare) == 0 {
				return c, fmt.Errorf("cloudtest: no spare field of the mock for %s", k)
			}
			field, spare = spare[0], spare[1:]
		}
		paths.FieldByName(field).SetString(mockPrefix(inst) + "/latest/meta-data/" + k)
		values.FieldByName(field).SetString(keys[k])
	}
	return c, nil
}

// startMock runs amazon-ec2-metadata-mock in this process with IMDSv2
// required and registers the keys of inst under mockPrefix; it gives its
// URL. The mock's server is global: it starts once, and each instance
// is registered once.
func startMock(inst Instance) (string, error) {
	mockMu.Lock()
	defer mockMu.Unlock()
	if mockErr != nil || mockSeen[inst.ID] {
		return mockURL, mockErr
	}
	c, err := mockConfig(inst)
	if err != nil {
		return "", err
	}
	log.SetOutput(io.Discard) // the mock logs every request and each field it does not serve
	static.RegisterHandlers(c)
	mockSeen[inst.ID] = true
	if mockURL != "" {
		return mockURL, nil
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		mockErr = err
		return "", err
	}
	port := fmt.Sprint(l.Addr().(*net.TCPAddr).Port)
	_ = l.Close()
	go server.ListenAndServe("127.0.0.1", port)
	mockURL = "http://127.0.0.1:" + port
	for i := 0; i < 100; i++ {
		if resp, err := http.Get(mockURL + "/latest/api/token"); err == nil {
			resp.Body.Close()
			return mockURL, nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	mockErr = fmt.Errorf("cloudtest: the metadata mock does not answer at %s", mockURL)
	return "", mockErr
}

// AWSMetadata serves inst through the real amazon-ec2-metadata-mock
// (v1.13.0, IMDSv2 required). The mock answers keys, not folders, so a
// proxy in front of it answers the two folders the importer lists
// (network/interfaces/macs/ and each ENI's ipv4-associations/) one entry
// a line, as the service does, after the mock has accepted the request's
// token; every other request goes to the mock, a key under the
// instance's prefix. Any number of instances may be served at once.
func AWSMetadata(inst Instance) (http.Handler, error) { return AWSMetadataFaults(inst, Faults{}) }

// AWSMetadataFaults is AWSMetadata with the faults the mock cannot show
// (it serves what it is given, or 404): f.Missing answers 404 and
// f.Malformed its value instead of the key's, each after the mock has
// accepted the token. Other faults are not served.
func AWSMetadataFaults(inst Instance, f Faults) (http.Handler, error) {
	base, err := startMock(inst)
	if err != nil {
		return nil, err
	}
	u, _ := url.Parse(base)
	proxy := httputil.NewSingleHostReverseProxy(u)
	prefix := mockPrefix(inst)
	folders := awsFolders(inst)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key, isKey := strings.CutPrefix(r.URL.Path, "/latest/meta-data/")
		list, folder := folders[strings.TrimSuffix(key, "/")+"/"]
		bad, malformed := f.Malformed[key]
		switch {
		case !isKey:
			proxy.ServeHTTP(w, r)
			return
		case r.Method != http.MethodGet || !folder && !malformed && (f.Missing == "" || key != f.Missing):
			r2 := r.Clone(r.Context())
			r2.URL.Path, r2.URL.RawPath = prefix+r.URL.Path, ""
			proxy.ServeHTTP(w, r2)
			return
		}
		// The mock's answer to this instance's instance-id with this
		// request's token decides whether the answer is served.
		if code := mockAccepts(base+prefix, r); code != http.StatusOK {
			w.WriteHeader(code)
			return
		}
		switch {
		case malformed:
			_, _ = io.WriteString(w, bad)
		case folder:
			sort.Strings(list)
			_, _ = io.WriteString(w, strings.Join(list, "\n"))
		default:
			http.NotFound(w, r)
		}
	}), nil
}

// mockAccepts gives the mock's status for its instance-id under base
// with r's header: 200 when it accepts r's token.
func mockAccepts(base string, r *http.Request) int {
	req, _ := http.NewRequest(http.MethodGet, base+"/latest/meta-data/instance-id", nil)
	req.Header = r.Header.Clone()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return http.StatusBadGateway
	}
	resp.Body.Close()
	return resp.StatusCode
}

// awsFolders gives the folders of inst's keys, each with its entries.
func awsFolders(inst Instance) map[string][]string {
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
	return folders
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
