package sqlite

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"klasseaftale/agreements"
)

// The writer never copies the write-ahead log back itself (a commit that did so would make
// the keystrokes committed with it wait); a reading connection does, once checkpointCommits
// transactions have committed, so the log does not grow without bound and the database file
// takes the writes.
func TestTheLogIsCopiedBesideTheWriter(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "k.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var auto int
	if err := db.write.QueryRowContext(ctx, `PRAGMA wal_autocheckpoint`).Scan(&auto); err != nil || auto != 0 {
		t.Fatalf("the writer checkpoints every %d pages (%v)", auto, err)
	}
	size := func(p string) int64 {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	before := size(path)
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE filler (b TEXT) STRICT`); err != nil {
		t.Fatal(err)
	}
	for range checkpointCommits + 50 { // 250 commits of 8 KB: 2 MB, some 500 pages
		if err := db.Update(ctx, func(tx agreements.Tx) error {
			return tx.(*Tx).exec(`INSERT INTO filler VALUES (?)`, strings.Repeat("x", 8<<10))
		}); err != nil {
			t.Fatal(err)
		}
	}
	if size(path+"-wal") < 1<<20 {
		t.Fatal("the writes did not go to the log")
	}
	// Well before checkpointIdle: the count of commits is what starts the copy.
	for deadline := time.Now().Add(checkpointIdle / 2); size(path) < before+1<<20; {
		if time.Now().After(deadline) {
			t.Fatalf("the database file is %d bytes after 2 MB were committed: the log was not copied", size(path))
		}
		time.Sleep(checkpointEvery / 10)
	}
}

// The log is copied after many commits or a long while, not at every look: the commit after a
// copy that took the whole log syncs the file to disk, and a keystroke waits for that.
func TestCheckpointDue(t *testing.T) {
	for _, c := range []struct {
		commits int64
		since   time.Duration
		due     bool
	}{
		{0, checkpointEvery, false},
		{5, checkpointEvery, false},
		{checkpointCommits - 1, checkpointIdle - time.Millisecond, false},
		{checkpointCommits, checkpointEvery, true},
		{1, checkpointIdle, true},
		{0, checkpointIdle, true}, // what was written outside Update
	} {
		if got := checkpointDue(c.commits, c.since); got != c.due {
			t.Errorf("checkpointDue(%d commits, %v) = %v, want %v", c.commits, c.since, got, c.due)
		}
	}
}

// Temporary files — the statement journal of a batch's INSERT of many rows above all — stay in
// memory on every connection: not written and read back through a file for each batch, and
// nothing of a draft in the temporary directory.
func TestTemporaryFilesStayInMemory(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "k.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for name, pool := range map[string]*sql.DB{"writer": db.write, "reader": db.read} {
		var store int
		if err := pool.QueryRowContext(ctx, `PRAGMA temp_store`).Scan(&store); err != nil || store != 2 {
			t.Errorf("the %s's temp_store is %d (%v), want 2 (memory)", name, store, err)
		}
	}
}
