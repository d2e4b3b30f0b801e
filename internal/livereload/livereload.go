// Package livereload tells open preview pages that the site has changed, over
// Server-Sent Events, and shows build errors on them.
//
// The dev server adds [Script] to every HTML page it serves (never to the
// built output). The script listens on [Path] and:
//
//	event "reload"  reloads the page
//	event "css"     swaps the stylesheets in place, keeping the scroll position
//	event "error"   shows an overlay with the build error (data: JSON [Problem])
//	event "ok"      removes the overlay
//
// SSE rather than WebSockets: it is plain HTTP, needs no library on either
// side, reconnects by itself after the server restarts, and goes through any
// proxy that passes a long response.
package livereload

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// Path is where pages listen for events.
const Path = "/_lmcpress/events"

// Event is one message to the pages.
type Event struct {
	Type string // reload, css, error, ok
	Data string // for "error": a JSON Problem
}

// Problem is a build error as the overlay shows it.
type Problem struct {
	Summary string   `json:"summary"` // one line: what went wrong and where
	Errors  []Detail `json:"errors"`
}

// Detail is one error with the offending source lines.
type Detail struct {
	File    string   `json:"file"`
	Line    int      `json:"line"`
	Message string   `json:"message"`
	Source  []Source `json:"source,omitempty"`
}

// Source is a numbered line of the file, the bad one marked.
type Source struct {
	Number int    `json:"number"`
	Text   string `json:"text"`
	Bad    bool   `json:"bad,omitempty"`
}

// ErrorEvent makes the event that shows p.
func ErrorEvent(p Problem) Event {
	b, _ := json.Marshal(p)
	return Event{Type: "error", Data: string(b)}
}

// Broker fans events out to every connected page. The zero value is not
// usable; call New.
type Broker struct {
	mu      sync.Mutex
	clients map[chan Event]struct{}
	last    *Event // the current error, sent to pages that connect later
	// Heartbeat is how often an idle stream gets a comment line, so proxies
	// and browsers keep it open.
	Heartbeat time.Duration
}

// New makes a broker.
func New() *Broker {
	return &Broker{clients: map[chan Event]struct{}{}, Heartbeat: 20 * time.Second}
}

// Notify sends e to every page. An "error" event is remembered and sent to
// pages that connect later, until an "ok" or "reload" clears it.
func (b *Broker) Notify(e Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if e.Type == "error" {
		ev := e
		b.last = &ev
	} else {
		b.last = nil
	}
	for c := range b.clients {
		select {
		case c <- e:
		default: // a stuck client misses an event rather than stalling the rest
		}
	}
}

// Clients is the number of pages connected.
func (b *Broker) Clients() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.clients)
}

// ServeHTTP streams events until the page goes away.
func (b *Broker) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	c := make(chan Event, 8)
	b.mu.Lock()
	b.clients[c] = struct{}{}
	last := b.last
	b.mu.Unlock()
	defer func() {
		b.mu.Lock()
		delete(b.clients, c)
		b.mu.Unlock()
	}()
	fmt.Fprint(w, "retry: 500\n: connected\n\n")
	if last != nil {
		write(w, *last)
	}
	fl.Flush()
	tick := time.NewTicker(b.Heartbeat)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case e := <-c:
			write(w, e)
			fl.Flush()
		case <-tick.C:
			fmt.Fprint(w, ": ping\n\n")
			fl.Flush()
		}
	}
}

func write(w http.ResponseWriter, e Event) {
	fmt.Fprintf(w, "event: %s\n", e.Type)
	data := e.Data
	if data == "" {
		data = e.Type
	}
	// Data never holds a newline: JSON is written on one line.
	fmt.Fprintf(w, "data: %s\n\n", data)
}
