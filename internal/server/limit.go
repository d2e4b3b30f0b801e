package server

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"
)

// maxClients bounds the rate limit's table: past it, new clients share
// one overflow count, so a flood from many addresses costs a fixed amount
// of memory (and, at worst, slows sign-ups from new addresses until the
// window turns).
const maxClients = 10000

// limiter counts sign-ups per client in fixed windows: at most n in each.
type limiter struct {
	n      int
	window time.Duration
	max    int

	mu       sync.Mutex
	start    time.Time
	counts   map[netip.Prefix]int
	overflow int
}

func newLimiter(n int, window time.Duration, max int) *limiter {
	return &limiter{n: n, window: window, max: max, counts: map[netip.Prefix]int{}}
}

// allow counts one request from key at now and reports whether it is
// within the limit.
func (l *limiter) allow(key netip.Prefix, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.start) >= l.window || now.Before(l.start) {
		l.start, l.counts, l.overflow = now, map[netip.Prefix]int{}, 0
	}
	c, ok := l.counts[key]
	if !ok && len(l.counts) >= l.max {
		// The overflow is many clients' share: ten clients' worth.
		l.overflow++
		return l.overflow <= 10*l.n
	}
	l.counts[key] = c + 1
	return c < l.n
}

// clientKey is who a request is from, for the rate limit: the connection's
// address, or, when that is a trusted proxy, the address X-Forwarded-For
// says the proxy had the request from (the rightmost one that is not
// itself a trusted proxy: anything left of it the client wrote). An IPv6
// client counts by its /64, which one household or server usually has
// whole.
func (s *SignUp) clientKey(r *http.Request) netip.Prefix {
	ip := remoteIP(r.RemoteAddr)
	if s.trusted(ip) {
		hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
		for i := len(hops) - 1; i >= 0; i-- {
			hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
			if err != nil {
				break // a hop we cannot read: stop at the last one we could
			}
			ip = hop.Unmap()
			if !s.trusted(ip) {
				break
			}
		}
	}
	bits := 32
	if ip.Is6() {
		bits = 64
	}
	p, _ := ip.Prefix(bits)
	return p
}

func (s *SignUp) trusted(ip netip.Addr) bool {
	for _, p := range s.c.TrustedProxies {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// remoteIP is the address of http.Request.RemoteAddr ("ip:port").
func remoteIP(addr string) netip.Addr {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return netip.IPv4Unspecified()
	}
	return ip.Unmap().WithZone("")
}
