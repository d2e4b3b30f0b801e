package main

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"lmcpress/internal/cache"
	"lmcpress/internal/check"
)

// The build cache (internal/cache) keeps each page's converted Markdown and
// search record, and the findings in each office document, between builds, in one file beside the output folder:
// ".public.cache" for public/, as the build before last is kept in
// ".public.previous". LMCPRESS_CACHE=off goes without; LMCPRESS_CACHE=FILE
// puts it elsewhere. The file carries the hash of the lmcpress binary, so a
// new build of lmcpress starts it afresh.

// cachePath is where the cache of a build into out lives, or "" for none.
func cachePath(getenv func(string) string, out string) string {
	switch v := getenv("LMCPRESS_CACHE"); v {
	case "off":
		return ""
	case "":
		out = filepath.Clean(out)
		return filepath.Join(filepath.Dir(out), "."+filepath.Base(out)+".cache")
	default:
		return v
	}
}

// binaryHash is the SHA-256 of the running lmcpress, worked out once: the
// cache's version, so that results of other code are never read.
var binaryHash = sync.OnceValues(func() ([]byte, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	f, err := os.Open(exe)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
})

// openCache opens the cache of a build into out, or returns nil when there
// is none. A cache that cannot be opened is reported on stderr and the
// build goes on without one: it only ever saves time.
func openCache(e *env, out string) *cache.File {
	p := cachePath(e.getenv, out)
	if p == "" {
		return nil
	}
	version, err := binaryHash()
	if err == nil {
		var c *cache.File
		if c, err = cache.Open(p, version); err == nil {
			return c
		}
	}
	fmt.Fprintf(e.stderr, "lmcpress: building without the cache (%v); LMCPRESS_CACHE=off says so\n", err)
	return nil
}

// closeCache puts the cache back for the next build; a failure only costs
// that build time, so it is reported and nothing more.
func closeCache(e *env, c *cache.File) {
	if c == nil {
		return
	}
	if err := c.Close(); err != nil {
		fmt.Fprintf(e.stderr, "lmcpress: %v\n", err)
	}
}

// cachedVetFile is vet (check.VetFile) with the build cache for office
// documents and archives, whose text takes milliseconds a file to read
// (a two-page Word letter about 3 ms of CPU; 200 of them 0.7 s a build).
// Their findings are kept under the hash of the file's name and bytes, so
// a build whose documents did not change reads none of them; the cache's
// version is the binary's, so a new lmcpress, with other rules, reads
// them all again. Anything else is vetted as it is.
func cachedVetFile(c *cache.File, vet func(string, func() ([]byte, error)) []error) func(string, func() ([]byte, error)) []error {
	return func(name string, read func() ([]byte, error)) []error {
		if !check.IsDocument(name) {
			return vet(name, read)
		}
		data, err := read()
		if err != nil {
			return vet(name, read) // which reports it as it does without the cache
		}
		h := sha256.New()
		fmt.Fprintf(h, "vetfile\x00%s\x00", name)
		h.Write(data)
		var k cache.Key
		h.Sum(k[:0])
		if b, ok := c.Get(k); ok {
			var fs []check.Finding
			if json.Unmarshal(b, &fs) == nil {
				errs := make([]error, len(fs))
				for i, f := range fs {
					errs[i] = f
				}
				return errs
			}
		}
		errs := vet(name, func() ([]byte, error) { return data, nil })
		fs := make([]check.Finding, 0, len(errs))
		for _, e := range errs {
			f, ok := e.(check.Finding)
			if !ok {
				return errs // not ours to keep
			}
			fs = append(fs, f)
		}
		if b, err := json.Marshal(fs); err == nil {
			c.Put(k, b)
		}
		return errs
	}
}
