package subscriber

import "time"

// This file holds the send journal's types, shared by the store that keeps
// the journal (package sqlite) and the sender that writes it (package
// newsletter): one row per (issue, subscriber), so that a send killed
// halfway and run again mails nobody twice.

// SendState is where one issue's message to one subscriber stands.
type SendState string

const (
	// InFlight: claimed for sending and handed to the SMTP server, with
	// no outcome recorded yet. A row still in flight when a send starts
	// belongs to a send that was killed: its message may have been
	// accepted, or not.
	InFlight SendState = "in-flight"
	// Sent: the server replied 250 to the end of DATA.
	Sent SendState = "sent"
	// FailedTemporary: the server kept deferring it (4xx), or the send
	// stopped first; the next send of the issue tries it again.
	FailedTemporary SendState = "failed-temporary"
	// FailedPermanent: the server refused it for good (5xx); the issue is
	// not tried again for this subscriber.
	FailedPermanent SendState = "failed-permanent"
)

// Final reports whether a message in state s is done with: sent, or
// refused for good.
func (s SendState) Final() bool { return s == Sent || s == FailedPermanent }

// Bounced is the consent-log kind, and the suppression reason, of an
// address the mail servers refused for good on two sends in a row: the
// mailbox is gone, and mailing it again would harm the list's reputation.
const Bounced Kind = "bounced"

// Sending is the source of a change the sender made (a suppression after
// bounces).
const Sending Source = "send"

// Delivery is one row of the send journal.
type Delivery struct {
	Issue      string // "2016-12", or "2016-12-northfield" for an area's edition
	Subscriber int64
	Email      string // the address now held, "" if the subscriber was erased
	State      SendState
	Reply      string // the server's last reply, e.g. "550 5.1.1 no such user"
	Attempts   int
	At         time.Time
}

// SendCounts counts an issue's journal rows by state.
type SendCounts struct {
	Sent, InFlight, FailedTemporary, FailedPermanent int
}

// SendClaim asks for Issue's message to Subscriber (in Area, unless "")
// to be marked in flight at At, if the person is still to get it.
type SendClaim struct {
	Issue      string
	Subscriber int64
	Area       string
	At         time.Time
}

// TurnResult is what the journal did in a connection's turn: whether the
// delivery recorded made the address suppressed, and whether the next
// message was claimed, for the person as now held.
type TurnResult struct {
	Suppressed bool
	Claimed    bool
	Held       Subscriber
}
