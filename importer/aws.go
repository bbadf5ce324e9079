package importer

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

// AWSMetadataURL is the EC2 instance metadata service.
const AWSMetadataURL = "http://169.254.169.254"

// awsRouterNote says where an AWS gateway comes from.
const awsRouterNote = "AWS names no gateway: each is the subnet's base address + 1, the VPC router that AWS reserves in every subnet (VPC User Guide, \"Subnet CIDR blocks\")."

// awsRouter gives the VPC router of a subnet: its base address + 1.
func awsRouter(subnet netip.Prefix) netip.Addr { return subnet.Masked().Addr().Next() }

// AWSMetadata reads the instance from the EC2 instance metadata service
// with IMDSv2: a token from PUT /latest/api/token
// (X-aws-ec2-metadata-token-ttl-seconds), then every key with
// X-aws-ec2-metadata-token.
func AWSMetadata(c *Client) (*Instance, error) {
	if err := c.Token("/latest/api/token", "X-aws-ec2-metadata-token-ttl-seconds", "X-aws-ec2-metadata-token"); err != nil {
		return nil, err
	}
	const md = "/latest/meta-data/"
	inst := &Instance{Cloud: "aws", Source: "aws-metadata " + c.Base, Notes: []string{awsRouterNote}}
	v, err := c.Get(md + "instance-id")
	if err != nil {
		return nil, err
	}
	if inst.ID, err = id(c.Base+md+"instance-id", v); err != nil {
		return nil, c.wrap(err)
	}
	macs, err := c.List(md + "network/interfaces/macs/")
	if err != nil {
		return nil, err
	}
	for _, m := range macs {
		e, err := awsENI(c, md+"network/interfaces/macs/"+m+"/")
		if err != nil {
			return nil, err
		}
		inst.ENIs = append(inst.ENIs, e)
	}
	inst.noteRouter6()
	return inst, nil
}

// noteRouter6 says, on an AWS instance with IPv6, where its router comes
// from.
func (inst *Instance) noteRouter6() {
	if slices.ContainsFunc(inst.ENIs, func(e ENI) bool { return len(e.IPv6) > 0 }) {
		inst.Notes = append(inst.Notes, awsRouter6Note)
	}
}

// awsENI reads one ENI's keys under dir. The primary ENI is device 0 of
// network card 0.
func awsENI(c *Client, dir string) (ENI, error) {
	var e ENI
	key := func(k string) string { return c.Base + dir + k }
	get := func(k string) (string, error) { return c.Get(dir + k) }
	v, err := get("mac")
	if err != nil {
		return e, err
	}
	if e.MAC, err = macOf(key("mac"), v); err != nil {
		return e, c.wrap(err)
	}
	if v, err = get("interface-id"); err != nil {
		return e, err
	}
	if e.ID, err = id(key("interface-id"), v); err != nil {
		return e, c.wrap(err)
	}
	if v, err = get("device-number"); err != nil {
		return e, err
	}
	if e.Device, err = index(key("device-number"), v); err != nil {
		return e, c.wrap(err)
	}
	// The network card: network-card-index in AWS's list of metadata
	// categories (and in amazon-ec2-metadata-mock), network-card in some
	// of its pages; absent on instances with one card.
	for _, k := range []string{"network-card-index", "network-card"} {
		if v, err = c.Optional(dir + k); err != nil {
			return e, err
		} else if v != "" {
			if e.Card, err = index(key(k), v); err != nil {
				return e, c.wrap(err)
			}
			break
		}
	}
	e.Primary = e.Device == 0 && e.Card == 0
	if e.SubnetID, err = c.Optional(dir + "subnet-id"); err != nil {
		return e, err
	}
	e.SubnetID = strings.TrimSpace(e.SubnetID)
	if err := awsIPv6(c, dir, &e); err != nil {
		return e, err
	}
	if err := awsIPv4(c, dir, &e); err != nil {
		return e, err
	}
	return e, nil
}

// awsIPv4 reads the ENI's IPv4: local-ipv4s (the primary first) and
// subnet-ipv4-cidr-block. An ENI in an IPv6-only subnet has neither key
// (the metadata answers 404: cloud-init issue 5283); one without the
// other is an error.
func awsIPv4(c *Client, dir string, e *ENI) error {
	key := func(k string) string { return c.Base + dir + k }
	ips, err := c.Optional(dir + "local-ipv4s")
	if err != nil {
		return err
	}
	cidr, err := c.Optional(dir + "subnet-ipv4-cidr-block")
	if err != nil {
		return err
	}
	switch {
	case ips == "" && cidr == "" && len(e.IPv6) > 0:
		return nil // IPv6-only
	case ips == "":
		_, err = c.Get(dir + "local-ipv4s") // the 404, named
		return cmp.Or(err, c.wrap(fmt.Errorf("%s: empty", key("local-ipv4s"))))
	case cidr == "":
		_, err = c.Get(dir + "subnet-ipv4-cidr-block")
		return cmp.Or(err, c.wrap(fmt.Errorf("%s: empty", key("subnet-ipv4-cidr-block"))))
	}
	for _, l := range strings.Fields(ips) {
		ip, err := addr4(key("local-ipv4s"), l)
		if err != nil {
			return c.wrap(err)
		}
		e.IPs = addIP(e.IPs, ip)
	}
	if e.Subnet, err = prefix4(key("subnet-ipv4-cidr-block"), cidr); err != nil {
		return c.wrap(err)
	}
	e.Gateway = awsRouter(e.Subnet)
	e.EIPs, err = awsAssociations(c, dir+"ipv4-associations/")
	return err
}

// awsIPv6 reads the ENI's IPv6: ipv6s (one address a line; 404 when the
// ENI has none) and subnet-ipv6-cidr-blocks (one a line: the block that
// holds the addresses). AWS names no IPv6 router (Gateway6 stays
// invalid: router advertisements give it).
func awsIPv6(c *Client, dir string, e *ENI) error {
	key := func(k string) string { return c.Base + dir + k }
	v, err := c.Optional(dir + "ipv6s")
	if err != nil || strings.TrimSpace(v) == "" {
		return err
	}
	for _, l := range strings.Fields(v) {
		ip, err := addr6(key("ipv6s"), l)
		if err != nil {
			return c.wrap(err)
		}
		e.IPv6 = addIP(e.IPv6, ip)
	}
	if v, err = c.Get(dir + "subnet-ipv6-cidr-blocks"); err != nil {
		return err
	}
	var blocks []netip.Prefix
	for _, l := range strings.Fields(v) {
		p, err := prefix6(key("subnet-ipv6-cidr-blocks"), l)
		if err != nil {
			return c.wrap(err)
		}
		blocks = append(blocks, p)
	}
	if e.Subnet6, err = subnetOf6(key("subnet-ipv6-cidr-blocks"), blocks, e.IPv6); err != nil {
		return c.wrap(err)
	}
	return nil
}

// awsAssociations reads ipv4-associations/: one key per public IP, whose
// value is the private IP it maps to (a 404 when there is none).
func awsAssociations(c *Client, dir string) ([]EIP, error) {
	v, err := c.Optional(dir)
	if err != nil || v == "" {
		return nil, err
	}
	var out []EIP
	for _, pub := range strings.Fields(v) {
		p, err := addr4(c.Base+dir, strings.TrimSuffix(pub, "/"))
		if err != nil {
			return nil, c.wrap(err)
		}
		priv, err := c.Get(dir + p.String())
		if err != nil {
			return nil, err
		}
		a, err := addr4(c.Base+dir+p.String(), priv)
		if err != nil {
			return nil, c.wrap(err)
		}
		out = append(out, EIP{Public: p, Private: a})
	}
	return out, nil
}

// index reads a small non-negative integer.
func index(key, s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 0 || n > 1024 {
		return 0, fmt.Errorf("%s: %q is not a device index", key, s)
	}
	return n, nil
}
