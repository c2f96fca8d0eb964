// Command klasseaftale serves the whole product from one binary and one SQLite file.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := command(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "klasseaftale:", err)
		os.Exit(1)
	}
}

// command runs the server, or the subcommand the first argument names.
func command(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) > 0 && args[0] == "backup" {
		return backup(ctx, args[1:], getenv, stdout)
	}
	return run(ctx, args, getenv, stdout)
}
