package drive

import (
	"maps"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Search is a parsed file-URI search query (conventions §9, newer versions
// §14.3). Every set condition must hold, except that NameOr lets any one of
// Names satisfy the name condition.
type Search struct {
	// Names are the name keywords, ANDed unless NameOr.
	Names  []NamePattern
	NameOr bool
	// CaseFolding is the case_folding flag; it is already applied to Names
	// and kept for display.
	CaseFolding bool
	// Category is the category whose admin preset replaced the query, "" if
	// none.
	Category string
	// Type is "" (any), "file" or "folder".
	Type string
	// Meta conditions are ANDed: each must be met by some metadata entry of
	// the file (the v4.0 "one entry meets all" bug is not reproduced).
	Meta []MetaCond
	// HasSize reports whether SizeGTE ≤ size ≤ SizeLTE applies. See
	// ParseSearch for how missing bounds are filled in.
	HasSize          bool
	SizeGTE, SizeLTE int64
	// Time bounds are inclusive, whole seconds; the zero Time means unset.
	CreatedGTE, CreatedLTE time.Time
	UpdatedGTE, UpdatedLTE time.Time
}

// NamePattern is one name keyword in a form the store can query safely:
// only the '*' the user typed ever becomes a wildcard.
type NamePattern struct {
	// Text is the keyword with the quotes removed. When Wildcard is set,
	// each '*' in it stands for any run of characters (runs of '*' are
	// collapsed); otherwise it is matched literally.
	Text     string
	Wildcard bool
	// CaseSensitive is set for quoted keywords, and for all keywords unless
	// the query has case_folding.
	CaseSensitive bool
	// Like is the equivalent SQL LIKE pattern, to be used with
	// ESCAPE LikeEscape. It keeps the case of Text: a case-insensitive
	// pattern is to be compared with both sides lower-cased (or ILIKE).
	Like string
}

// MetaCond is one metadata condition: the file has metadata Key whose value
// equals Value (Exact) or contains it case-insensitively (an empty Value
// then matches any value). Callers restrict both forms to public metadata;
// the reference does not for exact matches (newer versions §30.8).
type MetaCond struct {
	Key   string
	Value string
	Exact bool
}

// LikeEscape is the escape character of every LIKE pattern built here. It
// is not '\', whose meaning in string literals differs between dialects.
const LikeEscape = "!"

// EscapeLike escapes s for use inside a LIKE pattern with ESCAPE
// LikeEscape, so that '%' and '_' in user text match only themselves.
func EscapeLike(s string) string {
	if !strings.ContainsAny(s, "!%_") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '!', '%', '_':
			b.WriteByte('!')
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// SearchError reports an unusable search parameter. Param and Reason are
// safe to show to the client who sent them.
type SearchError struct {
	Param  string
	Reason string
}

// Error implements error.
func (e *SearchError) Error() string { return "invalid search parameter " + e.Param + ": " + e.Reason }

// SafeDetail implements errs.SafeDetailer: the reason names the rule broken.
func (e *SearchError) SafeDetail() string { return e.Error() }

// Search query limits. Keywords are capped at maxNameBytes, the longest
// name; the term cap bounds the SQL that one listing request can build.
const (
	maxSearchTerms = 32
	maxUnixSeconds = 253402300799 // 9999-12-31T23:59:59Z, the last second every database stores
)

// Search parameter names and prefixes.
const (
	paramName        = "name"
	paramNameOpOr    = "name_op_or"
	paramUseOr       = "use_or"
	paramCaseFolding = "case_folding"
	paramCategory    = "category"
	paramType        = "type"
	paramMetaPrefix  = "meta_"
	paramExactPrefix = "exact_meta_"
	paramSizeGTE     = "size_gte"
	paramSizeLTE     = "size_lte"
	paramCreatedGTE  = "created_gte"
	paramCreatedLTE  = "created_lte"
	paramUpdatedGTE  = "updated_gte"
	paramUpdatedLTE  = "updated_lte"
)

// isSearchKey reports whether k is a search parameter; any of them turns a
// listing into a search.
func isSearchKey(k string) bool {
	switch k {
	case paramName, paramNameOpOr, paramUseOr, paramCaseFolding, paramCategory, paramType,
		paramSizeGTE, paramSizeLTE, paramCreatedGTE, paramCreatedLTE, paramUpdatedGTE, paramUpdatedLTE:
		return true
	}
	return strings.HasPrefix(k, paramMetaPrefix) || strings.HasPrefix(k, paramExactPrefix)
}

// ParseSearch parses the query of a file URI (conventions §9).
//
// A non-empty category replaces the whole query with the preset that
// categoryPreset returns for it (the admin's explorer_category_<name>_query
// setting); an unknown category, or a nil categoryPreset, is an error, and
// a preset may not name a category itself. name_op_or, use_or and
// case_folding count by presence, whatever their value. Unknown parameters
// are ignored.
//
// Sizes fix a reference quirk. The reference applies a size filter when
// either bound is > 0 and then applies both, a missing bound counting as 0,
// so size_gte alone matches nothing. Here the filter still applies only when
// either bound is > 0 (clients that always send both as 0 mean "no
// filter"), but a missing or zero size_lte then means unbounded. Times of 0
// are unset, as in the reference.
func ParseSearch(q url.Values, categoryPreset func(name string) (string, bool)) (Search, error) {
	cat, err := single(q, paramCategory)
	if err != nil {
		return Search{}, err
	}
	if cat == "" {
		return parseSearch(q)
	}
	preset, ok := "", false
	if categoryPreset != nil {
		preset, ok = categoryPreset(cat)
	}
	if !ok {
		return Search{}, &SearchError{Param: paramCategory, Reason: "unknown category"}
	}
	pq, err := url.ParseQuery(preset)
	if err != nil {
		return Search{}, &SearchError{Param: paramCategory, Reason: "category preset is not a valid query"}
	}
	if pq.Has(paramCategory) {
		return Search{}, &SearchError{Param: paramCategory, Reason: "category preset names a category"}
	}
	s, err := parseSearch(pq)
	if err != nil {
		return Search{}, err
	}
	s.Category = cat
	return s, nil
}

func parseSearch(q url.Values) (Search, error) {
	s := Search{
		NameOr:      q.Has(paramNameOpOr) || q.Has(paramUseOr),
		CaseFolding: q.Has(paramCaseFolding),
	}
	var err error
	if s.Type, err = single(q, paramType); err != nil {
		return Search{}, err
	}
	switch s.Type {
	case "", "file", "folder":
	default:
		return Search{}, &SearchError{Param: paramType, Reason: `must be "file" or "folder"`}
	}
	for _, v := range q[paramName] {
		p, err := parseNamePattern(v, s.CaseFolding)
		if err != nil {
			return Search{}, err
		}
		if p.Text != "" {
			s.Names = append(s.Names, p)
		}
	}

	// Sorted keys give a stable Meta order and a stable first error.
	for _, k := range slices.Sorted(maps.Keys(q)) {
		key, exact := strings.CutPrefix(k, paramExactPrefix)
		if !exact {
			var ok bool
			if key, ok = strings.CutPrefix(k, paramMetaPrefix); !ok {
				continue
			}
		}
		if key == "" || len(key) > maxMetaKeyBytes || !isCleanText(key) {
			return Search{}, &SearchError{Param: k, Reason: "invalid metadata key"}
		}
		for _, v := range q[k] {
			if len(v) > maxMetaValueBytes || !isCleanText(v) {
				return Search{}, &SearchError{Param: k, Reason: "invalid metadata value"}
			}
			s.Meta = append(s.Meta, MetaCond{Key: key, Value: v, Exact: exact})
		}
	}
	if len(s.Names)+len(s.Meta) > maxSearchTerms {
		return Search{}, &SearchError{Param: paramName, Reason: "too many name and metadata conditions"}
	}

	if s.SizeGTE, err = nonNegative(q, paramSizeGTE, math.MaxInt64); err != nil {
		return Search{}, err
	}
	if s.SizeLTE, err = nonNegative(q, paramSizeLTE, math.MaxInt64); err != nil {
		return Search{}, err
	}
	s.HasSize = s.SizeGTE > 0 || s.SizeLTE > 0
	if s.HasSize && s.SizeLTE == 0 {
		s.SizeLTE = math.MaxInt64
	}

	for _, t := range []struct {
		param string
		dst   *time.Time
	}{
		{paramCreatedGTE, &s.CreatedGTE}, {paramCreatedLTE, &s.CreatedLTE},
		{paramUpdatedGTE, &s.UpdatedGTE}, {paramUpdatedLTE, &s.UpdatedLTE},
	} {
		sec, err := nonNegative(q, t.param, maxUnixSeconds)
		if err != nil {
			return Search{}, err
		}
		if sec > 0 {
			*t.dst = time.Unix(sec, 0).UTC()
		}
	}
	return s, nil
}

// parseNamePattern reads one name keyword. Quotes win over wildcards: a
// quoted keyword is matched literally, '*' included.
func parseNamePattern(v string, caseFolding bool) (NamePattern, error) {
	if len(v) > maxNameBytes || !isCleanText(v) {
		return NamePattern{}, &SearchError{Param: paramName, Reason: "invalid name keyword"}
	}
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		t := v[1 : len(v)-1]
		return NamePattern{Text: t, CaseSensitive: true, Like: "%" + EscapeLike(t) + "%"}, nil
	}
	p := NamePattern{Text: v, CaseSensitive: !caseFolding}
	if !strings.Contains(v, "*") {
		p.Like = "%" + EscapeLike(v) + "%"
		return p, nil
	}
	p.Wildcard = true
	for strings.Contains(p.Text, "**") {
		p.Text = strings.ReplaceAll(p.Text, "**", "*")
	}
	parts := strings.Split(p.Text, "*")
	for i, part := range parts {
		parts[i] = EscapeLike(part)
	}
	p.Like = strings.Join(parts, "%")
	if !isWildcardAnchored(p.Text) {
		p.Like = "%" + p.Like + "%"
	}
	return p, nil
}

// isWildcardAnchored reports whether a wildcard keyword is left as typed.
// As in the reference, one that neither starts nor ends with '*' is
// wrapped in wildcards to become a "contains" match; "*.jpg" and "IMG_*"
// stay suffix and prefix matches.
func isWildcardAnchored(text string) bool {
	return strings.HasPrefix(text, "*") || strings.HasSuffix(text, "*")
}

// Match reports whether name matches p as Like does in the store, case
// folded by Unicode lower-casing when p is not case-sensitive. Services use
// it to filter small flat sets (trash, shared_with_me) in memory.
func (p NamePattern) Match(name string) bool {
	text := p.Text
	if !p.CaseSensitive {
		name, text = strings.ToLower(name), strings.ToLower(text)
	}
	if !p.Wildcard {
		return strings.Contains(name, text)
	}
	if !isWildcardAnchored(text) {
		text = "*" + text + "*"
	}
	// With '*' as the only wildcard, taking the leftmost match of each
	// middle part is always optimal, so no backtracking is needed.
	parts := strings.Split(text, "*")
	first, last := parts[0], parts[len(parts)-1]
	if !strings.HasPrefix(name, first) {
		return false
	}
	name = name[len(first):]
	for _, mid := range parts[1 : len(parts)-1] {
		i := strings.Index(name, mid)
		if i < 0 {
			return false
		}
		name = name[i+len(mid):]
	}
	return strings.HasSuffix(name, last)
}

// single returns the only value of a single-valued parameter, "" if absent.
// Repeating one is an error rather than a silent pick.
func single(q url.Values, param string) (string, error) {
	switch vs := q[param]; len(vs) {
	case 0:
		return "", nil
	case 1:
		return vs[0], nil
	}
	return "", &SearchError{Param: param, Reason: "given more than once"}
}

// nonNegative parses a single-valued decimal parameter in [0, limit];
// absent or empty is 0.
func nonNegative(q url.Values, param string, limit int64) (int64, error) {
	v, err := single(q, param)
	if err != nil || v == "" {
		return 0, err
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 || n > limit {
		return 0, &SearchError{Param: param, Reason: "must be a whole number from 0 to " + strconv.FormatInt(limit, 10)}
	}
	return n, nil
}
