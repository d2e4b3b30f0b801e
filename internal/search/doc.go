// Package search builds the static full-text index behind the site's
// /search/ page. Queries are answered in the browser by the page's script,
// static/js/search.js, and only there: the browser test (TestSearchScript,
// run by .ci/run) pins the script's ranking and what each query downloads.
//
// # What is indexed
//
// Every published page ([Doc]): title, summary, headings, body text and
// topic names, each word tagged with the fields it occurs in, its count in
// the body and its positions. Words are normalised on both sides, at build
// time and at query time ([Normalize]): lower case, accents removed, a
// plural "s" dropped, American spellings of common words mapped to British
// ones ([Spellings]) and "-ize"/"-yze" written "-ise"/"-yse"; stop words
// ([StopWords]) are not indexed but keep their place in phrases.
//
// # Files
//
// [Build] (or [Index.Build], which keeps what it worked out for the next
// build, or a [Stream], which takes the pages one at a time as they are
// ready and keeps a page's text only compressed, until its pack is
// written) writes under search/index/. Every file but x/ is
// gzip-compressed, s/ as two gzip members and x/ one a page; the extension
// is .bin, not .gz, so that no web server adds a Content-Encoding header;
// the script also accepts a file a server has already inflated. meta.bin,
// d/, x/'s pages and filters.bin hold JSON; s/ is binary, every number an
// unsigned LEB128 varint, and each of its parts starts with a format byte
// (1) once inflated.
//
//	meta.bin            {"format":4, "version":V, "docs":N,
//	                     "bucket":16, "pack":256, "first":[...],
//	                     "shards":[HASH...], "tlen":[bytes...],
//	                     "sections":[[name, title]...], "topics":[[slug, name]...],
//	                     "stop":[...], "spell":{...}}
//	s/HASH.bin          a shard: its terms, the first tlen bytes: 1, T
//	                     (terms), then per term: its length in bytes and its
//	                     UTF-8, df (its number of pages), the df page ids
//	                     delta-coded, then df code bytes; then their
//	                     positions: 1, T, each term's length in bytes, then
//	                     per term, per page: count, positions delta-coded
//	d/B.bin             a bucket: pages 16B to 16B+15, [{"u":url, "t":title,
//	                     "s":section title, "d":"2018-04-18", "up":updated}...]
//	x/K.bin             a pack: pages 256K to 256K+255, after 257
//	                     little-endian uint32 offsets from the file's start
//	                     (page j is bytes off[j] to off[j+1]-1), each page
//	                     its own gzip member, {"m":summary, "x":text}
//	filters.bin         {"sections":{name:[doc...]}, "topics":{slug:[doc...]}}
//
// Pages are numbered 0..N-1 oldest first, by the date they were last
// announced, then by address: a new page takes the next id, and an edit
// that keeps the date renumbers nothing. Among equal scores the higher id
// (the newer page) wins. Doc lists are delta-coded. A posting's code holds
// the fields (1 title, 2 heading, 4 topic, 8 summary, 16 body) and, in bits
// 5-7, the body count (at most 7). A term's idf, round(100 × ln(1 + N/df)),
// is worked out by the reader from N and the length of its list, so that a
// new page changes only the shards of its own words.
//
// The vocabulary, sorted, is cut into shards of consecutive terms. A shard
// starts at a term whose hash (FNV-1a, mixed) is a multiple of a power of
// two K, chosen so that runs of the terms smaller than shardTarget would
// hold about twice shardTarget, and within a run wherever the shard would
// pass shardTarget (a term's size being len(term) + 8 + 6 × df, the JSON it
// once took). Boundaries therefore depend only on the terms near them: a
// longer posting list moves none but those up to the next multiple, and an
// edit re-encodes only the shards whose terms' pages, codes or positions
// changed. meta's "first" lists each shard's first term ("" for the first),
// "shards" the hash that names its file, s/HASH.bin, and "tlen" where its
// positions start. A term lives in the last shard whose first term is not
// after it. The hash is of the file's contents, so a browser may keep it
// for ever; d/,
// x/ and filters.bin are fetched with "?v=VERSION", a hash of the shard
// names, every page's entry and text and the filters. meta.bin is
// revalidated on every visit.
//
// # Records
//
// What a result shows is kept in a few hundred files, not one a page: on a
// fresh build, creating a file costs more than writing its bytes, and on
// the 10,000-page corpus the index used to write 9,895 d/ID.bin files (one
// a page, 1.7 KB each with its text) of its 11,342; it now writes 619
// buckets and 39 packs instead (and one file a shard, not two: see A
// query), 1,383 files in all. A bucket of 16
// consecutive pages' addresses, titles, sections and dates weighs 950
// bytes gzipped, so ten results need at most ten of them, 9.5 KB, and a
// bucket is compressed once, not once a page. Summaries and texts, which
// the script needs only for the excerpt around the words found, are
// packed 256 pages to a file and read with two HTTP range requests each
// (the page's two offsets, then its 2.85 KB of gzipped JSON), so a result
// still downloads only its own text. A server that answers a range request
// with the whole file is not asked again, and its results show no excerpt.
// A changed page rewrites its bucket if its address, title, section or
// dates changed, and its pack if its summary or text did, no other record
// file. On that corpus BenchmarkSearchPage (the first of four queries, with
// its first ten results, and then the other three) went from 29,669 and
// 95,985 bytes downloaded with one file a page to 37,927 and 119,689, and
// to 39,729 and 119,689 with "tlen" in meta.bin, and to 56,872 and 159,499
// with texts compressed with Huffman codes only (below).
//
// Shards are compressed with Huffman codes only (one deflate
// block, see gzipHuffman): on these lists of small numbers that is as small
// as compress/flate's BestSpeed within 3% (smaller than its default level
// on the JSON they replace) and several times faster. Texts are
// compressed that way too, once per change of the page. It makes them 1.7
// times the size BestSpeed did, and saves most of the time, which a deploy
// from a clean checkout spends on every page: on the 10,000-page corpus,
// 28.2 MB (2,850 bytes a page) against 16.3 MB (1,648) and 47.7 MB
// uncompressed, in 0.16 s of CPU against 0.59 s, when compression was an
// eighth of the whole build's CPU (BenchmarkTextCompression). Compression
// is still worth its time: servers send .bin files as they are, and do not
// compress the answer to a range request in general, so without it a
// result's excerpt would cost 4.8 KB.
// Buckets are compressed at BestSpeed, once per 16 pages.
//
// # A query
//
// The script fetches meta.bin, then for each word only the shard that holds
// it; the word being typed (the last, with no space after it), or a word
// not in the index, also matches longer words it starts (up to maxPrefix
// shards); a word of five letters or more with no match at all matches words
// one typo away (an insertion, deletion, substitution or swap) among the
// shards of words sharing its first two or three letters. A shard's terms
// and its positions are read with a range request each, the positions
// only for queries of two words or more: a shard used to be two files, and
// one is cheaper to write (on the 10,000-page corpus, 722 files fewer for
// 1.8 KB more of meta.bin). A server that ignores range requests sends the
// whole file, which is kept for both parts: more bytes, the same results.
// filters.bin is fetched only when a filter is chosen; the buckets and
// texts only of the results shown, ten at a time.
//
// # Ranking
//
// A page must have every word ("quoted phrases" word for word, in order).
// Its score is, summed over the words, the best over the terms the word
// matched of factor × fields × idf, where factor is 4 for the word itself,
// 3 for a longer word it starts and 2 for a typo, and fields is
// 100 title + 40 heading + 30 topic + 20 summary + 10-23 body (by count);
// then multiplied by 10 if the words stand side by side as typed, 9 if two
// neighbours do, else 8. Equal scores go newest (highest id) first. All
// integers but idf's logarithm, whose rounding the browser test checks for
// every df at several sizes of site.
package search
