package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"klasseaftale/agreements/ot"
)

// maxParents is how many parents join one class: a class holds 400 members, its facilitator
// included. Tabs beyond that are second tabs of the same parents.
const maxParents = 399

// roomSetup is one class with its agreement, made through the API.
type roomSetup struct {
	Index       int
	ClassID     string
	Facilitator string // token
	Agreement   string
	Clauses     []string // the clauses authors type into
	InitialLen  int      // the longest of their bodies at the start, in UTF-16 code units
	Parents     []string // tokens
}

// api is a small JSON client of the server's HTTP API.
type api struct {
	base string
	hc   *http.Client

	mu      sync.Mutex
	sources []*http.Client // class creation, one per loopback source address
	source  int
}

func newAPI(base string) *api {
	tr := &http.Transport{MaxIdleConnsPerHost: 32, IdleConnTimeout: 30 * time.Second}
	return &api{base: base, hc: &http.Client{Transport: tr, Timeout: 60 * time.Second}}
}

// do sends a request and decodes a 2xx answer into out; it returns the status.
func (a *api) do(ctx context.Context, hc *http.Client, method, path, token string, body, out any) (int, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, a.base+path, rd)
	if err != nil {
		return 0, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := hc.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(io.LimitReader(res.Body, 4<<20))
	if err != nil {
		return res.StatusCode, err
	}
	if res.StatusCode/100 != 2 {
		return res.StatusCode, fmt.Errorf("%s %s: %d %s", method, path, res.StatusCode, bytes.TrimSpace(data))
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return res.StatusCode, fmt.Errorf("%s %s: %w", method, path, err)
		}
	}
	return res.StatusCode, nil
}

// sourceClient returns the client that creates classes now: the default one first, then one
// bound to 127.0.0.2, 127.0.0.3, … as each address uses up its creation budget. It returns nil
// when there is no further address to move to.
func (a *api) sourceClient(next bool) *http.Client {
	a.mu.Lock()
	defer a.mu.Unlock()
	if next {
		a.source++
	}
	if a.source == 0 {
		return a.hc
	}
	u, _ := url.Parse(a.base)
	ip := net.ParseIP(u.Hostname())
	if (ip == nil || ip.To4() == nil || !ip.IsLoopback()) && u.Hostname() != "localhost" {
		return nil // only IPv4 loopback offers other source addresses
	}
	if a.source > 250*4 {
		return nil
	}
	for len(a.sources) < a.source {
		n := len(a.sources) // 127.0.0.2 … 127.0.0.251, then 127.0.1.2 …
		src := net.IPv4(127, 0, byte(n/250), byte(n%250+2))
		d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: src}, Timeout: 10 * time.Second}
		tr := &http.Transport{DialContext: d.DialContext, MaxIdleConnsPerHost: 2}
		a.sources = append(a.sources, &http.Client{Transport: tr, Timeout: 60 * time.Second})
	}
	return a.sources[a.source-1]
}

// createClass creates a class, moving to the next source address on 429.
func (a *api) createClass(ctx context.Context, name string, grade int) (id, parentCode, token string, err error) {
	var out struct {
		Class struct {
			ID         string `json:"id"`
			ParentCode string `json:"parent_code"`
		} `json:"class"`
		Token string `json:"token"`
	}
	body := map[string]any{"name": name, "grade": grade, "facilitator_name": "Lærer"}
	hc := a.sourceClient(false)
	for hc != nil {
		status, err := a.do(ctx, hc, "POST", "/api/v1/classes", "", body, &out)
		if status == http.StatusTooManyRequests {
			hc = a.sourceClient(true)
			continue
		}
		return out.Class.ID, out.Class.ParentCode, out.Token, err
	}
	return "", "", "", errors.New("creating classes is rate-limited (429) and no other loopback source address is left")
}

// templateKeys picks templates, in the library's order, until they give the agreement at
// least n clauses at the grade.
func (a *api) templateKeys(ctx context.Context, grade, n int) ([]string, error) {
	var lib struct {
		Templates []struct {
			Key     string `json:"key"`
			Clauses []struct {
				Grades []int `json:"grades"`
			} `json:"clauses"`
		} `json:"templates"`
	}
	path := fmt.Sprintf("/api/v1/templates?kind=parents&grade=%d&lang=da", grade)
	if _, err := a.do(ctx, a.hc, "GET", path, "", nil, &lib); err != nil {
		return nil, err
	}
	var keys []string
	have := 0
	for _, t := range lib.Templates {
		keys = append(keys, t.Key)
		for _, c := range t.Clauses {
			if len(c.Grades) == 2 && c.Grades[0] <= grade && grade <= c.Grades[1] {
				have++
			}
		}
		if have >= n {
			return keys, nil
		}
	}
	return nil, fmt.Errorf("the templates for grade %d give %d clauses, fewer than -clauses %d", grade, have, n)
}

// agreementView is the part of GET /api/v1/agreements/{id} the tool reads.
type agreementView struct {
	ID      string `json:"id"`
	Clauses []struct {
		ID   string `json:"id"`
		Body string `json:"body"`
		Rev  int    `json:"rev"`
	} `json:"clauses"`
}

func (a *api) agreement(ctx context.Context, id, token string) (*agreementView, error) {
	var v agreementView
	_, err := a.do(ctx, a.hc, "GET", "/api/v1/agreements/"+id, token, nil, &v)
	return &v, err
}

// setupRooms makes the classes, joins the parents and starts the agreements. tabs[i] is the
// number of tabs of room i.
func setupRooms(ctx context.Context, a *api, cfg config, tabs []int) ([]*roomSetup, error) {
	keys, err := a.templateKeys(ctx, cfg.Grade, cfg.Clauses)
	if err != nil {
		return nil, err
	}
	rooms := make([]*roomSetup, len(tabs))
	for i := range rooms {
		r := &roomSetup{Index: i}
		var code string
		r.ClassID, code, r.Facilitator, err = a.createClass(ctx, fmt.Sprintf("Last %d", i+1), cfg.Grade)
		if err != nil {
			return nil, err
		}
		if r.Parents, err = a.joinAll(ctx, code, i, min(tabs[i], maxParents)); err != nil {
			return nil, err
		}
		var ag agreementView
		body := map[string]any{"kind": "parents", "templates": keys, "lang": "da"}
		if _, err := a.do(ctx, a.hc, "POST", "/api/v1/classes/"+r.ClassID+"/agreements", r.Facilitator, body, &ag); err != nil {
			return nil, err
		}
		if len(ag.Clauses) < cfg.Clauses {
			return nil, fmt.Errorf("agreement %s has %d clauses, want %d", ag.ID, len(ag.Clauses), cfg.Clauses)
		}
		r.Agreement = ag.ID
		for _, c := range ag.Clauses[:cfg.Clauses] {
			r.Clauses = append(r.Clauses, c.ID)
			r.InitialLen = max(r.InitialLen, ot.Len(c.Body))
		}
		rooms[i] = r
	}
	return rooms, nil
}

// joinAll joins n parents, each with a child of their own, a few at a time.
func (a *api) joinAll(ctx context.Context, code string, room, n int) ([]string, error) {
	tokens := make([]string, n)
	errs := make([]error, n)
	sem := make(chan struct{}, 8)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			var out struct {
				Token string `json:"token"`
			}
			body := map[string]any{"code": code, "name": fmt.Sprintf("Forælder %d.%d", room+1, i+1), "household": fmt.Sprintf("Barn %d", i+1)}
			_, errs[i] = a.do(ctx, a.hc, "POST", "/api/v1/join", "", body, &out)
			tokens[i] = out.Token
		}()
	}
	wg.Wait()
	return tokens, errors.Join(errs...)
}
