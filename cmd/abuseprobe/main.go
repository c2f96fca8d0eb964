// Command abuseprobe measures, from outside, how a running Klasseaftale server holds under the
// abuse its limits are there for. It targets loopback only, is bounded in count and time, and
// prints what it found:
//
//   - live connections one member token opens before the server refuses one, and the refusal;
//   - live connections one client address opens (with many members) before the refusal;
//   - /healthz latency (p50, max) from another address while those connections are held;
//   - wrong join codes that reach a lookup from one address, and from many addresses, in a
//     given time (the rest are refused by the guess limiter);
//   - bytes the database grows by per live message at most (with -db), from operations as large
//     as the message budget lets one connection send at once.
//
// On Linux all of 127.0.0.0/8 is loopback, so the probe speaks from 127.0.0.1 (the connections),
// 127.0.0.2 (/healthz), 127.0.0.3 (guesses from one address) and 127.2.x.y (many addresses).
//
// Usage, against a server started for it:
//
//	go build -o ka ./cmd/klasseaftale && ./ka -addr 127.0.0.1:8080 -db probe.db &
//	go run ./cmd/abuseprobe -url http://127.0.0.1:8080 -db probe.db
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"klasseaftale/agreements/ot"
	"klasseaftale/internal/liveclient"
)

func main() {
	base := flag.String("url", "http://127.0.0.1:8080", "the server, on loopback")
	db := flag.String("db", "", "the server's SQLite file, to measure bytes stored per live message (optional)")
	dur := flag.Duration("duration", 10*time.Second, "how long each guessing phase lasts")
	addrs := flag.Int("addresses", 1000, "client addresses guessing at once in the server-wide phase")
	maxConns := flag.Int("max-conns", 2000, "stop opening connections from one address after this many")
	ops := flag.Int("ops", 12, "large live operations to send for the bytes-per-message figure")
	flag.Parse()
	u, err := url.Parse(*base)
	if err != nil || !net.ParseIP(u.Hostname()).IsLoopback() {
		fmt.Fprintln(os.Stderr, "abuseprobe: -url must be an http address on loopback")
		os.Exit(2)
	}
	p := &probe{base: strings.TrimRight(*base, "/")}
	if err := p.run(*db, *dur, *addrs, *maxConns, *ops); err != nil {
		fmt.Fprintln(os.Stderr, "abuseprobe:", err)
		os.Exit(1)
	}
}

type probe struct {
	base string
}

// client is an HTTP client whose connections leave from the given loopback address.
func client(ip string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 10 * time.Second}
	return &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{DialContext: d.DialContext, MaxIdleConnsPerHost: 4}}
}

// call sends a JSON request and decodes a 2xx answer into out; it returns the status and, for
// an error answer, its code.
func (p *probe) call(hc *http.Client, method, path, token string, body, out any) (int, string, error) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, p.base+path, rd)
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := hc.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if res.StatusCode/100 != 2 {
		var e struct {
			Error struct{ Code string } `json:"error"`
		}
		json.Unmarshal(data, &e)
		return res.StatusCode, e.Error.Code, nil
	}
	if out != nil {
		return res.StatusCode, "", json.Unmarshal(data, out)
	}
	return res.StatusCode, "", nil
}

func (p *probe) must(hc *http.Client, method, path, token string, body, out any) error {
	status, code, err := p.call(hc, method, path, token, body, out)
	if err == nil && status/100 != 2 {
		err = fmt.Errorf("%s %s: %d %s", method, path, status, code)
	}
	return err
}

type class struct {
	ID, ParentCode, Token, Agreement string
	Clauses                          []string
}

func (p *probe) newClass(hc *http.Client, name string) (class, error) {
	var out struct {
		Class struct {
			ID         string `json:"id"`
			ParentCode string `json:"parent_code"`
		} `json:"class"`
		Token string `json:"token"`
	}
	if err := p.must(hc, "POST", "/api/v1/classes", "", map[string]any{"name": name, "grade": 4, "facilitator_name": "Lærer"}, &out); err != nil {
		return class{}, err
	}
	c := class{ID: out.Class.ID, ParentCode: out.Class.ParentCode, Token: out.Token}
	var a struct {
		ID      string `json:"id"`
		Clauses []struct {
			ID string `json:"id"`
		} `json:"clauses"`
	}
	if err := p.must(hc, "POST", "/api/v1/classes/"+c.ID+"/agreements", c.Token, map[string]any{"kind": "parents", "templates": []string{"class-chat"}, "lang": "da"}, &a); err != nil {
		return class{}, err
	}
	c.Agreement = a.ID
	for _, cl := range a.Clauses {
		c.Clauses = append(c.Clauses, cl.ID)
	}
	if len(c.Clauses) == 0 {
		return class{}, errors.New("the agreement has no clauses")
	}
	return c, nil
}

func (p *probe) join(hc *http.Client, code, name string) (string, error) {
	var out struct {
		Token string `json:"token"`
	}
	err := p.must(hc, "POST", "/api/v1/join", "", map[string]any{"code": code, "name": name, "household": name}, &out)
	return out.Token, err
}

// dial opens a live connection for token from 127.0.0.1; on refusal it gives the status and code.
func (p *probe) dial(agreement, token string) (*websocket.Conn, int, string, error) {
	d := &websocket.Dialer{HandshakeTimeout: 10 * time.Second,
		NetDialContext: (&net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.1")}}).DialContext}
	h := http.Header{"Authorization": {"Bearer " + token}, "Origin": {p.base}}
	ws, res, err := d.Dial("ws"+strings.TrimPrefix(p.base, "http")+"/api/v1/agreements/"+agreement+"/live", h)
	if err == nil {
		return ws, 101, "", nil
	}
	if res == nil {
		return nil, 0, "", err
	}
	var e struct {
		Error struct{ Code string } `json:"error"`
	}
	data, _ := io.ReadAll(io.LimitReader(res.Body, 1<<16))
	json.Unmarshal(data, &e)
	return nil, res.StatusCode, e.Error.Code, nil
}

// health samples /healthz from 127.0.0.2 until stop is closed.
func (p *probe) health(stop <-chan struct{}) func() (n int, p50, max time.Duration, failed int) {
	var mu sync.Mutex
	var lat []time.Duration
	failed := 0
	done := make(chan struct{})
	go func() {
		defer close(done)
		hc := client("127.0.0.2")
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			t0 := time.Now()
			res, err := hc.Get(p.base + "/healthz")
			d := time.Since(t0)
			mu.Lock()
			if err != nil || res.StatusCode != 200 {
				failed++
			} else {
				lat = append(lat, d)
			}
			mu.Unlock()
			if err == nil {
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
			}
		}
	}()
	return func() (int, time.Duration, time.Duration, int) {
		<-done
		slices.Sort(lat)
		if len(lat) == 0 {
			return 0, 0, 0, failed
		}
		return len(lat), lat[len(lat)/2], lat[len(lat)-1], failed
	}
}

func (p *probe) run(db string, dur time.Duration, addrs, maxConns, ops int) error {
	hc := client("127.0.0.1")
	if err := p.must(hc, "GET", "/healthz", "", nil, nil); err != nil {
		return err
	}
	c, err := p.newClass(hc, "Probe")
	if err != nil {
		return err
	}

	// Connections: one token, then one address, /healthz answering meanwhile.
	stop := make(chan struct{})
	healthResult := p.health(stop)
	var held []*websocket.Conn
	defer func() {
		for _, ws := range held {
			ws.Close()
		}
	}()
	n := 0
	for ; n < maxConns; n++ {
		ws, status, code, err := p.dial(c.Agreement, c.Token)
		if err != nil {
			return err
		}
		if ws == nil {
			fmt.Printf("one member token: %d live connections, then %d %s\n", n, status, code)
			break
		}
		held = append(held, ws)
	}
	fromAddress, refusal := len(held), ""
	for i := 0; refusal == "" && len(held) < maxConns; i++ {
		tok, err := p.join(hc, c.ParentCode, fmt.Sprintf("Forælder %d", i+1))
		if err != nil {
			return err
		}
		for range n {
			ws, status, code, err := p.dial(c.Agreement, tok)
			if err != nil {
				return err
			}
			if ws == nil {
				if code != "live.too_many_tabs" {
					refusal = fmt.Sprintf("%d %s", status, code)
				}
				break
			}
			held = append(held, ws)
		}
		fromAddress = len(held)
	}
	fmt.Printf("one client address: %d live connections, then %s\n", fromAddress, refusal)
	close(stop)
	hn, p50, hmax, hfailed := healthResult()
	fmt.Printf("/healthz from another address meanwhile: %d answers, p50 %.1f ms, max %.1f ms, %d failed\n",
		hn, ms(p50), ms(hmax), hfailed)
	for _, ws := range held {
		ws.Close()
	}
	held = nil

	// Guesses: wrong join codes, from one address and then from many.
	one := p.guess([]string{"127.0.0.3"}, dur)
	fmt.Printf("wrong join codes from one address in %s: %d looked up, %d refused, %d other answers\n", dur, one.looked, one.refused, one.other)
	many := make([]string, addrs)
	for i := range many {
		many[i] = fmt.Sprintf("127.2.%d.%d", i/250, i%250+1)
	}
	all := p.guess(many, dur)
	fmt.Printf("wrong join codes from %d addresses in %s: %d looked up, %d refused, %d other answers\n", addrs, dur, all.looked, all.refused, all.other)

	if db != "" {
		return p.bytesPerMessage(c, db, ops)
	}
	return nil
}

type guesses struct{ looked, refused, other int64 }

// codeAlphabet is the join codes' alphabet (agreements.NewCode), so every guess is looked up.
const codeAlphabet = "ACEFHJKMNPRTUVWXY3479"

// guess sends wrong join codes from each address, one at a time per address, for d.
func (p *probe) guess(addrs []string, d time.Duration) guesses {
	var g guesses
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	for _, ip := range addrs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			hc := client(ip)
			for time.Now().Before(deadline) {
				code := make([]byte, 8)
				for i := range code {
					code[i] = codeAlphabet[rand.IntN(len(codeAlphabet))]
				}
				status, errCode, err := p.call(hc, "POST", "/api/v1/join", "", map[string]any{"code": string(code), "name": "Gæt"}, nil)
				switch {
				case err != nil:
					time.Sleep(50 * time.Millisecond)
				case status == http.StatusTooManyRequests:
					atomic.AddInt64(&g.refused, 1)
					time.Sleep(10 * time.Millisecond)
				case errCode == "code.unknown":
					atomic.AddInt64(&g.looked, 1)
				default:
					atomic.AddInt64(&g.other, 1)
				}
			}
		}()
	}
	wg.Wait()
	return g
}

// bytesPerMessage sends ops operations, each as large as one message may be, alternately
// inserting a long text and deleting it, and divides the growth of the database (with its
// write-ahead log) by their number.
func (p *probe) bytesPerMessage(c class, db string, ops int) error {
	acks := make(chan struct{}, 1)
	cl := &liveclient.Client{URL: p.base, Agree: c.Agreement, Token: c.Token, ID: "probe", Origin: p.base,
		Timeout: 10 * time.Second,
		Hooks:   liveclient.Hooks{Ack: func(string, int, int) { acks <- struct{}{} }}}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := cl.Connect(ctx); err != nil {
		return err
	}
	defer cl.Close()
	before := size(db)
	clause := c.Clauses[0]
	const long = 18000 // UTF-16 units: under the clause's limit together with its text
	text := strings.Repeat("x", long)
	for i := range ops {
		_, err := cl.EditFunc(clause, func(s string) ot.Op {
			n := ot.Len(s)
			if i%2 == 0 {
				return ot.Op{{N: n}, {S: text}}
			}
			return ot.Op{{N: n - long}, {N: -long}}
		})
		if err != nil {
			return err
		}
		select {
		case <-acks:
		case <-time.After(10 * time.Second):
			return fmt.Errorf("operation %d was not acknowledged: %v", i+1, cl.Errors())
		}
	}
	grown := size(db) - before
	fmt.Printf("database growth per live message of %d characters: %d bytes (%d messages)\n", long, grown/int64(ops), ops)
	return nil
}

func size(db string) int64 {
	var n int64
	for _, f := range []string{db, db + "-wal"} {
		if st, err := os.Stat(f); err == nil {
			n += st.Size()
		}
	}
	return n
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
