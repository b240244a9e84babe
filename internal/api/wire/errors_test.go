package wire

import (
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stratus-drive/stratus/internal/account"
	"github.com/stratus-drive/stratus/internal/auth"
	"github.com/stratus-drive/stratus/internal/errs"
)

// TestEveryKindMapped fails when a Kind has no fallback code.
func TestEveryKindMapped(t *testing.T) {
	for _, k := range errs.Kinds {
		c, ok := kindCodes[k]
		if !ok || c.code == 0 || c.msg == "" {
			t.Errorf("kind %v has no wire code", k)
		}
	}
}

// TestEverySentinelMapped parses the tree for exported errs.NewSentinel
// declarations and fails unless each one appears in the sentinel table of
// errors.go, so a new service condition cannot silently fall back to its
// kind's generic code.
func TestEverySentinelMapped(t *testing.T) {
	declared := map[string]bool{}
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			spec, ok := n.(*ast.ValueSpec)
			if !ok {
				return true
			}
			for i, name := range spec.Names {
				if i < len(spec.Values) && name.IsExported() && isNewSentinel(spec.Values[i]) {
					declared[f.Name.Name+"."+name.Name] = true
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	mapped := tableEntries(t)
	if len(declared) == 0 {
		t.Fatal("found no sentinels: is the walk rooted right?")
	}
	for name := range declared {
		if !mapped[name] {
			t.Errorf("sentinel %s is not in the wire table (internal/api/wire/errors.go)", name)
		}
	}
}

func isNewSentinel(e ast.Expr) bool {
	call, ok := e.(*ast.CallExpr)
	if !ok {
		return false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	return ok && sel.Sel.Name == "NewSentinel"
}

// tableEntries returns the pkg.Name selectors listed in the sentinels table.
func tableEntries(t *testing.T) map[string]bool {
	f, err := parser.ParseFile(token.NewFileSet(), "errors.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		spec, ok := n.(*ast.ValueSpec)
		if !ok || len(spec.Names) != 1 || spec.Names[0].Name != "sentinels" {
			return true
		}
		ast.Inspect(spec, func(n ast.Node) bool {
			if lit, ok := n.(*ast.CompositeLit); ok && len(lit.Elts) > 0 {
				if sel, ok := lit.Elts[0].(*ast.SelectorExpr); ok {
					if pkg, ok := sel.X.(*ast.Ident); ok {
						out[pkg.Name+"."+sel.Sel.Name] = true
					}
				}
			}
			return true
		})
		return false
	})
	return out
}

func TestLookup(t *testing.T) {
	tests := []struct {
		name string
		err  error
		code Code
		msg  string
	}{
		{"sentinel deep in a chain", errs.E("api", errs.E("account.SignIn", account.ErrInvalidCredentials)), CodeInvalidEmailOrPassword, "Wrong password or email address"},
		{"fmt-wrapped sentinel", fmt.Errorf("x: %w", account.ErrUserBanned), CodeUserBanned, "This account has been blocked"},
		{"invalid carries detail", errs.E("op", errs.Invalid, "Email format error"), CodeParamErr, "Email format error"},
		{"internal hides detail", errs.E("op", errs.Internal, "secret table name", errors.New("pq: boom")), CodeDBError, "Internal error"},
		{"unclassified", errors.New("boom"), CodeInternalSetting, "Internal error"},
		{"not found", errs.E("op", errs.NotExist), CodeNotFound, "Not found"},
	}
	for _, tt := range tests {
		code, msg := Lookup(tt.err)
		if code != tt.code || msg != tt.msg {
			t.Errorf("%s: Lookup = %d %q, want %d %q", tt.name, code, msg, tt.code, tt.msg)
		}
	}
}

func TestErrorResponse(t *testing.T) {
	const cid = "0b8f0f3a-1111-4e55-8c1d-5b0a2a0c9d11"
	// Validation failures carry no correlation ID; others do.
	if r := ErrorResponse(errs.E("op", errs.Invalid, "Email cannot be empty"), cid, false); r.CorrelationID != "" {
		t.Errorf("validation error has correlation id")
	}
	r := ErrorResponse(errs.E("op", errs.Internal, errors.New("db down")), cid, false)
	if r.CorrelationID != cid || r.Error != "" {
		t.Errorf("internal error: %+v", r)
	}
	if r := ErrorResponse(errs.E("op", errs.Internal, errors.New("db down")), cid, true); !strings.Contains(r.Error, "db down") {
		t.Errorf("debug mode must include error text: %+v", r)
	}

	b := errs.Batch{}
	b.Add("cloudreve://my/a", errs.E("op", errs.NotExist))
	one := ErrorResponse(b, cid, false)
	if one.Code != CodeBatchOperationFailed || one.Msg != "Not found" || one.AggregatedError["cloudreve://my/a"].Code != CodeNotFound {
		t.Errorf("batch of one: %+v", one)
	}
	b.Add("cloudreve://my/b", errs.E("op", errs.Locked))
	two := ErrorResponse(b, cid, false)
	if two.Msg != "One or more operation failed" || len(two.AggregatedError) != 2 {
		t.Errorf("batch of two: %+v", two)
	}
}

func TestEnvelopeData(t *testing.T) {
	tests := []struct {
		resp Response
		want string
	}{
		{Response{}, `{"code":0,"msg":""}`},
		{Response{Data: ""}, `{"code":0,"data":"","msg":""}`},
		{Response{Data: []int{}}, `{"code":0,"data":[],"msg":""}`},
		{Response{Code: 203, Data: "sid"}, `{"code":203,"data":"sid","msg":""}`},
	}
	for _, tt := range tests {
		got, _ := json.Marshal(tt.resp)
		if string(got) != tt.want {
			t.Errorf("marshal %+v = %s, want %s", tt.resp, got, tt.want)
		}
	}
}

// driverTexts are what the database drivers and storage say when they fail;
// none of it may reach a client.
var driverTexts = []string{
	`pq: duplicate key value violates unique constraint "files_parent_name"`,
	`Error 1062 (23000): Duplicate entry 'a.txt' for key 'files.files_parent_name'`,
	`constraint failed: UNIQUE constraint failed: files.parent_id, files.name (2067)`,
	`sql: no rows in result set`,
	`SELECT id FROM users WHERE email_lower = $1`,
	`open /var/lib/stratus/storage/7/a.bin: no such file or directory`,
}

// TestNoDriverTextInMessages wraps driver failures the ways services do
// (a kind, a sentinel, nested, in a batch) for every kind and every listed
// condition, and checks that no client-visible message carries their text.
func TestNoDriverTextInMessages(t *testing.T) {
	var wrapped []error
	for _, text := range driverTexts {
		cause := errs.E("store.Query", errs.Internal, errors.New(text))
		for kind := range kindCodes {
			wrapped = append(wrapped, errs.E("svc.Op", kind, cause), errs.E("svc.Op", kind, errors.New(text)),
				errs.E("api", errs.E("svc.Op", kind, cause)), fmt.Errorf("x: %w", errs.E("svc.Op", kind, cause)))
		}
		for _, s := range sentinels {
			if sen, ok := s.err.(*errs.Sentinel); ok {
				wrapped = append(wrapped, errs.E("svc.Op", sen, cause), errs.E("svc.Op", sen, errors.New(text)),
					errs.E("api", errs.E("svc.Op", sen, cause)))
			}
		}
	}
	check := func(r Response, err error) {
		for _, text := range driverTexts {
			if strings.Contains(r.Msg, text) || strings.Contains(r.Error, text) {
				t.Errorf("%v: message %q carries driver text", err, r.Msg)
			}
		}
	}
	for _, err := range wrapped {
		check(ErrorResponse(err, "cid", false), err)
		b := errs.Batch{}
		b.Add("cloudreve://my/a", err)
		for _, r := range ErrorResponse(b, "cid", false).AggregatedError {
			check(r, err)
		}
	}
}

// TestOutermostConditionWins: an error that names a condition and keeps
// another as its cause answers with its own code.
func TestOutermostConditionWins(t *testing.T) {
	err := errs.E("api.authenticate", account.ErrNotSignedIn, errs.E("auth.Parse", auth.ErrInvalidCredential))
	if code, _ := Lookup(err); code != CodeLoginRequired {
		t.Errorf("code %d, want login required", code)
	}
	if !errors.Is(err, auth.ErrInvalidCredential) {
		t.Error("the cause was dropped")
	}
}
