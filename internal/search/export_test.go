package search

// ScanDocs reads the words of docs as a fresh build does (builder.scan,
// one worker), for BenchmarkScan.
func ScanDocs(docs []Doc) {
	ix := &builder{vocab: map[string]uint32{}}
	w := newWorker()
	for i := range docs {
		ix.scan(w, &docs[i])
	}
}

// RecordDocs makes the records of docs (bucket entry, compressed text) as
// a fresh build does, for BenchmarkRecord.
func RecordDocs(docs []Doc) {
	w := newWorker()
	for i := range docs {
		w.record(nil, &docs[i])
	}
}
