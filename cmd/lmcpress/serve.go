package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

func runServe(ctx context.Context, e *env, args []string) error {
	var sf siteFlags
	fl := flags(e, "serve", "serve [--root DIR] [--addr 127.0.0.1:1313] [--drafts] [--future]")
	sf.register(fl)
	addr := fl.String("addr", "127.0.0.1:1313", "address to listen on (127.0.0.1 keeps the preview on this computer)")
	out := fl.String("out", "", "output folder (default ROOT/public)")
	if _, err := parse(fl, args); err != nil {
		return err
	}
	if *out == "" {
		*out = filepath.Join(sf.root, "public")
	}
	start := time.Now()
	res, err := buildSite(&sf, *out, start, progress(e))
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Built %d pages into %s in %s\n", res.Pages, *out, time.Since(start).Round(time.Millisecond))

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		if strings.Contains(err.Error(), "address already in use") {
			return fmt.Errorf("%s is already in use (another lmcpress serve?): stop it, or choose another port with --addr 127.0.0.1:1314", *addr)
		}
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	fmt.Fprintf(e.stdout, "Serving the site at http://%s/ (press Ctrl+C to stop)\n", ln.Addr())
	srv := &http.Server{Handler: staticHandler(*out), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shut)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// staticHandler serves a built site, answering unknown addresses with its
// 404 page and a 404 status.
func staticHandler(dir string) http.Handler {
	files := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := filepath.Join(dir, filepath.FromSlash(filepath.Clean("/"+r.URL.Path)))
		if st, err := os.Stat(p); err != nil || (st.IsDir() && !exists(filepath.Join(p, "index.html"))) {
			body, err := os.ReadFile(filepath.Join(dir, "404.html"))
			if err != nil {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write(body)
			slog.Debug("not found", "path", r.URL.Path)
			return
		}
		files.ServeHTTP(w, r)
	})
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }
