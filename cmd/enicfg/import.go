package main

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/enicfg/enicfg/importer"
	"github.com/enicfg/enicfg/spec"
)

// Sources that --from takes.
var importSources = []string{"aliyun-metadata", "aws-metadata", "aliyun-api", "aws-api"}

// importFlags are the flags of a cloud source: enicfg import, and --from
// on the commands that read a description.
type importFlags struct {
	from      string
	url       string
	apiJSON   []string
	instance  string
	gateways  []string
	subnets6  []string
	gateways6 []string
	timeout   time.Duration
	retries   int
	dhcp      string
	prefix    string
	tableBase uint32
	noPolicy  bool
}

func (f *importFlags) register(c *cobra.Command) {
	fl := c.Flags()
	fl.StringVar(&f.from, "from", "", "read the description from the cloud: "+strings.Join(importSources, ", "))
	fl.StringVar(&f.url, "metadata-url", "", "with --from *-metadata: the service's URL (default: the cloud's own address)")
	fl.StringArrayVar(&f.apiJSON, "api-json", nil, "with --from *-api: a file of the API's JSON output (repeatable: the interfaces and the vSwitches or subnets)")
	fl.StringVar(&f.instance, "instance", "", "with --from *-api: the instance whose interfaces to take")
	fl.StringArrayVar(&f.gateways, "gateway", nil, "with --from aliyun-api: VSWITCH=IP, the gateway of a vSwitch (by ID or CIDR; repeatable)")
	fl.StringArrayVar(&f.subnets6, "ipv6-subnet", nil, "SUBNET=CIDR, the IPv6 CIDR of a vSwitch or subnet (by ID), where the source gives none (aliyun-api; repeatable)")
	fl.StringArrayVar(&f.gateways6, "ipv6-gateway", nil, "SUBNET=IP, the IPv6 router of a vSwitch or subnet (by ID or IPv6 CIDR), where the source gives none (aliyun-api; AWS, for the secondary interfaces' tables; repeatable)")
	fl.DurationVar(&f.timeout, "timeout", 2*time.Second, "with --from *-metadata: the time one request may take")
	fl.IntVar(&f.retries, "retries", 3, "with --from *-metadata: retries of a request that found no service or a 5xx (backoff from 200ms, doubled)")
	fl.StringVar(&f.dhcp, "dhcp", "none", "which interfaces take their address from DHCP: none, primary, secondary, all")
	fl.StringVar(&f.prefix, "name-prefix", "eth", "interface names: the prefix and the position in device order")
	fl.Uint32Var(&f.tableBase, "table-base", 1001, "the policy-routing table (and rule priority) of the first secondary interface; each next one adds 1")
	fl.BoolVar(&f.noPolicy, "no-policy-routing", false, "give the secondary interfaces no table of their own")
	_ = c.RegisterFlagCompletionFunc("from", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return importSources, cobra.ShellCompDirectiveNoFileComp
	})
}

// options checks the choices and gives them to the importer.
func (f *importFlags) options() (importer.Options, error) {
	opt := importer.DefaultOptions()
	switch d := importer.DHCP(f.dhcp); d {
	case importer.DHCPNone, importer.DHCPPrimary, importer.DHCPSecondary, importer.DHCPAll:
		opt.DHCP = d
	default:
		return opt, fmt.Errorf("--dhcp %q: give none, primary, secondary or all", f.dhcp)
	}
	opt.NamePrefix = f.prefix
	opt.PolicyRouting = !f.noPolicy
	opt.TableBase = f.tableBase
	return opt, nil
}

// fetch reads the instance from the source.
func (f *importFlags) fetch() (*importer.Instance, error) {
	metadata := func(name, def string, read func(*importer.Client) (*importer.Instance, error)) (*importer.Instance, error) {
		if len(f.apiJSON) > 0 {
			return nil, fmt.Errorf("--api-json goes with --from aliyun-api or aws-api, not %s", name)
		}
		url := strings.TrimSuffix(f.url, "/")
		if url == "" {
			url = def
		}
		c := importer.NewClient(name, url)
		c.Timeout, c.Retries = f.timeout, f.retries
		return read(c)
	}
	api := func(read func([]importer.APIFile, importer.APIOptions) (*importer.Instance, error)) (*importer.Instance, error) {
		if f.url != "" {
			return nil, fmt.Errorf("--metadata-url goes with --from aliyun-metadata or aws-metadata, not %s", f.from)
		}
		var files []importer.APIFile
		for _, name := range f.apiJSON {
			data, err := os.ReadFile(name)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", f.from, err)
			}
			files = append(files, importer.APIFile{Name: name, Data: data})
		}
		opt := importer.APIOptions{Instance: f.instance}
		var err error
		if opt.Gateways, err = pairs("--gateway", f.gateways, "VSWITCH=IP, such as vsw-abc=10.0.0.253"); err != nil {
			return nil, err
		}
		return read(files, opt)
	}
	switch f.from {
	case "aliyun-metadata":
		return metadata(f.from, importer.AliyunMetadataURL, importer.AliyunMetadata)
	case "aws-metadata":
		return metadata(f.from, importer.AWSMetadataURL, importer.AWSMetadata)
	case "aliyun-api":
		return api(importer.AliyunAPI)
	case "aws-api":
		return api(importer.AWSAPI)
	}
	return nil, fmt.Errorf("--from %q: give one of %s", f.from, strings.Join(importSources, ", "))
}

// pairs reads the KEY=VALUE values of a repeatable flag.
func pairs(flag string, values []string, form string) (map[string]string, error) {
	out := map[string]string{}
	for _, g := range values {
		k, v, ok := strings.Cut(g, "=")
		if !ok || k == "" || v == "" {
			return nil, fmt.Errorf("%s %q: give %s", flag, g, form)
		}
		out[k] = v
	}
	return out, nil
}

// ipv6 gives the instance what the flags say of its IPv6.
func (f *importFlags) ipv6(inst *importer.Instance) error {
	subnets, err := pairs("--ipv6-subnet", f.subnets6, "SUBNET=CIDR, such as vsw-abc=2408:4005:3a0:c600::/64")
	if err != nil {
		return err
	}
	gateways, err := pairs("--ipv6-gateway", f.gateways6, "SUBNET=IP, such as subnet-0abc=fe80::1")
	if err != nil {
		return err
	}
	return inst.SetIPv6(subnets, gateways)
}

// describe imports the description: its YAML, checked by spec.
func (f *importFlags) describe(c *cobra.Command) ([]byte, *spec.Model, error) {
	opt, err := f.options()
	if err != nil {
		return nil, nil, err
	}
	inst, err := f.fetch()
	if err != nil {
		return nil, nil, err
	}
	if err := f.ipv6(inst); err != nil {
		return nil, nil, err
	}
	data, warns, err := importer.Describe(inst, opt)
	if err != nil {
		return nil, nil, err
	}
	m, err := spec.Read(f.from, bytes.NewReader(data))
	if err != nil {
		// The positions are in the imported text, which is shown with
		// its line numbers.
		var b strings.Builder
		for n, l := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
			fmt.Fprintf(&b, "%4d  %s\n", n+1, l)
		}
		return nil, nil, fmt.Errorf("the imported description is not valid (the cloud's answers disagree):\n%v\n%s", err, b.String())
	}
	for _, w := range warns {
		warningf(c, "%s", w)
	}
	return data, m, nil
}

type importCmd struct{ importFlags }

func newImportCmd() *cobra.Command {
	ic := &importCmd{}
	c := &cobra.Command{
		Use:   "import --from SOURCE [flags]",
		Short: "Print the description of an instance's interfaces, read from the cloud",
		Long: `Print a description (format version 1) of an instance's network interfaces,
read from the cloud, for review, changes and enicfg render:
  aliyun-metadata  Alibaba Cloud's metadata service (hardened mode: a token first)
  aws-metadata     the EC2 instance metadata service (IMDSv2: a token first)
  aliyun-api       the JSON of DescribeNetworkInterfaces and DescribeVSwitches
                   (--api-json, twice); the vSwitch gateways with --gateway
  aws-api          the JSON of aws ec2 describe-network-interfaces and
                   describe-subnets (--api-json, twice)
The metadata services are asked only with --from *-metadata. Interfaces are
named in device order, the primary keeps the default route, each secondary
gets a policy-routing table from --table-base, EIPs come from the
associations. IPv6 comes with each interface (its addresses, subnet and
router; AWS names no router: router advertisements give the primary's,
and --ipv6-gateway the secondary interfaces' tables'). Nothing is printed
when anything fails (exit 1).`,
		Example: `  enicfg import --from aws-metadata > network.yaml
  enicfg import --from aliyun-api --api-json enis.json --api-json vswitches.json --gateway vsw-abc=10.0.0.253
  enicfg render --distro debian12 --from aliyun-metadata --root /`,
		Args: cobra.NoArgs,
		RunE: ic.run,
	}
	ic.register(c)
	_ = c.MarkFlagRequired("from")
	return c
}

func (ic *importCmd) run(c *cobra.Command, _ []string) error {
	data, _, err := ic.describe(c)
	if err != nil {
		return err
	}
	_, err = c.OutOrStdout().Write(data)
	return err
}
