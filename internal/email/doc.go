// Package email turns a Message into the bytes of an email and hands them to
// an SMTP server. It is the only importer of github.com/wneessen/go-mail, so
// that library's defaults and quirks are met here and nowhere else, and of
// github.com/emersion/go-msgauth, whose dkim.Verify checks, in its tests,
// every signature the package makes.
//
// The contract:
//
//   - Message is a plain value: the newsletter package builds it without
//     importing go-mail. It carries From, an optional Reply-To, the
//     recipients, the Subject, a Date and a Message-ID (both required: go-mail
//     would otherwise read the clock and use the machine's host name, which
//     is meaningless in a container), extra headers such as List-Id and
//     List-Unsubscribe, and a plain-text and an HTML body.
//   - WriteEML writes a Message as an RFC 5322 message: multipart/alternative,
//     the text part first and the HTML part last (a client shows the last part
//     it can), both UTF-8 and quoted-printable. The output depends only on the
//     Message: the MIME boundary is derived from the bodies, no User-Agent is
//     added, and headers are written in a fixed order, so a golden file of a
//     Message with a fixed Date and Message-ID stays byte-identical.
//   - ParseURL reads the SMTP server from LMCPRESS_SMTP_URL: smtp://host:587
//     requires STARTTLS, smtps://host:465 is TLS from the first byte, and an
//     smtp:// server on a loopback address (127.0.0.0/8, ::1, localhost) may
//     be used without TLS (Mailpit in the tests, a local relay). Every error
//     is one line that names LMCPRESS_SMTP_URL, and no error or String ever
//     shows the password.
//   - Dial opens one connection (with a timeout on the dial and on every
//     command); Client.Send sends a Message over it, and may be called many
//     times before Close, so a send of many messages pays for one handshake.
//     A Client is not safe for concurrent use: use one per connection.
//   - DKIM signs the bytes WriteEML wrote (WriteSigned), with go-msgauth,
//     relaxed/relaxed, covering From, To, Subject, Date, Message-ID and the
//     List-* headers, each name oversigned. The key comes from
//     LMCPRESS_DKIM_KEY (ParseDKIMKey: PEM, RSA or Ed25519); the selector and
//     domain from site.yaml's newsletter.dkim.
//   - MessageID and ListHeaders make the headers a bulk sender must carry:
//     a Message-ID fixed by (issue, subscriber), List-Id, and one-click
//     List-Unsubscribe (RFC 8058).
//   - Pool.SendSteps sends many messages over a few connections, each
//     reused. It makes and signs each message a little ahead, on as many
//     goroutines as there are CPUs, so a connection never waits for an RSA
//     signature, with at most one message per connection waiting ready so
//     memory stays flat; it keeps to a rate, retries 4xx replies and lost
//     connections with backoff, reports 5xx replies per message, and stops
//     itself after too many failures in a row. Between two messages each
//     connection calls the caller's Step with the last result and the next
//     message, one call at a time, and sends that message only if the Step
//     says so: a caller that records the result and claims the next there
//     (one journal transaction) has at most one message per connection
//     claimed and unrecorded at any moment. Pool.Send is the same with a
//     Step that only reports.
package email
