package archtest

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// storesLine is how a file of the domain names the stores it uses: "// Stores: Classes, Members."
var storesLine = regexp.MustCompile(`(?m)^// Stores: ([A-Za-z, ]+)\.$`)

// The storage is split by aggregate: Tx is made of small store interfaces and declares no
// method of its own, and every file of the domain that reaches the storage names the stores
// it uses in its "Stores:" line — all it uses, and no other.
func TestStoresByAggregate(t *testing.T) {
	dir := filepath.Join("..", "..", "agreements")
	fset := token.NewFileSet()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, e := range entries {
		n := e.Name()
		if !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, n), nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	info := &types.Info{Uses: map[*ast.Ident]types.Object{}}
	conf := types.Config{Importer: importer.ForCompiler(fset, "source", nil)}
	pkg, err := conf.Check("klasseaftale/agreements", fset, files, info)
	if err != nil {
		t.Fatal(err)
	}

	tx := pkg.Scope().Lookup("Tx").Type().Underlying().(*types.Interface)
	if tx.NumExplicitMethods() != 0 {
		t.Errorf("Tx declares %d methods of its own; each belongs in the store of its aggregate", tx.NumExplicitMethods())
	}
	stores := map[string]int{}
	for i := 0; i < tx.NumEmbeddeds(); i++ {
		named, ok := tx.EmbeddedType(i).(*types.Named)
		if !ok {
			t.Fatalf("Tx embeds %s, not a named store", tx.EmbeddedType(i))
		}
		n := named.Underlying().(*types.Interface).NumMethods()
		stores[named.Obj().Name()] = n
		t.Logf("%-15s %2d methods", named.Obj().Name(), n)
		if n > 20 {
			t.Errorf("the store %s has %d methods: an aggregate that large is two", named.Obj().Name(), n)
		}
	}

	for _, f := range files {
		name := filepath.Base(fset.Position(f.Pos()).Filename)
		used := map[string]bool{}
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			fn, ok := info.Uses[sel.Sel].(*types.Func)
			if !ok {
				return true
			}
			if recv := fn.Type().(*types.Signature).Recv(); recv != nil {
				if named, ok := recv.Type().(*types.Named); ok {
					if _, isStore := stores[named.Obj().Name()]; isStore {
						used[named.Obj().Name()] = true
					}
				}
			}
			return true
		})
		var named []string
		for _, cg := range f.Comments {
			if m := storesLine.FindStringSubmatch("// " + strings.TrimSpace(cg.Text())); m != nil {
				for _, s := range strings.Split(m[1], ",") {
					named = append(named, strings.TrimSpace(s))
				}
			}
		}
		var want []string
		for s := range used {
			want = append(want, s)
		}
		slices.Sort(want)
		got := slices.Clone(named)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s names the stores %v and uses %v", name, named, want)
		}
	}
}
