package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// Client reads a metadata service: a session token first (PUT), then
// keys (GET), each request with a timeout and retried with backoff when
// the service cannot be reached or answers 5xx or 429.
type Client struct {
	Source   string        // the source's name, for errors
	Base     string        // the service's URL, without a trailing /
	Timeout  time.Duration // per request
	Retries  int           // attempts after the first
	Backoff  time.Duration // before the first retry; doubled each time
	HTTP     *http.Client  // nil: a client without proxies from the environment
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
	if e.code == http.StatusNotFound {
		return fmt.Sprintf("%s: not found (HTTP 404): the key is missing", e.url)
	}
	return fmt.Sprintf("%s: HTTP %d %s", e.url, e.code, http.StatusText(e.code))
}

func (c *Client) httpClient() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	// The metadata address is link-local: never through a proxy of the
	// environment.
	return &http.Client{Transport: &http.Transport{Proxy: nil}, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
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
	ctx, cancel := context.WithTimeout(context.Background(), c.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, url, nil)
	if err != nil {
		return "", false, err
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := c.httpClient().Do(req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return "", true, fmt.Errorf("%s: no answer within %s", url, c.Timeout)
		}
		return "", true, fmt.Errorf("%s: the service cannot be reached: %w", url, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	if err != nil {
		return "", true, fmt.Errorf("%s: the answer is truncated: %w", url, err)
	}
	if resp.StatusCode != http.StatusOK {
		retry := resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests
		return "", retry, &statusError{url, resp.StatusCode}
	}
	if len(data) > maxAnswer {
		return "", false, fmt.Errorf("%s: an answer over %d bytes is not metadata", url, maxAnswer)
	}
	return string(data), false, nil
}

// Token asks for a session token: PUT path with ttlHdr, and uses it in
// tokenHdr on every GET after.
func (c *Client) Token(path, ttlHdr, tokenHdr string) error {
	tok, err := c.do(http.MethodPut, path, map[string]string{ttlHdr: "21600"})
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
	return c.do(http.MethodGet, path, hdr)
}

// Optional reads a key that may be missing: "" without an error for 404.
func (c *Client) Optional(path string) (string, error) {
	v, err := c.Get(path)
	var se *statusError
	if errors.As(err, &se) && se.code == http.StatusNotFound {
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
