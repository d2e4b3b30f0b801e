// Package search builds the static full-text index behind the site's
// /search/ page, and answers queries from it exactly as the page's script
// (static/js/search.js) does, so that Go tests can pin the ranking.
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
// [Build] writes under search/index/. Every file is gzip-compressed JSON
// (the browser inflates it with DecompressionStream). The extension is
// .bin, not .gz, so that no web server adds a Content-Encoding header; the
// script also accepts a file a server has already inflated.
//
//	meta.bin            {"format":1, "version":V, "docs":N,
//	                     "first":[...], "shards":[HASH...],
//	                     "sections":[[name, title]...], "topics":[[slug, name]...],
//	                     "stop":[...], "spell":{...}}
//	t/HASH.bin          a term shard: [[term, idf, [doc, code, doc, code, ...]], ...]
//	p/HASH.bin          its positions: one array a term, one run a posting:
//	                     [count, pos, pos, ...] (positions delta-coded)
//	d/ID.bin            one page: {"u":url, "t":title, "s":section title,
//	                     "d":"2018-04-18", "up":updated, "m":summary, "x":text}
//	filters.bin         {"sections":{name:[doc...]}, "topics":{slug:[doc...]}}
//
// Pages are numbered 0..N-1 newest first (by the date they were last
// announced), so that among equal scores the lower id wins. Doc lists are
// delta-coded. A posting's code holds the fields (1 title, 2 heading,
// 4 topic, 8 summary, 16 body) and, in bits 5-7, the body count (at most 7).
// idf is round(100 × ln(1 + N/df)).
//
// The vocabulary, sorted, is cut into consecutive shards of about
// shardTarget bytes; meta's "first" lists each shard's first term ("" for
// the first), "shards" the hash that names its two files, t/HASH.bin and
// p/HASH.bin. A term lives in the last shard whose first term is not after
// it. The hash is of the two files' contents, so a browser may keep them
// for ever; d/ and filters.bin are
// fetched with "?v=VERSION", the hash of the whole index. meta.bin is
// revalidated on every visit.
//
// # A query
//
// The script fetches meta.bin, then for each word only the shard that holds
// it; the word being typed (the last, with no space after it), or a word
// not in the index, also matches longer words it starts (up to maxPrefix
// shards); a word of five letters or more with no match at all matches words
// one typo away (an insertion, deletion, substitution or swap) among the
// shards of words sharing its first two or three letters. Positions shards
// are fetched only for queries of two words or more; filters.bin only when a
// filter is chosen; d/ID.bin only for the results shown, ten at a time.
//
// # Ranking
//
// A page must have every word ("quoted phrases" word for word, in order).
// Its score is, summed over the words, the best over the terms the word
// matched of factor × fields × idf, where factor is 4 for the word itself,
// 3 for a longer word it starts and 2 for a typo, and fields is
// 100 title + 40 heading + 30 topic + 20 summary + 10-23 body (by count);
// then multiplied by 10 if the words stand side by side as typed, 9 if two
// neighbours do, else 8. Equal scores go newest first. All integers, so
// [Index.Search] and the script agree exactly; the browser test checks it.
package search
