package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
)

// Backup writes a consistent copy of the database file at path to dest, while the server
// may go on writing: VACUUM INTO reads one snapshot of the database (WAL lets it read beside
// the writer) and writes it as a new, compact file, without the journal. dest must not exist.
// The copy is a database like any other: serve it with -db to restore.
func Backup(ctx context.Context, path, dest string) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if _, err := os.Stat(dest); err == nil {
		return fmt.Errorf("backup: %s exists already", dest)
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("backup: %w", err)
	}
	db, err := sql.Open("sqlite", dsn(path, "deferred"))
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, dest); err != nil {
		os.Remove(dest)
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}
