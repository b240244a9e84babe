// Package httprange serves blobs with ranges without letting a Range header
// cost more than the blob. net/http's ServeContent already refuses ranges
// whose bytes add up to more than the file, but not their count: 131,072
// one-byte ranges of a 1 MiB file pass that check and make an 11 MB
// multipart answer, each part with its own headers. ServeContent here first
// merges overlapping and adjacent ranges, then answers the whole file when
// more than MaxRanges remain or the multipart answer would be larger than
// the file itself.
package httprange

import (
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// MaxRanges is the most ranges one request may ask for after merging.
const MaxRanges = 16

// partOverhead is about what each part of a multipart/byteranges answer
// costs beyond its bytes: the boundary line and the part's Content-Range
// (its Content-Type comes on top).
const partOverhead = 100

// ServeContent is http.ServeContent with the Range header first made
// cheap (see the package comment). content must be seekable to learn its
// size; name and modtime are as for http.ServeContent. The Content-Type
// header should be set already.
func ServeContent(w http.ResponseWriter, r *http.Request, name string, modtime time.Time, content io.ReadSeeker) {
	if h := r.Header.Get("Range"); h != "" {
		if size, err := content.Seek(0, io.SeekEnd); err == nil {
			if _, err := content.Seek(0, io.SeekStart); err == nil {
				if limited := Limit(h, size, w.Header().Get("Content-Type")); limited != h {
					r = r.Clone(r.Context())
					if limited == "" {
						r.Header.Del("Range")
					} else {
						r.Header.Set("Range", limited)
					}
				}
			}
		}
	}
	http.ServeContent(w, r, name, modtime, content)
}

type span struct{ start, end int64 } // inclusive

// Limit returns the Range header to serve for a blob of size bytes: h
// itself when it is malformed or nothing in it can be served (ServeContent
// then decides, 416 or whole file, as it always did), "" for the whole file
// when the ranges would cost more than it, or the merged ranges.
func Limit(h string, size int64, contentType string) string {
	spans, ok := parse(h, size)
	if !ok || len(spans) == 0 {
		return h
	}
	slices.SortFunc(spans, func(a, b span) int { return compare(a.start, b.start) })
	merged := spans[:1]
	for _, s := range spans[1:] {
		last := &merged[len(merged)-1]
		if s.start <= last.end+1 {
			last.end = max(last.end, s.end)
			continue
		}
		merged = append(merged, s)
	}
	if len(merged) > MaxRanges {
		return ""
	}
	if len(merged) > 1 {
		var cost int64
		for _, s := range merged {
			cost += s.end - s.start + 1 + partOverhead + int64(len(contentType))
		}
		if cost > size {
			return ""
		}
	}
	var b strings.Builder
	b.WriteString("bytes=")
	for i, s := range merged {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(s.start, 10))
		b.WriteByte('-')
		b.WriteString(strconv.FormatInt(s.end, 10))
	}
	return b.String()
}

func compare(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// parse reads "bytes=" ranges as absolute inclusive spans within size,
// leaving out those that start past the end. ok is false for any syntax
// error.
func parse(h string, size int64) (spans []span, ok bool) {
	rest, found := strings.CutPrefix(h, "bytes=")
	if !found {
		return nil, false
	}
	for _, part := range strings.Split(rest, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		first, last, found := strings.Cut(part, "-")
		if !found {
			return nil, false
		}
		first, last = strings.TrimSpace(first), strings.TrimSpace(last)
		if first == "" { // suffix: the last n bytes
			n, err := strconv.ParseInt(last, 10, 64)
			if err != nil || n < 0 {
				return nil, false
			}
			if n == 0 || size == 0 {
				continue
			}
			spans = append(spans, span{max(size-n, 0), size - 1})
			continue
		}
		start, err := strconv.ParseInt(first, 10, 64)
		if err != nil || start < 0 {
			return nil, false
		}
		end := size - 1
		if last != "" {
			if end, err = strconv.ParseInt(last, 10, 64); err != nil || end < start {
				return nil, false
			}
			end = min(end, size-1)
		}
		if start >= size {
			continue
		}
		spans = append(spans, span{start, end})
	}
	return spans, true
}
