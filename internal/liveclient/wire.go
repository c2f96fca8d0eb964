package liveclient

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"
)

// The WebSocket protocol (RFC 6455) as far as a tab read by a Poller needs it: the opening
// handshake, the server's frames (never masked, never compressed: the client asks for no
// extension) and the client's frames (always masked). A client without a Poller uses
// gorilla/websocket.

// maxWireMessage bounds a message the server sends (a welcome holds the whole agreement).
const maxWireMessage = 64 << 20

// WebSocket opcodes.
const (
	opContinuation = 0x0
	opText         = 0x1
	opBinary       = 0x2
	opClose        = 0x8
	opPing         = 0x9
	opPong         = 0xA
)

var errTooLarge = errors.New("websocket: message too large")

// handshake dials the server and opens the WebSocket at u (ws://host/path), sending header;
// it returns the connection and what the server sent after its answer.
func handshake(ctx context.Context, u string, header http.Header, timeout time.Duration) (net.Conn, []byte, error) {
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return nil, nil, err
	}
	if req.URL.Scheme != "ws" {
		return nil, nil, fmt.Errorf("dial: %s: only ws:// is read by a poller", u)
	}
	var key [16]byte
	rand.Read(key[:])
	k := base64.StdEncoding.EncodeToString(key[:])
	req.Header = header.Clone()
	req.Header.Set("Upgrade", "websocket")
	req.Header.Set("Connection", "Upgrade")
	req.Header.Set("Sec-WebSocket-Key", k)
	req.Header.Set("Sec-WebSocket-Version", "13")
	d := net.Dialer{Timeout: timeout}
	conn, err := d.DialContext(ctx, "tcp", req.URL.Host)
	if err != nil {
		return nil, nil, fmt.Errorf("dial: %w", err)
	}
	conn.SetDeadline(time.Now().Add(timeout))
	br := bufio.NewReader(conn)
	var res *http.Response
	if err = req.Write(conn); err == nil {
		res, err = http.ReadResponse(br, req)
	}
	if err == nil {
		err = checkAnswer(res, k)
	}
	if err != nil {
		conn.Close()
		return nil, nil, fmt.Errorf("dial: %w", err)
	}
	conn.SetDeadline(time.Time{})
	rest, _ := br.Peek(br.Buffered()) // what came after the answer: the start of the stream
	return conn, rest, nil
}

// checkAnswer checks the server's answer to the handshake: 101, with the accept key of k.
func checkAnswer(res *http.Response, k string) error {
	if res.StatusCode != http.StatusSwitchingProtocols {
		return fmt.Errorf("websocket: bad handshake (status %s)", res.Status)
	}
	sum := sha1.Sum([]byte(k + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	if res.Header.Get("Sec-WebSocket-Accept") != base64.StdEncoding.EncodeToString(sum[:]) {
		return errors.New("websocket: the server's accept key is wrong")
	}
	return nil
}

// clientFrame is one masked frame of the client.
func clientFrame(op byte, payload []byte) []byte {
	n := len(payload)
	b := make([]byte, 0, 14+n)
	b = append(b, 0x80|op)
	switch {
	case n < 126:
		b = append(b, 0x80|byte(n))
	case n <= 0xFFFF:
		b = append(b, 0x80|126)
		b = binary.BigEndian.AppendUint16(b, uint16(n))
	default:
		b = append(b, 0x80|127)
		b = binary.BigEndian.AppendUint64(b, uint64(n))
	}
	var mask [4]byte
	rand.Read(mask[:])
	b = append(b, mask[:]...)
	for i, c := range payload {
		b = append(b, c^mask[i&3])
	}
	return b
}

// frames reads the server's frames from the bytes of its stream as they come. Whole frames are
// read where the bytes were read into; only the start of a frame that is not whole yet is
// copied, to be kept until the rest comes.
type frames struct {
	buf  []byte // what was read and not yet taken: the caller's bytes until keep
	own  []byte // where keep copies a frame's start
	msg  []byte // a message in parts, its parts so far
	kind byte   // the opcode of msg
}

// next takes the next whole frame from the bytes read so far: ok is false when more must be
// read first. The payload is valid until the next call of next or add.
func (f *frames) next() (op byte, payload []byte, ok bool, err error) {
	fin, op, payload, ok, err := f.frame()
	if !ok || err != nil {
		return 0, nil, false, err
	}
	switch {
	case op >= opClose: // a control frame is never in parts
		return op, payload, true, nil
	case op == opContinuation && f.msg == nil, op != opContinuation && f.msg != nil:
		return 0, nil, false, errors.New("websocket: a message's parts out of order")
	case op != opContinuation && fin:
		return op, payload, true, nil
	}
	if op != opContinuation {
		f.kind, f.msg = op, []byte{}
	}
	if len(f.msg)+len(payload) > maxWireMessage {
		return 0, nil, false, errTooLarge
	}
	f.msg = append(f.msg, payload...)
	if !fin {
		return f.next()
	}
	op, payload, f.msg = f.kind, f.msg, nil
	return op, payload, true, nil
}

// frame takes the next whole frame from the bytes read so far, whole message or part.
func (f *frames) frame() (fin bool, op byte, payload []byte, ok bool, err error) {
	b := f.buf
	if len(b) < 2 {
		return false, 0, nil, false, nil
	}
	if b[0]&0x70 != 0 || b[1]&0x80 != 0 {
		return false, 0, nil, false, errors.New("websocket: a frame with reserved bits or a mask from the server")
	}
	n, h := uint64(b[1]&0x7F), 2
	switch {
	case n == 126 && len(b) >= 4:
		n, h = uint64(binary.BigEndian.Uint16(b[2:])), 4
	case n == 127 && len(b) >= 10:
		n, h = binary.BigEndian.Uint64(b[2:]), 10
	case n >= 126:
		return false, 0, nil, false, nil // the length is not all here yet
	}
	if n > maxWireMessage {
		return false, 0, nil, false, errTooLarge
	}
	if uint64(len(b)-h) < n {
		return false, 0, nil, false, nil
	}
	payload, f.buf = b[h:h+int(n)], b[h+int(n):]
	return b[0]&0x80 != 0, b[0] & 0x0F, payload, true, nil
}

// add gives the bytes of the next read: the frames in them are taken with next, and keep
// must be called before b is used again.
func (f *frames) add(b []byte) {
	if len(f.buf) == 0 {
		f.buf = b
		return
	}
	f.buf = append(f.buf, b...) // the start kept by keep, which f owns
}

// keep copies what was not taken (the start of a frame) to f's own buffer.
func (f *frames) keep() {
	if len(f.buf) == 0 {
		f.buf = nil
		return
	}
	f.own = append(f.own[:0], f.buf...)
	f.buf = f.own
}

// readMessage reads from conn until a whole text or binary message is in f, answering pings;
// it returns the message.
func (f *frames) readMessage(conn net.Conn) ([]byte, error) {
	scratch := make([]byte, 32<<10)
	for {
		op, payload, ok, err := f.next()
		switch {
		case err != nil:
			return nil, err
		case ok && (op == opText || op == opBinary):
			payload = bytes.Clone(payload)
			f.keep()
			return payload, nil
		case ok && op == opPing:
			if _, err := conn.Write(clientFrame(opPong, payload)); err != nil {
				return nil, err
			}
		case ok && op == opClose:
			return nil, fmt.Errorf("websocket: closed by the server: %s", closeText(payload))
		case ok:
		default:
			f.keep()
			n, err := conn.Read(scratch)
			if err != nil {
				return nil, err
			}
			f.add(scratch[:n])
		}
	}
}

// closeText is a close frame's code and reason.
func closeText(payload []byte) string {
	if len(payload) < 2 {
		return "no status"
	}
	return fmt.Sprintf("%d %s", binary.BigEndian.Uint16(payload), payload[2:])
}
