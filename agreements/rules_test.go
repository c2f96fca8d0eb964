package agreements

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestChildKey(t *testing.T) {
	for _, tc := range []struct{ a, b string }{
		{"Ida", "ida"},
		{" Ida ", "IDA"},
		{"Ida  Marie", "ida marie"},
		{"Ida.", "ida"},
		{"Åse", "åse"},
		{"Ahmad", "AHMAD"},
	} {
		if ChildKey(tc.a) != ChildKey(tc.b) {
			t.Errorf("ChildKey(%q)=%q != ChildKey(%q)=%q", tc.a, ChildKey(tc.a), tc.b, ChildKey(tc.b))
		}
	}
	if ChildKey("Ida") == ChildKey("Ida K.") {
		t.Error("an initial must make a different household")
	}
}

func TestNormalizeCode(t *testing.T) {
	for in, want := range map[string]string{
		"ab3k-7mnp":  "AB3K7MNP",
		"AB3K 7MNP":  "AB3K7MNP",
		" ab3k7mnp ": "AB3K7MNP",
		"":           "",
	} {
		if got := NormalizeCode(in); got != want {
			t.Errorf("NormalizeCode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNewCodeHasNoLookalikes(t *testing.T) {
	seen := map[string]bool{}
	for range 2000 {
		c := NewCode()
		if len(c) != CodeLen {
			t.Fatalf("code %q has length %d", c, len(c))
		}
		for _, r := range c {
			if !strings.ContainsRune(codeAlphabet, r) || strings.ContainsRune("0O1IL2Z5S8B6GQD", r) {
				t.Fatalf("code %q has %q", c, r)
			}
		}
		seen[c] = true
	}
	if len(seen) < 1990 {
		t.Errorf("only %d distinct codes of 2000", len(seen))
	}
}

func TestTokensAreLongAndHashed(t *testing.T) {
	tok := NewToken()
	if len(tok)*5 < 128 {
		t.Errorf("token %q has fewer than 128 bits", tok)
	}
	if HashToken(tok) == tok || HashToken(tok) != HashToken(tok) || len(HashToken(tok)) != 64 {
		t.Error("HashToken must be a stable SHA-256 hex digest")
	}
	if len(NewSlug())*5 < 128 {
		t.Error("slugs must be unguessable")
	}
}

func TestNewClassValidate(t *testing.T) {
	for _, tc := range []struct {
		in   NewClass
		code string
	}{
		{NewClass{Name: "4.B", Grade: 4}, ""},
		{NewClass{Name: "  0.A  ", Grade: 0}, ""},
		{NewClass{Name: "", Grade: 4}, "name.required"},
		{NewClass{Name: "   ", Grade: 4}, "name.required"},
		{NewClass{Name: strings.Repeat("x", MaxNameLen+1), Grade: 4}, "name.too_long"},
		{NewClass{Name: "4.B", Grade: -1}, "class.grade_invalid"},
		{NewClass{Name: "4.B", Grade: 11}, "class.grade_invalid"},
	} {
		err := tc.in.Validate()
		if ErrorCode(err) != tc.code {
			t.Errorf("Validate(%+v) = %v, want %q", tc.in, err, tc.code)
		}
	}
}

func TestSchoolHelpValidate(t *testing.T) {
	for _, tc := range []struct {
		url, code string
	}{
		{"", ""},
		{"https://skole.dk/plan", ""},
		{"http://skole.dk", ""},
		{"javascript:alert(1)", "school.url_invalid"},
		{"skole.dk/plan", "school.url_invalid"},
		{"ftp://skole.dk", "school.url_invalid"},
	} {
		h := SchoolHelp{ActionPlanURL: tc.url}
		if got := ErrorCode(h.Validate()); got != tc.code {
			t.Errorf("url %q: %q, want %q", tc.url, got, tc.code)
		}
	}
	long := SchoolHelp{Contact: strings.Repeat("x", MaxHelpLen+1)}
	if !errors.Is(long.Validate(), ErrHelpTooLong) {
		t.Error("a too long contact text must be refused")
	}
}

func TestActorRights(t *testing.T) {
	member := func(role Role) Actor { return Actor{Member: &Member{ClassID: "c1", Role: role}} }
	for _, tc := range []struct {
		actor        Actor
		class        string
		parents      bool
		pupils       bool
		facilitating bool
	}{
		{member(RoleFacilitator), "c1", true, true, true},
		{member(RoleParent), "c1", true, false, false},
		{member(RolePupil), "c1", false, true, false},
		{member(RoleFacilitator), "c2", false, false, false},
		{member(RoleParent), "c2", false, false, false},
		{Actor{SchoolID: "s1"}, "c1", false, false, false},
		{Actor{}, "c1", false, false, false},
	} {
		if got := tc.actor.CanSee(tc.class, KindParents); got != tc.parents {
			t.Errorf("%+v sees parents' in %s: %v", tc.actor.Member, tc.class, got)
		}
		if got := tc.actor.CanSee(tc.class, KindPupils); got != tc.pupils {
			t.Errorf("%+v sees pupils' in %s: %v", tc.actor.Member, tc.class, got)
		}
		if got := tc.actor.IsFacilitatorOf(tc.class); got != tc.facilitating {
			t.Errorf("%+v facilitates %s: %v", tc.actor.Member, tc.class, got)
		}
	}
}

func TestPlaceAfter(t *testing.T) {
	s := func(v string) *string { return &v }
	order := []string{"a", "b", "c"}
	for _, tc := range []struct {
		after *string
		want  []string
		err   bool
	}{
		{nil, []string{"a", "b", "c", "x"}, false},
		{s(""), []string{"x", "a", "b", "c"}, false},
		{s("a"), []string{"a", "x", "b", "c"}, false},
		{s("c"), []string{"a", "b", "c", "x"}, false},
		{s("nope"), nil, true},
	} {
		got, err := placeAfter(order, "x", tc.after)
		if (err != nil) != tc.err || !slices.Equal(got, tc.want) {
			t.Errorf("placeAfter(%v) = %v, %v; want %v", tc.after, got, err, tc.want)
		}
	}
	if !slices.Equal(order, []string{"a", "b", "c"}) {
		t.Error("placeAfter changed its input")
	}
}

func TestGradeBandsAndSuits(t *testing.T) {
	for g, band := range map[int]string{0: "indskoling", 3: "indskoling", 4: "mellemtrin", 6: "mellemtrin", 7: "udskoling", 10: "udskoling"} {
		if GradeBand(g) != band {
			t.Errorf("GradeBand(%d) = %s, want %s", g, GradeBand(g), band)
		}
	}
	tc := TemplateClause{Grades: [2]int{4, 6}}
	if tc.Suits(3) || !tc.Suits(4) || !tc.Suits(6) || tc.Suits(7) {
		t.Error("Suits must include both ends of the band and nothing else")
	}
}

func TestEveryErrorHasAKindAndUniqueCode(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range AllErrors() {
		if e.Code == "" || seen[e.Code] {
			t.Errorf("error code %q empty or twice", e.Code)
		}
		seen[e.Code] = true
	}
	if len(seen) < 30 {
		t.Errorf("only %d error codes registered", len(seen))
	}
}

func TestParameterOptions(t *testing.T) {
	p := Parameter{Options: []Option{{"12", "12 år"}, {"13", "13 år"}}, Value: "13"}
	if !p.Has("12") || p.Has("14") || p.LabelOf("13") != "13 år" || p.LabelOf("x") != "x" {
		t.Error("Has/LabelOf disagree with the options")
	}
}
