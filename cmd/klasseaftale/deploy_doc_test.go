package main

import (
	"bytes"
	"os"
	"regexp"
	"strings"
	"testing"
)

// docs/deploy.md names only flags the binary has, with the environment variable that gives each
// its default, and only environment variables the binary reads.
func TestDeployDocFlags(t *testing.T) {
	doc, err := os.ReadFile("../../docs/deploy.md")
	if err != nil {
		t.Fatal(err)
	}
	read := map[string]bool{}
	var usage bytes.Buffer
	parseConfig([]string{"-h"}, func(k string) string { read[k] = true; return "" }, &usage)
	backup(t.Context(), []string{"-h"}, func(k string) string { read[k] = true; return "" }, &usage)

	row := regexp.MustCompile("(?m)^\\| `-([a-z-]+)` \\| (?:`([A-Z_]+)`)? ?\\|")
	rows := row.FindAllStringSubmatch(string(doc), -1)
	if len(rows) < 15 {
		t.Fatalf("the table of flags has %d rows", len(rows))
	}
	flagOf := func(name string) bool {
		return regexp.MustCompile(`(?m)^  -` + name + `\b`).MatchString(usage.String())
	}
	for _, r := range rows {
		if !flagOf(r[1]) {
			t.Errorf("-%s is not a flag of the binary", r[1])
		}
		if r[2] != "" && !read[r[2]] {
			t.Errorf("-%s: %s is not read", r[1], r[2])
		}
	}
	for _, v := range regexp.MustCompile(`KLASSEAFTALE_[A-Z_]+`).FindAllString(string(doc), -1) {
		if !read[v] {
			t.Errorf("%s is not read by the binary", v)
		}
	}
	// The flags of the commands that run the binary.
	run := regexp.MustCompile(`klasseaftale (?:backup )?-`)
	for _, line := range strings.Split(string(doc), "\n") {
		if !run.MatchString(line) {
			continue
		}
		for _, f := range regexp.MustCompile(`\s-([a-z][a-z-]+)`).FindAllStringSubmatch(line, -1) {
			if !flagOf(f[1]) {
				t.Errorf("%q: -%s is not a flag of the binary", strings.TrimSpace(line), f[1])
			}
		}
	}
}
