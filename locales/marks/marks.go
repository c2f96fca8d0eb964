// Package marks records which version of the Danish source each translation was made from, so
// that a test can tell when the Danish has changed since and name what needs translating again.
//
// Beside every translation file <lang>.toml lies <lang>.marks: one line per text, sorted by key,
// holding the key, a short hash of the Danish the translation was made from, and a short hash of
// the translation as it was when marked. One line per key keeps merges of branches that add
// different keys free of conflicts.
package marks

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
)

// Mark is what a marks file records for one translated text.
type Mark struct {
	Source string // the hash of the Danish the translation was made from
	Text   string // the hash of the translation when it was marked
}

// File is one language's marks, by text key.
type File map[string]Mark

// Hash returns the short hash of a text that marks record: 32 bits of SHA-256, plenty to notice
// that a text has changed.
func Hash(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:4])
}

// Parse reads a marks file. Lines starting with # and blank lines are comments.
func Parse(data []byte) (File, error) {
	f := File{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) != 3 {
			return nil, fmt.Errorf("line %d: want a key and two hashes, got %q", n, line)
		}
		if _, dup := f[fields[0]]; dup {
			return nil, fmt.Errorf("line %d: %s is marked twice", n, fields[0])
		}
		f[fields[0]] = Mark{Source: fields[1], Text: fields[2]}
	}
	return f, sc.Err()
}

// Format writes the marks sorted by key after a comment header, one mark a line.
func (f File) Format(header string) []byte {
	var b bytes.Buffer
	for _, line := range strings.Split(strings.TrimSpace(header), "\n") {
		b.WriteString(strings.TrimSpace("# "+line) + "\n")
	}
	keys := make([]string, 0, len(f))
	for k := range f {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "%s %s %s\n", k, f[k].Source, f[k].Text)
	}
	return b.Bytes()
}
