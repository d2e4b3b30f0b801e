-- The send journal: one row per issue and subscriber, written as each
-- message is handed to the SMTP server (in-flight) and again when the
-- server has answered (sent, failed-temporary, failed-permanent with its
-- reply), so that a send killed at any moment and run again mails
-- nobody twice but the few that were in flight. Erasing a person removes
-- their rows with them (a reply may quote the address).

CREATE TABLE sends (
	issue      TEXT NOT NULL,
	subscriber INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
	state      TEXT NOT NULL CHECK (state IN ('in-flight', 'sent', 'failed-temporary', 'failed-permanent')),
	reply      TEXT NOT NULL DEFAULT '',
	attempts   INTEGER NOT NULL DEFAULT 0,
	at         TEXT NOT NULL,
	PRIMARY KEY (issue, subscriber)
) WITHOUT ROWID;

-- A subscriber's sends newest first: two refusals in a row suppress.
CREATE INDEX sends_by_subscriber ON sends (subscriber, at);
