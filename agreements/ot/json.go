package ot

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// MarshalJSON encodes op in the ot.js form: retains as positive integers,
// deletes as negative integers, inserts as strings. A nil Op encodes as [].
func (op Op) MarshalJSON() ([]byte, error) {
	if err := op.CheckComponents(); err != nil {
		return nil, err
	}
	buf := make([]byte, 0, 2+8*len(op))
	buf = append(buf, '[')
	for i, c := range op {
		if i > 0 {
			buf = append(buf, ',')
		}
		if c.N != 0 {
			buf = strconv.AppendInt(buf, int64(c.N), 10)
			continue
		}
		s, err := json.Marshal(c.S)
		if err != nil {
			return nil, err
		}
		buf = append(buf, s...)
	}
	return append(buf, ']'), nil
}

// UnmarshalJSON decodes the ot.js form strictly: the value must be an array
// (not null) of non-zero integers and non-empty strings. Strings must be
// valid UTF-8 without lone surrogate escapes; encoding/json would quietly
// replace both with U+FFFD, changing the text and its length.
func (op *Op) UnmarshalJSON(data []byte) error {
	if !utf8.Valid(data) {
		return ErrInvalidUTF8
	}
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] != '[' {
		return fmt.Errorf("%w: not an array", ErrMalformed)
	}
	var items []json.RawMessage
	if err := json.Unmarshal(data, &items); err != nil {
		return fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	out := make(Op, 0, len(items))
	for i, raw := range items {
		c, err := decodeComponent(raw)
		if err != nil {
			return errAt(err, i)
		}
		out = append(out, c)
	}
	*op = out
	return nil
}

// decodeComponent decodes one array item: an integer or a string.
func decodeComponent(raw json.RawMessage) (Component, error) {
	switch raw[0] {
	case '"':
		if err := checkSurrogateEscapes(raw); err != nil {
			return Component{}, err
		}
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return Component{}, fmt.Errorf("%w: %v", ErrMalformed, err)
		}
		if s == "" {
			return Component{}, fmt.Errorf("%w: empty insert", ErrMalformed)
		}
		return Component{S: s}, nil
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		// ParseInt refuses fractions and exponents, which JSON allows.
		n, err := strconv.ParseInt(string(raw), 10, strconv.IntSize)
		if err != nil || n == 0 || n == int64(minInt) {
			return Component{}, fmt.Errorf("%w: component %s", ErrMalformed, raw)
		}
		return Component{N: int(n)}, nil
	}
	return Component{}, fmt.Errorf("%w: component %s", ErrMalformed, raw)
}

// checkSurrogateEscapes scans a JSON string token for \u escapes in
// D800–DFFF that are not a high surrogate directly followed by a low one.
func checkSurrogateEscapes(tok []byte) error {
	for i := 0; i < len(tok); i++ {
		if tok[i] != '\\' {
			continue
		}
		i++ // the escaped character
		if i >= len(tok) || tok[i] != 'u' {
			continue
		}
		v, ok := hex4(tok, i+1)
		if !ok {
			return nil // let encoding/json report the syntax error
		}
		i += 4
		switch {
		case v >= 0xDC00 && v <= 0xDFFF:
			return ErrLoneSurrogate
		case v >= 0xD800 && v <= 0xDBFF:
			if i+2 >= len(tok) || tok[i+1] != '\\' || tok[i+2] != 'u' {
				return ErrLoneSurrogate
			}
			lo, ok := hex4(tok, i+3)
			if !ok || lo < 0xDC00 || lo > 0xDFFF {
				return ErrLoneSurrogate
			}
			i += 6
		}
	}
	return nil
}

// hex4 decodes the four hex digits at tok[i:i+4].
func hex4(tok []byte, i int) (rune, bool) {
	if i+4 > len(tok) {
		return 0, false
	}
	var v rune
	for _, b := range tok[i : i+4] {
		switch {
		case '0' <= b && b <= '9':
			b -= '0'
		case 'a' <= b && b <= 'f':
			b -= 'a' - 10
		case 'A' <= b && b <= 'F':
			b -= 'A' - 10
		default:
			return 0, false
		}
		v = v<<4 | rune(b)
	}
	return v, true
}
