package live

import (
	"encoding/binary"

	"github.com/gorilla/websocket"
)

// WebSocket frames from the server, built once and written as they are: a server's frames are
// not masked (RFC 6455, 5.1), so a broadcast is the same bytes for every connection.

// maxHead is the longest header of a frame: 2 bytes, and 8 for the longest length.
const maxHead = 10

// headLen is the length of a frame's header for a payload of n bytes.
func headLen(n int) int {
	switch {
	case n < 126:
		return 2
	case n <= 0xffff:
		return 4
	default:
		return maxHead
	}
}

// putHead writes the header of a final frame of kind op (websocket.TextMessage, …) with a
// payload of n bytes at the start of b.
func putHead(b []byte, op int, n int) {
	b[0] = 0x80 | byte(op)
	switch headLen(n) {
	case 2:
		b[1] = byte(n)
	case 4:
		b[1] = 126
		binary.BigEndian.PutUint16(b[2:], uint16(n))
	default:
		b[1] = 127
		binary.BigEndian.PutUint64(b[2:], uint64(n))
	}
}

// frame is a whole frame of kind op holding payload.
func frame(op int, payload []byte) []byte {
	h := headLen(len(payload))
	b := make([]byte, h, h+len(payload))
	putHead(b, op, len(payload))
	return append(b, payload...)
}

// framed turns b, whose first maxHead bytes were left free, into a text frame of the rest, in
// place.
func framed(b []byte) []byte {
	n := len(b) - maxHead
	start := maxHead - headLen(n)
	putHead(b[start:], websocket.TextMessage, n)
	return b[start:]
}

// pongWire answers a tab's heartbeat; pingWire is the server's ping.
var (
	pongWire = frame(websocket.TextMessage, pongFrame)
	pingWire = frame(websocket.PingMessage, nil)
)
