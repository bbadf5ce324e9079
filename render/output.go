package render

import (
	"archive/tar"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// CloudInitDisablePath is the cloud-init drop-in that keeps cloud-init
// from writing network configuration at later boots, over enicfg's.
const CloudInitDisablePath = "/etc/cloud/cloud.cfg.d/99-enicfg-disable-network-config.cfg"

// CloudInitDisable is the drop-in file of CloudInitDisablePath.
func CloudInitDisable(header string) File {
	return File{Path: CloudInitDisablePath, Mode: 0o644, Data: []byte(header +
		"# cloud-init must not write its own network configuration over enicfg's\n" +
		"# (cloud-init docs, \"Disabling network configuration\").\n" +
		"network: {config: disabled}\n")}
}

// literalOK tells whether data can be a YAML literal block that decodes to
// exactly data: UTF-8 text without carriage returns, tabs at line starts,
// or other control characters.
func literalOK(data []byte) bool {
	if !utf8.Valid(data) || len(data) == 0 {
		return false
	}
	for i, r := range string(data) {
		switch {
		case r == '\n':
		case r == '\t':
			if i == 0 || data[i-1] == '\n' {
				return false
			}
		case r < ' ' || r == 0x7f || r == 0xfeff || r == 0x85 || r == 0x2028 || r == 0x2029:
			return false
		}
	}
	return true
}

func scalar(v string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v}
}

// CloudConfig gives a #cloud-config document whose write_files hold every
// file with its path, octal permissions string and owner; text files are
// literal blocks, anything else base64. runcmd, when not empty, is added
// as cloud-init's runcmd (run once, at the end of the first boot).
func CloudConfig(header string, files FileSet, runcmd []string) ([]byte, error) {
	list := &yaml.Node{Kind: yaml.SequenceNode}
	for _, f := range files {
		entry := &yaml.Node{Kind: yaml.MappingNode}
		add := func(k string, v *yaml.Node) { entry.Content = append(entry.Content, scalar(k), v) }
		add("path", scalar(f.Path))
		add("permissions", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Style: yaml.SingleQuotedStyle, Value: fmt.Sprintf("%04o", f.Mode.Perm())})
		add("owner", scalar("root:root"))
		if literalOK(f.Data) {
			add("content", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Style: yaml.LiteralStyle, Value: string(f.Data)})
		} else {
			add("encoding", scalar("b64"))
			add("content", scalar(base64.StdEncoding.EncodeToString(f.Data)))
		}
		list.Content = append(list.Content, entry)
	}
	doc := &yaml.Node{Kind: yaml.MappingNode}
	doc.Content = append(doc.Content, scalar("write_files"), list)
	if len(runcmd) > 0 {
		cmds := &yaml.Node{Kind: yaml.SequenceNode}
		for _, c := range runcmd {
			cmds.Content = append(cmds.Content, scalar(c))
		}
		doc.Content = append(doc.Content, scalar("runcmd"), cmds)
	}
	var b bytes.Buffer
	b.WriteString("#cloud-config\n")
	b.WriteString(header)
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{doc}}); err != nil {
		return nil, fmt.Errorf("cloud-config: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("cloud-config: %w", err)
	}
	return b.Bytes(), nil
}

// Tar gives a deterministic tar archive of the files, ready for
// `tar -x -C /`: entries sorted by path, relative names (etc/...), fixed
// times (the Unix epoch), root ownership, the files' modes. It holds no
// folder entries, so that extracting it never changes an existing
// folder's mode or time.
func Tar(files FileSet) ([]byte, error) {
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	for _, f := range files {
		hdr := &tar.Header{
			Typeflag: tar.TypeReg,
			Name:     strings.TrimPrefix(f.Path, "/"),
			Mode:     int64(f.Mode.Perm()),
			Size:     int64(len(f.Data)),
			ModTime:  time.Unix(0, 0).UTC(),
			Uname:    "root",
			Gname:    "root",
			Format:   tar.FormatPAX,
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return nil, fmt.Errorf("tar %s: %w", f.Path, err)
		}
		if _, err := tw.Write(f.Data); err != nil {
			return nil, fmt.Errorf("tar %s: %w", f.Path, err)
		}
	}
	if err := tw.Close(); err != nil {
		return nil, fmt.Errorf("tar: %w", err)
	}
	return b.Bytes(), nil
}

// JSONOutput is the document of `render --output json` (docs/output.md).
type JSONOutput struct {
	Format string     `json:"format"` // "enicfg-files/v1"
	Target string     `json:"target"`
	Family string     `json:"family"`
	Files  []JSONFile `json:"files"`
}

// JSONFile is one file of JSONOutput: content is the text itself when
// encoding is "utf-8", else the base64 of the bytes ("base64").
type JSONFile struct {
	Path     string `json:"path"`
	Mode     string `json:"mode"`
	Owner    string `json:"owner"`
	Encoding string `json:"encoding"`
	Content  string `json:"content"`
}

// JSON gives the JSON document of the files.
func JSON(target, family string, files FileSet) ([]byte, error) {
	out := JSONOutput{Format: "enicfg-files/v1", Target: target, Family: family, Files: []JSONFile{}}
	for _, f := range files {
		jf := JSONFile{Path: f.Path, Mode: fmt.Sprintf("%04o", f.Mode.Perm()), Owner: "root:root", Encoding: "utf-8", Content: string(f.Data)}
		if !utf8.Valid(f.Data) {
			jf.Encoding, jf.Content = "base64", base64.StdEncoding.EncodeToString(f.Data)
		}
		out.Files = append(out.Files, jf)
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("json: %w", err)
	}
	return append(b, '\n'), nil
}
