package server

import (
	"errors"
	"net/http"

	"lmcpress/internal/subscriber"
)

// The signed links. Each GET shows a page with one button and changes
// nothing: mail security gateways (NHSmail's among them) open every link
// in an email before its reader does. The button POSTs to the same
// address, and that does the change.

// Words shown on the confirm and manage pages, recorded in the consent log
// with the change they led to.
const (
	confirmWording   = "Confirm your subscription: you will get the monthly newsletter by email until you unsubscribe."
	confirmVersion   = "confirm-1"
	leaveWording     = "Unsubscribe: you will get no more newsletters from us."
	leaveVersion     = "unsubscribe-1"
	oneClickWording  = "One-click unsubscribe (RFC 8058) from the email's List-Unsubscribe header."
	oneClickVersion  = "one-click-1"
	areasWording     = "Choose the areas you want news for; none means all."
	areasVersion     = "areas-1"
	oneClickBodyKey  = "List-Unsubscribe"
	oneClickBodyWant = "One-Click"
)

// claim verifies the link's token for p, or shows the page for a bad or
// expired one and returns false. Nothing is changed either way.
func (s *SignUp) claim(w http.ResponseWriter, r *http.Request, p subscriber.Purpose) (subscriber.Claim, bool) {
	c, err := s.c.Signer.Verify(p, r.PathValue("token"), s.c.Now())
	switch {
	case err == nil:
		return c, true
	case errors.Is(err, subscriber.ErrExpired):
		s.log.Info("expired link", "route", r.Pattern, "id", c.ID)
		s.page(w, r, http.StatusGone, view{Page: "expired", Title: "This link has expired"})
	default:
		s.log.Info("refused a link that is not ours", "route", r.Pattern, "remote", r.RemoteAddr)
		s.page(w, r, http.StatusBadRequest, view{Page: "bad-link", Title: "This link does not work"})
	}
	return c, false
}

// storeRefused shows the page for a store error on a signed link: used up,
// or the person is no longer on the list; anything else is a failure.
func (s *SignUp) storeRefused(w http.ResponseWriter, r *http.Request, stage string, err error) {
	switch {
	case errors.Is(err, subscriber.ErrStale):
		s.page(w, r, http.StatusConflict, view{Page: "stale", Title: "This link has already been used"})
	case errors.Is(err, subscriber.ErrNotFound):
		s.page(w, r, http.StatusNotFound, view{Page: "bad-link", Title: "This link does not work"})
	default:
		s.fail(w, r, stage, err)
	}
}

func (s *SignUp) confirmPage(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.claim(w, r, subscriber.PurposeConfirm); !ok {
		return
	}
	s.page(w, r, http.StatusOK, view{Page: "confirm", Title: "Confirm your subscription", Action: r.URL.Path, Wording: confirmWording})
}

func (s *SignUp) confirm(w http.ResponseWriter, r *http.Request) {
	c, ok := s.claim(w, r, subscriber.PurposeConfirm)
	if !ok || !s.parseForm(w, r) {
		return
	}
	ev := subscriber.Event{Kind: subscriber.ConfirmedKind, At: s.c.Now(), Source: subscriber.Web, Wording: confirmWording, Version: confirmVersion}
	if err := s.c.Store.Confirm(r.Context(), c.ID, c.Nonce, ev); err != nil {
		s.storeRefused(w, r, "confirm: store", err)
		return
	}
	s.page(w, r, http.StatusOK, view{Page: "confirmed", Title: "You are subscribed",
		Manage: s.link(subscriber.PurposeManage, c.ID), Unsubscribe: s.link(subscriber.PurposeUnsubscribe, c.ID)})
}

// link is the path of a never-expiring manage or unsubscribe link.
func (s *SignUp) link(p subscriber.Purpose, id int64) string {
	return "/" + p.String() + "/" + s.c.Signer.Sign(p, id, "", zeroTime)
}

func (s *SignUp) unsubscribePage(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.claim(w, r, subscriber.PurposeUnsubscribe); !ok {
		return
	}
	s.page(w, r, http.StatusOK, view{Page: "unsubscribe", Title: "Unsubscribe", Action: r.URL.Path, Wording: leaveWording})
}

// unsubscribe takes both the page's button and RFC 8058 one-click: a POST
// whose body is List-Unsubscribe=One-Click, sent by a mail provider with
// no cookie, no CSRF token and no Origin (or, from webmail in a browser,
// the webmail's), so one-click is not held to the same-origin check; the
// signed token is what authorises it. The page's button is.
func (s *SignUp) unsubscribe(w http.ResponseWriter, r *http.Request) {
	c, ok := s.claim(w, r, subscriber.PurposeUnsubscribe)
	if !ok || !s.parseForm(w, r) {
		return
	}
	oneClick := r.PostForm.Get(oneClickBodyKey) == oneClickBodyWant
	if !oneClick {
		if err := s.cop.Check(r); err != nil {
			s.log.Warn("refused a form posted from another site", "route", r.Pattern, "origin", r.Header.Get("Origin"))
			s.page(w, r, http.StatusForbidden, view{Page: "cross-site", Title: "This form was sent from another site"})
			return
		}
	}
	ev := subscriber.Event{Kind: subscriber.Left, At: s.c.Now(), Source: subscriber.Web, Wording: leaveWording, Version: leaveVersion}
	if oneClick {
		ev.Source, ev.Wording, ev.Version = subscriber.OneClick, oneClickWording, oneClickVersion
	}
	if err := s.c.Store.Unsubscribe(r.Context(), c.ID, ev); err != nil {
		s.storeRefused(w, r, "unsubscribe: store", err)
		return
	}
	s.page(w, r, http.StatusOK, view{Page: "unsubscribed", Title: "You have unsubscribed"})
}

func (s *SignUp) managePage(w http.ResponseWriter, r *http.Request) {
	c, ok := s.claim(w, r, subscriber.PurposeManage)
	if !ok {
		return
	}
	sub, err := s.c.Store.Get(r.Context(), c.ID)
	if err != nil {
		s.storeRefused(w, r, "manage: store", err)
		return
	}
	s.showManage(w, r, http.StatusOK, sub, c.ID, nil, false)
}

func (s *SignUp) showManage(w http.ResponseWriter, r *http.Request, status int, sub subscriber.Subscriber, id int64, problems []string, saved bool) {
	if sub.Status != subscriber.Confirmed {
		s.page(w, r, http.StatusOK, view{Page: "not-subscribed", Title: "You are not subscribed"})
		return
	}
	s.page(w, r, status, view{Page: "manage", Title: "Your newsletter subscription", Action: r.URL.Path, Wording: areasWording,
		Chosen: sub.Areas, Problems: problems, Saved: saved, Unsubscribe: s.link(subscriber.PurposeUnsubscribe, id)})
}

func (s *SignUp) manage(w http.ResponseWriter, r *http.Request) {
	c, ok := s.claim(w, r, subscriber.PurposeManage)
	if !ok || !s.parseForm(w, r) {
		return
	}
	sub, err := s.c.Store.Get(r.Context(), c.ID)
	if err != nil {
		s.storeRefused(w, r, "manage: store", err)
		return
	}
	if sub.Status != subscriber.Confirmed {
		s.showManage(w, r, http.StatusConflict, sub, c.ID, nil, false)
		return
	}
	areas, ok := s.areas(r.PostForm["areas"])
	if !ok {
		s.showManage(w, r, http.StatusUnprocessableEntity, sub, c.ID, []string{"Choose areas from the list."}, false)
		return
	}
	ev := subscriber.Event{Kind: subscriber.Changed, At: s.c.Now(), Source: subscriber.Web, Wording: areasWording, Version: areasVersion}
	if err := s.c.Store.SetAreas(r.Context(), c.ID, areas, ev); err != nil {
		s.storeRefused(w, r, "manage: store", err)
		return
	}
	sub.Areas = areas
	s.showManage(w, r, http.StatusOK, sub, c.ID, nil, true)
}
