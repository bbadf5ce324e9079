package render

import (
	"bytes"
	"fmt"
)

// Launchers are the agents that run Windows user data, for
// WindowsUserData.
const (
	// LauncherCloudbaseInit: the first line names the type ("rem cmd",
	// "#ps1_sysnative"), cloudbase-init's userdata.rst.
	LauncherCloudbaseInit = "cloudbase-init"
	// LauncherEC2: EC2Launch v2 (2022), EC2Launch (2016, 2019) and
	// EC2Config (2012 R2 and earlier) run a <powershell> or <script>
	// block; <persist>true</persist> runs it at every boot (AWS "Run
	// commands on your Windows instance at launch", ec2-windows-user-data).
	LauncherEC2 = "ec2"
	// LauncherAliyun: Alibaba Cloud's Windows user data, whose first line
	// is "[powershell]" or "[bat]" without blanks ("Manage the user data
	// of Windows instances", doc-detail/130764).
	LauncherAliyun = "aliyun"
)

// Launchers lists the launcher names.
var Launchers = []string{LauncherCloudbaseInit, LauncherEC2, LauncherAliyun}

// MaxUserData is the most user data AWS and Alibaba Cloud take, before
// base64 encoding (16 KB each: AWS "User data is limited to 16 KB, in raw
// form, before it is base64-encoded"; Alibaba "at most 16 KB before
// encoding").
const MaxUserData = 16 * 1024

// WindowsUserData wraps the rendered Windows script as user data for a
// launcher: the PowerShell script where the target has one, else the
// netsh script. The script itself is not changed, so what the tests
// check of the files holds for the user data.
func WindowsUserData(launcher string, files FileSet) ([]byte, error) {
	var script []byte
	ps := false
	for _, f := range files {
		switch f.Path {
		case WindowsPS1:
			script, ps = f.Data, true
		case WindowsCmd:
			if script == nil {
				script = f.Data
			}
		}
	}
	if script == nil {
		return nil, fmt.Errorf("no Windows script was rendered: user data is for Windows targets")
	}
	var b bytes.Buffer
	switch launcher {
	case LauncherCloudbaseInit:
		b.Write(script) // its first line is cloudbase-init's type marker
	case LauncherEC2:
		open, end := "<script>", "</script>"
		if ps {
			open, end = "<powershell>", "</powershell>"
		}
		b.WriteString(open + "\r\n")
		b.Write(script)
		b.WriteString(end + "\r\n<persist>true</persist>\r\n")
	case LauncherAliyun:
		first := "[bat]"
		if ps {
			first = "[powershell]"
		}
		b.WriteString(first + "\r\n")
		b.Write(script)
	default:
		return nil, fmt.Errorf("launcher %q: use %v", launcher, Launchers)
	}
	if launcher != LauncherCloudbaseInit && b.Len() > MaxUserData {
		return nil, fmt.Errorf("the %s user data is %d bytes, more than the %d that the cloud takes: use --root or cloudbase-init with a larger metadata limit", launcher, b.Len(), MaxUserData)
	}
	return b.Bytes(), nil
}
