// Package live is the WebSocket side of co-drafting (docs/protocol.md): one goroutine per room
// (agreement) orders its edits and fans out what was committed; one reader and one writer
// goroutine per connection.
package live

import (
	"klasseaftale/agreements"
	"klasseaftale/agreements/ot"
)

// inMsg is any message a client sends; Type says which fields matter.
type inMsg struct {
	Type   string         `json:"type"`
	Client string         `json:"client"`
	Resume map[string]int `json:"resume"`
	Clause string         `json:"clause"`
	Rev    int            `json:"rev"`
	Seq    int            `json:"seq"`
	Op     ot.Op          `json:"op"`
	Sel    []int          `json:"sel"`
	Away   bool           `json:"away"`
	Title  *string        `json:"title"`
	Body   string         `json:"body"`
	After  *string        `json:"after"`
	Value  *string        `json:"value"`
}

// pongFrame answers a tab's ping (its heartbeat).
var pongFrame = []byte(`{"type":"pong"}`)

// opMsg is a committed operation: to its author the acknowledgement, to the others the change.
type opMsg struct {
	Type   string `json:"type"`
	Clause string `json:"clause"`
	Rev    int    `json:"rev"`
	Client string `json:"client"`
	Seq    int    `json:"seq"`
	Member string `json:"member"`
	Op     ot.Op  `json:"op"`
}

func newOpMsg(clauseID string, r *agreements.OpRecord) opMsg {
	return opMsg{Type: "op", Clause: clauseID, Rev: r.Rev, Client: r.Client, Seq: r.Seq, Member: r.MemberID, Op: r.Op}
}

// memberRef is how a person appears to the others in the room.
type memberRef struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Color     string `json:"color"`
	Household string `json:"household,omitempty"`
}

func refOf(m *agreements.Member) memberRef {
	return memberRef{ID: m.ID, Name: m.Name, Color: m.Color, Household: m.HouseholdID}
}

// presenceMsg says where someone is: which clause, their selection at a revision, whether
// their tab is hidden, and whether they are gone.
type presenceMsg struct {
	Type   string    `json:"type"`
	Member memberRef `json:"member"`
	Client string    `json:"client"`
	Clause *string   `json:"clause"`
	Sel    []int     `json:"sel"`
	Rev    int       `json:"rev"`
	Away   bool      `json:"away"`
	Gone   bool      `json:"gone"`
}

type welcomeMsg struct {
	Type      string                `json:"type"`
	Client    string                `json:"client"`
	Seq       int                   `json:"seq"` // the highest seq the tab has used in the agreement: its next op must be higher
	Member    *agreements.Member    `json:"member"`
	Agreement *agreements.Agreement `json:"agreement"`
	Presence  []presenceMsg         `json:"presence"`
}

type clauseMsg struct {
	Type   string             `json:"type"`
	Clause *agreements.Clause `json:"clause"`
}

type removedMsg struct {
	Type   string `json:"type"`
	Clause string `json:"clause"`
}

type orderMsg struct {
	Type    string   `json:"type"`
	Clauses []string `json:"clauses"`
}

type agreementMsg struct {
	Type      string                `json:"type"`
	Agreement *agreements.Agreement `json:"agreement"`
}

type resultsMsg struct {
	Type    string              `json:"type"`
	Results *agreements.Results `json:"results"`
}

type errorMsg struct {
	Type    string `json:"type"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Clause  string `json:"clause,omitempty"`
	Seq     int    `json:"seq,omitempty"`
}

// eventMsg turns a committed change into what the room is told.
func eventMsg(e agreements.Event) any {
	switch e.Type {
	case agreements.EventOp:
		return newOpMsg(e.Clause.ID, e.Op)
	case agreements.EventClause:
		return clauseMsg{Type: "clause", Clause: e.Clause}
	case agreements.EventClauseRemoved:
		return removedMsg{Type: "clause.removed", Clause: e.ClauseID}
	case agreements.EventOrder:
		return orderMsg{Type: "order", Clauses: e.Order}
	case agreements.EventAgreement:
		return agreementMsg{Type: "agreement", Agreement: e.Agreement}
	case agreements.EventResults:
		return resultsMsg{Type: "results", Results: e.Results}
	}
	return nil
}
