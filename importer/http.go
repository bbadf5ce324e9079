package importer

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// The failures of an answer that roundTrip names.
var (
	errTruncated = errors.New("unexpected EOF")
	errTooLong   = errors.New("answer too long")
)

// statusText names the statuses a metadata service gives.
var statusText = map[int]string{
	400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
	429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
}

// roundTrip sends one HTTP/1.1 request without a body to an http:// URL
// and reads the answer (Content-Length, chunked, or up to the end of the
// connection), all within timeout. It gives the status and the body.
func roundTrip(method, rawURL string, hdr map[string]string, timeout time.Duration) (int, string, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "http" || u.Host == "" {
		return 0, "", fmt.Errorf("%q is not an http:// URL", rawURL)
	}
	host := u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), "80")
	}
	deadline := time.Now().Add(timeout)
	conn, err := net.DialTimeout("tcp", host, timeout)
	if err != nil {
		return 0, "", err
	}
	defer conn.Close()
	if err := conn.SetDeadline(deadline); err != nil {
		return 0, "", err
	}
	var req strings.Builder
	fmt.Fprintf(&req, "%s %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: enicfg\r\nAccept: */*\r\nConnection: close\r\n", method, u.RequestURI(), u.Host)
	if method == "PUT" {
		req.WriteString("Content-Length: 0\r\n")
	}
	for k, v := range hdr {
		if strings.ContainsAny(k+v, "\r\n") {
			return 0, "", fmt.Errorf("header %q: a line break", k)
		}
		fmt.Fprintf(&req, "%s: %s\r\n", k, v)
	}
	req.WriteString("\r\n")
	if _, err := io.WriteString(conn, req.String()); err != nil {
		return 0, "", err
	}
	return readAnswer(bufio.NewReader(conn), method)
}

// readAnswer reads the status line, the header and the body.
func readAnswer(r *bufio.Reader, method string) (int, string, error) {
	tp := textproto.NewReader(r)
	line, err := tp.ReadLine()
	if err != nil {
		return 0, "", eofIsTruncated(err)
	}
	proto, status, _ := strings.Cut(line, " ")
	code, err := strconv.Atoi(strings.SplitN(status, " ", 2)[0])
	if !strings.HasPrefix(proto, "HTTP/1.") || err != nil {
		return 0, "", fmt.Errorf("not an HTTP answer: %q", line)
	}
	h, err := tp.ReadMIMEHeader()
	if err != nil {
		return 0, "", eofIsTruncated(err)
	}
	var body []byte
	switch {
	case method == "HEAD" || code == 204 || code == 304:
	case strings.EqualFold(h.Get("Transfer-Encoding"), "chunked"):
		body, err = readChunked(r)
	case h.Get("Content-Length") != "":
		n, perr := strconv.ParseInt(h.Get("Content-Length"), 10, 64)
		if perr != nil || n < 0 {
			return 0, "", fmt.Errorf("Content-Length %q", h.Get("Content-Length"))
		}
		if n > maxAnswer {
			return 0, "", errTooLong
		}
		body = make([]byte, n)
		_, err = io.ReadFull(r, body)
	default:
		body, err = io.ReadAll(io.LimitReader(r, maxAnswer+1))
		if err == nil && len(body) > maxAnswer {
			err = errTooLong
		}
	}
	if err != nil {
		return 0, "", eofIsTruncated(err)
	}
	return code, string(body), nil
}

// readChunked reads a chunked body (RFC 9112 7.1), its trailer skipped.
func readChunked(r *bufio.Reader) ([]byte, error) {
	var body []byte
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return nil, err
		}
		size, _, _ := strings.Cut(strings.TrimSpace(line), ";")
		n, err := strconv.ParseInt(size, 16, 64)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("a chunk size %q", size)
		}
		if int64(len(body))+n > maxAnswer {
			return nil, errTooLong
		}
		if n == 0 {
			_, err := textproto.NewReader(r).ReadMIMEHeader()
			return body, err
		}
		chunk := make([]byte, n+2)
		if _, err := io.ReadFull(r, chunk); err != nil {
			return nil, err
		}
		body = append(body, chunk[:n]...)
	}
}

// eofIsTruncated names an answer that stops early.
func eofIsTruncated(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errTruncated
	}
	return err
}
