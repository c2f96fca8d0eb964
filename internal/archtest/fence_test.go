package archtest

import (
	"bytes"
	"encoding/json"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// The module's packages in three kinds. The product is what the binary is made of; the load
// tools drive a server from outside to measure it; the test harness only serves tests. A new
// package must be named here, so that it is put on one side of the fence on purpose.
var (
	productPackages = []string{
		"klasseaftale/agreements",
		"klasseaftale/agreements/ot",
		"klasseaftale/agreements/sqlite",
		"klasseaftale/agreements/postgres",
		"klasseaftale/agreements/templates",
		"klasseaftale/cmd/klasseaftale",
		"klasseaftale/frontend",
		"klasseaftale/internal/demo",
		"klasseaftale/internal/fdlimit",
		"klasseaftale/internal/metrics",
		"klasseaftale/internal/wire",
		"klasseaftale/locales",
		"klasseaftale/locales/cmd/marks",
		"klasseaftale/locales/marks",
		"klasseaftale/server",
		"klasseaftale/server/live",
	}
	toolingPackages = []string{
		"klasseaftale/cmd/abuseprobe",
		"klasseaftale/cmd/liveload",
		"klasseaftale/internal/liveclient",
		"klasseaftale/internal/simtest",
	}
	harnessPackages = []string{
		"klasseaftale/internal/apptest",
		"klasseaftale/agreements/storetest",
		"klasseaftale/internal/pgtest",
		"klasseaftale/internal/archtest",
		"klasseaftale/internal/e2e",
	}
)

// listed is one package as go list tells it.
type listed struct {
	ImportPath   string
	Dir          string
	Export       string
	GoFiles      []string
	TestGoFiles  []string
	XTestGoFiles []string
	TestImports  []string
	XTestImports []string
	Deps         []string
}

// goList runs go list -json with the given arguments and returns the packages it lists.
func goList(t *testing.T, args ...string) []listed {
	t.Helper()
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	cmd := exec.Command(goTool, append([]string{"list", "-json"}, args...)...)
	cmd.Dir = root(t)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list %v: %v\n%s", args, err, stderr.Bytes())
	}
	var pkgs []listed
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listed
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

// Every package of the module is product, load tool or test harness, and nothing the product is
// built from — its packages and what they import, test files left out — is a load tool. The
// product's own tests may drive it with the Go client of the live protocol; the binary never
// carries it.
func TestProductDoesNotImportTooling(t *testing.T) {
	kinds := map[string]string{}
	for _, p := range productPackages {
		kinds[p] = "product"
	}
	for _, p := range toolingPackages {
		kinds[p] = "tooling"
	}
	for _, p := range harnessPackages {
		kinds[p] = "harness"
	}
	for _, p := range goList(t, "./...") {
		if kinds[p.ImportPath] == "" {
			t.Errorf("%s is neither product, load tool nor test harness: name it in fence_test.go", p.ImportPath)
		}
	}
	for _, p := range goList(t, productPackages...) {
		for _, d := range append([]string{p.ImportPath}, p.Deps...) {
			if k := kinds[d]; k == "tooling" || k == "harness" {
				t.Errorf("%s depends on %s (%s); the product may not carry the tools that measure it", p.ImportPath, d, k)
			}
		}
	}
}

// The text operations hold no client-only code: every exported identifier of agreements/ot —
// package-level names, and the methods and fields of its types — is used by a product package
// or by ot's own tests. The client's state of a document (what is in flight, what waits) lives
// with the Go client, internal/liveclient. A method counts as used when it is what makes its
// type satisfy an interface of the standard library (MarshalJSON, String).
func TestOTHoldsNoClientOnlyCode(t *testing.T) {
	const otPath = "klasseaftale/agreements/ot"
	ot := goList(t, "./agreements/ot")[0]

	// Export data for everything the product and ot's tests import, so each package can be
	// type-checked from its own files alone.
	args := append([]string{"-export", "-deps"}, productPackages...)
	args = append(args, ot.TestImports...)
	args = append(args, ot.XTestImports...)
	args = append(args, "encoding", "encoding/json", "fmt")
	exports := map[string]string{}
	for _, p := range goList(t, args...) {
		exports[p.ImportPath] = p.Export
	}
	fset := token.NewFileSet()
	imp := importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		f, ok := exports[path]
		if !ok || f == "" {
			return nil, os.ErrNotExist
		}
		return os.Open(f)
	})
	check := func(path, dir string, names []string, pkgImp types.Importer) (*types.Package, *types.Info, []*ast.File) {
		t.Helper()
		var files []*ast.File
		for _, n := range names {
			f, err := parser.ParseFile(fset, filepath.Join(dir, n), nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, f)
		}
		info := &types.Info{Uses: map[*ast.Ident]types.Object{}}
		conf := types.Config{Importer: pkgImp}
		pkg, err := conf.Check(path, fset, files, info)
		if err != nil {
			t.Fatalf("type-checking %s: %v", path, err)
		}
		return pkg, info, files
	}

	// What the product uses, as ot's export data names it.
	otExported, err := imp.Import(otPath)
	if err != nil {
		t.Fatal(err)
	}
	used := map[string][]string{} // identifier → who uses it
	use := func(k, by string) {
		if !slices.Contains(used[k], by) {
			used[k] = append(used[k], by)
		}
	}
	keys := exportedKeys(otExported)
	for _, p := range goList(t, productPackages...) {
		if p.ImportPath == otPath || !slices.Contains(p.Deps, otPath) {
			continue
		}
		_, info, _ := check(p.ImportPath, p.Dir, p.GoFiles, imp)
		for _, obj := range info.Uses {
			if k, ok := keys[obj]; ok {
				use(k, strings.TrimPrefix(p.ImportPath, "klasseaftale/"))
			}
		}
	}

	// What ot's own tests use: the package with its in-package tests, checked from source.
	otSource, info, files := check(otPath, ot.Dir, append(slices.Clone(ot.GoFiles), ot.TestGoFiles...), imp)
	srcKeys := exportedKeys(otSource)
	for _, f := range files {
		if !strings.HasSuffix(fset.Position(f.Pos()).Filename, "_test.go") {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				if k, ok := srcKeys[info.Uses[id]]; ok {
					use(k, "ot's tests")
				}
			}
			return true
		})
	}
	if len(ot.XTestGoFiles) > 0 {
		otImp := importerWith(imp, otSource)
		_, xinfo, _ := check(otPath+"_test", ot.Dir, ot.XTestGoFiles, otImp)
		for _, obj := range xinfo.Uses {
			if k, ok := srcKeys[obj]; ok {
				use(k, "ot's tests")
			}
		}
	}

	// Methods that serve an interface of the standard library.
	var ifaces []*types.Interface
	for _, name := range [][2]string{{"encoding/json", "Marshaler"}, {"encoding/json", "Unmarshaler"},
		{"fmt", "Stringer"}, {"encoding", "TextMarshaler"}, {"encoding", "TextUnmarshaler"}} {
		p, err := imp.Import(name[0])
		if err != nil {
			t.Fatal(err)
		}
		ifaces = append(ifaces, p.Scope().Lookup(name[1]).Type().Underlying().(*types.Interface))
	}
	for obj, k := range srcKeys {
		fn, ok := obj.(*types.Func)
		if !ok || fn.Signature().Recv() == nil {
			continue
		}
		recv := fn.Signature().Recv().Type()
		if ptr, ok := recv.(*types.Pointer); ok {
			recv = ptr.Elem()
		}
		for _, iface := range ifaces {
			if iface.NumMethods() == 1 && iface.Method(0).Name() == fn.Name() &&
				(types.Implements(recv, iface) || types.Implements(types.NewPointer(recv), iface)) {
				use(k, "the standard library")
			}
		}
	}

	var all []string
	for _, k := range keys {
		all = append(all, k)
	}
	slices.Sort(all)
	for _, k := range all {
		if len(used[k]) == 0 {
			t.Errorf("agreements/ot exports %s, which neither the product nor ot's tests use: client-only code belongs with the client (internal/liveclient)", k)
		} else {
			t.Logf("%-24s used by %s", k, strings.Join(used[k], ", "))
		}
	}
	t.Logf("agreements/ot exports %d identifiers", len(all))
}

// exportedKeys names each exported identifier of pkg: package-level names as they are, methods
// and fields of its named types as Type.Name.
func exportedKeys(pkg *types.Package) map[types.Object]string {
	keys := map[types.Object]string{}
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		obj := scope.Lookup(name)
		if !obj.Exported() {
			continue
		}
		keys[obj] = name
		tn, ok := obj.(*types.TypeName)
		if !ok {
			continue
		}
		named, ok := tn.Type().(*types.Named)
		if !ok {
			continue
		}
		for i := range named.NumMethods() {
			if m := named.Method(i); m.Exported() {
				keys[m] = name + "." + m.Name()
			}
		}
		if st, ok := named.Underlying().(*types.Struct); ok {
			for i := range st.NumFields() {
				if f := st.Field(i); f.Exported() {
					keys[f] = name + "." + f.Name()
				}
			}
		}
	}
	return keys
}

// importerWith imports pkg itself and everything else through imp.
func importerWith(imp types.Importer, pkg *types.Package) types.Importer {
	return importerFunc(func(path string) (*types.Package, error) {
		if path == pkg.Path() {
			return pkg, nil
		}
		return imp.Import(path)
	})
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }
