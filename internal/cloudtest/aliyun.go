package cloudtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Faults are the failures an Alibaba metadata service shows.
type Faults struct {
	RefuseToken bool              // PUT /latest/api/token answers 403
	NoToken     bool              // GETs without the token are served (normal mode)
	Missing     string            // a key (path suffix) that answers 404
	Malformed   map[string]string // key -> the answer instead of the real one
	Truncate    string            // a key whose answer stops before its Content-Length
	Slow        time.Duration     // every answer comes this late
	Fail5xx     int               // the first n requests answer 503
	NoENIs      bool              // network/interfaces/macs/ is empty
}

// AliyunMetadata serves inst as Alibaba Cloud's metadata service does at
// http://100.100.100.200 (ECS "Instance metadata"): hardened mode's token
// (PUT /latest/api/token with X-aliyun-ecs-metadata-token-ttl-seconds, 1
// to 21600; then X-aliyun-ecs-metadata-token on each GET, 401 without
// it), folders listed one entry a line, private-ipv4s as a JSON array,
// eipv4 for the primary ENI's primary IP. Requests counts the requests.
type AliyunMetadata struct {
	Inst     Instance
	Faults   Faults
	Requests atomic.Int64
	mu       sync.Mutex
	tokens   map[string]bool
	served   int
}

func (s *AliyunMetadata) values() map[string]string {
	v := map[string]string{"instance-id": s.Inst.ID, "mac": s.Inst.ENIs[0].MAC}
	var macs []string
	for _, e := range s.Inst.ENIs {
		macs = append(macs, e.MAC+"/")
		d := "network/interfaces/macs/" + e.MAC + "/"
		for k, val := range map[string]string{"mac": e.MAC, "network-interface-id": e.ID, "vswitch-id": e.Subnet, "vpc-id": "vpc-bp1test0000000000"} {
			v[d+k] = val
		}
		if len(e.IPs) > 0 {
			aliyunIPv4(v, d, e)
		}
		if len(e.IPv6) > 0 {
			// ipv6s: a list in brackets, the items bare, as the
			// metadata documents it ([2408:XXXX:325:a204:...]).
			v[d+"ipv6s"] = "[" + strings.Join(e.IPv6, ",") + "]"
			v[d+"vswitch-ipv6-cidr-block"] = e.CIDR6
			v[d+"ipv6-gateway"] = e.Gateway6
		}
	}
	if s.Faults.NoENIs {
		macs = nil
	}
	v["network/interfaces/macs/"] = strings.Join(macs, "\n")
	for pub, priv := range s.Inst.ENIs[0].EIPs {
		if len(s.Inst.ENIs[0].IPs) > 0 && priv == s.Inst.ENIs[0].IPs[0] {
			v["eipv4"] = pub
		}
	}
	return v
}

// aliyunIPv4 puts the IPv4 keys of e under d.
func aliyunIPv4(v map[string]string, d string, e ENI) {
	ips, _ := json.Marshal(e.IPs)
	p := netip.MustParsePrefix(e.CIDR)
	mask := netip.AddrFrom4([4]byte{})
	if b := p.Bits(); b > 0 {
		m := ^uint32(0) << (32 - b)
		mask = netip.AddrFrom4([4]byte{byte(m >> 24), byte(m >> 16), byte(m >> 8), byte(m)})
	}
	for k, val := range map[string]string{
		"primary-ip-address": e.IPs[0], "private-ipv4s": string(ips), "netmask": mask.String(), "gateway": e.Gateway, "vswitch-cidr-block": e.CIDR,
	} {
		v[d+k] = val
	}
}

func (s *AliyunMetadata) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.Requests.Add(1)
	if s.Faults.Slow > 0 {
		time.Sleep(s.Faults.Slow)
	}
	s.mu.Lock()
	s.served++
	fail := s.served <= s.Faults.Fail5xx
	if s.tokens == nil {
		s.tokens = map[string]bool{}
	}
	s.mu.Unlock()
	if fail {
		http.Error(w, "service unavailable", http.StatusServiceUnavailable)
		return
	}
	if r.URL.Path == "/latest/api/token" {
		s.token(w, r)
		return
	}
	if r.Method != http.MethodGet {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	s.mu.Lock()
	ok := s.tokens[r.Header.Get("X-aliyun-ecs-metadata-token")]
	s.mu.Unlock()
	if !ok && !s.Faults.NoToken {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	key, found := strings.CutPrefix(r.URL.Path, "/latest/meta-data/")
	v, there := s.values()[key]
	if !found || !there || s.Faults.Missing != "" && key == s.Faults.Missing {
		http.NotFound(w, r)
		return
	}
	if bad, ok := s.Faults.Malformed[key]; ok {
		v = bad
	}
	if key == s.Faults.Truncate {
		w.Header().Set("Content-Length", strconv.Itoa(len(v)+100))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(v))
		return
	}
	w.Header().Set("Content-Type", "text/plain")
	_, _ = w.Write([]byte(v))
}

func (s *AliyunMetadata) token(w http.ResponseWriter, r *http.Request) {
	ttl, err := strconv.Atoi(r.Header.Get("X-aliyun-ecs-metadata-token-ttl-seconds"))
	switch {
	case r.Method != http.MethodPut:
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	case s.Faults.RefuseToken:
		http.Error(w, "forbidden", http.StatusForbidden)
	case err != nil || ttl < 1 || ttl > 21600:
		http.Error(w, "bad request", http.StatusBadRequest)
	default:
		tok := fmt.Sprintf("AQAEAF-test-token-%d", s.Requests.Load())
		s.mu.Lock()
		s.tokens[tok] = true
		s.mu.Unlock()
		_, _ = w.Write([]byte(tok))
	}
}
