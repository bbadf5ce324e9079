package importer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"strings"
)

// APIFile is one JSON document of an API's output.
type APIFile struct {
	Name string
	Data []byte
}

// APIOptions are what the API JSON cannot say.
type APIOptions struct {
	Instance string            // keep the ENIs of this instance ("" : the JSON must hold one instance's)
	Gateways map[string]string // Alibaba: vSwitch ID or CIDR -> the vSwitch's gateway
}

// Alibaba's DescribeNetworkInterfaces and DescribeVSwitches, the fields
// the importer reads (the names of the ECS API, 2014-05-26).
type (
	aliyunENIsJSON struct {
		NetworkInterfaceSets *struct {
			NetworkInterfaceSet []aliyunENIJSON
		}
	}
	aliyunENIJSON struct {
		NetworkInterfaceId string
		Type               string
		MacAddress         string
		PrivateIpAddress   string
		PrivateIpSets      struct {
			PrivateIpSet []struct {
				PrivateIpAddress   string
				Primary            bool
				AssociatedPublicIp struct{ PublicIpAddress string }
			}
		}
		AssociatedPublicIp struct{ PublicIpAddress string }
		Ipv6Sets           struct {
			Ipv6Set []struct{ Ipv6Address string }
		}
		VSwitchId   string
		InstanceId  string
		QueueNumber int
		Attachment  *struct {
			DeviceIndex *int
			InstanceId  string
		}
	}
	aliyunVSwitchesJSON struct {
		VSwitches *struct {
			VSwitch []struct{ VSwitchId, CidrBlock string }
		}
	}
)

// EC2's DescribeNetworkInterfaces and DescribeSubnets (the AWS CLI's
// describe-network-interfaces and describe-subnets), the fields the
// importer reads.
type (
	awsENIsJSON struct {
		NetworkInterfaces *[]awsENIJSON
	}
	awsENIJSON struct {
		NetworkInterfaceId string
		MacAddress         string
		PrivateIpAddress   string
		SubnetId           string
		PrivateIpAddresses []struct {
			Primary          bool
			PrivateIpAddress string
			Association      *struct{ PublicIp string }
		}
		Ipv6Addresses []struct {
			Ipv6Address   string
			IsPrimaryIpv6 bool
		}
		Attachment *struct {
			DeviceIndex      *int
			NetworkCardIndex *int
			InstanceId       string
		}
	}
	awsSubnetsJSON struct {
		Subnets *[]awsSubnetJSON
	}
	awsSubnetJSON struct {
		SubnetId, CidrBlock         string
		Ipv6CidrBlockAssociationSet []struct {
			Ipv6CidrBlock      string
			Ipv6CidrBlockState *struct{ State string }
		}
	}
)

// decodeAPI decodes each file into the first of kinds whose top-level key
// it has; a file of none of them is the JSON of another API.
func decodeAPI(source string, files []APIFile, kinds map[string]any) error {
	if len(files) == 0 {
		return fmt.Errorf("%s: no JSON given (--api-json FILE)", source)
	}
	seen := map[string]string{}
	for _, f := range files {
		var top map[string]json.RawMessage
		if err := json.Unmarshal(f.Data, &top); err != nil {
			return fmt.Errorf("%s: %s: not a JSON object: %v", source, f.Name, err)
		}
		key := ""
		for _, k := range slices.Sorted(maps.Keys(kinds)) {
			if _, ok := top[k]; ok {
				key = k
			}
		}
		if key == "" {
			return fmt.Errorf("%s: %s: not the output of %s (its top-level keys: %s)", source, f.Name,
				strings.Join(slices.Sorted(maps.Keys(kinds)), " or "), strings.Join(slices.Sorted(maps.Keys(top)), ", "))
		}
		if prev, ok := seen[key]; ok {
			return fmt.Errorf("%s: %s and %s both hold %s", source, prev, f.Name, key)
		}
		seen[key] = f.Name
		d := json.NewDecoder(bytes.NewReader(f.Data))
		if err := d.Decode(kinds[key]); err != nil {
			return fmt.Errorf("%s: %s: %v", source, f.Name, err)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(kinds)) {
		if _, ok := seen[k]; !ok {
			return fmt.Errorf("%s: no JSON holds %s: give the output of that call too (--api-json FILE)", source, k)
		}
	}
	return nil
}

// pickInstance keeps the ENIs of one instance: the one asked for, else
// the only one the JSON holds.
func pickInstance(source, want string, ids []string) (string, error) {
	var distinct []string
	for _, i := range ids {
		if i != "" && !slices.Contains(distinct, i) {
			distinct = append(distinct, i)
		}
	}
	slices.Sort(distinct)
	switch {
	case want != "":
		if !slices.Contains(distinct, want) {
			return "", fmt.Errorf("%s: no network interface is attached to %s (the JSON has: %s)", source, want, strings.Join(distinct, ", "))
		}
		return want, nil
	case len(distinct) > 1:
		return "", fmt.Errorf("%s: network interfaces of %d instances (%s): give --instance", source, len(distinct), strings.Join(distinct, ", "))
	case len(distinct) == 1:
		return distinct[0], nil
	}
	return "", nil
}

// AliyunAPI reads the output of Alibaba Cloud's DescribeNetworkInterfaces
// with DescribeVSwitches for the CIDRs. The API says no vSwitch gateway:
// each comes from opt.Gateways, or the import is refused.
func AliyunAPI(files []APIFile, opt APIOptions) (*Instance, error) {
	const source = "aliyun-api"
	var enis aliyunENIsJSON
	var vsw aliyunVSwitchesJSON
	if err := decodeAPI(source, files, map[string]any{"NetworkInterfaceSets": &enis, "VSwitches": &vsw}); err != nil {
		return nil, err
	}
	cidr := map[string]string{}
	if vsw.VSwitches != nil {
		for _, v := range vsw.VSwitches.VSwitch {
			cidr[v.VSwitchId] = v.CidrBlock
		}
	}
	var list []aliyunENIJSON
	if enis.NetworkInterfaceSets != nil {
		list = enis.NetworkInterfaceSets.NetworkInterfaceSet
	}
	var ids []string
	for _, j := range list {
		ids = append(ids, j.InstanceId)
	}
	instID, err := pickInstance(source, opt.Instance, ids)
	if err != nil {
		return nil, err
	}
	inst := &Instance{Cloud: "aliyun", Source: source + " " + names(files), ID: instID}
	for k, j := range list {
		if instID != "" && j.InstanceId != instID {
			continue
		}
		e, err := aliyunAPIENI(fmt.Sprintf("%s: NetworkInterfaceSet[%d]", source, k), j, cidr, opt.Gateways)
		if err != nil {
			return nil, err
		}
		inst.ENIs = append(inst.ENIs, e)
	}
	return inst, nil
}

func aliyunAPIENI(what string, j aliyunENIJSON, cidr, gateways map[string]string) (ENI, error) {
	e := ENI{Device: -1, Primary: j.Type == "Primary", Queues: j.QueueNumber}
	var err error
	if e.ID, err = id(what+".NetworkInterfaceId", j.NetworkInterfaceId); err != nil {
		return e, err
	}
	what += " (" + e.ID + ")"
	if e.MAC, err = macOf(what+".MacAddress", j.MacAddress); err != nil {
		return e, err
	}
	if j.Attachment != nil && j.Attachment.DeviceIndex != nil {
		e.Device = *j.Attachment.DeviceIndex
	} else if e.Primary {
		e.Device = 0
	}
	if ip, err := addr4(what+".PrivateIpAddress", j.PrivateIpAddress); err == nil {
		e.IPs = []netip.Addr{ip}
	}
	for _, s := range j.PrivateIpSets.PrivateIpSet {
		ip, err := addr4(what+".PrivateIpSets.PrivateIpSet[].PrivateIpAddress", s.PrivateIpAddress)
		if err != nil {
			return e, err
		}
		if s.Primary {
			e.IPs = append([]netip.Addr{ip}, slices.DeleteFunc(e.IPs, func(a netip.Addr) bool { return a == ip })...)
		} else {
			e.IPs = addIP(e.IPs, ip)
		}
		if pub := s.AssociatedPublicIp.PublicIpAddress; pub != "" {
			p, err := addr4(what+".AssociatedPublicIp.PublicIpAddress", pub)
			if err != nil {
				return e, err
			}
			e.EIPs = append(e.EIPs, EIP{Public: p, Private: ip})
		}
	}
	if pub := j.AssociatedPublicIp.PublicIpAddress; pub != "" && len(e.IPs) > 0 && !slices.ContainsFunc(e.EIPs, func(x EIP) bool { return x.Private == e.IPs[0] }) {
		p, err := addr4(what+".AssociatedPublicIp.PublicIpAddress", pub)
		if err != nil {
			return e, err
		}
		e.EIPs = append(e.EIPs, EIP{Public: p, Private: e.IPs[0]})
	}
	e.SubnetID = j.VSwitchId
	for _, x := range j.Ipv6Sets.Ipv6Set {
		ip, err := addr6(what+".Ipv6Sets.Ipv6Set[].Ipv6Address", x.Ipv6Address)
		if err != nil {
			return e, err
		}
		e.IPv6 = addIP(e.IPv6, ip)
	}
	if len(e.IPs) == 0 && len(e.IPv6) > 0 {
		return e, nil // IPv6-only
	}
	return e, aliyunAPIGateway(what, j.VSwitchId, &e, cidr, gateways)
}

// aliyunAPIGateway gives the ENI its vSwitch's CIDR and the gateway of
// --gateway. The API names neither the vSwitch's IPv6 CIDR nor its IPv6
// gateway: --ipv6-subnet and --ipv6-gateway give them (SetIPv6).
func aliyunAPIGateway(what, vsw string, e *ENI, cidr, gateways map[string]string) error {
	c, ok := cidr[vsw]
	if !ok {
		return fmt.Errorf("%s: vSwitch %q is not in the DescribeVSwitches output", what, vsw)
	}
	var err error
	if e.Subnet, err = prefix4("DescribeVSwitches "+vsw+".CidrBlock", c); err != nil {
		return err
	}
	gw, ok := gateways[vsw]
	if !ok {
		gw, ok = gateways[e.Subnet.String()]
	}
	if !ok {
		return fmt.Errorf("%s: the API gives no gateway of vSwitch %s (%s): give --gateway %s=IP (the console shows it, and the instance's metadata key gateway)", what, vsw, e.Subnet, vsw)
	}
	if e.Gateway, err = addr4("--gateway "+vsw, gw); err != nil {
		return err
	}
	return nil
}

// AWSAPI reads the output of EC2's DescribeNetworkInterfaces (aws ec2
// describe-network-interfaces) with DescribeSubnets for the CIDRs; each
// gateway is the subnet's VPC router.
func AWSAPI(files []APIFile, opt APIOptions) (*Instance, error) {
	const source = "aws-api"
	var enis awsENIsJSON
	var subnets awsSubnetsJSON
	if err := decodeAPI(source, files, map[string]any{"NetworkInterfaces": &enis, "Subnets": &subnets}); err != nil {
		return nil, err
	}
	cidr := map[string]awsSubnetJSON{}
	if subnets.Subnets != nil {
		for _, s := range *subnets.Subnets {
			cidr[s.SubnetId] = s
		}
	}
	var list []awsENIJSON
	if enis.NetworkInterfaces != nil {
		list = *enis.NetworkInterfaces
	}
	var ids []string
	for _, j := range list {
		if j.Attachment != nil {
			ids = append(ids, j.Attachment.InstanceId)
		}
	}
	instID, err := pickInstance(source, opt.Instance, ids)
	if err != nil {
		return nil, err
	}
	inst := &Instance{Cloud: "aws", Source: source + " " + names(files), ID: instID, Notes: []string{awsRouterNote}}
	for k, j := range list {
		if instID != "" && (j.Attachment == nil || j.Attachment.InstanceId != instID) {
			continue
		}
		e, err := awsAPIENI(fmt.Sprintf("%s: NetworkInterfaces[%d]", source, k), j, cidr)
		if err != nil {
			return nil, err
		}
		inst.ENIs = append(inst.ENIs, e)
	}
	inst.noteRouter6()
	return inst, nil
}

func awsAPIENI(what string, j awsENIJSON, cidr map[string]awsSubnetJSON) (ENI, error) {
	e := ENI{Device: -1}
	var err error
	if e.ID, err = id(what+".NetworkInterfaceId", j.NetworkInterfaceId); err != nil {
		return e, err
	}
	what += " (" + e.ID + ")"
	if e.MAC, err = macOf(what+".MacAddress", j.MacAddress); err != nil {
		return e, err
	}
	if a := j.Attachment; a != nil && a.DeviceIndex != nil {
		e.Device = *a.DeviceIndex
		if a.NetworkCardIndex != nil {
			e.Card = *a.NetworkCardIndex
		}
		e.Primary = e.Device == 0 && e.Card == 0
	}
	for _, p := range j.PrivateIpAddresses {
		ip, err := addr4(what+".PrivateIpAddresses[].PrivateIpAddress", p.PrivateIpAddress)
		if err != nil {
			return e, err
		}
		if p.Primary {
			e.IPs = append([]netip.Addr{ip}, slices.DeleteFunc(e.IPs, func(a netip.Addr) bool { return a == ip })...)
		} else {
			e.IPs = addIP(e.IPs, ip)
		}
		if p.Association != nil && p.Association.PublicIp != "" {
			pub, err := addr4(what+".PrivateIpAddresses[].Association.PublicIp", p.Association.PublicIp)
			if err != nil {
				return e, err
			}
			e.EIPs = append(e.EIPs, EIP{Public: pub, Private: ip})
		}
	}
	sub, ok := cidr[j.SubnetId]
	if !ok {
		return e, fmt.Errorf("%s: subnet %q is not in the DescribeSubnets output", what, j.SubnetId)
	}
	e.SubnetID = j.SubnetId
	if err := awsAPIIPv6(what, j, sub, &e); err != nil {
		return e, err
	}
	if len(e.IPs) == 0 && len(e.IPv6) > 0 {
		return e, nil // IPv6-only: an IPv6-native subnet has no CidrBlock
	}
	if e.Subnet, err = prefix4("DescribeSubnets "+j.SubnetId+".CidrBlock", sub.CidrBlock); err != nil {
		return e, err
	}
	e.Gateway = awsRouter(e.Subnet)
	return e, nil
}

// awsAPIIPv6 reads the ENI's Ipv6Addresses (IsPrimaryIpv6 first) and
// its subnet's associated IPv6 CIDR block that holds them.
func awsAPIIPv6(what string, j awsENIJSON, sub awsSubnetJSON, e *ENI) error {
	for _, x := range j.Ipv6Addresses {
		ip, err := addr6(what+".Ipv6Addresses[].Ipv6Address", x.Ipv6Address)
		if err != nil {
			return err
		}
		if x.IsPrimaryIpv6 {
			e.IPv6 = append([]netip.Addr{ip}, slices.DeleteFunc(e.IPv6, func(a netip.Addr) bool { return a == ip })...)
		} else {
			e.IPv6 = addIP(e.IPv6, ip)
		}
	}
	if len(e.IPv6) == 0 {
		return nil
	}
	key := "DescribeSubnets " + j.SubnetId + ".Ipv6CidrBlockAssociationSet[].Ipv6CidrBlock"
	var blocks []netip.Prefix
	for _, a := range sub.Ipv6CidrBlockAssociationSet {
		if a.Ipv6CidrBlockState != nil && a.Ipv6CidrBlockState.State != "associated" {
			continue
		}
		p, err := prefix6(key, a.Ipv6CidrBlock)
		if err != nil {
			return err
		}
		blocks = append(blocks, p)
	}
	var err error
	e.Subnet6, err = subnetOf6(key, blocks, e.IPv6)
	return err
}

func names(files []APIFile) string {
	var n []string
	for _, f := range files {
		n = append(n, f.Name)
	}
	return strings.Join(n, ", ")
}
