package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// result is everything one run measured and found.
type result struct {
	Config             config      `json:"-"`
	Server             string      `json:"server"`
	Servers            []string    `json:"servers,omitempty"`              // the instances, when several
	ConnectedPerServer []int       `json:"connected_per_server,omitempty"` // tabs connected to each of them
	Rooms              int         `json:"rooms"`
	Clients            int         `json:"clients"`
	AuthorsPerRoom     int         `json:"authors_per_room"`
	Rate               float64     `json:"rate_per_author"`
	Clauses            int         `json:"clauses"`
	Keep               int         `json:"keep"`
	Carets             bool        `json:"carets"`
	Polled             bool        `json:"polled"` // the tabs were read by a poller (-poll)
	SetupSeconds       float64     `json:"setup_seconds"`
	ConnectSeconds     float64     `json:"connect_seconds"`
	Connected          int         `json:"connected"`
	Authors            int         `json:"authors"`
	TypingSeconds      float64     `json:"typing_seconds"`
	Keystrokes         int64       `json:"keystrokes"`
	Skipped            int64       `json:"keystrokes_skipped"`
	KeystrokesPerSec   float64     `json:"keystrokes_per_sec"`
	TargetPerSec       float64     `json:"target_per_sec"`
	OpsSent            int64       `json:"ops_sent"`
	OpsCommitted       int64       `json:"ops_committed"`
	CommittedPerSec    float64     `json:"ops_committed_per_sec"`
	Ack                latency     `json:"ack"`
	Broadcast          latency     `json:"broadcast"`
	Errors             int         `json:"errors"`
	ErrorSamples       []string    `json:"error_samples,omitempty"`
	Dropped            int64       `json:"dropped_connections"`
	Unmatched          int64       `json:"unmatched"`
	CPU                *cpuUse     `json:"cpu_during_typing,omitempty"`
	Memory             *memPerConn `json:"memory,omitempty"`
	MemoryError        string      `json:"memory_error,omitempty"`
	Check              checkResult `json:"check"`
	Pass               bool        `json:"pass"`
}

func (r *result) print(w io.Writer, asJSON bool) error {
	c := r.Config
	r.Rooms, r.Clients, r.AuthorsPerRoom, r.Rate, r.Clauses, r.Carets = c.Rooms, c.Clients, c.Authors, c.Rate, c.Clauses, c.Carets
	if asJSON {
		e := json.NewEncoder(w)
		e.SetIndent("", "  ")
		return e.Encode(r)
	}
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	carets := "carets sent"
	if !c.Carets {
		carets = "no carets"
	}
	if c.Thin {
		carets += fmt.Sprintf(", authors past the first %d of a room thin", fullAuthors)
	}
	reader := "a goroutine per tab"
	if r.Polled {
		reader = "tabs read by a poller"
	}
	p("liveload  %s: %d rooms, %d tabs (%d authors per room), %g ops/s per author, %s, %d clause(s), keep %d, %s; %s",
		r.Server, c.Rooms, c.Clients, c.Authors, c.Rate, c.Duration, c.Clauses, r.Keep, carets, reader)
	p("setup     %.1fs; connected %d of %d tabs in %.1fs", r.SetupSeconds, r.Connected, c.Clients, r.ConnectSeconds)
	for i, u := range r.Servers {
		p("          %d tabs to %s", r.ConnectedPerServer[i], u)
	}
	p("typing    %d keystrokes in %.1fs: %.1f/s of %.1f/s intended (%d skipped late)",
		r.Keystrokes, r.TypingSeconds, r.KeystrokesPerSec, r.TargetPerSec, r.Skipped)
	p("ops       %d sent, %d committed: %.1f/s", r.OpsSent, r.OpsCommitted, r.CommittedPerSec)
	p("ack       %s", r.Ack)
	p("broadcast %s", r.Broadcast)
	if u := r.CPU; u != nil {
		if r.Config.InProcess {
			p("cpu       during typing: server and tool %.2f cores; machine busy %.2f of %d cores, other processes %.2f", u.Tool, u.Machine, u.Cores, u.Others)
		} else {
			p("cpu       during typing: server %.2f cores, tool %.2f; machine busy %.2f of %d cores, other processes %.2f", u.Server, u.Tool, u.Machine, u.Cores, u.Others)
			if u.OtherInstances > 0 || u.Database > 0 {
				p("cpu       besides: other instances %.2f cores, database server %.2f (not counted in other processes)", u.OtherInstances, u.Database)
			}
		}
	}
	p("faults    errors %d, dropped connections %d, unmatched %d", r.Errors, r.Dropped, r.Unmatched)
	for _, e := range r.ErrorSamples {
		p("          %s", e)
	}
	if m := r.Memory; m != nil {
		if m.HeapStackPer != 0 || m.After != 0 {
			p("memory    %.1f KiB per connection: heap in use + stacks %.1f → %.1f MiB for %d connections (stacks %.1f KiB/conn, live heap %.1f KiB/conn, %.1f goroutines/conn) [%s]",
				m.HeapStackPer/1024, mib(m.Before), mib(m.After), m.Connections, m.StackPer/1024, m.HeapAllocPer/1024, m.GoroutinesPer, m.Source)
		}
		if m.RSSAfter > 0 {
			p("          RSS %.1f KiB per connection: %.1f → %.1f MiB", m.RSSPer/1024, mib(m.RSSBefore), mib(m.RSSAfter))
		}
	} else if r.MemoryError != "" {
		p("memory    not read: %s", r.MemoryError)
	} else {
		p("memory    not read (give -server-pid or -pprof, or use -spawn)")
	}
	k := r.Check
	p("check     settled %v in %.1fs; %d tabs, %d differ from the server; %d markers (%d deleted): %d missing, %d duplicated, %d deleted but present, %d unknown",
		k.Settled, k.SettleSeconds, k.TabsChecked, k.Mismatched, k.Markers, k.Deleted, k.Missing, k.Duplicated, k.DeletedPresent, k.Unknown)
	for _, s := range k.Problems {
		p("          %s", s)
	}
	if r.Pass {
		p("PASS")
	} else {
		p("FAIL")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func (l latency) String() string {
	return fmt.Sprintf("n=%d  p50 %.2fms  p95 %.2fms  p99 %.2fms  max %.2fms  mean %.2fms", l.N, l.P50, l.P95, l.P99, l.Max, l.Mean)
}

func mib(b uint64) float64 { return float64(b) / (1 << 20) }
