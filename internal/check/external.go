package check

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// checkExternal requests every external address, o.ExternalWorkers at once,
// and records what each answered.
func checkExternal(ctx context.Context, links []ExternalLink, o Options) error {
	workers := o.ExternalWorkers
	if workers <= 0 {
		workers = 4
	}
	timeout := o.ExternalTimeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	c := &http.Client{}
	if o.Client != nil {
		*c = *o.Client
	}
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	if c.Timeout == 0 || c.Timeout > timeout {
		c.Timeout = timeout
	}
	work := make(chan *ExternalLink)
	var wg sync.WaitGroup
	for range min(workers, len(links)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for l := range work {
				l.Checked = true
				l.Status, l.Location, l.Error = probe(ctx, c, l.URL, timeout)
			}
		}()
	}
	for i := range links {
		select {
		case work <- &links[i]:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
	}
	close(work)
	wg.Wait()
	return ctx.Err()
}

// probe asks for an address with HEAD and, when HEAD fails or is refused
// (some servers answer it with 403, 404 or 405), with GET.
func probe(ctx context.Context, c *http.Client, addr string, timeout time.Duration) (status int, location, errText string) {
	status, location, err := request(ctx, c, http.MethodHead, addr)
	if err != nil && isTimeout(err) {
		return 0, "", describe(err, timeout) // a GET would only wait as long again
	}
	if err != nil || status >= 400 {
		s2, l2, err2 := request(ctx, c, http.MethodGet, addr)
		if err2 == nil {
			return s2, l2, ""
		}
		if err == nil {
			return status, location, ""
		}
		err = err2
	}
	if err != nil {
		return 0, "", describe(err, timeout)
	}
	return status, location, ""
}

func request(ctx context.Context, c *http.Client, method, addr string) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, method, addr, nil)
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("User-Agent", "lmcpress-check/1 (link checker)")
	resp, err := c.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	loc := resp.Header.Get("Location")
	if loc != "" {
		if u, err := resp.Request.URL.Parse(loc); err == nil {
			loc = u.String()
		}
	}
	return resp.StatusCode, loc, nil
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout() || errors.Is(err, context.DeadlineExceeded)
}

// describe says in words why an address could not be reached.
func describe(err error, timeout time.Duration) string {
	var dns *net.DNSError
	switch {
	case errors.As(err, &dns):
		return "no such site (the name " + dns.Name + " does not resolve)"
	case isTimeout(err):
		return fmt.Sprintf("no answer within %s", timeout)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}

// externalFinding says what is wrong with a checked external link, if anything.
func externalFinding(l *ExternalLink, pos Position) (Finding, bool) {
	f := Finding{File: pos.File, Line: pos.Line, Column: pos.Column}
	switch {
	case l == nil || !l.Checked:
		return f, false
	case l.Error != "":
		f.Rule, f.Message = RuleExternalLink, fmt.Sprintf("link to %s: could not be reached: %s", l.URL, l.Error)
		f.Hint = "check the address; if the site is down, try again later"
	case l.Status >= 400:
		f.Rule, f.Message = RuleExternalLink, fmt.Sprintf("link to %s: the site answers %d %s", l.URL, l.Status, http.StatusText(l.Status))
		f.Hint = "find where the page went and link there, or remove the link"
	case l.Status == http.StatusMovedPermanently || l.Status == http.StatusPermanentRedirect:
		f.Rule, f.Message = RuleExternalRedirect, fmt.Sprintf("link to %s: moved permanently to %s", l.URL, l.Location)
		f.Hint = "link to " + l.Location + " instead"
	case l.Status >= 300 && l.Status < 400:
		f.Severity, f.Rule = Info, RuleExternalRedirect
		f.Message = fmt.Sprintf("link to %s: redirects (%d) to %s", l.URL, l.Status, l.Location)
	default:
		return f, false
	}
	if f.Severity == "" {
		f.Severity = SeverityOf(f.Rule)
	}
	return f, true
}
