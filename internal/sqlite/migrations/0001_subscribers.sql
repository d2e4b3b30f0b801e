-- The list: one row per address, its areas, and the consent log.
-- Times are UTC text of one fixed width (sqlite.go, timeFormat), so that
-- comparing them as text compares them as times.

CREATE TABLE subscribers (
	id        INTEGER PRIMARY KEY,
	email     TEXT NOT NULL UNIQUE,
	name      TEXT NOT NULL DEFAULT '',
	role      TEXT NOT NULL DEFAULT '',
	practice  TEXT NOT NULL DEFAULT '',
	ods       TEXT NOT NULL DEFAULT '',
	status    TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'unsubscribed')),
	-- nonce is the one the current confirmation link carries; confirmed_nonce
	-- the one that confirmed, so that a second press of the same link is
	-- not an error.
	nonce           TEXT NOT NULL DEFAULT '',
	confirmed_nonce TEXT NOT NULL DEFAULT '',
	created   TEXT NOT NULL,
	updated   TEXT NOT NULL
);

CREATE TABLE subscriber_areas (
	subscriber INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
	area       TEXT NOT NULL,
	PRIMARY KEY (subscriber, area)
) WITHOUT ROWID;

CREATE TABLE events (
	id         INTEGER PRIMARY KEY,
	subscriber INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
	kind       TEXT NOT NULL,
	at         TEXT NOT NULL,
	source     TEXT NOT NULL,
	wording    TEXT NOT NULL DEFAULT '',
	version    TEXT NOT NULL DEFAULT '',
	detail     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX events_by_subscriber ON events (subscriber, id);
