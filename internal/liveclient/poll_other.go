//go:build !linux

package liveclient

import (
	"errors"
	"net"
)

// A Poller reads the sockets of many clients with a few goroutines (Linux only: elsewhere
// NewPoller fails and each client reads with a goroutine of its own).
type Poller struct{}

// NewPoller fails: there is no poller on this system.
func NewPoller() (*Poller, error) { return nil, errors.New("poller: Linux only") }

// Close does nothing.
func (p *Poller) Close() {}

type polled struct{ closed chan struct{} }

func (p *Poller) adopt(*Client, net.Conn, *frames) (*polled, error) {
	return nil, errors.New("poller: Linux only")
}
func (t *polled) start()             {}
func (t *polled) write([]byte) error { return errors.New("poller: Linux only") }
func (t *polled) shutdown()          {}
