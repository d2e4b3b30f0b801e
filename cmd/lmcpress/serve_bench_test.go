package main

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// corpus generates (once) an n-page site from ../shared/bench/gencorpus.
func corpus(b *testing.B, n int) string {
	b.Helper()
	gen := "../../../shared/bench/gencorpus"
	if _, err := os.Stat(gen); err != nil {
		b.Skip("../shared/bench/gencorpus not found beside the repository")
	}
	root := filepath.Join(os.TempDir(), fmt.Sprintf("lmcpress-serve-bench-%d", n))
	if _, err := os.Stat(filepath.Join(root, "content", "site.yaml")); err == nil {
		return root
	}
	_ = os.RemoveAll(root)
	cmd := exec.Command("go", "run", ".", "-n", strconv.Itoa(n), "-out", root, "-seed", "1")
	cmd.Dir = gen
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("gencorpus: %v\n%s", err, out)
	}
	contact, err := os.ReadFile("../../../shared/bench/hugo-site/content/contact.md")
	if err != nil {
		b.Fatal(err)
	}
	writeFile(b, filepath.Join(root, "content/contact.md"), string(contact))
	writeFile(b, filepath.Join(root, "content/site.yaml"), "title: Example Local Medical Committee\nbaseURL: https://lmc.example.org/\n")
	return root
}

// rssKB reads this process's resident memory.
func rssKB() int {
	data, _ := os.ReadFile("/proc/self/status")
	for _, l := range strings.Split(string(data), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmRSS:" {
			n, _ := strconv.Atoi(f[1])
			return n
		}
	}
	return 0
}

// BenchmarkServeEdit measures, on a running preview, the time from saving a
// news item to the reload event and to its new text being served. Run:
//
//	go test -run '^$' -bench ServeEdit -benchtime 200x ./cmd/lmcpress
func BenchmarkServeEdit(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			root := corpus(b, n)
			entries, _ := os.ReadDir(filepath.Join(root, "content/news"))
			var file string
			for _, e := range entries {
				if strings.HasSuffix(e.Name(), ".md") && e.Name() != "_index.md" {
					file = filepath.Join(root, "content/news", e.Name())
					break
				}
			}
			orig, err := os.ReadFile(file)
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { _ = os.WriteFile(file, orig, 0o644) })
			if strings.Contains(string(orig), "draft: true") {
				b.Skip("first news item is a draft")
			}
			url := "news/" + strings.TrimSuffix(filepath.Base(file), ".md") + "/"
			base, _ := startServe(b, root)
			ev := openEvents(b, base)
			var ms runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&ms)
			heapBefore := ms.HeapAlloc
			before := rssKB()
			var toEvent, toServed time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				marker := fmt.Sprintf("Edit number %d.", i)
				start := time.Now()
				if err := os.WriteFile(file, append(append([]byte(nil), orig...), "\n\n"+marker+"\n"...), 0o644); err != nil {
					b.Fatal(err)
				}
				ev.wait(b, "reload")
				toEvent += time.Since(start)
				for {
					_, body := fetch(b, base+url)
					if strings.Contains(body, marker) {
						break
					}
					if time.Since(start) > 10*time.Second {
						b.Fatalf("edit %d never served", i)
					}
				}
				toServed += time.Since(start)
			}
			b.StopTimer()
			runtime.GC()
			runtime.ReadMemStats(&ms)
			heapAfter := ms.HeapAlloc
			after := rssKB()
			b.ReportMetric(float64(toEvent.Microseconds())/float64(b.N)/1000, "ms-to-reload")
			b.ReportMetric(float64(toServed.Microseconds())/float64(b.N)/1000, "ms-to-served")
			b.ReportMetric(float64(before)/1024, "MiB-RSS-before")
			b.ReportMetric(float64(after)/1024, "MiB-RSS-after")
			// RSS keeps the high-water mark of the background checks; the live
			// heap after a collection is what would show a leak.
			b.ReportMetric(float64(heapBefore)/(1<<20), "MiB-heap-before")
			b.ReportMetric(float64(heapAfter)/(1<<20), "MiB-heap-after")
		})
	}
}

// BenchmarkHugoServeEdit is the same measurement against "hugo server" on
// the same corpus with ../shared/bench/hugo-site's layouts, for comparison:
// the time from saving a news item to its new text being served. Needs hugo
// on PATH (Debian: apt-get install hugo). Run:
//
//	go test -run '^$' -bench HugoServeEdit -benchtime 20x ./cmd/lmcpress
//
// hugo server renders to memory by default (0.111).
func BenchmarkHugoServeEdit(b *testing.B) {
	hugo, err := exec.LookPath("hugo")
	if err != nil {
		b.Skip("hugo not on PATH")
	}
	for _, n := range []int{1000, 10000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			src := corpus(b, n)
			root := filepath.Join(os.TempDir(), fmt.Sprintf("lmcpress-hugo-serve-bench-%d", n))
			if _, err := os.Stat(filepath.Join(root, "hugo.yaml")); err != nil {
				_ = os.RemoveAll(root)
				for _, c := range [][]string{
					{"cp", "-R", "../../../shared/bench/hugo-site/.", root},
					{"cp", "-R", filepath.Join(src, "content") + "/.", filepath.Join(root, "content")},
					{"rm", "-f", filepath.Join(root, "content", "site.yaml")},
				} {
					_ = os.MkdirAll(root, 0o755)
					if out, err := exec.Command(c[0], c[1:]...).CombinedOutput(); err != nil {
						b.Fatalf("%v: %v\n%s", c, err, out)
					}
				}
			}
			entries, _ := os.ReadDir(filepath.Join(root, "content/news"))
			var file string
			for _, e := range entries {
				if strings.HasSuffix(e.Name(), ".md") && e.Name() != "_index.md" {
					file = filepath.Join(root, "content/news", e.Name())
					break
				}
			}
			orig, err := os.ReadFile(file)
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { _ = os.WriteFile(file, orig, 0o644) })
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				b.Fatal(err)
			}
			port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
			ln.Close()
			cmd := exec.Command(hugo, "server", "-s", root, "--bind", "127.0.0.1", "--port", port, "--baseURL", "http://127.0.0.1:"+port+"/", "--appendPort=false")
			if err := cmd.Start(); err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
			base := "http://127.0.0.1:" + port + "/"
			url := base + "news/" + strings.TrimSuffix(filepath.Base(file), ".md") + "/"
			deadline := time.Now().Add(5 * time.Minute)
			for {
				resp, err := http.Get(url)
				if err == nil {
					resp.Body.Close()
					if resp.StatusCode == 200 {
						break
					}
				}
				if time.Now().After(deadline) {
					b.Fatal("hugo server did not start")
				}
				time.Sleep(200 * time.Millisecond)
			}
			var toServed time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				marker := fmt.Sprintf("Edit number %d.", i)
				start := time.Now()
				if err := os.WriteFile(file, append(append([]byte(nil), orig...), "\n\n"+marker+"\n"...), 0o644); err != nil {
					b.Fatal(err)
				}
				for {
					_, body := fetch(b, url)
					if strings.Contains(body, marker) {
						break
					}
					if time.Since(start) > 60*time.Second {
						b.Fatalf("edit %d never served", i)
					}
					time.Sleep(2 * time.Millisecond)
				}
				toServed += time.Since(start)
			}
			b.StopTimer()
			b.ReportMetric(float64(toServed.Microseconds())/float64(b.N)/1000, "ms-to-served")
		})
	}
}
