package importer

import (
	"bufio"
	"net"
	"strings"
	"testing"
	"time"
)

// rawServer answers each connection with answer, after reading the
// request's header, and gives its URL.
func rawServer(t *testing.T, answer string) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			r := bufio.NewReader(c)
			for {
				line, err := r.ReadString('\n')
				if err != nil || line == "\r\n" {
					break
				}
			}
			_, _ = c.Write([]byte(answer))
			c.Close()
		}
	}()
	return "http://" + l.Addr().String()
}

// TestRoundTrip: the answers' forms a service may use, and the broken
// ones, as roundTrip reads them.
func TestRoundTrip(t *testing.T) {
	for _, c := range []struct {
		name, answer string
		code         int
		body, err    string
	}{
		{"content-length", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", 200, "hello", ""},
		{"chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhel\r\n2;x=y\r\nlo\r\n0\r\n\r\n", 200, "hello", ""},
		{"to the end", "HTTP/1.0 200 OK\r\n\r\nhello", 200, "hello", ""},
		{"404", "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found", 404, "not found", ""},
		{"truncated body", "HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nhel", 0, "", "unexpected EOF"},
		{"truncated chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n9\r\nhel", 0, "", "unexpected EOF"},
		{"truncated header", "HTTP/1.1 200 OK\r\nContent-Len", 0, "", "malformed MIME header"},
		{"not HTTP", "SSH-2.0-OpenSSH_9.2\r\n\r\n", 0, "", "not an HTTP answer"},
		{"too long", "HTTP/1.1 200 OK\r\nContent-Length: 9999999\r\n\r\n", 0, "", "answer too long"},
		{"bad length", "HTTP/1.1 200 OK\r\nContent-Length: -3\r\n\r\n", 0, "", "Content-Length"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, body, err := roundTrip("GET", rawServer(t, c.answer)+"/latest/meta-data/mac", nil, time.Second)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Errorf("error %v, want %q", err, c.err)
				}
				return
			}
			if err != nil || code != c.code || body != c.body {
				t.Errorf("%d %q %v, want %d %q", code, body, err, c.code, c.body)
			}
		})
	}
	if _, _, err := roundTrip("GET", "https://100.100.100.200/", nil, time.Second); err == nil {
		t.Error("an https URL was accepted")
	}
	if _, _, err := roundTrip("GET", rawServer(t, "")+"/", map[string]string{"X": "a\r\nInjected: 1"}, time.Second); err == nil {
		t.Error("a header with a line break was sent")
	}
}
