// Package liveclient is a Go client of the live protocol (docs/protocol.md): the ot.js client
// state per clause, acknowledgements, catching up after a reconnect, resending the operation in
// flight. Tests and the load tool use it as a browser would.
package liveclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"klasseaftale/agreements/ot"
)

// Hooks let a caller observe the stream (the load tool measures latencies with them). They are
// called with the client's lock held and must not call back into the client.
type Hooks struct {
	Frame    func() // a frame has arrived; the hooks of its messages follow
	Ack      func(clause string, seq, rev int)
	Remote   func(clause, client string, seq, rev int)
	Presence func(msg map[string]any) // where another tab is (those the welcome names, then each presence); not decoded without it
	Other    func(msg map[string]any) // clause, order, agreement, results, error
}

// Client is one tab.
type Client struct {
	URL     string // the server's base URL, http(s)://host
	Agree   string // the agreement's ID
	Token   string
	ID      string // the tab's client id
	Origin  string // sent as Origin when set
	Hooks   Hooks
	Timeout time.Duration
	Cache   *OpCache // shared by the clients of one process; nil: each decodes on its own
	// Thin: the client reads the stream without applying the others' operations, only telling
	// the hooks of them (Remote) and of its own (Ack); its edits are built elsewhere, on a full
	// client's text, and sent with SendOp. So one process can play hundreds of authors in one
	// room: applying every author's keystrokes in every author's copy is what a full client
	// costs there. Its own copy of the text stays as the welcome gave it.
	Thin bool
	// Poll, when set, reads the connection instead of a goroutine of the client's own (see
	// Poller); the server cannot tell the difference.
	Poll *Poller

	mu     sync.Mutex
	wmu    sync.Mutex
	ws     *websocket.Conn
	pc     *polled // the connection, when Poll reads it
	docs   map[string]*Doc
	seq    int
	member string // the member this client is, from the welcome
	errors []string
	closed chan struct{}
	gone   error
}

// dialer reads through a buffer that holds a busy room's whole broadcast, so a frame takes one
// read from the socket, not one per 4 KiB (the default).
var dialer = &websocket.Dialer{Proxy: http.ProxyFromEnvironment, HandshakeTimeout: 45 * time.Second,
	ReadBufferSize: 32 << 10}

// Msg is one decoded server message.
type Msg = map[string]any

// Connect opens the WebSocket, says hello (resuming the clauses with changes in flight) and
// waits for the welcome; a goroutine then reads the stream until the connection ends.
func (c *Client) Connect(ctx context.Context) error {
	if c.Timeout == 0 {
		c.Timeout = 10 * time.Second
	}
	h := http.Header{"Authorization": {"Bearer " + c.Token}}
	if c.Origin != "" {
		h.Set("Origin", c.Origin)
	}
	u := "ws" + strings.TrimPrefix(c.URL, "http") + "/api/v1/agreements/" + c.Agree + "/live"
	if c.Poll != nil {
		return c.connectPolled(ctx, u, h)
	}
	ws, res, err := dialer.DialContext(ctx, u, h)
	if err != nil {
		if res != nil {
			return fmt.Errorf("dial: %w (status %d)", err, res.StatusCode)
		}
		return fmt.Errorf("dial: %w", err)
	}
	c.wmu.Lock()
	c.mu.Lock()
	c.ws, c.pc, c.closed, c.gone = ws, nil, make(chan struct{}), nil
	c.wmu.Unlock()
	hello := c.hello()
	closed := c.closed
	c.mu.Unlock()
	err = c.write(hello)
	if err == nil {
		err = c.welcome()
	}
	if err != nil {
		ws.Close()
		close(closed) // no reader will: Close must not wait for one
		return err
	}
	go c.readLoop(ws, closed)
	return c.resend()
}

// hello is the first message: the tab's ID and the clauses with changes in flight, to resume
// from their revisions; c.mu is held.
func (c *Client) hello() Msg {
	if c.docs == nil {
		c.docs = map[string]*Doc{}
	}
	resume := map[string]int{}
	for id, d := range c.docs {
		if d.OT.Pending() {
			resume[id] = d.OT.Rev
		}
	}
	return Msg{"type": "hello", "client": c.ID, "resume": resume}
}

// connectPolled is Connect with the connection read by c.Poll: the handshake, the hello and
// the welcome are made here, and the poller reads what follows.
func (c *Client) connectPolled(ctx context.Context, u string, h http.Header) error {
	conn, rest, err := handshake(ctx, u, h, c.Timeout)
	if err != nil {
		return err
	}
	var f frames
	f.add(rest)
	f.keep()
	if err := c.greet(conn, &f); err != nil {
		conn.Close()
		return fmt.Errorf("welcome: %w", err)
	}
	pc, err := c.Poll.adopt(c, conn, &f)
	if err != nil {
		return err
	}
	c.wmu.Lock()
	c.mu.Lock()
	c.ws, c.pc, c.closed, c.gone = nil, pc, pc.closed, nil
	c.mu.Unlock()
	c.wmu.Unlock()
	pc.start()
	return c.resend()
}

// greet says hello on conn and takes the welcome, reading through f (what conn brings after
// the welcome stays in f).
func (c *Client) greet(conn net.Conn, f *frames) error {
	c.mu.Lock()
	hello, err := json.Marshal(c.hello())
	c.mu.Unlock()
	if err != nil {
		return err
	}
	conn.SetDeadline(time.Now().Add(c.Timeout))
	defer conn.SetDeadline(time.Time{})
	if _, err := conn.Write(clientFrame(opText, hello)); err != nil {
		return err
	}
	data, err := f.readMessage(conn)
	if err != nil {
		return err
	}
	return c.takeFirst(data)
}

// welcome reads the first frame, which must start with the welcome.
func (c *Client) welcome() error {
	c.ws.SetReadDeadline(time.Now().Add(c.Timeout))
	_, data, err := c.ws.ReadMessage()
	if err != nil {
		return fmt.Errorf("welcome: %w", err)
	}
	c.ws.SetReadDeadline(time.Time{})
	return c.takeFirst(data)
}

// takeFirst takes the first frame, which must start with the welcome.
func (c *Client) takeFirst(data []byte) error {
	first, _, _ := bytes.Cut(data, []byte{'\n'})
	var welcome Msg
	if err := json.Unmarshal(first, &welcome); err != nil || welcome["type"] != "welcome" {
		return fmt.Errorf("welcome: got %s", data)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.Hooks.Frame != nil {
		c.Hooks.Frame()
	}
	c.takeWelcome(welcome)
	for _, line := range bytes.Split(data, []byte{'\n'})[1:] {
		if err := c.handleLine(line); err != nil {
			c.errors = append(c.errors, "undecodable message: "+err.Error())
		}
	}
	return nil
}

// takeWelcome adopts the server's text of every clause without changes in flight; clauses with
// changes in flight keep the local text and catch up from the operations that follow.
func (c *Client) takeWelcome(m Msg) {
	c.adoptTab(m)
	a, _ := m["agreement"].(map[string]any)
	clauses, _ := a["clauses"].([]any)
	seen := map[string]bool{}
	for _, x := range clauses {
		cl := x.(map[string]any)
		id := cl["id"].(string)
		seen[id] = true
		d := c.docs[id]
		if d == nil {
			d = &Doc{}
			c.docs[id] = d
		}
		if !d.OT.Pending() {
			d.setText(cl["body"].(string))
			d.OT.Rev = int(cl["rev"].(float64))
		}
	}
	for id := range c.docs {
		if !seen[id] {
			delete(c.docs, id)
		}
	}
	if c.Hooks.Presence != nil {
		others, _ := m["presence"].([]any)
		for _, p := range others {
			if p, ok := p.(map[string]any); ok {
				c.Hooks.Presence(p)
			}
		}
	}
}

// adoptTab takes the tab ID and the seq count the server gives: a tab ID another tab holds is
// replaced, and then an operation in flight is new under the new ID, with a new seq.
func (c *Client) adoptTab(m Msg) {
	if mem, ok := m["member"].(map[string]any); ok {
		c.member, _ = mem["id"].(string)
	}
	if seq, ok := m["seq"].(float64); ok {
		c.seq = max(c.seq, int(seq))
	}
	id, _ := m["client"].(string)
	if id == "" || id == c.ID {
		return
	}
	c.ID = id
	for _, d := range c.docs {
		if d.OT.Pending() {
			c.seq++
			d.outSeq = c.seq
		}
	}
}

// resend sends again each operation in flight, with its original seq: the server applies it
// once, whether or not the first sending arrived.
func (c *Client) resend() error {
	c.mu.Lock()
	var msgs []opOut
	for id, d := range c.docs {
		if d.OT.Pending() {
			msgs = append(msgs, c.opMsg(id, d, d.OT.Outstanding, d.outSeq))
		}
	}
	c.mu.Unlock()
	for _, m := range msgs {
		if err := c.write(m); err != nil {
			return err
		}
	}
	return nil
}

func (c *Client) opMsg(clause string, d *Doc, op ot.Op, seq int) opOut {
	return opOut{Type: "op", Clause: clause, Rev: d.OT.Rev, Client: c.ID, Seq: seq, Op: op}
}

// opOut is an operation a client sends.
type opOut struct {
	Type   string `json:"type"`
	Clause string `json:"clause"`
	Rev    int    `json:"rev"`
	Client string `json:"client"`
	Seq    int    `json:"seq"`
	Op     ot.Op  `json:"op"`
}

func (c *Client) readLoop(ws *websocket.Conn, closed chan struct{}) {
	defer close(closed)
	var buf bytes.Buffer // one buffer for every frame: nothing read is kept beyond its frame
	for {
		_, r, err := ws.NextReader()
		if err == nil {
			buf.Reset()
			_, err = buf.ReadFrom(r)
		}
		if err != nil {
			c.mu.Lock()
			c.gone = err
			c.mu.Unlock()
			return
		}
		c.receive(buf.Bytes())
	}
}

// receive acts on one frame of the stream after the welcome; data is not kept.
func (c *Client) receive(data []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.Hooks.Frame != nil {
		c.Hooks.Frame()
	}
	if lines := c.Cache.frame(data); lines != nil {
		for _, l := range lines {
			if l.op != nil {
				c.handleOp(*l.op)
			} else if err := c.handleLine(l.raw); err != nil {
				c.errors = append(c.errors, "undecodable message: "+err.Error())
			}
		}
		return
	}
	for line := range bytes.SplitSeq(data, []byte{'\n'}) {
		if err := c.handleLine(line); err != nil {
			c.errors = append(c.errors, "undecodable message: "+err.Error())
		}
	}
}

// handle applies one server message; c.mu is held.
func (c *Client) handle(m Msg) {
	switch m["type"] {
	case "op": // sent with its fields in another order than the server's: decode it typed
		raw, _ := json.Marshal(m)
		var op opLine
		if err := json.Unmarshal(raw, &op); err == nil {
			c.handleOp(op)
		}
	case "error":
		c.errors = append(c.errors, fmt.Sprintf("%v: %v", m["code"], m["message"]))
		c.other(m)
	case "clause":
		cl := m["clause"].(map[string]any)
		id := cl["id"].(string)
		if c.docs[id] == nil {
			d := &Doc{OT: OTClient{Rev: int(cl["rev"].(float64))}}
			d.setText(cl["body"].(string))
			c.docs[id] = d
		}
		c.other(m)
	case "presence":
		if c.Hooks.Presence != nil {
			c.Hooks.Presence(m)
		}
	case "clause.removed":
		delete(c.docs, m["clause"].(string))
		c.other(m)
	default:
		c.other(m)
	}
}

func (c *Client) other(m Msg) {
	if c.Hooks.Other != nil {
		c.Hooks.Other(m)
	}
}

// opLine is an op message, decoded straight into its types: ops are most of the stream.
type opLine struct {
	Clause string `json:"clause"`
	Rev    int    `json:"rev"`
	Client string `json:"client"`
	Seq    int    `json:"seq"`
	Member string `json:"member"`
	Op     ot.Op  `json:"op"`
}

var (
	opPrefix       = []byte(`{"type":"op",`)
	presencePrefix = []byte(`{"type":"presence",`)
)

// handleLine handles one message of a frame; c.mu is held.
func (c *Client) handleLine(line []byte) error {
	if len(bytes.TrimSpace(line)) == 0 {
		return nil
	}
	if bytes.HasPrefix(line, opPrefix) {
		m, err := c.Cache.decode(line)
		if err != nil {
			return err
		}
		c.handleOp(*m)
		return nil
	}
	if c.Hooks.Presence == nil && bytes.HasPrefix(line, presencePrefix) {
		return nil // a tab that draws no carets need not read them
	}
	var m Msg
	if err := json.Unmarshal(line, &m); err != nil {
		return err
	}
	c.handle(m)
	return nil
}

func (c *Client) handleOp(m opLine) {
	d := c.docs[m.Clause]
	if d == nil || m.Rev <= d.OT.Rev {
		return // a clause we don't hold, or a revision we have (a repeat after a reconnect)
	}
	if c.Thin {
		switch {
		case m.Client == c.ID && m.Member == c.member:
			if c.Hooks.Ack != nil {
				c.Hooks.Ack(m.Clause, m.Seq, m.Rev)
			}
		case c.Hooks.Remote != nil:
			c.Hooks.Remote(m.Clause, m.Client, m.Seq, m.Rev)
		}
		return
	}
	// An operation is ours when its member, tab and seq are: another member may use a tab ID
	// like ours.
	if m.Client == c.ID && m.Member == c.member && d.OT.Pending() && m.Seq == d.outSeq {
		if m.Rev != d.OT.Rev+1 {
			// An acknowledgement must come in sequence; one that skips revisions would leave
			// this copy behind without knowing it.
			c.errors = append(c.errors, fmt.Sprintf("ack of seq %d at rev %d after rev %d", m.Seq, m.Rev, d.OT.Rev))
			return
		}
		c.ack(m.Clause, d, m.Seq, m.Rev)
		return
	}
	c.applyRemote(m.Clause, d, m.Op, m.Rev, m.Client, m.Seq)
}

func (c *Client) ack(id string, d *Doc, seq, rev int) {
	next := d.OT.ServerAck(rev)
	if c.Hooks.Ack != nil {
		c.Hooks.Ack(id, seq, rev)
	}
	if next != nil {
		c.seq++
		d.outSeq = c.seq
		m := c.opMsg(id, d, next, d.outSeq)
		go c.write(m) // not under c.mu: a slow socket must not stall the reader
	}
}

func (c *Client) applyRemote(id string, d *Doc, op ot.Op, rev int, client string, seq int) {
	local, err := d.OT.ApplyServer(rev, op)
	if err == nil {
		err = d.applyLater(local)
	}
	if err != nil {
		c.errors = append(c.errors, fmt.Sprintf("apply %s rev %d: %v", id, rev, err))
		return
	}
	if c.Hooks.Remote != nil {
		c.Hooks.Remote(id, client, seq, rev)
	}
}

// EditFunc makes a local change to a clause, computed from its current text under the
// client's lock so a remote change arriving meanwhile cannot invalidate it (as a person types
// into what they see), and sends it when nothing else is in flight. It returns the seq the
// change was sent with (0 when it waits in the buffer).
func (c *Client) EditFunc(clause string, change func(text string) ot.Op) (int, error) {
	c.mu.Lock()
	d := c.docs[clause]
	if d == nil {
		c.mu.Unlock()
		return 0, fmt.Errorf("no clause %s", clause)
	}
	op := change(d.Text())
	if err := d.apply(op); err != nil {
		c.mu.Unlock()
		return 0, err
	}
	send, err := d.OT.ApplyClient(op)
	if err != nil || send == nil {
		c.mu.Unlock()
		return 0, err
	}
	c.seq++
	d.outSeq = c.seq
	m := c.opMsg(clause, d, send, d.outSeq)
	c.mu.Unlock()
	return d.outSeq, c.write(m)
}

// SendOp sends an operation built on revision rev of a clause (a thin client's keystroke,
// built on another client's copy at that revision), as seq.
func (c *Client) SendOp(clause string, rev, seq int, op ot.Op) error {
	return c.write(opOut{Type: "op", Clause: clause, Rev: rev, Client: c.ID, Seq: seq, Op: op})
}

// PresenceAt tells the others where this tab is in a clause at revision rev (a thin client's
// caret, in the text its keystroke was built on).
func (c *Client) PresenceAt(clause string, sel [2]int, rev int) error {
	return c.write(presenceMsg{Type: "presence", Clause: clause, Sel: sel, Rev: rev})
}

// Snapshot returns the client's copy of a clause and the revision it is at, together.
func (c *Client) Snapshot(clause string) (string, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if d := c.docs[clause]; d != nil {
		return d.Text(), d.OT.Rev
	}
	return "", -1
}

// Presence tells the others where this tab is in a clause: the selection [anchor, head] in
// its own copy of the text, as the browser says it.
func (c *Client) Presence(clause string, sel [2]int) error {
	return c.PresenceAt(clause, sel, max(c.Rev(clause), 0))
}

type presenceMsg struct {
	Type   string `json:"type"`
	Clause string `json:"clause"`
	Sel    [2]int `json:"sel"`
	Rev    int    `json:"rev"`
}

// SendRaw writes a frame as it is.
func (c *Client) SendRaw(data []byte) error {
	c.wmu.Lock()
	ws, pc := c.ws, c.pc
	if pc != nil {
		c.wmu.Unlock()
		return pc.write(clientFrame(opText, data))
	}
	defer c.wmu.Unlock()
	if ws == nil {
		return errors.New("not connected")
	}
	return ws.WriteMessage(websocket.TextMessage, data)
}

func (c *Client) write(m any) error {
	data, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return c.SendRaw(data)
}

// Close ends the connection abruptly, as a phone losing its network does; local state stays
// for a reconnect.
func (c *Client) Close() {
	c.wmu.Lock()
	ws, pc, closed := c.ws, c.pc, c.closed
	c.wmu.Unlock()
	switch {
	case pc != nil:
		pc.shutdown()
		<-closed
	case ws != nil:
		ws.Close()
		<-closed
	}
}

// Closed is closed when the connection has ended.
func (c *Client) Closed() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed
}

// Text returns the client's copy of a clause.
func (c *Client) Text(clause string) string {
	text, _ := c.Snapshot(clause)
	return text
}

// Rev returns the last server revision of a clause the client has seen; -1 for a clause it
// does not hold.
func (c *Client) Rev(clause string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if d := c.docs[clause]; d != nil {
		return d.OT.Rev
	}
	return -1
}

// Pending reports whether any change of the client awaits its acknowledgement.
func (c *Client) Pending() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, d := range c.docs {
		if d.OT.Pending() {
			return true
		}
	}
	return false
}

// Errors returns the errors the server sent and the faults the client met.
func (c *Client) Errors() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.errors...)
}

// Wait polls cond until it holds or the timeout passes.
func (c *Client) Wait(timeout time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if cond() {
			return true
		}
		time.Sleep(5 * time.Millisecond)
	}
	return false
}
