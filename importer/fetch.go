package importer

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"time"
)

// Client reads a metadata service: a session token first (PUT), then
// keys (GET), each request with a timeout and retried with backoff when
// the service cannot be reached or answers 5xx or 429. It speaks plain
// HTTP/1.1 itself (roundTrip): the services are http:// on a link-local
// or private address, never through a proxy, and net/http would add 6 MB
// and 4 ms of start-up to every command (docs/performance.md).
type Client struct {
	Source   string        // the source's name, for errors
	Base     string        // the service's URL, without a trailing /
	Timeout  time.Duration // per request
	Retries  int           // attempts after the first
	Backoff  time.Duration // before the first retry; doubled each time
	tokenHdr string        // the header that carries the token
	token    string
}

// maxAnswer bounds an answer: metadata values are short.
const maxAnswer = 1 << 20

// statusError is an answer with a status other than 200.
type statusError struct {
	url  string
	code int
}

func (e *statusError) Error() string {
	if e.code == 404 {
		return fmt.Sprintf("%s: not found (HTTP 404): the key is missing", e.url)
	}
	return fmt.Sprintf("%s: HTTP %d %s", e.url, e.code, statusText[e.code])
}

// do sends one request, retrying what may pass on a second try, and gives
// the body of a 200 answer.
func (c *Client) do(method, path string, hdr map[string]string) (string, error) {
	url := c.Base + path
	wait := c.Backoff
	for attempt := 0; ; attempt++ {
		body, retry, err := c.once(method, url, hdr)
		switch {
		case err == nil:
			return body, nil
		case !retry || attempt >= c.Retries:
			if attempt > 0 {
				err = fmt.Errorf("%w (%d attempts)", err, attempt+1)
			}
			return "", fmt.Errorf("%s: %w", c.Source, err)
		}
		time.Sleep(wait)
		wait *= 2
	}
}

// once sends a request; retry says whether another attempt may succeed.
func (c *Client) once(method, url string, hdr map[string]string) (body string, retry bool, err error) {
	code, data, err := roundTrip(method, url, hdr, c.Timeout)
	var ne net.Error
	switch {
	case errors.As(err, &ne) && ne.Timeout():
		return "", true, fmt.Errorf("%s: no answer within %s", url, c.Timeout)
	case errors.Is(err, errTruncated):
		return "", true, fmt.Errorf("%s: the answer is truncated: %w", url, err)
	case errors.Is(err, errTooLong):
		return "", false, fmt.Errorf("%s: an answer over %d bytes is not metadata", url, maxAnswer)
	case err != nil:
		var ne *net.OpError
		if errors.As(err, &ne) && ne.Op == "dial" {
			return "", true, fmt.Errorf("%s: the service cannot be reached: %w", url, err)
		}
		return "", true, fmt.Errorf("%s: %w", url, err)
	case code != 200:
		return "", code >= 500 || code == 429, &statusError{url, code}
	}
	return data, false, nil
}

// Token asks for a session token: PUT path with ttlHdr, and uses it in
// tokenHdr on every GET after.
func (c *Client) Token(path, ttlHdr, tokenHdr string) error {
	tok, err := c.do("PUT", path, map[string]string{ttlHdr: "21600"})
	if err != nil {
		var se *statusError
		if errors.As(err, &se) {
			return fmt.Errorf("%w: the token was refused", err)
		}
		return err
	}
	tok = strings.TrimSpace(tok)
	if tok == "" {
		return fmt.Errorf("%s: %s%s: an empty token", c.Source, c.Base, path)
	}
	c.token, c.tokenHdr = tok, tokenHdr
	return nil
}

// Get reads a key.
func (c *Client) Get(path string) (string, error) {
	hdr := map[string]string{}
	if c.token != "" {
		hdr[c.tokenHdr] = c.token
	}
	return c.do("GET", path, hdr)
}

// Optional reads a key that may be missing: "" without an error for 404.
func (c *Client) Optional(path string) (string, error) {
	v, err := c.Get(path)
	var se *statusError
	if errors.As(err, &se) && se.code == 404 {
		return "", nil
	}
	return v, err
}

// List reads a folder of the service: one entry per line, the trailing /
// of sub-folders dropped.
func (c *Client) List(path string) ([]string, error) {
	v, err := c.Get(path)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, l := range strings.Split(v, "\n") {
		if l = strings.TrimSuffix(strings.TrimSpace(l), "/"); l != "" {
			out = append(out, l)
		}
	}
	return out, nil
}
