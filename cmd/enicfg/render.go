package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/enicfg/enicfg/distros"
	"github.com/enicfg/enicfg/render"
	"github.com/enicfg/enicfg/spec"
	"github.com/enicfg/enicfg/versions"
)

// targetFlags are the flags shared by render and diff.
type targetFlags struct {
	in      inputFlag
	distro  string
	tools   []string
	skip    bool
	noCINet bool
}

func (tf *targetFlags) register(c *cobra.Command) {
	tf.in.register(c)
	c.Flags().StringVar(&tf.distro, "distro", "", "target distribution or family (required)")
	c.Flags().StringArrayVar(&tf.tools, "tool-version", nil,
		"TOOL=VERSION: the image's version of a tool that reads the files (netplan=0.99), when newer than the target's first release (repeatable)")
	c.Flags().BoolVar(&tf.skip, "skip-unsupported", false, "render what the target can express and warn about the rest")
	c.Flags().BoolVar(&tf.noCINet, "disable-cloud-init-network", false,
		"also write "+render.CloudInitDisablePath+" so that cloud-init does not write its network configuration over enicfg's")
	_ = c.MarkFlagRequired("distro")
	_ = c.RegisterFlagCompletionFunc("distro", completeDistro)
}

// rendering is the result of loading, validating and rendering.
type rendering struct {
	model  *spec.Model
	target distros.Target
	files  render.FileSet
}

// render loads the description and renders it for the target.
func (tf *targetFlags) render(c *cobra.Command) (*rendering, error) {
	t, err := distros.Lookup(tf.distro)
	if err != nil {
		return nil, err
	}
	for _, tv := range tf.tools {
		tool, v, ok := strings.Cut(tv, "=")
		if !ok {
			return nil, fmt.Errorf("--tool-version %q: give TOOL=VERSION, such as netplan=0.99", tv)
		}
		if t, err = t.WithToolVersion(tool, versions.Version(v)); err != nil {
			return nil, err
		}
	}
	m, err := tf.in.load(c)
	if err != nil {
		return nil, err
	}
	files, refused, err := t.Render(m, tf.skip)
	if err != nil {
		return nil, err
	}
	for _, u := range refused {
		fmt.Fprintf(c.ErrOrStderr(), "enicfg: warning: skipped %s\n", u)
	}
	if tf.noCINet {
		files = append(files, render.CloudInitDisable(render.Header(t.Name, t.Family, "#")))
		files.Sort()
	}
	return &rendering{model: m, target: t, files: files}, nil
}

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
	switch rc.output {
	case "", "cloud-config", "tar", "json", "user-data":
	default:
		return fmt.Errorf("--output %q: use cloud-config, tar, json or user-data", rc.output)
	}
	if rc.launcher != "" && rc.output != "user-data" {
		return errors.New("--launcher goes with --output user-data")
	}
	if rc.root != "" && rc.output != "" {
		return errors.New("--root and --output exclude each other")
	}
	if rc.apply && rc.output != "cloud-config" {
		return errors.New("--apply adds runcmd steps to --output cloud-config")
	}
	res, err := rc.render(c)
	if err != nil {
		return err
	}
	out := c.OutOrStdout()
	switch {
	case rc.root != "":
		if err := render.WriteRoot(rc.root, res.files); err != nil {
			return err
		}
		for _, f := range res.files {
			fmt.Fprintf(out, "wrote %s (%04o)\n", f.Path, f.Mode.Perm())
		}
		return nil
	case rc.output == "cloud-config":
		var runcmd []string
		if rc.apply {
			runcmd = res.target.ApplyCommands(res.model, res.files)
			if len(runcmd) == 0 {
				return fmt.Errorf("%s: --apply is not built for the %s family", res.target.Name, res.target.Family)
			}
		}
		b, err := render.CloudConfig(render.Header(res.target.Name, res.target.Family, "#"), res.files, runcmd)
		if err != nil {
			return err
		}
		_, err = out.Write(b)
		return err
	case rc.output == "tar":
		b, err := render.Tar(res.files)
		if err != nil {
			return err
		}
		_, err = out.Write(b)
		return err
	case rc.output == "user-data":
		launcher := rc.launcher
		if launcher == "" {
			launcher = map[string]string{spec.CloudAWS: render.LauncherEC2, spec.CloudAliyun: render.LauncherAliyun}[res.model.Cloud]
			if launcher == "" {
				launcher = render.LauncherCloudbaseInit
			}
		}
		if res.target.Family != "windows" {
			return fmt.Errorf("%s: --output user-data is for Windows targets; use --output cloud-config", res.target.Name)
		}
		b, err := render.WindowsUserData(launcher, res.files)
		if err != nil {
			return fmt.Errorf("%s: %w", res.target.Name, err)
		}
		_, err = out.Write(b)
		return err
	case rc.output == "json":
		b, err := render.JSON(res.target.Name, res.target.Family, res.files)
		if err != nil {
			return err
		}
		_, err = out.Write(b)
		return err
	}
	return printFiles(out, res.files)
}

func completeDistro(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return distros.Names(), cobra.ShellCompDirectiveNoFileComp
}

// printFiles lists the files under a header line each.
func printFiles(w io.Writer, files render.FileSet) error {
	for i, f := range files {
		if i > 0 {
			if _, err := io.WriteString(w, "\n"); err != nil {
				return err
			}
		}
		if _, err := fmt.Fprintf(w, "==> %s (%04o) <==\n%s", f.Path, f.Mode.Perm(), f.Data); err != nil {
			return err
		}
	}
	return nil
}
