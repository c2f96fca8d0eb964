package main

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// checkResult is what the end of the run found.
type checkResult struct {
	Settled        bool     `json:"settled"`
	SettleSeconds  float64  `json:"settle_seconds"`
	TabsChecked    int      `json:"tabs_checked"`
	Mismatched     int      `json:"tabs_differing_from_server"`
	Markers        int      `json:"markers_typed"`
	Deleted        int      `json:"markers_deleted"`
	Missing        int      `json:"markers_missing"`
	Duplicated     int      `json:"markers_duplicated"`
	DeletedPresent int      `json:"deleted_markers_present"`
	Unknown        int      `json:"unknown_markers"`
	Problems       []string `json:"problems,omitempty"`
}

func (c *checkResult) problem(format string, args ...any) {
	if len(c.Problems) < 10 {
		c.Problems = append(c.Problems, fmt.Sprintf(format, args...))
	}
}

func (c *checkResult) ok() bool {
	return c.Settled && c.Mismatched == 0 && c.Missing == 0 && c.Duplicated == 0 && c.DeletedPresent == 0 && c.Unknown == 0
}

// settle waits until, in every room, no tab has an operation in flight and every tab has seen
// the server's latest revision of each clause typed into.
func (r *runner) settle(ctx context.Context, timeout time.Duration, res *checkResult) {
	start := time.Now()
	deadline := start.Add(timeout)
	defer func() { res.SettleSeconds = time.Since(start).Seconds() }()
	for _, rm := range r.rooms {
		for !r.settled(ctx, rm) {
			if time.Now().After(deadline) || ctx.Err() != nil {
				res.problem("room %d did not settle within %s", rm.setup.Index+1, timeout)
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	res.Settled = true
}

func (r *runner) settled(ctx context.Context, rm *room) bool {
	for _, t := range rm.tabs {
		if !t.dead.Load() && (t.pending() || t.gone()) {
			return false
		}
	}
	v, err := r.api.agreement(ctx, rm.setup.Agreement, rm.setup.Facilitator)
	if err != nil {
		return false
	}
	for _, id := range rm.setup.Clauses {
		rev := -1
		for _, c := range v.Clauses {
			if c.ID == id {
				rev = c.Rev
			}
		}
		for _, t := range rm.tabs {
			if !t.dead.Load() && !t.thin && t.c.Rev(id) != rev {
				return false
			}
		}
	}
	return true
}

// check compares every tab's text of each clause with the server's, and counts every marker
// in the server's text: once if it was typed and not deleted, never otherwise.
func (r *runner) check(ctx context.Context, res *checkResult) {
	for _, rm := range r.rooms {
		v, err := r.api.agreement(ctx, rm.setup.Agreement, rm.setup.Facilitator)
		if err != nil {
			res.problem("room %d: %v", rm.setup.Index+1, err)
			res.Mismatched++
			continue
		}
		bodies := map[string]string{}
		counts := map[string]int{}
		for _, c := range v.Clauses {
			bodies[c.ID] = c.Body
			for _, m := range markersIn(c.Body) {
				counts[m]++
			}
		}
		for _, t := range rm.tabs {
			if t.dead.Load() || t.thin { // a thin tab keeps no copy
				continue
			}
			res.TabsChecked++
			for id, body := range bodies {
				if got := t.c.Text(id); got != body {
					res.Mismatched++
					res.problem("%s: clause %s differs from the server's (%d vs %d bytes)", t.id, id, len(got), len(body))
					break
				}
			}
		}
		for _, a := range rm.authors {
			for _, m := range a.markers {
				res.Markers++
				n := counts[m.text]
				delete(counts, m.text)
				switch {
				case m.deleted:
					res.Deleted++
					if n != 0 {
						res.DeletedPresent++
						res.problem("deleted marker %s is there %d times", m.text, n)
					}
				case n == 0:
					res.Missing++
					res.problem("marker %s is missing", m.text)
				case n > 1:
					res.Duplicated++
					res.problem("marker %s is there %d times", m.text, n)
				}
			}
		}
		for m := range counts {
			res.Unknown++
			res.problem("room %d: marker %s was never typed", rm.setup.Index+1, m)
		}
	}
}

// markersIn lists the ⟦…⟧ markers of a text.
func markersIn(s string) []string {
	var out []string
	for {
		i := strings.Index(s, "⟦")
		if i < 0 {
			return out
		}
		j := strings.Index(s[i:], "⟧")
		if j < 0 {
			return out
		}
		out = append(out, s[i:i+j+len("⟧")])
		s = s[i+j+len("⟧"):]
	}
}
