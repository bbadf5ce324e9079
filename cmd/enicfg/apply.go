package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/vishvananda/netlink"

	"github.com/enicfg/enicfg/distros"
	"github.com/enicfg/enicfg/live"
	"github.com/enicfg/enicfg/live/store"
	"github.com/enicfg/enicfg/render"
	"github.com/enicfg/enicfg/spec"
)

// hostFlags are the flags of the commands that change this host: apply
// and rollback.
type hostFlags struct {
	root    string
	store   string
	timeout time.Duration
	yes     bool
}

func (hf *hostFlags) register(c *cobra.Command) {
	c.Flags().StringVar(&hf.root, "root", "/", "with --dry-run: compare with the files under this folder instead of /")
	c.Flags().StringVar(&hf.store, "state-dir", store.DefaultStore, "where the lock, the saved files and the last applied description are kept")
	c.Flags().DurationVar(&hf.timeout, "check-timeout", 60*time.Second, "how long to wait for the host to match after the activation")
	c.Flags().BoolVar(&hf.yes, "yes", false, "go on when the activation takes down the interface of the default route")
	_ = c.Flags().MarkHidden("root")
}

type applyCmd struct {
	targetFlags
	hostFlags
	dryRun bool
}

func newApplyCmd() *cobra.Command {
	ac := &applyCmd{}
	c := &cobra.Command{
		Use:   "apply --distro NAME [-f FILE|-] [--dry-run] [--check-timeout 60s] [--yes]",
		Short: "Change this host to the description: write, activate, check, roll back on failure",
		Long: `Render the description for the target, save a copy of every file it will
replace or remove (in a dated folder under --state-dir), write the files
atomically, run the family's activation steps, and wait until "enicfg
check --distro" passes. When a step fails or the wait times out, restore
the saved files, activate them again, check the host against the
description applied before (when one was), and exit 1 saying what
differed. With --dry-run, print the steps and the diff and change nothing.
An activation that takes down the interface of the default route needs
--yes. Exit status: 0 applied (or nothing to change), 1 error or rolled
back.`,
		Example: `  enicfg apply --distro debian12 -f network.yaml --dry-run
  enicfg apply --distro rhel9 -f network.yaml --yes`,
		Args: cobra.NoArgs,
		RunE: ac.run,
	}
	ac.targetFlags.register(c)
	ac.hostFlags.register(c)
	c.Flags().BoolVar(&ac.dryRun, "dry-run", false, "print the steps and the diff; change nothing")
	return c
}

// rootIsHost refuses to activate this host's network for files written
// under another root (--root is for --dry-run and tests in a private
// mount namespace, where / is the lab's).
func (hf *hostFlags) rootIsHost() error {
	if filepath.Clean(hf.root) != "/" {
		return fmt.Errorf("--root %s: the activation steps act on this host's network, so apply and rollback write only under / (--root is for --dry-run)", hf.root)
	}
	return nil
}

// hostJob is one change of the host: the target, what to expect of it,
// the activation steps.
type hostJob struct {
	c      *cobra.Command
	hf     *hostFlags
	target distros.Target
	expect live.Expect
}

func (ac *applyCmd) run(c *cobra.Command, _ []string) error {
	if t, err := distros.Lookup(ac.distro); err == nil && t.Family == "windows" {
		return fmt.Errorf("--distro %s: apply changes a Linux host; on Windows run the rendered script (render --output user-data, or the .ps1)", ac.distro)
	}
	res, err := ac.render(c)
	if err != nil {
		return err
	}
	expect, _, err := expectOf(ac.distro)
	if err != nil {
		return err
	}
	job := &hostJob{c: c, hf: &ac.hostFlags, target: res.target, expect: expect}
	plan, err := render.Plan(ac.root, res.target.Family, res.target.Dirs(), res.files)
	if err != nil {
		return err
	}
	act := res.target.Activation(res.model, res.files)
	if ac.dryRun {
		return job.dryRun(plan, act)
	}
	unlock, err := store.Store{Dir: ac.store}.Lock()
	if err != nil {
		return err
	}
	defer unlock()
	if len(plan) == 0 {
		if diffs, err := job.check(res.model); err == nil && len(diffs) == 0 {
			// What is on the host is this description: a later apply can
			// roll back to it.
			if err := (store.Store{Dir: ac.store}).SetCurrent(&store.Applied{Distro: res.target.Name, Description: string(ac.in.text)}); err != nil {
				return err
			}
			return printf(c, "enicfg: nothing to change: the files are as rendered and the host matches\n")
		}
	}
	if err := ac.rootIsHost(); err != nil {
		return err
	}
	if err := job.guard(act); err != nil {
		return err
	}
	return job.apply(plan, act, res, ac.in.text)
}

// dryRun prints what apply would do, and the diff.
func (j *hostJob) dryRun(plan []render.Change, act render.Activation) error {
	for _, cmd := range act.Stop {
		printf(j.c, "would run first: %s\n", cmd)
	}
	for _, ch := range plan {
		switch {
		case ch.New == nil:
			printf(j.c, "would remove %s (saved first)\n", ch.Path)
		case ch.Existed:
			printf(j.c, "would replace %s (saved first)\n", ch.Path)
		default:
			printf(j.c, "would write %s\n", ch.Path)
		}
	}
	for _, cmd := range act.Start {
		printf(j.c, "would run: %s\n", cmd)
	}
	if dev := j.cuts(act); dev != "" {
		printf(j.c, "warning: the activation takes down %s, which carries the default route: apply needs --yes\n", dev)
	}
	printf(j.c, "would wait up to %s for the host to match (enicfg check --distro %s)\n", j.hf.timeout, j.target.Name)
	return printf(j.c, "%s", render.Unified(plan, j.target.Family))
}

// cuts names the link of the host's default route when the activation
// takes it down (it takes every link, or that one); "" when it does not,
// or the host has no default route.
func (j *hostJob) cuts(act render.Activation) string {
	h, err := netlink.NewHandle()
	if err != nil {
		return ""
	}
	defer h.Close()
	dev, err := live.DefaultRouteLink(h)
	if err != nil || dev == "" || !(act.All || slices.Contains(act.Links, dev)) {
		return ""
	}
	return dev
}

// guard refuses an activation that takes down the default route's link
// without --yes.
func (j *hostJob) guard(act render.Activation) error {
	if dev := j.cuts(act); dev != "" && !j.hf.yes {
		return fmt.Errorf("the activation (%s) takes down %s, which carries this host's default route: a remote session may hang until it is back, or until the rollback after --check-timeout %s; run again with --yes to go on",
			strings.Join(append(append([]string{}, act.Stop...), act.Start...), "; "), dev, j.hf.timeout)
	}
	return nil
}

// apply saves, writes, activates and waits; on a failure it rolls back.
func (j *hostJob) apply(plan []render.Change, act render.Activation, res *rendering, text []byte) error {
	down, cmds := act.Stop, act.Start
	st := store.Store{Dir: j.hf.store}
	prev, err := st.Current()
	if err != nil {
		return err
	}
	var backup *store.Backup
	if len(plan) > 0 {
		if backup, err = st.Save(j.hf.root, plan, j.target.Name, prev, time.Now()); err != nil {
			return err
		}
		printf(j.c, "enicfg: saved %d file(s) in %s\n", len(plan), backup.Dir)
	}
	if err := j.activate(down); err != nil {
		return j.rollback(backup, prev, res.model, nil, err)
	}
	if err := store.Apply(j.hf.root, plan); err != nil {
		return j.rollback(backup, prev, res.model, nil, fmt.Errorf("writing the files: %w", err))
	}
	if err := j.activate(cmds); err != nil {
		return j.rollback(backup, prev, res.model, down, err)
	}
	if diffs, err := j.wait(res.model); err != nil {
		return j.rollback(backup, prev, res.model, down, err)
	} else if len(diffs) > 0 {
		return j.rollback(backup, prev, res.model, down, fmt.Errorf("the host does not match after %s:\n%s", j.hf.timeout, diffLines(diffs)))
	}
	if err := st.SetCurrent(&store.Applied{Distro: j.target.Name, Description: string(text)}); err != nil {
		return err
	}
	return printf(j.c, "enicfg: applied: %d file(s) changed, the host matches (%s)\n", len(plan), strings.Join(cmds, "; "))
}

// stepTimeout bounds each activation step (a DHCP client waiting for a
// lease that does not come, a daemon that does not answer).
const stepTimeout = 5 * time.Minute

// activate runs the activation steps, each within stepTimeout.
func (j *hostJob) activate(cmds []string) error {
	for _, cmd := range cmds {
		ctx, cancel := context.WithTimeout(context.Background(), stepTimeout)
		var out bytes.Buffer
		x := exec.CommandContext(ctx, "/bin/sh", "-c", cmd)
		x.Stdout, x.Stderr = &out, &out
		err := x.Run()
		timedOut := ctx.Err() != nil
		cancel()
		switch {
		case timedOut:
			return fmt.Errorf("%s: timed out after %s\n%s", cmd, stepTimeout, strings.TrimSpace(out.String()))
		case err != nil:
			return fmt.Errorf("%s: %v\n%s", cmd, err, strings.TrimSpace(out.String()))
		}
	}
	return nil
}

// check compares the host with m once.
func (j *hostJob) check(m *spec.Model) ([]live.Difference, error) {
	h, err := netlink.NewHandle()
	if err != nil {
		return nil, fmt.Errorf("netlink: %w", err)
	}
	defer h.Close()
	want := j.expect.Want(m)
	got, err := live.Read(h, live.ScopeOf(want))
	if err != nil {
		return nil, err
	}
	return live.Compare(want, got), nil
}

// settle is how long the host must match without a break before apply
// trusts it: activation steps return before the daemons are done
// (networkctl reconfigure, for one, answers at once and then takes the
// link's configuration away and puts it back).
const settle = 2 * time.Second

// wait checks the host until it has matched m for settle without a
// break, or the timeout passes, and gives the last differences.
func (j *hostJob) wait(m *spec.Model) ([]live.Difference, error) {
	deadline := time.Now().Add(j.hf.timeout)
	var since time.Time
	for {
		diffs, err := j.check(m)
		if err != nil {
			return nil, err
		}
		now := time.Now()
		switch {
		case len(diffs) > 0:
			since = time.Time{}
		case since.IsZero():
			since = now
		}
		if (!since.IsZero() && now.Sub(since) >= settle) || (now.After(deadline) && (len(diffs) > 0 || since.IsZero())) {
			return diffs, nil
		}
		if now.After(deadline.Add(settle)) {
			return diffs, nil
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func diffLines(ds []live.Difference) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString("  " + d.String() + "\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// rollback restores the saved files, activates them with the steps of
// what was applied before (else of m), checks the host against the
// earlier description when there was one, and gives the error that says
// it all.
func (j *hostJob) rollback(backup *store.Backup, prev *store.Applied, m *spec.Model, down []string, cause error) error {
	msg := fmt.Sprintf("apply failed: %v", cause)
	if backup == nil {
		return fmt.Errorf("%s\nno file was changed, so nothing was rolled back", msg)
	}
	// The new files bring their interfaces down before the old ones
	// come back.
	if err := j.activate(down); err != nil {
		msg += fmt.Sprintf("\nstopping the new configuration failed: %v", err)
	}
	if err := backup.Restore(j.hf.root); err != nil {
		return fmt.Errorf("%s\nrolling back failed: %w (the saved files are in %s)", msg, err, backup.Dir)
	}
	msg += fmt.Sprintf("\nrolled back: the files saved in %s are in place again", backup.Dir)
	return errors.New(msg + j.restoreState(prev, m))
}

// restoreState activates the restored files and checks the host against
// the earlier description; it gives what to add to the message.
func (j *hostJob) restoreState(prev *store.Applied, m *spec.Model) string {
	// The earlier description's steps, else the failed one's (its
	// interfaces).
	old := m
	files, _, err := j.target.Render(m, true)
	if err != nil {
		files = nil
	}
	cmds := j.target.Activation(m, files).Start
	if prev != nil {
		if _, pm, act, err := activationOf(prev); err == nil {
			old, cmds = pm, act.Start
		}
	}
	note := ""
	if err := j.activate(cmds); err != nil {
		note += fmt.Sprintf("\nactivating them again failed: %v", err)
	}
	if prev == nil {
		return note + "\nno description was applied before (none in " + j.hf.store + "), so the host is not checked against one"
	}
	e, _, err := expectOf(prev.Distro)
	if err != nil {
		return note
	}
	job := *j
	job.expect = e
	diffs, err := job.wait(old)
	switch {
	case err != nil:
		return note + fmt.Sprintf("\nchecking the host: %v", err)
	case len(diffs) > 0:
		return note + "\nthe host does not match the earlier description:\n" + diffLines(diffs)
	}
	return note + "\nthe host matches the earlier description again"
}

type rollbackCmd struct{ hostFlags }

func newRollbackCmd() *cobra.Command {
	rc := &rollbackCmd{}
	c := &cobra.Command{
		Use:   "rollback [--check-timeout 60s] [--yes]",
		Short: "Put back the files the last apply replaced or removed, and activate them",
		Long: `Restore the files saved by the last apply that was not rolled back (from
its folder under --state-dir), activate them with the family's steps, and
check the host against the description applied before it, when there was
one. Exit status: 0 rolled back and the host matches, 1 error, 2 rolled
back but the host differs.`,
		Args: cobra.NoArgs,
		RunE: rc.run,
	}
	rc.hostFlags.register(c)
	return c
}

func (rc *rollbackCmd) run(c *cobra.Command, _ []string) error {
	st := store.Store{Dir: rc.store}
	unlock, err := st.Lock()
	if err != nil {
		return err
	}
	defer unlock()
	b, err := st.Last()
	if err != nil {
		return err
	}
	if b == nil {
		return fmt.Errorf("nothing to roll back: no apply saved files in %s", rc.store)
	}
	cur, err := st.Current()
	if err != nil {
		return err
	}
	// What to activate: the description applied before the last apply,
	// else the last one's own (its interfaces' steps).
	act := b.Manifest.Previous
	if act == nil {
		act = cur
	}
	if act == nil {
		return fmt.Errorf("%s names no description to activate, and none is recorded in %s", b.Dir, rc.store)
	}
	job, m, steps, err := rc.recorded(c, act)
	if err != nil {
		return err
	}
	cmds := steps.Start
	// The files in place now are brought down by their own steps first.
	down, err := downSteps(cur)
	if err != nil {
		return err
	}
	steps.Stop = down
	if err := rc.rootIsHost(); err != nil {
		return err
	}
	if err := job.guard(steps); err != nil {
		return err
	}
	if err := job.activate(down); err != nil {
		return fmt.Errorf("stopping the configuration in place: %w", err)
	}
	if err := b.Restore(rc.root); err != nil {
		return err
	}
	if err := st.SetCurrent(b.Manifest.Previous); err != nil {
		return err
	}
	printf(c, "enicfg: restored %d file(s) from %s\n", len(b.Manifest.Files), b.Dir)
	if err := job.activate(cmds); err != nil {
		return fmt.Errorf("activating the restored files: %w", err)
	}
	if b.Manifest.Previous == nil {
		return printf(c, "enicfg: rolled back; no description was applied before, so the host is not checked\n")
	}
	diffs, err := job.wait(m)
	if err != nil {
		return err
	}
	if len(diffs) > 0 {
		printf(c, "enicfg: rolled back, but the host does not match the earlier description:\n%s\n", diffLines(diffs))
		return exitCode(exitDiff)
	}
	return printf(c, "enicfg: rolled back; the host matches the earlier description\n")
}

// downSteps gives the steps that stop what the applied description a
// brought up (none when a is nil).
func downSteps(a *store.Applied) ([]string, error) {
	if a == nil {
		return nil, nil
	}
	_, _, act, err := activationOf(a)
	return act.Stop, err
}

// recorded gives the job, the model and the activation of a recorded
// description.
func (rc *rollbackCmd) recorded(c *cobra.Command, a *store.Applied) (*hostJob, *spec.Model, render.Activation, error) {
	t, m, act, err := activationOf(a)
	if err != nil {
		return nil, nil, act, err
	}
	expect, _, err := expectOf(a.Distro)
	if err != nil {
		return nil, nil, act, err
	}
	return &hostJob{c: c, hf: &rc.hostFlags, target: t, expect: expect}, m, act, nil
}

// activationOf gives the target, the model and the activation of a
// recorded description.
func activationOf(a *store.Applied) (distros.Target, *spec.Model, render.Activation, error) {
	t, err := distros.Lookup(a.Distro)
	if err != nil {
		return t, nil, render.Activation{}, err
	}
	m, err := spec.Load("the recorded description", []byte(a.Description))
	if err != nil {
		return t, nil, render.Activation{}, err
	}
	files, _, err := t.Render(m, true)
	if err != nil {
		return t, nil, render.Activation{}, err
	}
	return t, m, t.Activation(m, files), nil
}
