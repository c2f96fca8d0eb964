package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"klasseaftale/agreements/sqlite"
	"klasseaftale/internal/wire"
)

// backup is `klasseaftale backup [-db FILE] DEST`: a consistent copy of the database, taken
// while the server runs.
func backup(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("klasseaftale backup", flag.ContinueOnError)
	fs.SetOutput(stdout)
	db := fs.String("db", envOr(getenv, "KLASSEAFTALE_DB", "klasseaftale.db"), "the SQLite database to copy (env KLASSEAFTALE_DB); a PostgreSQL database is backed up with pg_dump")
	fs.Usage = func() {
		fmt.Fprintln(stdout, "usage: klasseaftale backup [-db FILE] DEST\n\nWrites a consistent copy of the database to DEST (which must not exist), also while the server runs.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("backup: name the file to write")
	}
	if wire.IsPostgres(*db) {
		return errors.New("backup: the database is PostgreSQL's; back it up with pg_dump (for example pg_dump -Fc -f DEST URL), and restore it with pg_restore")
	}
	if err := sqlite.Backup(ctx, *db, fs.Arg(0)); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up %s to %s\n", *db, fs.Arg(0))
	return nil
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}
