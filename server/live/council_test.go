package live_test

import (
	"testing"

	"klasseaftale/internal/apptest"
	"klasseaftale/internal/liveclient"
)

// A class's agreement started from its pupil council's: the welcome carries each clause with
// the council's text, and a change to a clause tells everyone whether it now differs from it.
func TestLiveClausesCarryTheCouncilsText(t *testing.T) {
	app := apptest.New(t)
	s := app.NewSchool("Bakkeskolen")
	class := app.NewClassIn("4.A", 4, s.OrganiserCode)
	council := app.NewCouncil(s, "Elevrådet")
	_, member := app.JoinCouncil(council.PupilCode, "Lynet", class.ID)
	app.PublishCouncilAgreement(council, []string{member}, "pupil-tone", "pupil-photos")
	_, pupil := app.Join(class.PupilCode, "Kalle", "")
	r := &room{app: app, class: class, draft: app.StartFromCouncil(class)}

	ws, _, err := r.dial(t, pupil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	c := &raw{t: t, ws: ws}
	c.send(map[string]any{"type": "hello", "client": "tab1"})
	welcome := c.next("welcome")
	ag := welcome["agreement"].(liveclient.Msg)
	if ag["council_agreement_id"] == "" || ag["council_agreement_id"] == nil {
		t.Errorf("the welcome's agreement has no council_agreement_id: %v", ag)
	}
	first := ag["clauses"].([]any)[0].(liveclient.Msg)
	origin, _ := first["council"].(liveclient.Msg)
	if origin == nil || origin["body"] != first["body"] || origin["changed"] != false {
		t.Fatalf("the welcome's first clause: %v", first)
	}

	watcher := r.raw(t, class.Facilitator, "tab2")
	c.send(map[string]any{"type": "clause.title", "clause": first["id"], "title": "Vores tone"})
	for _, conn := range []*raw{c, watcher} {
		got := conn.next("clause")["clause"].(liveclient.Msg)
		o := got["council"].(liveclient.Msg)
		if o["changed"] != true || o["title"] != first["title"] || got["title"] != "Vores tone" {
			t.Errorf("the clause message after a new title: %v", got)
		}
	}
	c.send(map[string]any{"type": "clause.title", "clause": first["id"], "title": first["title"]})
	if o := c.next("clause")["clause"].(liveclient.Msg)["council"].(liveclient.Msg); o["changed"] != false {
		t.Errorf("the title as the council wrote it again: changed %v", o["changed"])
	}
}
