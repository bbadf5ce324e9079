package importer

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"time"
)

// AliyunMetadataURL is the Alibaba Cloud ECS metadata service.
const AliyunMetadataURL = "http://100.100.100.200"

// AliyunMetadata reads the instance from Alibaba Cloud's metadata service
// in hardened mode: a token from PUT /latest/api/token
// (X-aliyun-ecs-metadata-token-ttl-seconds), then every key with
// X-aliyun-ecs-metadata-token.
func AliyunMetadata(c *Client) (*Instance, error) {
	if err := c.Token("/latest/api/token", "X-aliyun-ecs-metadata-token-ttl-seconds", "X-aliyun-ecs-metadata-token"); err != nil {
		return nil, err
	}
	const md = "/latest/meta-data/"
	inst := &Instance{Cloud: "aliyun", Source: "aliyun-metadata " + c.Base}
	v, err := c.Get(md + "instance-id")
	if err != nil {
		return nil, err
	}
	if inst.ID, err = id(c.Base+md+"instance-id", v); err != nil {
		return nil, c.wrap(err)
	}
	v, err = c.Get(md + "mac")
	if err != nil {
		return nil, err
	}
	primary, err := macOf(c.Base+md+"mac", v)
	if err != nil {
		return nil, c.wrap(err)
	}
	macs, err := c.List(md + "network/interfaces/macs/")
	if err != nil {
		return nil, err
	}
	for _, m := range macs {
		e, err := aliyunENI(c, md+"network/interfaces/macs/"+m+"/")
		if err != nil {
			return nil, err
		}
		e.Primary = e.MAC == primary
		inst.ENIs = append(inst.ENIs, e)
	}
	if len(inst.ENIs) > 0 {
		if err := aliyunEIP(c, inst, md+"eipv4", primary); err != nil {
			return nil, err
		}
	}
	inst.Notes = append(inst.Notes, "Alibaba's metadata has no device index: secondary ENIs are named in MAC order; each interface is bound by its mac.")
	return inst, nil
}

// aliyunENI reads one ENI's keys under dir: its IPv4 and its IPv6. An
// ENI without IPv4 (primary-ip-address and private-ipv4s both 404) and
// with ipv6s is IPv6-only.
func aliyunENI(c *Client, dir string) (ENI, error) {
	e := ENI{Device: -1}
	key := func(k string) string { return c.Base + dir + k }
	v, err := c.Get(dir + "mac")
	if err != nil {
		return e, err
	}
	if e.MAC, err = macOf(key("mac"), v); err != nil {
		return e, c.wrap(err)
	}
	if v, err = c.Get(dir + "network-interface-id"); err != nil {
		return e, err
	}
	if e.ID, err = id(key("network-interface-id"), v); err != nil {
		return e, c.wrap(err)
	}
	if err := aliyunIPv6(c, dir, &e); err != nil {
		return e, err
	}
	primary, err := c.Optional(dir + "primary-ip-address")
	if err != nil {
		return e, err
	}
	if primary == "" && len(e.IPv6) > 0 {
		ips, err := c.Optional(dir + "private-ipv4s")
		if err != nil || ips == "" {
			return e, err // IPv6-only
		}
	}
	return e, aliyunIPv4(c, dir, &e)
}

// aliyunIPv4 reads the ENI's IPv4 keys.
func aliyunIPv4(c *Client, dir string, e *ENI) error {
	val := map[string]string{}
	for _, k := range []string{"primary-ip-address", "private-ipv4s", "netmask", "gateway", "vswitch-cidr-block"} {
		v, err := c.Get(dir + k)
		if err != nil {
			return err
		}
		val[k] = v
	}
	key := func(k string) string { return c.Base + dir + k }
	primaryIP, err := addr4(key("primary-ip-address"), val["primary-ip-address"])
	if err != nil {
		return c.wrap(err)
	}
	var ips []string
	if err := json.Unmarshal([]byte(val["private-ipv4s"]), &ips); err != nil {
		return c.wrap(fmt.Errorf("%s: not a JSON array of addresses: %v", key("private-ipv4s"), err))
	}
	e.IPs = []netip.Addr{primaryIP}
	for _, s := range ips {
		ip, err := addr4(key("private-ipv4s"), s)
		if err != nil {
			return c.wrap(err)
		}
		e.IPs = addIP(e.IPs, ip)
	}
	if e.Subnet, err = prefix4(key("vswitch-cidr-block"), val["vswitch-cidr-block"]); err != nil {
		return c.wrap(err)
	}
	mask, err := addr4(key("netmask"), val["netmask"])
	if err != nil {
		return c.wrap(err)
	}
	if bits := maskBits(mask); bits != e.Subnet.Bits() {
		return c.wrap(fmt.Errorf("%s: %s does not match vswitch-cidr-block %s", key("netmask"), mask, e.Subnet))
	}
	if e.Gateway, err = addr4(key("gateway"), val["gateway"]); err != nil {
		return c.wrap(err)
	}
	return nil
}

// aliyunIPv6 reads the ENI's IPv6 keys: ipv6s (a list in brackets, the
// items bare; 404 when the ENI has no IPv6), vswitch-ipv6-cidr-block
// and ipv6-gateway.
func aliyunIPv6(c *Client, dir string, e *ENI) error {
	key := func(k string) string { return c.Base + dir + k }
	v, err := c.Optional(dir + "ipv6s")
	if err != nil || v == "" {
		return err
	}
	if e.IPv6, err = bracketList(key("ipv6s"), v); err != nil {
		return c.wrap(err)
	} else if len(e.IPv6) == 0 {
		return nil
	}
	if v, err = c.Get(dir + "vswitch-ipv6-cidr-block"); err != nil {
		return err
	}
	p, err := prefix6(key("vswitch-ipv6-cidr-block"), v)
	if err != nil {
		return c.wrap(err)
	}
	if e.Subnet6, err = subnetOf6(key("vswitch-ipv6-cidr-block"), []netip.Prefix{p}, e.IPv6); err != nil {
		return c.wrap(err)
	}
	if v, err = c.Get(dir + "ipv6-gateway"); err != nil {
		return err
	}
	if e.Gateway6, err = addr6(key("ipv6-gateway"), v); err != nil {
		return c.wrap(err)
	}
	if !e.Gateway6.IsLinkLocalUnicast() && !e.Subnet6.Contains(e.Gateway6) {
		return c.wrap(fmt.Errorf("%s: %s is outside vswitch-ipv6-cidr-block %s", key("ipv6-gateway"), e.Gateway6, e.Subnet6))
	}
	return nil
}

// aliyunEIP reads the instance's eipv4: the EIP of the primary ENI's
// primary IP (a 404 when none is bound).
func aliyunEIP(c *Client, inst *Instance, path, primary string) error {
	v, err := c.Optional(path)
	if err != nil || v == "" {
		return err
	}
	pub, err := addr4(c.Base+path, v)
	if err != nil {
		return c.wrap(err)
	}
	for k := range inst.ENIs {
		if e := &inst.ENIs[k]; e.MAC == primary {
			e.EIPs = append(e.EIPs, EIP{Public: pub, Private: e.IPs[0]})
		}
	}
	return nil
}

// maskBits gives the prefix length of a netmask, -1 when it is not one.
func maskBits(m netip.Addr) int {
	b := m.As4()
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	n := 0
	for v&0x80000000 != 0 {
		v <<= 1
		n++
	}
	if v != 0 {
		return -1
	}
	return n
}

func (c *Client) wrap(err error) error { return fmt.Errorf("%s: %w", c.Source, err) }

// NewClient gives a client of the metadata service at base with the
// defaults: 2 s a request, 3 retries from 200 ms.
func NewClient(source, base string) *Client {
	return &Client{Source: source, Base: base, Timeout: 2 * time.Second, Retries: 3, Backoff: 200 * time.Millisecond}
}
