package sqlite

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
)

// hasher makes the suppression hash of an address: HMAC-SHA256 under a key
// derived from LMCPRESS_SECRET. Keyed, so that someone holding a copy of
// the database cannot test guessed addresses against the hashes of people
// who were erased.
type hasher struct{ key []byte }

func (h *hasher) hash(email string) string {
	m := hmac.New(sha256.New, h.key)
	m.Write([]byte(email))
	return hex.EncodeToString(m.Sum(nil))
}

// MinSecret is the shortest secret SetSecret accepts, as for the signed
// links.
const MinSecret = 32

// keyCheck is the setting that holds a fingerprint of the suppression key,
// so that a changed LMCPRESS_SECRET is noticed: with another key no hash
// would match and every erased address could be imported again.
const keyCheck = "suppression_key_check"

// SetSecret gives the store the secret (LMCPRESS_SECRET) its suppression
// hashes are keyed with. The suppression key is derived from it, so the
// hashes and the signed links never share a key. The first secret given to
// a database is remembered by a fingerprint; another is refused.
func (s *Store) SetSecret(ctx context.Context, secret []byte) error {
	if len(secret) < MinSecret {
		return fmt.Errorf("sqlite: the secret is %d bytes; it needs at least %d", len(secret), MinSecret)
	}
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("lmcpress suppression hash v1"))
	h := &hasher{key: m.Sum(nil)}
	check := h.hash("\x00lmcpress suppression key check")
	err := s.writeTx(ctx, func(tx *txn) error {
		var held string
		err := tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE name = ?`, keyCheck).Scan(&held)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			_, err = tx.ExecContext(ctx, `INSERT INTO settings (name, value) VALUES (?, ?)`, keyCheck, check)
			return err
		case err != nil:
			return err
		case !hmac.Equal([]byte(held), []byte(check)):
			return fmt.Errorf("sqlite: %s: LMCPRESS_SECRET is not the secret this database's suppression list was made with; set the original one, or no erased or bounced address would be recognised", s.path)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: secret: %w", err)
	}
	s.hasher = h
	return nil
}
