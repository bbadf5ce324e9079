package importer

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	ecs "github.com/alibabacloud-go/ecs-20140526/v7/client"
	ec2 "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// TestFixturesAreAPIShapes decodes every API JSON fixture into the
// official SDK's response type of its call (Alibaba's response bodies;
// the AWS CLI's output is the list of the SDK's NetworkInterface or
// Subnet under the call's output key), refusing any key the type does
// not have: the fixtures' shape is the API's, not a guess. The importer's
// own structs read the same files (TestAPIJSON).
func TestFixturesAreAPIShapes(t *testing.T) {
	for file, into := range map[string]any{
		"aliyun-enis.json":      &ecs.DescribeNetworkInterfacesResponseBody{},
		"aliyun-vswitches.json": &ecs.DescribeVSwitchesResponseBody{},
		"aws-enis.json":         &struct{ NetworkInterfaces []ec2.NetworkInterface }{},
		"aws-subnets.json":      &struct{ Subnets []ec2.Subnet }{},
		// The IPv6 fixtures: Ipv6Sets, Ipv6Addresses, Ipv6Native and
		// Ipv6CidrBlockAssociationSet in the SDKs' shapes too.
		"aliyun-enis-ipv6.json":      &ecs.DescribeNetworkInterfacesResponseBody{},
		"aliyun-vswitches-ipv6.json": &ecs.DescribeVSwitchesResponseBody{},
		"aws-enis-ipv6.json":         &struct{ NetworkInterfaces []ec2.NetworkInterface }{},
		"aws-subnets-ipv6.json":      &struct{ Subnets []ec2.Subnet }{},
	} {
		data, err := os.ReadFile(filepath.Join("testdata", file))
		if err != nil {
			t.Fatal(err)
		}
		d := json.NewDecoder(bytes.NewReader(data))
		d.DisallowUnknownFields()
		if err := d.Decode(into); err != nil {
			t.Errorf("%s: not the SDK's %T: %v", file, into, err)
		}
	}
	// And a key the SDK does not know is refused: the check can fail.
	d := json.NewDecoder(bytes.NewReader([]byte(`{"NetworkInterfaces":[{"MacAdress":"0e:49:61:0f:c3:11"}]}`)))
	d.DisallowUnknownFields()
	if err := d.Decode(&struct{ NetworkInterfaces []ec2.NetworkInterface }{}); err == nil {
		t.Error("a misspelt key was accepted")
	}
}
