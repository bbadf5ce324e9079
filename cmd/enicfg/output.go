package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/enicfg/enicfg/render"
	"github.com/enicfg/enicfg/spec"
)

// output is one form of a rendering: the files listed, written under a
// root, wrapped as a document on standard output, or compared with a root
// (diff is render with a diff output, as chezmoi's diff is its apply
// against a diff target).
type output interface {
	write(c *cobra.Command, res *rendering) error
}

// listOutput prints every file under a header line
// "==> PATH (MODE) <==".
type listOutput struct{}

func (listOutput) write(c *cobra.Command, res *rendering) error {
	for i, f := range res.files {
		sep := ""
		if i > 0 {
			sep = "\n"
		}
		if err := printf(c, "%s==> %s (%04o) <==\n%s", sep, f.Path, f.Mode.Perm(), f.Data); err != nil {
			return err
		}
	}
	return nil
}

// rootOutput writes the files under a folder, each atomically.
type rootOutput struct{ dir string }

func (o rootOutput) write(c *cobra.Command, res *rendering) error {
	if err := render.WriteRoot(o.dir, res.files); err != nil {
		return err
	}
	for _, f := range res.files {
		if err := printf(c, "wrote %s (%04o)\n", f.Path, f.Mode.Perm()); err != nil {
			return err
		}
	}
	return nil
}

// cloudConfigOutput is a #cloud-config document whose write_files hold
// the files, with the runcmd steps that apply them when apply is set.
type cloudConfigOutput struct{ apply bool }

func (o cloudConfigOutput) write(c *cobra.Command, res *rendering) error {
	var runcmd []string
	if o.apply {
		runcmd = res.target.ApplyCommands(res.model, res.files)
		if len(runcmd) == 0 {
			return fmt.Errorf("%s: --apply is not built for the %s family", res.target.Name, res.target.Family)
		}
	}
	return document(c)(render.CloudConfig(render.Header(res.target.Name, res.target.Family, "#"), res.files, runcmd))
}

// tarOutput is a deterministic tar archive.
type tarOutput struct{}

func (tarOutput) write(c *cobra.Command, res *rendering) error {
	return document(c)(render.Tar(res.files))
}

// jsonOutput is the files as JSON.
type jsonOutput struct{}

func (jsonOutput) write(c *cobra.Command, res *rendering) error {
	return document(c)(render.JSON(res.target.Name, res.target.Family, res.files))
}

// userDataOutput is a Windows script as user data for a launcher; the
// default launcher follows the description's cloud.
type userDataOutput struct{ launcher string }

func (o userDataOutput) write(c *cobra.Command, res *rendering) error {
	if res.target.Family != "windows" {
		return fmt.Errorf("%s: --output user-data is for Windows targets; use --output cloud-config", res.target.Name)
	}
	launcher := o.launcher
	if launcher == "" {
		launcher = map[string]string{spec.CloudAWS: render.LauncherEC2, spec.CloudAliyun: render.LauncherAliyun}[res.model.Cloud]
		if launcher == "" {
			launcher = render.LauncherCloudbaseInit
		}
	}
	b, err := render.WindowsUserData(launcher, res.files)
	if err != nil {
		return fmt.Errorf("%s: %w", res.target.Name, err)
	}
	return document(c)(b, nil)
}

// diffOutput prints how the files under root differ from the rendering;
// a difference is exit status 2.
type diffOutput struct{ root string }

func (o diffOutput) write(c *cobra.Command, res *rendering) error {
	d, err := render.Compare(o.root, res.target.Family, res.target.Dirs(), res.files)
	if err != nil || d == "" {
		return err
	}
	if err := printf(c, "%s", d); err != nil {
		return err
	}
	return exitCode(exitDiff)
}

// document writes a whole document to standard output, or gives the
// error that made it.
func document(c *cobra.Command) func([]byte, error) error {
	return func(b []byte, err error) error {
		if err != nil {
			return err
		}
		_, err = c.OutOrStdout().Write(b)
		return err
	}
}
