package liveclient

import (
	"unicode/utf16"
	"unicode/utf8"

	"klasseaftale/agreements/ot"
)

// Doc is a client's copy of one clause. The text is held as UTF-16 code units, as a browser
// holds it, and operations are applied to it in place: applying one moves only the text after
// the change and allocates nothing. Others' operations are gathered and applied maxLater at a
// time, or as soon as the text is needed: applied together they find the text in the
// processor's cache, so one process can play hundreds of tabs of a busy room.
type Doc struct {
	units  []uint16
	later  []ot.Op // others' operations, transformed, not yet applied to units; oldest first
	OT     OTClient
	outSeq int    // the seq of OT.Outstanding
	text   string // units as UTF-8, when textOK: a tab that many thin authors type on is read far more often than it changes
	textOK bool
}

const maxLater = 32

// Text returns the clause's text.
func (d *Doc) Text() string {
	d.catchUp()
	if d.textOK {
		return d.text
	}
	b := make([]byte, 0, len(d.units)+len(d.units)/2)
	for i := 0; i < len(d.units); i++ {
		r := rune(d.units[i])
		if utf16.IsSurrogate(r) && i+1 < len(d.units) {
			if pair := utf16.DecodeRune(r, rune(d.units[i+1])); pair != utf8.RuneError {
				r = pair
				i++
			}
		}
		b = utf8.AppendRune(b, r)
	}
	d.text, d.textOK = string(b), true
	return d.text
}

func (d *Doc) setText(s string) {
	d.units, d.later, d.textOK = d.units[:0], d.later[:0], false
	for _, r := range s {
		d.units = utf16.AppendRune(d.units, r)
	}
}

// apply applies a local operation, after the others' that wait.
func (d *Doc) apply(op ot.Op) error {
	if err := d.catchUp(); err != nil {
		return err
	}
	units, err := ot.ApplyUTF16(d.units, op)
	if err != nil {
		return err
	}
	d.units, d.textOK = units, false
	return nil
}

// applyLater queues another's operation, applying the queue once it is long enough.
func (d *Doc) applyLater(op ot.Op) error {
	d.later = append(d.later, op)
	if len(d.later) < maxLater {
		return nil
	}
	return d.catchUp()
}

// catchUp applies the queued operations. One that does not apply ends the queue: the copy has
// gone wrong, which the caller reports.
func (d *Doc) catchUp() error {
	defer func() { d.later = d.later[:0] }()
	if len(d.later) > 0 {
		d.textOK = false
	}
	for _, op := range d.later {
		units, err := ot.ApplyUTF16(d.units, op)
		if err != nil {
			return err
		}
		d.units = units
	}
	return nil
}
