// Package subscriber holds what lmcpress knows about a person on the
// newsletter list, and the rules every store of it keeps: what a valid
// address, ODS code and role are, the statuses a subscriber moves through,
// and the consent log that says, for each change, what happened, when, how
// and the exact words the person was shown.
//
// The package has no storage of its own and imports only the standard
// library: the SQLite store (package sqlite) and the handlers and commands
// that use a store (packages server and newsletter, cmd/lmcpress) share
// these types, and each consumer declares the interface it needs.
//
// # Statuses
//
//	pending       signed up on the web form, confirmation email sent
//	confirmed     confirmed the link, or imported from a list with consent
//	unsubscribed  left (or was removed by staff); kept so that nobody who
//	              left is re-added by an import
//
// An erased person has no row at all: only a keyed one-way hash of the
// address remains, as a suppression entry ([Suppression]).
package subscriber

import (
	"errors"
	"time"
)

// Status is where a subscriber stands.
type Status string

const (
	Pending      Status = "pending"
	Confirmed    Status = "confirmed"
	Unsubscribed Status = "unsubscribed"
)

// Role is what the person does; the sign-up form and the CSV use these
// words.
type Role string

const (
	NoRole          Role = ""
	Partner         Role = "partner"
	SalariedGP      Role = "salaried-gp"
	LocumGP         Role = "locum-gp"
	PracticeManager Role = "practice-manager"
	OtherRole       Role = "other"
)

// Source is how a change was made.
type Source string

const (
	Web         Source = "web"    // the site's forms and signed links
	Import      Source = "import" // lmcpress subscribers import
	CommandLine Source = "cli"    // the other lmcpress subscribers commands
	OneClick    Source = "one-click"
)

// Kind is what happened in a consent event.
type Kind string

const (
	SignedUp      Kind = "signed-up"
	ConfirmedKind Kind = "confirmed"
	Left          Kind = "unsubscribed"
	Imported      Kind = "imported"
	Changed       Kind = "changed"
	Erased        Kind = "erased"
)

// Subscriber is one person on the list.
type Subscriber struct {
	ID       int64
	Email    string // normalised (NormalizeEmail)
	Name     string
	Role     Role
	Practice string
	ODS      string // e.g. F84001; "" if not given
	Areas    []string
	Status   Status
	Created  time.Time
	Updated  time.Time
	Events   []Event // the consent log, oldest first, where the store loaded it
}

// Event is one entry of the consent log. Wording is the exact text the
// person was shown (the form's consent statement, the confirmation page),
// Version names that text so a later change of wording is visible; Detail
// says anything else a data-protection officer would ask, such as the file
// an import came from and the date and source of the original consent.
type Event struct {
	Kind    Kind
	At      time.Time
	Source  Source
	Wording string
	Version string
	Detail  string
}

// Suppression is an address that must never be added again: someone who
// unsubscribed, an address a previous service marked "cleaned", or an
// erased person, of whom only Hash (a keyed one-way hash of the
// normalised address) is kept.
type Suppression struct {
	Hash   string
	Reason Kind
	At     time.Time
}

// Sentinel errors every store returns, wrapped, so that callers can use
// errors.Is without knowing the store.
var (
	ErrNotFound   = errors.New("no such subscriber")
	ErrSuppressed = errors.New("address is suppressed: it unsubscribed, bounced or was erased")
	ErrInvalid    = errors.New("invalid subscriber data")
	ErrStale      = errors.New("link already used or no longer valid")
)

// SignUpResult is what a store says of a web sign-up: the subscriber's id
// and, when a confirmation email should go out (Send), the nonce to sign
// into its link. Send is false for an address already confirmed and for
// one that has had its day's share of confirmation emails.
type SignUpResult struct {
	ID    int64
	Nonce string
	Send  bool
}
