package e2e

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"

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
	get(t, p, "the accessibility tree", chromedp.Action[bool](func(ctx context.Context, tg *chromedp.Target) (bool, error) {
		tree, err := cdp.Call(ctx, tg, accessibility.GetFullAXTree, accessibility.GetFullAXTreeParams{})
		if err != nil {
			return false, err
		}
		for _, n := range tree.Nodes {
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
		return true, nil
	}))
	if radios < 5*len(draft.Clauses) || invalid != 0 {
		t.Errorf("%d radios, %d of them invalid before anything is chosen", radios, invalid)
	}
}
