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
//	event "warnings" shows the content check's findings in a small panel in
//	                a bottom corner (data: JSON [Warnings]); count 0 removes it
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
	Type string // reload, css, error, ok, warnings
	Data string // for "error": a JSON Problem; for "warnings": JSON Warnings
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
	Column  int      `json:"column,omitempty"` // 1-based; 0 when unknown
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

// MaxWarnings is how many findings a "warnings" event lists; the rest are
// counted in Warnings.More.
const MaxWarnings = 50

// Warnings is what the content check found in the site as it stands, as the
// warnings panel shows it:
//
//	{"count": 3, "errors": 0, "more": 0,
//	 "findings": [{"file": "content/news/a.md", "line": 5, "column": 1,
//	               "severity": "warning", "rule": "heading-level",
//	               "message": "...", "hint": "..."}]}
type Warnings struct {
	Count    int       `json:"count"`  // findings in all; 0 removes the panel
	Errors   int       `json:"errors"` // how many of them are errors (lmcpress check fails on them)
	Findings []Warning `json:"findings"`
	More     int       `json:"more"` // findings not listed (beyond MaxWarnings)
}

// Warning is one finding of the content check.
type Warning struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Severity string `json:"severity"` // error, warning or info
	Rule     string `json:"rule"`
	Message  string `json:"message"`
	Hint     string `json:"hint"`
}

// WarningsEvent makes the event that shows w, listing at most MaxWarnings
// findings and counting the rest in More.
func WarningsEvent(w Warnings) Event {
	if len(w.Findings) > MaxWarnings {
		w.Findings = w.Findings[:MaxWarnings]
	}
	if w.Findings == nil {
		w.Findings = []Warning{}
	}
	w.Count = max(w.Count, len(w.Findings))
	w.More = w.Count - len(w.Findings)
	b, _ := json.Marshal(w)
	return Event{Type: "warnings", Data: string(b)}
}

// Broker fans events out to every connected page. The zero value is not
// usable; call New.
type Broker struct {
	mu      sync.Mutex
	clients map[chan Event]struct{}
	last    *Event // the current error, sent to pages that connect later
	// warnings is the last "warnings" event, sent to pages that connect
	// later (after the error): a reload does not clear it, since the
	// reloaded page needs it again.
	warnings *Event
	// Heartbeat is how often an idle stream gets a comment line, so proxies
	// and browsers keep it open, and a page that has gone is noticed.
	Heartbeat time.Duration
	// WriteWait is how long one write to a page may take. The stream has
	// no deadline as a whole (it lasts as long as the page), so each write
	// gets its own: a page that stops reading is dropped, not kept forever.
	WriteWait time.Duration
}

// New makes a broker.
func New() *Broker {
	return &Broker{clients: map[chan Event]struct{}{}, Heartbeat: 20 * time.Second, WriteWait: 10 * time.Second}
}

// Notify sends e to every page. An "error" event is remembered and sent to
// pages that connect later, until any other event but "warnings" clears it.
// The last "warnings" event is remembered too, separately, until the next
// one replaces it.
func (b *Broker) Notify(e Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	ev := e
	switch e.Type {
	case "error":
		b.last = &ev
	case "warnings":
		b.warnings = &ev
	default:
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
	if _, ok := w.(http.Flusher); !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	rc := http.NewResponseController(w)
	// send writes with a deadline, then flushes; false: the page is gone
	// or stuck. (A writer without deadlines, as in tests, has none.)
	send := func(write func()) bool {
		_ = rc.SetWriteDeadline(time.Now().Add(b.WriteWait))
		write()
		return rc.Flush() == nil
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	c := make(chan Event, 8)
	b.mu.Lock()
	b.clients[c] = struct{}{}
	last, warnings := b.last, b.warnings
	b.mu.Unlock()
	defer func() {
		b.mu.Lock()
		delete(b.clients, c)
		b.mu.Unlock()
	}()
	if !send(func() {
		fmt.Fprint(w, "retry: 500\n: connected\n\n")
		if last != nil {
			write(w, *last)
		}
		if warnings != nil {
			write(w, *warnings)
		}
	}) {
		return
	}
	tick := time.NewTicker(b.Heartbeat)
	defer tick.Stop()
	for {
		ok := true
		select {
		case <-r.Context().Done():
			return
		case e := <-c:
			ok = send(func() { write(w, e) })
		case <-tick.C:
			ok = send(func() { fmt.Fprint(w, ": ping\n\n") })
		}
		if !ok {
			return
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
