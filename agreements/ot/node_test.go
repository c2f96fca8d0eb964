package ot

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestJSVectors runs the Node tests of frontend/static/js/ot.js against the
// shared vectors. Without node it skips, unless KA_REQUIRE_NODE=1 (CI) makes
// a missing node a failure, so the JS side cannot silently go untested.
func TestJSVectors(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("KA_REQUIRE_NODE") == "1" {
			t.Fatal("node not on PATH and KA_REQUIRE_NODE=1")
		}
		t.Skip("node not on PATH; set KA_REQUIRE_NODE=1 to require it")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	script := filepath.Join("..", "..", "frontend", "jstest", "ot.test.mjs")
	out, err := exec.CommandContext(ctx, node, "--test", script).CombinedOutput()
	if err != nil {
		t.Fatalf("node --test %s: %v\n%s", script, err, out)
	}
	t.Logf("node --test %s passed", script)
}
