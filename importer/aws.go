package importer

import (
	"fmt"
	"net/netip"
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
	return inst, nil
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
	if v, err = get("local-ipv4s"); err != nil {
		return e, err
	}
	for _, l := range strings.Fields(v) {
		ip, err := addr4(key("local-ipv4s"), l)
		if err != nil {
			return e, c.wrap(err)
		}
		e.IPs = addIP(e.IPs, ip)
	}
	if v, err = get("subnet-ipv4-cidr-block"); err != nil {
		return e, err
	}
	if e.Subnet, err = prefix4(key("subnet-ipv4-cidr-block"), v); err != nil {
		return e, c.wrap(err)
	}
	e.Gateway = awsRouter(e.Subnet)
	e.EIPs, err = awsAssociations(c, dir+"ipv4-associations/")
	return e, err
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
