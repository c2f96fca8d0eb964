package marks

import (
	"os/exec"
	"strconv"
	"strings"
)

// History finds the earlier Danish texts in git, so a report can show what a stale translation
// was made from. Without git, or outside a repository, it finds nothing and says so.
type History struct {
	dir, file string
	parse     func([]byte) (map[string]string, error)
	texts     map[string]map[string]string // key → hash → text, once loaded
}

// historyDepth bounds how many earlier versions of the source file are read.
const historyDepth = 200

// NewHistory looks for earlier versions of file, a path relative to dir, and reads each with
// parse. Nothing is read until the first lookup, since only a failing check needs one.
func NewHistory(dir, file string, parse func([]byte) (map[string]string, error)) *History {
	return &History{dir: dir, file: file, parse: parse}
}

// Text returns the text key had when its hash was hash, if git still has that version.
func (h *History) Text(key, hash string) (string, bool) {
	if h == nil {
		return "", false
	}
	if h.texts == nil {
		h.load()
	}
	text, ok := h.texts[key][hash]
	return text, ok
}

func (h *History) load() {
	h.texts = map[string]map[string]string{}
	out, err := h.git("log", "--format=%H", "-n", strconv.Itoa(historyDepth), "--", h.file)
	if err != nil {
		return
	}
	for _, commit := range strings.Fields(string(out)) {
		data, err := h.git("show", commit+":./"+h.file)
		if err != nil {
			continue
		}
		texts, err := h.parse(data)
		if err != nil {
			continue
		}
		for key, text := range texts {
			if h.texts[key] == nil {
				h.texts[key] = map[string]string{}
			}
			h.texts[key][Hash(text)] = text
		}
	}
}

func (h *History) git(args ...string) ([]byte, error) {
	return exec.Command("git", append([]string{"-C", h.dir}, args...)...).Output()
}
