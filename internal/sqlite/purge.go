package sqlite

import (
	"context"
	"fmt"
	"time"
)

// PendingKept is how long an unconfirmed sign-up is kept: the confirmation
// link lives seven days, and a few more let a person who finds the email
// late ask for a new one and still see the cap of the day counted.
const PendingKept = 30 * 24 * time.Hour

// PurgePending deletes the sign-ups that were never confirmed and were
// last made before before, with their consent log and confirmation
// emails, and reports how many went. The form lets anyone type anyone's
// address: keeping an address nobody confirmed is keeping personal data
// with no consent behind it, so it goes once its link has long expired.
//
// Only people whose whole history is web sign-ups go. Someone who once
// confirmed or was imported, left, and signed up again without confirming
// keeps their row (pending, so never mailed) and the record of their
// earlier consent and of their leaving.
func (s *Store) PurgePending(ctx context.Context, before time.Time) (int, error) {
	var n int64
	err := s.writeTx(ctx, func(tx *txn) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM subscribers WHERE status = 'pending' AND updated < ?
			AND NOT EXISTS (SELECT 1 FROM events WHERE events.subscriber = subscribers.id AND events.kind <> 'signed-up')`,
			formatTime(before))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("sqlite: purge unconfirmed sign-ups in %s: %w", s.path, err)
	}
	return int(n), nil
}
