package frontend

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"
)

// TestJavaScript runs the Node tests of the browser modules (jstest/*.test.mjs). Without node
// it skips, unless KA_REQUIRE_NODE=1 (as in CI) makes that a failure.
func TestJavaScript(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("KA_REQUIRE_NODE") == "1" {
			t.Fatal("node is required (KA_REQUIRE_NODE=1) but not on PATH")
		}
		t.Skip("node is not installed")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, node, "--test", "jstest/").CombinedOutput()
	if err != nil {
		t.Fatalf("node --test jstest/: %v\n%s", err, out)
	}
}
