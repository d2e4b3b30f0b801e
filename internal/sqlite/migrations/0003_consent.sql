-- When and where each person's consent came from (the sign-up form, or a
-- previous service's opt-in carried over by an import), so that an export
-- carries it and an import keeps it; and one row per address whatever
-- the case of its local part (Pat@ and pat@ are one person).

ALTER TABLE subscribers ADD COLUMN consent_at TEXT NOT NULL DEFAULT '';
ALTER TABLE subscribers ADD COLUMN consent_source TEXT NOT NULL DEFAULT '';

UPDATE subscribers SET
	consent_at = (SELECT max(at) FROM events WHERE subscriber = subscribers.id AND kind = 'confirmed'),
	consent_source = 'web'
WHERE status = 'confirmed' AND EXISTS (SELECT 1 FROM events WHERE subscriber = subscribers.id AND kind = 'confirmed');

CREATE UNIQUE INDEX subscribers_email_nocase ON subscribers (email COLLATE NOCASE);
