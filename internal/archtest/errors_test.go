package archtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// root is the module's folder.
func root(t *testing.T) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("no caller")
	}
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// stringLiterals lists the string literals of the Go files (tests left out) in dir and below, by
// the file and line they stand on.
func stringLiterals(t *testing.T, dir string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil {
					out[s] = append(out[s], fset.Position(lit.Pos()).String())
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// httpErrorCodes are the codes of the errors only the delivery side makes: those
// server/errors.go and server/live/errors.go build with agreements.Errorf.
func httpErrorCodes(t *testing.T) []string {
	t.Helper()
	var codes []string
	for _, file := range []string{"server/errors.go", "server/live/errors.go"} {
		codes = append(codes, errorfCodes(t, filepath.Join(root(t), file))...)
	}
	return codes
}

func errorfCodes(t *testing.T, path string) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) != 2 {
			return true
		}
		if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Errorf" {
			if lit, ok := call.Args[1].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				code, _ := strconv.Unquote(lit.Value)
				codes = append(codes, code)
			}
		}
		return true
	})
	return codes
}

// The errors only HTTP and sockets can make (a wrong method, a request from another site, a body
// too large, too many requests, too many tabs) are the delivery side's: the domain neither
// defines them nor names their codes.
func TestHTTPErrorCodesStayOutOfTheDomain(t *testing.T) {
	codes := httpErrorCodes(t)
	for _, want := range []string{"request.method", "auth.cross_origin", "request.too_large", "request.too_many", "live.too_fast", "live.server_full"} {
		found := false
		for _, c := range codes {
			found = found || c == want
		}
		if !found {
			t.Errorf("the delivery side does not define %s; the test reads the agreements.Errorf calls of its errors.go files", want)
		}
	}
	lits := stringLiterals(t, filepath.Join(root(t), "agreements"))
	for _, c := range codes {
		for _, at := range lits[c] {
			t.Errorf("%s: the HTTP error code %q in the domain", at, c)
		}
	}
}

// The domain knows nothing of HTTP: not even the standard library's net/http reaches it.
func TestDomainDoesNotImportHTTP(t *testing.T) {
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	for _, pkg := range []string{"klasseaftale/agreements", "klasseaftale/agreements/ot", "klasseaftale/agreements/templates"} {
		out, err := exec.Command(goTool, "list", "-deps", pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list %s: %v\n%s", pkg, err, out)
		}
		for _, d := range strings.Fields(string(out)) {
			if d == "net/http" || strings.HasPrefix(d, "net/http/") || strings.HasPrefix(d, "klasseaftale/server") {
				t.Errorf("%s depends on %s; the domain knows nothing of HTTP", pkg, d)
			}
		}
	}
}
