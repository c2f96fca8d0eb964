package agreements

import (
	"context"
	"time"

	"klasseaftale/agreements/ot"
)

// Store keeps the domain's state. Update runs fn in one write transaction (committed when fn
// returns nil, rolled back otherwise); View runs fn on a consistent read snapshot.
type Store interface {
	Update(ctx context.Context, fn func(Tx) error) error
	View(ctx context.Context, fn func(Tx) error) error
	// Flush moves committed changes out of any journal into the main file and empties the
	// journal, so deleted data is gone from the disk and not only from the tables.
	Flush(ctx context.Context) error
}

// Tx is what a transaction can do: the stores of the domain's aggregates, each a small
// interface of its own, so that a service file shows what it touches (its "Stores:" line,
// which the architecture test checks against its calls). Lookups of a missing row return
// ErrNotFound.
type Tx interface {
	Schools
	Municipalities
	Classes
	Members
	AgreementStore
	OpLog
	Decisions
	Councils
	DemoStore
}

// Schools keeps schools, their board's links and the adults a pupil can turn to.
type Schools interface {
	InsertSchool(s *School, tokenHash string) error
	School(id string) (*School, error)
	SchoolByOrganiserCode(code string) (*School, error)
	SchoolByTokenHash(hash string) (*School, error)
	UpdateSchoolHelp(id string, help SchoolHelp) error
	SetOrganiserCode(schoolID, code string) error
	SetSchoolKey(schoolID, tokenHash string) error

	InsertBoardLink(l *BoardLink, tokenHash string) error
	BoardLinks(schoolID string) ([]BoardLink, error)
	BoardLinkByTokenHash(hash string) (*BoardLink, error)
	RevokeBoardLink(schoolID, id string, at time.Time) error

	TrustedAdults(schoolID string) ([]TrustedAdult, error)
	SetTrustedAdults(schoolID string, adults []TrustedAdult) error
}

// Municipalities keeps municipalities and which schools belong to them.
type Municipalities interface {
	InsertMunicipality(m *Municipality, tokenHash string) error
	Municipality(id string) (*Municipality, error)
	MunicipalityByTokenHash(hash string) (*Municipality, error)
	MunicipalityByCode(code string) (*Municipality, error)
	SetMunicipalityKey(id, tokenHash string) error
	SetSchoolMunicipality(schoolID, municipalityID string) error
	SchoolsOfMunicipality(municipalityID string) ([]School, error)
}

// Classes keeps classes: their codes, school, activity and end.
type Classes interface {
	InsertClass(c *Class) error
	Class(id string) (*Class, error)
	ClassByCode(code string) (*Class, Role, error)
	SetClassCode(classID string, role Role, code string) error
	SetActivation(classID string, percent int) error
	ClassesOfSchool(schoolID string) ([]Class, error) // archived ones too
	SetClassSchool(classID, schoolID string) error
	SetArchived(classID string, at *time.Time) error
	ArchivedBefore(t time.Time) ([]string, error)
	DeleteClass(id string) error
	// TouchClass records activity in the class at the time (never moving it back).
	TouchClass(classID string, at time.Time) error
	// InactiveBefore lists the classes whose last activity was before the time.
	InactiveBefore(t time.Time) ([]string, error)
}

// Members keeps a class's households, members and their sessions.
type Members interface {
	Household(classID, childKey string) (*Household, error)
	InsertHousehold(h *Household, childKey string) error
	Households(classID string) ([]Household, error)
	DeleteHousehold(id string) error

	InsertMember(m *Member, tokenHash string) error
	MemberByTokenHash(hash string) (*Member, error) // by the member's key or one of its sessions
	SetMemberKey(memberID, tokenHash string) error
	// InsertSession stores a session of a member, keeping only its keep newest.
	InsertSession(memberID, tokenHash string, at time.Time, keep int) error
	DeleteSession(tokenHash string) (bool, error)
	DeleteSessions(memberID string) error
	Members(classID string) ([]Member, error)
	DeleteMember(id string) error
}

// AgreementStore keeps agreements and their clauses.
type AgreementStore interface {
	InsertAgreement(a *Agreement) error
	Agreement(id string) (*Agreement, error) // without its clauses
	AgreementBySlug(slug string) (*Agreement, error)
	Agreements(classID string) ([]Agreement, error)
	NextRevision(id string) (*Agreement, error)
	UpdateAgreement(a *Agreement) error
	VotesDue(now time.Time) ([]string, error)
	CheckinsDue(publishedBefore time.Time) ([]string, error)

	InsertClause(c *Clause) error
	Clause(id string) (*Clause, error)
	Clauses(agreementID string) ([]Clause, error) // in their order
	UpdateClause(c *Clause) error
	DeleteClause(id string) error
	SetClauseOrder(agreementID string, ids []string) error
	SetClauseLocked(id string, locked bool) error
	ClauseBase(id string) (body string, ok bool, err error) // the text at rev 0, when kept
}

// OpLog keeps each clause's log of changes.
type OpLog interface {
	// InsertOp and InsertOps log changes of a clause made at the time (the service's clock,
	// which the edit log's retention goes by).
	InsertOp(clauseID string, at time.Time, r OpRecord) error
	InsertOps(clauseID string, at time.Time, recs []OpRecord) error
	OpsSince(clauseID string, rev int) ([]OpRecord, error)
	OpBySeq(clauseID, memberID, client string, seq int) (*OpRecord, error)
	MaxSeq(clauseID, memberID, client string) (int, error)
	MaxSeqOfTab(agreementID, memberID, client string) (int, error) // over all the agreement's clauses
	DeleteOps(agreementID string) error
	// StaleEditLogs lists the clauses whose edit log's newest entry is older than the time.
	StaleEditLogs(before time.Time) ([]string, error)
	// DeleteEditLog deletes a clause's edit log, unless it has an entry from the time on.
	DeleteEditLog(clauseID string, before time.Time) error
	OpLog(clauseID string) ([]LoggedOp, error)                 // the whole log, oldest first
	OpAuthors(agreementID string) (map[string][]Author, error) // by clause
	// ForgetAuthor removes a member's ID from the edit logs of the class's clauses.
	ForgetAuthor(classID, memberID string) error
}

// Decisions keeps what households and pupils said: votes, signatures and check-in answers.
type Decisions interface {
	PutVote(agreementID, voter string, v Vote) error
	Votes(agreementID string) (map[string][]Vote, error) // by voter
	DeleteVotes(agreementID string) error

	PutSignature(agreementID string, s Signature) error
	DeleteSignature(agreementID, voter string) error
	Signatures(agreementID string) ([]Signature, error)

	InsertCheckin(agreementID string, c *Checkin) error
	LatestCheckin(agreementID string) (*Checkin, error)
	PutCheckinReply(checkinID, voter string, r CheckinReply) error
	CheckinReplies(checkinID string) (map[string]CheckinReply, error) // by voter

	// DeleteVoter deletes a voter's (a household's or a pupil's) votes, signatures and check-in
	// answers in the class's agreements.
	DeleteVoter(classID, voter string) error
}

// Councils keeps a school's pupil council: its members' classes and what classes took up.
type Councils interface {
	// CouncilOf returns the school's pupil council, archived or not.
	CouncilOf(schoolID string) (*Class, error)
	// SetCouncilMember records the class a member of a pupil council comes from.
	SetCouncilMember(memberID, classID string) error
	// CouncilMembers maps each member of a pupil council who named a class to that class.
	CouncilMembers(councilID string) (map[string]string, error)
	InsertCouncilClause(cc CouncilClause) error
	// CouncilClauses lists the council clauses an agreement started from, in the council's order.
	CouncilClauses(agreementID string) ([]CouncilClause, error)
	// TakenUp returns the ID of an agreement of the class started from the council's agreement.
	TakenUp(classID, councilAgreementID string) (string, error)
}

// DemoStore keeps the demo's marks (none in a real database) and says whether a database
// holds anything.
type DemoStore interface {
	DemoMarks() (map[string]string, error)
	PutDemoMark(name, value string) error
	HoldsData() (bool, error)
}

// OpRecord is one entry of a clause's log: the change that made revision Rev. Edits that do not
// touch the text (title, value) are logged as an operation that keeps it, so revisions of the
// text and of the clause are one sequence.
type OpRecord struct {
	Rev      int    `json:"rev"`
	Client   string `json:"client"`
	Seq      int    `json:"seq"`
	MemberID string `json:"member"`
	Op       ot.Op  `json:"op"`
}

// SharedStore is a store that other processes (other instances of the server) write to as
// well. The service then trusts nothing it remembers of the store beyond one transaction but
// what cannot change once committed (see recentOps).
type SharedStore interface {
	Shared() bool
}

// Announcer tells the other instances on a shared store of the events a transaction commits:
// within the transaction, so that they hear of exactly what was committed, in commit order.
// This instance's own rooms hear of them from the Publisher, after the commit.
type Announcer interface {
	Announce(tx Tx, events []Event) error
}

// Publisher hears about changes after they are committed, to tell the live rooms.
type Publisher interface {
	Publish(e Event)
}

// Event is a committed change to an agreement.
type Event struct {
	AgreementID string
	Type        EventType
	Clause      *Clause    // for EventClause and EventOp: the clause after the change
	ClauseID    string     // for EventClauseRemoved
	Order       []string   // for EventOrder
	Op          *OpRecord  // for EventOp
	Agreement   *Agreement // for EventAgreement: the agreement without clauses
	Results     *Results   // for EventResults: the results everyone in the room may see
	ClassID     string     // for EventAccessEnded: the class whose members lose access
	MemberID    string     // for EventAccessEnded: the one member who does; "" for the whole class
	TokenHash   string     // for EventAccessEnded: only the connections that came with this token; "" for all
}

// EventType names what changed.
type EventType string

// The kinds of Event.
const (
	EventOp            EventType = "op"
	EventClause        EventType = "clause"
	EventClauseRemoved EventType = "clause.removed"
	EventOrder         EventType = "order"
	EventAgreement     EventType = "agreement"
	EventResults       EventType = "results"
	// EventAccessEnded says that a member (or every member of a class) may no longer see the
	// class: they left, were removed or logged out, or the class was archived. It concerns no
	// one agreement (AgreementID is ""); the live side closes those members' connections.
	EventAccessEnded EventType = "access.ended"
)
