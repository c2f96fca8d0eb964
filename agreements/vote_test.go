package agreements

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// votes builds votes from a string of answers: y yes, Y yes-but, n no, N no-but, a abstain.
func votes(answers string, values ...string) []Vote {
	code := map[rune]Answer{'y': AnswerYes, 'Y': AnswerYesBut, 'n': AnswerNo, 'N': AnswerNoBut, 'a': AnswerAbstain}
	var out []Vote
	for i, c := range answers {
		v := Vote{Answer: code[c]}
		if i < len(values) {
			v.Value = values[i]
		}
		out = append(out, v)
	}
	return out
}

func TestTally(t *testing.T) {
	rules := func(q, th int) VoteRules { return VoteRules{Quorum: q, Threshold: th} }
	for _, tc := range []struct {
		name       string
		answers    string
		households int
		rules      VoteRules
		quorum     bool
		adopted    bool
	}{
		{"all yes", "yyyy", 4, rules(50, 50), true, true},
		{"quorum exactly met", "yy", 4, rules(50, 50), true, true},
		{"quorum one short", "yy", 5, rules(50, 50), false, false},
		{"abstentions count toward the quorum", "yaa", 6, rules(50, 50), true, true},
		{"threshold exactly met", "yyn", 3, rules(0, 66), true, true},
		{"threshold just missed", "yyn", 3, rules(0, 67), true, false},
		{"yes-but counts as yes", "YYnn", 4, rules(0, 50), true, true},
		{"no-but counts as no", "yNN", 3, rules(0, 50), true, false},
		{"abstentions do not count toward the threshold", "yaaaaan", 7, rules(50, 50), true, true},
		{"all abstain: not adopted", "aaaa", 4, rules(50, 50), true, false},
		{"nobody voted", "", 4, rules(0, 50), true, false},
		{"a tie at 50 %", "yn", 2, rules(0, 50), true, true},
		{"a tie under a 51 % threshold", "yn", 2, rules(0, 51), true, false},
		{"a class without households", "", 0, rules(0, 50), false, false},
		{"unanimity", "yyyyyyyyyyn", 11, rules(0, 100), true, false},
	} {
		r := Tally("k", votes(tc.answers), tc.households, tc.rules, nil)
		if r.QuorumMet != tc.quorum || r.Adopted != tc.adopted {
			t.Errorf("%s: quorum %v adopted %v, want %v %v (%+v)", tc.name, r.QuorumMet, r.Adopted, tc.quorum, tc.adopted, r.Counts)
		}
	}
}

func TestDecide(t *testing.T) {
	ages := &Parameter{Kind: ParamNumber, Protective: "high", Value: "13",
		Options: opts("10", "11", "12", "13", "14", "15")}
	times := &Parameter{Kind: ParamTime, Protective: "low", Value: "20:00",
		Options: opts("19:00", "19:30", "20:00", "20:30", "21:00")}
	chat := &Parameter{Kind: ParamChoice, Value: "parents", Options: opts("no-chat", "teacher", "parents")}
	for _, tc := range []struct {
		name   string
		p      *Parameter
		values []string
		want   string
	}{
		{"median of an odd count", ages, []string{"15", "10", "13", "12", "14"}, "13"},
		{"even count: the more protective middle (older)", ages, []string{"12", "13", "14", "10"}, "13"},
		{"even count of two", ages, []string{"11", "15"}, "15"},
		{"even count, times: the more protective middle (earlier)", times, []string{"21:00", "20:00", "19:30", "20:30"}, "20:00"},
		{"median time", times, []string{"21:00", "21:00", "19:00"}, "21:00"},
		{"no preferences: the current value stands", ages, nil, "13"},
		{"plurality", chat, []string{"parents", "teacher", "teacher"}, "teacher"},
		{"a tie goes to the more protective", chat, []string{"parents", "no-chat", "parents", "no-chat"}, "no-chat"},
		{"a three-way tie", chat, []string{"parents", "teacher", "no-chat"}, "no-chat"},
	} {
		if got := Decide(tc.p, tc.values); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

func opts(values ...string) []Option {
	var out []Option
	for _, v := range values {
		out = append(out, Option{Value: v, Label: v})
	}
	return out
}

func TestTallyDecidesTheValue(t *testing.T) {
	ages := &Parameter{Kind: ParamNumber, Protective: "high", Value: "13", Options: opts("10", "11", "12", "13", "14", "15")}
	r := Tally("k", votes("yyyn", "12", "14", "15", "99"), 4, VoteRules{Quorum: 50, Threshold: 50}, ages)
	if !r.Adopted || r.Value != "14" || r.Values["99"] != 0 || r.Values["15"] != 1 {
		t.Errorf("%+v", r)
	}
}

func TestHolding(t *testing.T) {
	for _, tc := range []struct {
		name       string
		conditions []int
		households int
		holding    int
		active75   bool
	}{
		{"the issue's example", []int{0, 50, 50, 80, 100}, 5, 5, true},
		{"without the one who needs everyone", []int{0, 50, 50, 80}, 5, 4, true},
		{"an 80 % condition needs four of five; 50 % needs three", []int{0, 50, 80}, 5, 1, false},
		{"conditions that only hold together", []int{60, 60, 60}, 5, 3, false},
		{"one too demanding", []int{0, 0, 0, 100}, 5, 3, false},
		{"everyone unconditional", []int{0, 0, 0, 0}, 4, 4, true},
		{"nobody", nil, 5, 0, false},
		{"all wait for all", []int{100, 100, 100}, 3, 3, true},
		{"all wait for all, one family missing", []int{100, 100, 100}, 4, 0, false},
		{"a family joins after signing started", []int{0, 50, 50, 80, 100}, 6, 3, false},
	} {
		got := Holding(tc.conditions, tc.households)
		c := Commit(sigs(tc.conditions...), tc.households, 75)
		if got != tc.holding || c.Holding != tc.holding || c.Active != tc.active75 {
			t.Errorf("%s: holding %d active %v, want %d %v", tc.name, got, c.Active, tc.holding, tc.active75)
		}
	}
}

func sigs(conds ...int) []Signature {
	var out []Signature
	for _, c := range conds {
		out = append(out, Signature{MinPercent: c})
	}
	return out
}

func TestCommitNeeded(t *testing.T) {
	for _, tc := range []struct {
		conds      []int
		households int
		needed     int
	}{
		{[]int{0, 0, 0}, 24, 15},      // 18 of 24 = 75 %
		{[]int{80, 80, 80, 80}, 5, 0}, // 4 of 5 = 80 %: they hold and it is active
		{[]int{90, 90, 90, 90}, 5, 1}, // a fifth unconditional family brings all in
		{make([]int, 18), 24, 0},      // active
		{[]int{100}, 2, 1},            // one more makes 100 %
	} {
		c := Commit(sigs(tc.conds...), tc.households, 75)
		if c.Needed != tc.needed {
			t.Errorf("%v of %d: needed %d, want %d (%+v)", tc.conds, tc.households, c.Needed, tc.needed, c)
		}
	}
	// Withdrawing is signing less: the commitment follows.
	all := sigs(0, 0, 0, 0)
	if !Commit(all, 5, 75).Active || Commit(all[:3], 5, 75).Active {
		t.Error("withdrawing one of four in a class of five must end activation at 75 %")
	}
}

func TestCheckinSummary(t *testing.T) {
	c := &Checkin{ID: "c"}
	four := []CheckinReply{{Answer: CheckinKept}, {Answer: CheckinKept}, {Answer: CheckinPartly, Comment: "b"}, {Answer: CheckinNotKept}}
	if r := Summarize(c, four); r.Shown || r.Kept != 0 || len(r.Comments) != 0 || r.Answers != 4 {
		t.Errorf("four answers shown: %+v", r)
	}
	five := append(slices.Clone(four), CheckinReply{Answer: CheckinKept, Comment: "a"})
	r := Summarize(c, five)
	if !r.Shown || r.Kept != 3 || r.Partly != 1 || r.NotKept != 1 || strings.Join(r.Comments, ",") != "a,b" {
		t.Errorf("five answers: %+v", r)
	}
}

func TestVoteRulesAndReview(t *testing.T) {
	now := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	past := now.Add(-time.Hour)
	for _, r := range []VoteRules{{Quorum: -1, Threshold: 50}, {Quorum: 50, Threshold: 0}, {Quorum: 101, Threshold: 50}, {Quorum: 50, Threshold: 50, ClosesAt: &past}} {
		if r.Validate(now) == nil {
			t.Errorf("%+v accepted", r)
		}
	}
	if (VoteRules{Quorum: 0, Threshold: 100}).Validate(now) != nil {
		t.Error("valid rules refused")
	}
	for in, want := range map[string]string{"2026-11-23": "2027-08-01", "2027-07-31": "2027-08-01", "2027-08-01": "2028-08-01"} {
		d, _ := time.Parse("2006-01-02", in)
		if got := NextAugustFirst(d).Format("2006-01-02"); got != want {
			t.Errorf("review after %s: %s, want %s", in, got, want)
		}
	}
}

// A family that says "Ja" to a clause showing 20:00 says yes to 20:00: one "Nej, men 21:00"
// does not outweigh two such yeses.
func TestAYesCountsForTheValueTheClauseShowed(t *testing.T) {
	times := func() *Parameter {
		return &Parameter{Kind: ParamTime, Protective: "low", Value: "20:00", Opened: "20:00",
			Options: opts("19:00", "19:30", "20:00", "20:30", "21:00")}
	}
	rules := VoteRules{Quorum: 50, Threshold: 50}
	r := Tally("k", votes("yyN", "", "", "21:00"), 3, rules, times())
	if !r.Adopted || r.Value != "20:00" || r.Values["20:00"] != 2 || r.Values["21:00"] != 1 ||
		r.Preferences != 3 || r.Implied != 2 || r.Rule != RuleMedian || r.Shown != "20:00" {
		t.Errorf("two Ja and one Nej, men 21:00: %+v", r)
	}
	var chosen []string
	for _, o := range r.Distribution {
		if o.Chosen {
			chosen = append(chosen, o.Value+":"+strconv.Itoa(o.Count))
		}
	}
	if len(r.Distribution) != 5 || !slices.Equal(chosen, []string{"20:00:2"}) {
		t.Errorf("distribution %+v", r.Distribution)
	}
	for _, tc := range []struct {
		name    string
		answers string
		values  []string
		want    string
		prefs   int
	}{
		{"Ja, men without a preference counts for the shown value", "YN", []string{"", "21:00"}, "20:00", 2},
		{"Nej without a preference counts for none", "nnN", []string{"", "", "21:00"}, "21:00", 1},
		{"Nej, men without a preference counts for none", "NN", nil, "20:00", 0},
		{"abstaining counts for none", "aaN", []string{"", "", "21:00"}, "21:00", 1},
		{"an explicit preference wins over the shown value", "yy", []string{"21:00", "21:00"}, "21:00", 2},
		{"a Nej with a preference counts for it", "ynn", []string{"", "19:00", "19:00"}, "19:00", 3},
	} {
		r := Tally("k", votes(tc.answers, tc.values...), 3, rules, times())
		if r.Value != tc.want || r.Preferences != tc.prefs {
			t.Errorf("%s: %q from %d preferences %v, want %q from %d", tc.name, r.Value, r.Preferences, r.Values, tc.want, tc.prefs)
		}
	}
	// A vote decided before the shown value was kept counts a bare "Ja" for no value.
	legacy := times()
	legacy.Opened = ""
	if r := Tally("k", votes("yyN", "", "", "21:00"), 3, rules, legacy); r.Value != "21:00" || r.Preferences != 1 {
		t.Errorf("without a recorded value: %+v", r)
	}
}

// The median rule: the middle of N families' preferences; with an even count, of the two in
// the middle the more protective one; no preferences leave the shown value and say so.
func TestTheMedianRule(t *testing.T) {
	ages := &Parameter{Kind: ParamNumber, Protective: "high", Value: "13", Opened: "13", Options: opts("10", "11", "12", "13", "14", "15")}
	rules := VoteRules{Threshold: 50}
	for _, tc := range []struct {
		name    string
		answers string
		values  []string
		want    string
		rule    Rule
	}{
		{"the middle of five", "yyyyy", []string{"10", "11", "14", "15", "15"}, "14", RuleMedian},
		{"the middle of four: the older of 13 and 14", "yyyy", []string{"12", "13", "14", "15"}, "14", RuleMedian},
		{"three bare Ja for 13 against two for 15", "yyyyy", []string{"", "", "", "15", "15"}, "13", RuleMedian},
		{"two bare Ja for 13 against two for 15: the older", "yyyy", []string{"", "", "15", "15"}, "15", RuleMedian},
		{"only Nej: no preference, 13 stands", "nn", nil, "13", RuleUnchanged},
	} {
		r := Tally("k", votes(tc.answers, tc.values...), 5, rules, ages)
		if r.Value != tc.want || r.Rule != tc.rule {
			t.Errorf("%s: %q by %q, want %q by %q (%v)", tc.name, r.Value, r.Rule, tc.want, tc.rule, r.Values)
		}
	}
	chat := &Parameter{Kind: ParamChoice, Value: "parents", Opened: "parents", Options: opts("no-chat", "teacher", "parents")}
	if r := Tally("k", votes("yyN", "", "teacher", "teacher"), 3, rules, chat); r.Rule != RulePlurality || r.Value != "teacher" {
		t.Errorf("a choice by plurality: %+v", r)
	}
}
