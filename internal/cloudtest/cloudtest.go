// Package cloudtest serves the clouds' metadata for the importer's tests:
// Alibaba Cloud's metadata service as its documentation describes it
// (paths, formats, the hardened mode's token) with the failures a test
// asks for, and AWS's instance metadata through the real
// amazon-ec2-metadata-mock. The instances are fixtures with three ENIs,
// secondary IPs and EIPs, written out by hand so that a test can compare
// an import with them.
package cloudtest

// ENI is one network interface of a fixture.
type ENI struct {
	ID      string
	MAC     string
	Device  int
	IPs     []string          // the primary first
	CIDR    string            // the subnet (vSwitch)
	Gateway string            // Alibaba's vSwitch gateway; AWS: the subnet's base + 1
	Subnet  string            // vSwitch or subnet ID
	EIPs    map[string]string // public -> private
	Queues  int               // Alibaba's QueueNumber
	Card    int               // AWS's network card index
	// IPv6 are the ENI's IPv6 addresses, the primary first; CIDR6 its
	// subnet's IPv6 CIDR; Gateway6 Alibaba's ipv6-gateway (AWS names
	// none). An ENI without IPs is IPv6-only.
	IPv6     []string
	CIDR6    string
	Gateway6 string
}

// Instance is a fixture: an instance and its ENIs, the primary first.
type Instance struct {
	ID   string
	ENIs []ENI
}

// Aliyun is an ECS instance with three ENIs on three vSwitches: the
// primary with a secondary IP and an EIP on its primary IP, a secondary
// ENI with two secondary IPs (one with an EIP), and a third with one IP.
var Aliyun = Instance{
	ID: "i-bp1a2b3c4d5e6f7g8h9i",
	ENIs: []ENI{
		{ID: "eni-bp1primary000000a", MAC: "00:16:3e:12:e7:27", Device: 0, IPs: []string{"172.16.0.20", "172.16.0.21"},
			CIDR: "172.16.0.0/24", Gateway: "172.16.0.253", Subnet: "vsw-bp1zero00000000000", EIPs: map[string]string{"47.100.10.1": "172.16.0.20"}, Queues: 2},
		{ID: "eni-bp1second0000000b", MAC: "00:16:3e:12:cc:8d", Device: 1, IPs: []string{"172.16.1.163", "172.16.1.164", "172.16.1.165"},
			CIDR: "172.16.1.0/24", Gateway: "172.16.1.253", Subnet: "vsw-bp1one000000000000", EIPs: map[string]string{"47.100.10.2": "172.16.1.164"}, Queues: 2},
		{ID: "eni-bp1third00000000c", MAC: "00:16:3e:12:16:ec", Device: 2, IPs: []string{"172.16.2.10"},
			CIDR: "172.16.2.0/24", Gateway: "172.16.2.253", Subnet: "vsw-bp1two000000000000", Queues: 1},
	},
}

// AWS is an EC2 instance with three ENIs on three subnets: the primary
// with a secondary IP and an association on its primary IP, a second ENI
// with two secondary IPs (one associated), and a third with one IP.
var AWS = Instance{
	ID: "i-0123456789abcdef0",
	ENIs: []ENI{
		{ID: "eni-0a1b2c3d4e5f60001", MAC: "0e:49:61:0f:c3:11", Device: 0, IPs: []string{"172.31.10.20", "172.31.10.21"},
			CIDR: "172.31.10.0/24", Gateway: "172.31.10.1", Subnet: "subnet-0aaa000000000001", EIPs: map[string]string{"3.120.0.10": "172.31.10.20"}},
		{ID: "eni-0a1b2c3d4e5f60002", MAC: "0e:49:61:0f:c3:12", Device: 1, IPs: []string{"172.31.20.30", "172.31.20.31", "172.31.20.32"},
			CIDR: "172.31.20.0/24", Gateway: "172.31.20.1", Subnet: "subnet-0aaa000000000002", EIPs: map[string]string{"3.120.0.11": "172.31.20.31"}},
		{ID: "eni-0a1b2c3d4e5f60003", MAC: "0e:49:61:0f:c3:13", Device: 2, IPs: []string{"172.31.30.40"},
			CIDR: "172.31.30.0/24", Gateway: "172.31.30.1", Subnet: "subnet-0aaa000000000003"},
	},
}

// Aliyun6 is an ECS instance with four ENIs: a dual-stack primary, a
// dual-stack secondary ENI with secondary IPv4 and IPv6 addresses, an
// IPv4-only one (its ipv6s answers 404) and an IPv6-only one (its IPv4
// keys answer 404). The IPv6 gateways have the form Alibaba's metadata
// documents (the vSwitch's /64 + ffff:ffff:ffff:fff7).
var Aliyun6 = Instance{
	ID: "i-bp16dualstack000001",
	ENIs: []ENI{
		{ID: "eni-bp16primary00000a", MAC: "00:16:3e:16:00:0a", Device: 0, IPs: []string{"172.16.0.20"},
			CIDR: "172.16.0.0/24", Gateway: "172.16.0.253", Subnet: "vsw-bp16zero0000000000", EIPs: map[string]string{"47.100.16.1": "172.16.0.20"}, Queues: 2,
			IPv6: []string{"2408:4005:3a0:c600:1875:217f:184a:e4e"}, CIDR6: "2408:4005:3a0:c600::/64", Gateway6: "2408:4005:3a0:c600:ffff:ffff:ffff:fff7"},
		{ID: "eni-bp16second0000000b", MAC: "00:16:3e:16:00:0b", Device: 1, IPs: []string{"172.16.1.163", "172.16.1.164"},
			CIDR: "172.16.1.0/24", Gateway: "172.16.1.253", Subnet: "vsw-bp16one00000000000", Queues: 2,
			IPv6: []string{"2408:4005:3a0:c601::a", "2408:4005:3a0:c601::b", "2408:4005:3a0:c601::c"}, CIDR6: "2408:4005:3a0:c601::/64", Gateway6: "2408:4005:3a0:c601:ffff:ffff:ffff:fff7"},
		{ID: "eni-bp16third00000000c", MAC: "00:16:3e:16:00:0c", Device: 2, IPs: []string{"172.16.2.10"},
			CIDR: "172.16.2.0/24", Gateway: "172.16.2.253", Subnet: "vsw-bp16two00000000000", Queues: 1},
		{ID: "eni-bp16fourth0000000d", MAC: "00:16:3e:16:00:0d", Device: 3, Subnet: "vsw-bp16three000000000", Queues: 1,
			IPv6: []string{"2408:4005:3a0:c603::10", "2408:4005:3a0:c603::11"}, CIDR6: "2408:4005:3a0:c603::/64", Gateway6: "2408:4005:3a0:c603:ffff:ffff:ffff:fff7"},
	},
}

// AWS6 is an EC2 instance with three ENIs: a dual-stack primary with an
// association, a dual-stack ENI with secondary IPv4 and IPv6 addresses,
// and an ENI in an IPv6-only subnet (no local-ipv4s, no
// subnet-ipv4-cidr-block) with a secondary IPv6 address.
var AWS6 = Instance{
	ID: "i-0fedcba9876543210",
	ENIs: []ENI{
		{ID: "eni-0b1c2d3e4f5a60001", MAC: "0e:49:61:0f:d6:01", Device: 0, IPs: []string{"172.31.40.20"},
			CIDR: "172.31.40.0/24", Gateway: "172.31.40.1", Subnet: "subnet-0bbb000000000001", EIPs: map[string]string{"3.120.0.20": "172.31.40.20"},
			IPv6: []string{"2600:1f18:4a1:c800::20"}, CIDR6: "2600:1f18:4a1:c800::/64"},
		{ID: "eni-0b1c2d3e4f5a60002", MAC: "0e:49:61:0f:d6:02", Device: 1, IPs: []string{"172.31.50.30", "172.31.50.31"},
			CIDR: "172.31.50.0/24", Gateway: "172.31.50.1", Subnet: "subnet-0bbb000000000002",
			IPv6: []string{"2600:1f18:4a1:c801::30", "2600:1f18:4a1:c801::31"}, CIDR6: "2600:1f18:4a1:c801::/64"},
		{ID: "eni-0b1c2d3e4f5a60003", MAC: "0e:49:61:0f:d6:03", Device: 2, Subnet: "subnet-0bbb000000000003",
			IPv6: []string{"2600:1f18:4a1:c802::40", "2600:1f18:4a1:c802::41"}, CIDR6: "2600:1f18:4a1:c802::/64"},
	},
}
