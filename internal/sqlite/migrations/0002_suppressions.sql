-- Addresses that must never be added again without the person's own new
-- sign-up, kept as a keyed hash only (Store.SetSecret); the confirmation
-- emails sent, for the daily cap; the consent wordings by version, so
-- that each text is held once and a version cannot silently change its
-- words; and store-wide settings.

CREATE TABLE suppressions (
	hash   TEXT PRIMARY KEY,
	reason TEXT NOT NULL,
	at     TEXT NOT NULL,
	source TEXT NOT NULL DEFAULT '',
	detail TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;

CREATE TABLE confirmation_emails (
	subscriber INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
	at         TEXT NOT NULL
);
CREATE INDEX confirmation_emails_by_subscriber ON confirmation_emails (subscriber, at);

CREATE TABLE wordings (
	version TEXT PRIMARY KEY,
	wording TEXT NOT NULL
) WITHOUT ROWID;

-- The wordings the log already holds, each under the version it was given.
INSERT OR IGNORE INTO wordings (version, wording)
	SELECT version, wording FROM events WHERE version <> '' AND wording <> '' GROUP BY version;

CREATE TABLE settings (
	name  TEXT PRIMARY KEY,
	value TEXT NOT NULL
) WITHOUT ROWID;
