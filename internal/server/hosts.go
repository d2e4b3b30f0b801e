package server

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Hosts says which names in a request's Host header a server answers.
//
// A page on any web site can point its own name at 127.0.0.1 once it has
// loaded ("DNS rebinding"): its script then reads whatever answers there as
// its own site, the preview's drafts and event stream included. The
// browser still sends the page's own name as Host, so refusing names that
// are not this computer's stops it.
type Hosts int

const (
	// Loopback, the zero value, answers only names no other site can take:
	// localhost and NAME.localhost (browsers and RFC 6761 keep them on this
	// computer) and loopback addresses (127.0.0.0/8, ::1), with any port.
	Loopback Hosts = iota
	// Addresses answers those and any IP address: for a preview shared on
	// the network (--addr 0.0.0.0:1313), opened by the computer's address.
	// An address is no web site's name, so no page elsewhere can claim it.
	Addresses
	// AnyHost answers every name: for a server behind a proxy that checks
	// the names itself.
	AnyHost
)

// allows reports whether h answers requests for host (a Host header:
// a name or address, with or without a port).
func (h Hosts) allows(host string) bool {
	if h == AnyHost {
		return true
	}
	name := host
	if n, port, err := net.SplitHostPort(host); err == nil {
		if !digitsOnly(port) {
			return false
		}
		name = n
	} else if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
		name = host[1 : len(host)-1]
	}
	name = strings.TrimSuffix(strings.ToLower(name), ".")
	if name == "localhost" || strings.HasSuffix(name, ".localhost") && validName(name) {
		return true
	}
	ip, err := netip.ParseAddr(name)
	if err != nil || ip.Zone() != "" {
		return false
	}
	return ip.Unmap().IsLoopback() || h == Addresses
}

func digitsOnly(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true // an empty port ("localhost:") is the default one
}

// validName reports whether name is made only of what a DNS name holds.
func validName(name string) bool {
	for _, c := range name {
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// checkHost refuses, with 421 Misdirected Request and a page saying where
// the server is, a request for a name it does not answer.
func (s *server) checkHost(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.o.Hosts.allows(r.Host) {
			next.ServeHTTP(w, r)
			return
		}
		s.log.Warn("refused a request for another site's name (a web page may be trying to read this server)", "host", r.Host, "path", r.URL.Path)
		where := "this computer's own address"
		if a, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr); ok {
			where = "http://" + a.String() + "/"
		}
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusMisdirectedRequest)
		// Nothing of the request is written back.
		fmt.Fprintf(w, "<!DOCTYPE html>\n<html lang=\"en\"><meta charset=\"utf-8\"><title>Wrong address</title>\n"+
			"<h1>Wrong address</h1>\n<p>This server answers only at %s (or localhost): open it there.</p>\n</html>\n", where)
	})
}

// sameOrigin lets through a request with no Origin header (a page's own
// script sends none for a plain GET) or with the server's own: a page on
// another site that reaches the server may not read the response.
func sameOrigin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if o, ok := r.Header["Origin"]; ok && (len(o) != 1 || !strings.EqualFold(o[0], "http://"+r.Host)) {
			http.Error(w, "Only this server's own pages may read this.", http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}
