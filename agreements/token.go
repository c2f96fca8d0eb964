package agreements

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"strings"
)

// tokenEncoding writes random bytes as lowercase letters and digits, safe in URLs and cookies.
var tokenEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// NewToken returns a secret of 160 random bits. Only its hash is stored.
func NewToken() string { return randomString(20) }

// NewID returns a random identifier of 60 bits: IDs are not secrets, but need not be guessable.
func NewID() string { return randomString(8)[:12] }

// NewSlug returns the unguessable part of a published agreement's address (128 bits).
func NewSlug() string { return randomString(16) }

func randomString(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails: crypto/rand panics rather than return short reads
	return tokenEncoding.EncodeToString(b)
}

// HashToken is how tokens are stored and looked up: a token has 160 bits of entropy, so a
// plain SHA-256 is enough (no salt or stretching needed, unlike a password).
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// codeAlphabet has no look-alikes: no 0/O/Q/D, 1/I/L, 2/Z, 5/S, 6/G, 8/B.
const codeAlphabet = "ACEFHJKMNPRTUVWXY3479"

// CodeLen is the length of join and organiser codes.
const CodeLen = 8

// NewCode returns a join or organiser code: 8 characters from codeAlphabet (about 35 bits;
// guessing is held back by the rate limit on joining).
func NewCode() string {
	out := make([]byte, 0, CodeLen)
	buf := make([]byte, 16)
	for len(out) < CodeLen {
		rand.Read(buf)
		for _, c := range buf {
			// Reject the top of the byte range so every symbol is equally likely.
			if int(c) < 256-256%len(codeAlphabet) && len(out) < CodeLen {
				out = append(out, codeAlphabet[int(c)%len(codeAlphabet)])
			}
		}
	}
	return string(out)
}

// NormalizeCode turns what a person typed ("ab3k-7 mnp") into the stored form ("AB3K7MNP").
func NormalizeCode(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if r == ' ' || r == '-' || r == '\t' {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
