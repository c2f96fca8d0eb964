package agreements

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// Stores: Classes, Members, Municipalities, Schools.

// Service is what the delivery layers call: each method loads what it needs, applies the rule,
// saves in one transaction and, after the commit, tells the Publisher.
type Service struct {
	mu        sync.Mutex // held across commit and publish, so events leave in commit order
	store     Store
	lib       Library
	pub       Publisher
	announcer Announcer // nil: no other instance to tell
	shared    bool      // other processes write to the store too
	now       func() time.Time
	retention time.Duration
	flushDue  atomic.Bool  // deleted data may still be in the store's journal
	recent    recentOps    // the last committed operations of the clauses being edited
	activity  activity     // the classes whose activity is recorded today
	logsSwept atomic.Int64 // when old edit logs were last deleted (Unix seconds, service clock)
}

// NewService builds a Service. pub may be nil until a live hub is attached.
func NewService(store Store, lib Library, pub Publisher) *Service {
	s := &Service{store: store, lib: lib, pub: pub, now: time.Now, retention: DefaultRetention}
	if sh, ok := store.(SharedStore); ok {
		s.shared = sh.Shared()
	}
	return s
}

// SetAnnouncer attaches what tells the other instances on a shared store of committed changes.
func (s *Service) SetAnnouncer(a Announcer) { s.announcer = a }

// SetRetention sets how long archived classes are kept before their data is deleted; the
// program sets it from its -archive-days flag (internal/wire), the default is DefaultRetention.
func (s *Service) SetRetention(d time.Duration) { s.retention = d }

// Retention is how long archived classes are kept before their data is deleted.
func (s *Service) Retention() time.Duration { return s.retention }

// SetPublisher attaches the listener for committed changes (the live hub, built after the service).
func (s *Service) SetPublisher(p Publisher) { s.pub = p }

// clock is the time of a change as stored: UTC, to the millisecond, so what a create returns
// equals what a later read returns.
func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Millisecond) }

// SetClock replaces the clock, for tests of dates.
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// Library returns the template library the service uses.
func (s *Service) Library() Library { return s.lib }

func (s *Service) publish(events ...Event) {
	if s.pub == nil {
		return
	}
	for _, e := range events {
		s.pub.Publish(e)
	}
}

// endAccess tells the live rooms, on this instance and on the others, that members lost access
// to a class, after the change that ended it was committed. Another instance hears of it in a
// transaction of its own; should that fail, this instance's rooms are still told.
func (s *Service) endAccess(ctx context.Context, e Event) {
	if s.announcer != nil {
		if err := s.commit(ctx, func(Tx) ([]Event, error) { return []Event{e}, nil }); err == nil {
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.publish(e)
}

func (s *Service) update(ctx context.Context, fn func(Tx) error) error {
	return s.store.Update(ctx, fn)
}

// commit runs fn in a write transaction and, once that is committed, publishes the events fn
// returned. Live clients need a clause's revisions in sequence; the lock makes events leave in
// the order their transactions committed. Writes are serialised by SQLite anyway, so it costs
// no concurrency. Publishers must not block.
func (s *Service) commit(ctx context.Context, fn func(Tx) ([]Event, error)) error {
	return s.commitThen(ctx, fn, nil)
}

// commitThen is commit, and calls committed (when not nil) after the commit, under the same
// lock: what it records in memory follows the store in commit order too.
func (s *Service) commitThen(ctx context.Context, fn func(Tx) ([]Event, error), committed func()) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var events []Event
	err := s.store.Update(ctx, func(tx Tx) (err error) {
		if events, err = fn(tx); err != nil || len(events) == 0 || s.announcer == nil {
			return err
		}
		return s.announcer.Announce(tx, events)
	})
	if err == nil {
		if committed != nil {
			committed()
		}
		s.publish(events...)
	}
	return err
}

func (s *Service) view(ctx context.Context, fn func(Tx) error) error {
	return s.store.View(ctx, fn)
}

// Authenticate returns the actor a token belongs to: a member of a class (not an archived one),
// a school's admin, a board member's link (not a revoked one), or a municipality's admin.
func (s *Service) Authenticate(ctx context.Context, token string) (Actor, error) {
	if token == "" {
		return Actor{}, ErrAuthRequired
	}
	hash := HashToken(token)
	actor := Actor{TokenHash: hash}
	err := s.view(ctx, func(tx Tx) error {
		for _, find := range []func(Tx, string, *Actor) error{findMember, findSchool, findBoard, findMunicipality} {
			if err := find(tx, hash, &actor); !errors.Is(err, ErrNotFound) {
				return err
			}
		}
		return ErrNotFound
	})
	if errors.Is(err, ErrNotFound) {
		return Actor{}, ErrAuthRequired
	}
	return actor, err
}

// MaxSessions is how many devices one member may be signed in on with their key link.
const MaxSessions = 20

// SignIn signs a browser in with a key link: a member gets a session token of its own for the
// device (so logging out there leaves the link and the other devices alone); a school's,
// board member's or municipality's key is its own session.
func (s *Service) SignIn(ctx context.Context, key string) (Actor, string, error) {
	actor, err := s.Authenticate(ctx, key)
	if err != nil || actor.Member == nil {
		return actor, key, err
	}
	tok := NewToken()
	err = s.update(ctx, func(tx Tx) error {
		return tx.InsertSession(actor.Member.ID, HashToken(tok), s.clock(), MaxSessions)
	})
	actor.TokenHash = HashToken(tok)
	return actor, tok, err
}

// Logout ends the token the actor came with, on the server: a member's session, or their key
// itself (then with every session made from it). The connections that came with it are closed.
// A school's, board member's or municipality's key is not revoked by logging out of one
// device: it is the only way in (board links are revoked by the school's admin).
func (s *Service) Logout(ctx context.Context, actor Actor) error {
	m := actor.Member
	if m == nil {
		return nil
	}
	ended := Event{Type: EventAccessEnded, ClassID: m.ClassID, MemberID: m.ID, TokenHash: actor.TokenHash}
	err := s.update(ctx, func(tx Tx) error {
		session, err := tx.DeleteSession(actor.TokenHash)
		if err != nil || session {
			return err
		}
		ended.TokenHash = "" // the key: every device goes
		if err := tx.DeleteSessions(m.ID); err != nil {
			return err
		}
		return tx.SetMemberKey(m.ID, HashToken(NewToken()))
	})
	if err == nil {
		s.endAccess(ctx, ended)
	}
	return err
}

func findMember(tx Tx, hash string, a *Actor) error {
	m, err := tx.MemberByTokenHash(hash)
	if err != nil {
		return err
	}
	class, err := tx.Class(m.ClassID)
	if err != nil {
		return err
	}
	if class.ArchivedAt != nil {
		return ErrAuthRequired // the class is closed; its data goes soon
	}
	a.Member = m
	return nil
}

func findSchool(tx Tx, hash string, a *Actor) error {
	sc, err := tx.SchoolByTokenHash(hash)
	if err == nil {
		a.SchoolID = sc.ID
	}
	return err
}

func findBoard(tx Tx, hash string, a *Actor) error {
	l, err := tx.BoardLinkByTokenHash(hash)
	if err != nil {
		return err
	}
	if l.RevokedAt != nil {
		return ErrAuthRequired
	}
	a.BoardSchoolID = l.SchoolID
	return nil
}

func findMunicipality(tx Tx, hash string, a *Actor) error {
	m, err := tx.MunicipalityByTokenHash(hash)
	if err == nil {
		a.MunicipalityID = m.ID
	}
	return err
}

// Holder says whose a key link is, so a browser can be asked before it is signed in with it.
type Holder struct {
	Actor Actor
	Name  string // the member's name; "" for the others
	Role  Role   // the member's role; "" for the others
	Place string // the class, the school or the municipality the key opens
}

// KeyHolder returns whose the key is, without signing anyone in.
func (s *Service) KeyHolder(ctx context.Context, key string) (*Holder, error) {
	actor, err := s.Authenticate(ctx, key)
	if err != nil {
		return nil, err
	}
	h := &Holder{Actor: actor}
	err = s.view(ctx, func(tx Tx) error {
		switch {
		case actor.Member != nil:
			h.Name, h.Role = actor.Member.Name, actor.Member.Role
			c, err := tx.Class(actor.Member.ClassID)
			if err == nil {
				h.Place = c.Name
			}
			return err
		case actor.MunicipalityID != "":
			m, err := tx.Municipality(actor.MunicipalityID)
			if err == nil {
				h.Place = m.Name
			}
			return err
		}
		sc, err := tx.School(actor.SchoolID + actor.BoardSchoolID) // one of them is set
		if err == nil {
			h.Place = sc.Name
		}
		return err
	})
	return h, err
}
