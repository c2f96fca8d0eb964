// Package archtest holds the test of the rules of the house: dependencies point inward.
package archtest

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// deps lists every package pkg depends on, directly or not, that is not in the standard library.
func deps(t *testing.T, pkg string) []string {
	t.Helper()
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	out, err := exec.Command(goTool, "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", pkg).CombinedOutput()
	if err != nil {
		t.Fatalf("go list %s: %v\n%s", pkg, err, out)
	}
	var list []string
	for _, l := range strings.Fields(string(out)) {
		if l != pkg {
			list = append(list, l)
		}
	}
	return list
}

// The domain imports the standard library only. Its text operations (agreements/ot) are part of
// the domain and held to the same rule.
func TestDomainImportsOnlyTheStandardLibrary(t *testing.T) {
	for _, pkg := range []string{"klasseaftale/agreements", "klasseaftale/agreements/ot"} {
		for _, d := range deps(t, pkg) {
			if d != "klasseaftale/agreements/ot" {
				t.Errorf("%s depends on %s; the domain may use only the standard library", pkg, d)
			}
		}
	}
}

// The delivery side never reaches the storage: it gets the service as an argument.
func TestServerDoesNotImportStorage(t *testing.T) {
	for _, pkg := range []string{"klasseaftale/server", "klasseaftale/server/..."} {
		for _, d := range deps(t, pkg) {
			if strings.HasPrefix(d, "klasseaftale/agreements/sqlite") || strings.HasPrefix(d, "modernc.org/sqlite") ||
				strings.HasPrefix(d, "klasseaftale/agreements/postgres") || strings.HasPrefix(d, "github.com/jackc/pgx") {
				t.Errorf("%s depends on %s; only cmd wires storage in", pkg, d)
			}
		}
	}
}

// Storage knows the domain but not the delivery side.
func TestStorageDoesNotImportDelivery(t *testing.T) {
	for _, pkg := range []string{"klasseaftale/agreements/sqlite", "klasseaftale/agreements/postgres"} {
		for _, d := range deps(t, pkg) {
			if strings.HasPrefix(d, "klasseaftale/server") || strings.HasPrefix(d, "github.com/labstack") {
				t.Errorf("%s depends on %s", pkg, d)
			}
		}
	}
}
