package subscriber

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"time"
)

// Purpose is what a signed link may do. It is inside the MAC, so a confirm
// link cannot be turned into an unsubscribe or manage link by editing it.
type Purpose byte

const (
	PurposeConfirm     Purpose = 'c'
	PurposeUnsubscribe Purpose = 'u'
	PurposeManage      Purpose = 'm'
)

func (p Purpose) String() string {
	switch p {
	case PurposeConfirm:
		return "confirm"
	case PurposeUnsubscribe:
		return "unsubscribe"
	case PurposeManage:
		return "manage"
	}
	return fmt.Sprintf("purpose(%d)", byte(p))
}

// MinSecret is the shortest secret NewSigner accepts: 32 bytes, the size of
// the HMAC-SHA256 key, so that guessing it is no easier than forging a MAC.
const MinSecret = 32

// Errors of Verify. Both mean "change nothing"; the server shows a
// friendlier page for an expired link, which a person can ask again for.
var (
	ErrBadToken = errors.New("the link is not valid: it was altered, cut short or not made by this site")
	ErrExpired  = errors.New("the link has expired")
)

// Claim is what a valid token says.
type Claim struct {
	Purpose Purpose
	ID      int64
	Nonce   string
	Expires time.Time // zero: never
}

// Signer makes and checks the signed tokens in the links lmcpress emails:
// confirm (expires), unsubscribe and manage (never expire: a link in an
// old newsletter must keep working for years).
//
// A token is base64url (no padding) of
//
//	version(1) purpose(1) id(8) expires-unix(8) nonce(rest)
//
// followed by "." and the base64url HMAC-SHA256 of those bytes, under a
// key derived from the secret for tokens only, so the same LMCPRESS_SECRET
// may key other things without a token's MAC being usable there.
type Signer struct {
	key []byte
}

const tokenVersion = 1

// maxNonce bounds what Verify decodes, so a long forged token costs little.
const maxNonce = 128

// NewSigner makes a Signer from the secret (LMCPRESS_SECRET); it refuses
// one shorter than MinSecret bytes.
func NewSigner(secret []byte) (*Signer, error) {
	if len(secret) < MinSecret {
		return nil, fmt.Errorf("the secret is %d bytes; at least %d are needed (make one with: openssl rand -base64 48)", len(secret), MinSecret)
	}
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("lmcpress signed links v1"))
	return &Signer{key: m.Sum(nil)}, nil
}

// Sign makes a token for p, the subscriber id and nonce, valid until
// expires (the zero time: for ever). A nonce longer than 128 bytes is a
// programming error, and panics.
func (s *Signer) Sign(p Purpose, id int64, nonce string, expires time.Time) string {
	if len(nonce) > maxNonce {
		panic("subscriber: Sign: nonce longer than 128 bytes")
	}
	var exp int64
	if !expires.IsZero() {
		exp = expires.Unix()
	}
	payload := make([]byte, 0, 18+len(nonce))
	payload = append(payload, tokenVersion, byte(p))
	payload = binary.BigEndian.AppendUint64(payload, uint64(id))
	payload = binary.BigEndian.AppendUint64(payload, uint64(exp))
	payload = append(payload, nonce...)
	enc := base64.RawURLEncoding
	return enc.EncodeToString(payload) + "." + enc.EncodeToString(s.mac(payload))
}

func (s *Signer) mac(payload []byte) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write(payload)
	return m.Sum(nil)
}

// Verify checks a token made for purpose p: ErrBadToken if it was not made
// by this secret for p (or is malformed), ErrExpired if it was but its
// time has passed at now.
func (s *Signer) Verify(p Purpose, token string, now time.Time) (Claim, error) {
	// Strict: a last character whose unused bits differ is another token,
	// not another spelling of this one.
	enc := base64.RawURLEncoding.Strict()
	if len(token) > enc.EncodedLen(18+maxNonce)+1+enc.EncodedLen(sha256.Size) {
		return Claim{}, ErrBadToken
	}
	i := -1
	for j := 0; j < len(token); j++ {
		switch c := token[j]; {
		case c == '.' && i < 0:
			i = j
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-', c == '_':
		default:
			// base64's decoder skips line breaks: a token with one
			// would be a second spelling of the same link.
			return Claim{}, ErrBadToken
		}
	}
	if i < 0 {
		return Claim{}, ErrBadToken
	}
	payload, err1 := enc.DecodeString(token[:i])
	sum, err2 := enc.DecodeString(token[i+1:])
	if err1 != nil || err2 != nil || len(payload) < 18 {
		return Claim{}, ErrBadToken
	}
	if !hmac.Equal(sum, s.mac(payload)) {
		return Claim{}, ErrBadToken
	}
	// The MAC is good: these bytes are ours, so what follows only reads
	// what Sign wrote.
	if payload[0] != tokenVersion || Purpose(payload[1]) != p {
		return Claim{}, ErrBadToken
	}
	c := Claim{
		Purpose: p,
		ID:      int64(binary.BigEndian.Uint64(payload[2:10])),
		Nonce:   string(payload[18:]),
	}
	if exp := int64(binary.BigEndian.Uint64(payload[10:18])); exp != 0 {
		c.Expires = time.Unix(exp, 0).UTC()
		if !now.Before(c.Expires) {
			return c, ErrExpired
		}
	}
	return c, nil
}
