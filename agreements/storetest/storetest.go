// Package storetest is the test suite every storage engine of agreements.Store passes: the
// store's own contract (round trips, missing rows, uniqueness, the op log, rollback, reopening)
// and the service's rules that need a real store (households, operations and their resends,
// publishing, votes, the deletion of old data). An engine's package calls Run from a test.
package storetest

import (
	"testing"

	"klasseaftale/agreements"
)

// Engine is how the suite reaches a storage engine.
type Engine struct {
	// Open opens a store on new, empty storage; the engine closes it when the test ends.
	Open func(t *testing.T) agreements.Store
	// Reopen closes a store Open returned and opens the same storage again, as a restart would.
	Reopen func(t *testing.T, s agreements.Store) agreements.Store
	// Rows returns every row of every table of the store, by table: one line per row, each
	// column as name=value followed by a space.
	Rows func(t *testing.T, s agreements.Store) map[string][]string
	// Files returns the store's files on disk, by kind (FileMain, FileWAL, FileJournal), for an
	// engine whose storage the test can read byte by byte; nil for the others. The tests of
	// deletion then also look for the deleted text in them.
	Files func(t *testing.T, s agreements.Store) map[string][]byte
}

// The kinds of file Engine.Files returns.
const (
	FileMain    = "main"    // the database file
	FileWAL     = "wal"     // its write-ahead log
	FileJournal = "journal" // its rollback journal
)

// Run runs the suite on the engine, each test in a subtest of its own, beside the others: each
// opens storage of its own.
func Run(t *testing.T, e Engine) {
	for _, tc := range []struct {
		name string
		fn   func(*testing.T, Engine)
	}{
		{"RoundTrip", testRoundTrip},
		{"MissingRowsAreNotFound", testMissingRowsAreNotFound},
		{"Uniqueness", testUniqueness},
		{"OpLog", testOpLog},
		{"ClauseOrderAndDelete", testClauseOrderAndDelete},
		{"FailedUpdateRollsBack", testFailedUpdateRollsBack},
		{"Reopen", testReopen},
		{"TimesAreUTCToTheMillisecond", testTimesAreUTCToTheMillisecond},
		{"ListsAreInByteOrder", testListsAreInByteOrder},
		{"SameChildSameHousehold", testSameChildSameHousehold},
		{"ConcurrentOpsAreTransformed", testConcurrentOpsAreTransformed},
		{"ResendIsAppliedOnce", testResendIsAppliedOnce},
		{"ResendsAreKnownAndSeqsOnlyGrow", testResendsAreKnownAndSeqsOnlyGrow},
		{"AnotherMembersTabIDClaimsNothing", testAnotherMembersTabIDClaimsNothing},
		{"InvalidOpsChangeNothing", testInvalidOpsChangeNothing},
		{"StaleEditIsRefusedWithTheCurrentClause", testStaleEditIsRefusedWithTheCurrentClause},
		{"PublishFreezesAndDropsTheLog", testPublishFreezesAndDropsTheLog},
		{"AYesCountsForTheValueShownWhenTheVoteOpened", testAYesCountsForTheValueShownWhenTheVoteOpened},
		{"StaleOperationsRebaseAsOneByOne", testStaleOperationsRebaseAsOneByOne},
		{"PurgeDeletesArchivedClassesEverywhere", testPurgeDeletesArchivedClassesEverywhere},
		{"PurgeDeletesInactiveClasses", testPurgeDeletesInactiveClasses},
		{"OldEditLogsAreDeleted", testOldEditLogsAreDeleted},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, e)
		})
	}
}
