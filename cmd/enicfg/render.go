package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"
)

type renderCmd struct {
	targetFlags
	root     string
	output   string
	apply    bool
	launcher string
}

func newRenderCmd() *cobra.Command {
	rc := &renderCmd{}
	c := &cobra.Command{
		Use:   "render --distro NAME [-f FILE|-] [--root DIR | --output FORMAT]",
		Short: "Render the configuration files of one target",
		Long: `Render the configuration files of one target (a distribution or a family;
see "enicfg distros").

Without --root or --output, every file is printed to standard output under a
header line "==> PATH (MODE) <==". With --root DIR, the files are written
under DIR at their absolute paths, each atomically and with its mode;
nothing is written when the description is invalid or the target refuses a
feature. --output picks another form for standard output:
  cloud-config  a #cloud-config document whose write_files hold every file
                (--apply adds the runcmd steps that make the target take them)
  tar           a deterministic tar archive for "tar -x -C /"
  json          {"format","target","family","files":[{path,mode,owner,encoding,content}]}
  user-data     Windows targets: the script as user data for --launcher
                cloudbase-init (as it is), ec2 (<powershell> or <script>
                with <persist>true</persist>) or aliyun ([powershell] or
                [bat] first line); the default follows cloud: in the
                description (aws: ec2, aliyun: aliyun, else cloudbase-init)`,
		Example: `  enicfg render --distro centos7 -f network.yaml
  enicfg render --distro debian12 -f network.yaml --root /
  enicfg render --distro ubuntu2204 -f network.yaml --output cloud-config --apply
  enicfg render --distro windows2022 -f network.yaml --output user-data --launcher ec2`,
		Args: cobra.NoArgs,
		RunE: rc.run,
	}
	rc.targetFlags.register(c)
	c.Flags().StringVar(&rc.root, "root", "", "write the files under this folder instead of printing them")
	c.Flags().StringVar(&rc.output, "output", "", "print the files as cloud-config, tar, json or (Windows) user-data")
	c.Flags().StringVar(&rc.launcher, "launcher", "", "with --output user-data: cloudbase-init, ec2 or aliyun (default: from cloud:)")
	c.Flags().BoolVar(&rc.apply, "apply", false, "with --output cloud-config: add runcmd steps that apply the files at first boot")
	_ = c.MarkFlagDirname("root")
	_ = c.RegisterFlagCompletionFunc("output", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"cloud-config", "tar", "json", "user-data"}, cobra.ShellCompDirectiveNoFileComp
	})
	return c
}

func (rc *renderCmd) run(c *cobra.Command, _ []string) error {
	out, err := rc.pick()
	if err != nil {
		return err
	}
	res, err := rc.render(c)
	if err != nil {
		return err
	}
	return out.write(c, res)
}

// pick checks that the flags go together and gives the output they name.
func (rc *renderCmd) pick() (output, error) {
	switch {
	case rc.launcher != "" && rc.output != "user-data":
		return nil, errors.New("--launcher goes with --output user-data")
	case rc.root != "" && rc.output != "":
		return nil, errors.New("--root and --output exclude each other")
	case rc.apply && rc.output != "cloud-config":
		return nil, errors.New("--apply adds runcmd steps to --output cloud-config")
	}
	switch rc.output {
	case "":
		if rc.root != "" {
			return rootOutput{rc.root}, nil
		}
		return listOutput{}, nil
	case "cloud-config":
		return cloudConfigOutput{rc.apply}, nil
	case "tar":
		return tarOutput{}, nil
	case "json":
		return jsonOutput{}, nil
	case "user-data":
		return userDataOutput{rc.launcher}, nil
	}
	return nil, fmt.Errorf("--output %q: use cloud-config, tar, json or user-data", rc.output)
}
