package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A backup taken while tabs type holds every edit acknowledged before it began, and serving
// the copy restores them.
func TestBackupWhileTyping(t *testing.T) {
	dir := t.TempDir()
	db, dest := filepath.Join(dir, "k.db"), filepath.Join(dir, "copy.db")
	base, stop := start(t, db)
	defer stop()
	m := newMeeting(t, base, 4)
	typists := startTypists(t, m, []string{base}, 1, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	wg := typeAll(ctx, typists, m.clause, 100000)
	for ackedCount(typists) < 100 {
		time.Sleep(5 * time.Millisecond)
	}
	var before []string
	for _, ty := range typists {
		before = append(before, ty.ackedMarkers()...)
	}
	var out strings.Builder
	if err := command(context.Background(), []string{"backup", "-db", db, dest}, func(string) string { return "" }, &out); err != nil {
		t.Fatal(err)
	}
	cancel()
	wg.Wait()
	if err := command(context.Background(), []string{"backup", "-db", db, dest}, func(string) string { return "" }, &out); err == nil {
		t.Error("a backup over an existing file was written")
	}

	restored, stopRestored := start(t, dest)
	defer stopRestored()
	stored := m.storedBody(t, restored)
	missing := 0
	for _, marker := range before {
		if strings.Count(stored, marker) != 1 {
			missing++
		}
	}
	t.Logf("%d edits acknowledged before the backup began; %d missing from it", len(before), missing)
	if missing > 0 {
		t.Errorf("%d of %d acknowledged edits are not in the backup", missing, len(before))
	}
}

// The backup command copies SQLite files only: for a PostgreSQL database it names pg_dump, and
// writes nothing.
func TestBackupOfPostgresNamesPgDump(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "copy.db")
	var out strings.Builder
	err := command(context.Background(), []string{"backup", "-db", "postgres://user:secret@db.invalid/klasseaftale", dest}, func(string) string { return "" }, &out)
	if err == nil || !strings.Contains(err.Error(), "pg_dump") || strings.Contains(err.Error(), "secret") {
		t.Errorf("backup of a PostgreSQL database: %v", err)
	}
	if _, err := os.Stat(dest); !os.IsNotExist(err) {
		t.Errorf("the backup wrote %s: %v", dest, err)
	}
}
