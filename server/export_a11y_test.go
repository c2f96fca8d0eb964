package server

// A11yKnownKeys are the message IDs of the known failures the accessibility statement lists,
// and A11yReviewed its date, for the tests of the statement.
func A11yKnownKeys() []string {
	out := make([]string, len(a11yKnown))
	for i, k := range a11yKnown {
		out[i] = k.Key
	}
	return out
}

var A11yReviewed = a11yReviewed
