package marks

import (
	"fmt"
	"maps"
)

// Change is one mark that Update or Force set or dropped.
type Change struct {
	Key     string
	Dropped bool // the Danish no longer has the key
	Forced  bool // marked because it was asked for, though its translation did not change
}

// Update refreshes one language's marks and returns the new marks and what changed. It marks
// a key that has no mark yet and a key whose translation changed since it was marked: such a
// translation was just written, so it translates the Danish as it is now. A key whose Danish
// changed but whose translation did not stays stale: Force is the way to say that it still
// holds. Marks of keys the Danish no longer has are dropped.
func Update(f File, source, translation map[string]string) (File, []Change) {
	out, changes := File{}, []Change{}
	for key, m := range f {
		if _, ok := source[key]; !ok {
			changes = append(changes, Change{Key: key, Dropped: true})
			continue
		}
		out[key] = m
	}
	for key, text := range translation {
		src, ok := source[key]
		if !ok {
			continue
		}
		if m, marked := out[key]; !marked || m.Text != Hash(text) {
			out[key] = Mark{Source: Hash(src), Text: Hash(text)}
			changes = append(changes, Change{Key: key})
		}
	}
	return out, changes
}

// Force marks the given keys of one language as translating the Danish as it is now, whatever
// their marks said: for a translation that still holds after a change of the Danish, such as a
// corrected typo. It touches no other key.
func Force(f File, source, translation map[string]string, keys []string) (File, []Change, error) {
	out, changes := File{}, []Change{}
	maps.Copy(out, f)
	for _, key := range keys {
		src, inSource := source[key]
		text, inTranslation := translation[key]
		if !inSource || !inTranslation {
			return nil, nil, fmt.Errorf("%s: no such text in both the Danish and the translation", key)
		}
		now := Mark{Source: Hash(src), Text: Hash(text)}
		if out[key] != now {
			changes = append(changes, Change{Key: key, Forced: out[key].Text == now.Text})
			out[key] = now
		}
	}
	return out, changes, nil
}
