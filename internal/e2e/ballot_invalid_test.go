package e2e

import (
	"encoding/json"
	"testing"

	"klasseaftale/internal/apptest"
)

// A screen reader hears the ballot's answers as answers, not as errors: before anything is
// chosen no radio of the accessibility tree is invalid.
func TestBallotRadiosAreNotInvalid(t *testing.T) {
	t.Parallel()
	root := browser(t)
	app := apptest.New(t)
	_, draft, tok := fiveClauses(t, app)
	p := login(t, root, app, tok)
	do(t, p, "open the ballot", phone(), speak(app.URL, "da", "/a/"+draft.ID), ballotReady())
	radios, invalid := 0, 0
	for _, n := range get(t, p, "the accessibility tree", axTree()) {
		if n.Role == nil || string(n.Role.Value) != `"radio"` {
			continue
		}
		radios++
		for _, pr := range n.Properties {
			var v string
			_ = json.Unmarshal(pr.Value.Value, &v)
			if pr.Name == "invalid" && v != "false" {
				invalid++
			}
		}
	}
	if radios < 5*len(draft.Clauses) || invalid != 0 {
		t.Errorf("%d radios, %d of them invalid before anything is chosen", radios, invalid)
	}
}
