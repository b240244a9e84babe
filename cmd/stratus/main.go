// Command stratus runs the Stratus cloud drive server and its maintenance
// commands.
//
//	stratus [server] [--config FILE] [--data DIR] [--listen ADDR]
//	stratus user create --email E --password P [--admin]
//	stratus user reset-password --email E --password P
//	stratus settings list [KEY...] | settings set KEY=VALUE...
//	stratus users list [--email S] [--group N] ...
//	stratus calibrate [--user ID]
//	stratus job run NAME
//	stratus version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/stratus-drive/stratus/internal/config"
	"github.com/stratus-drive/stratus/internal/server"
)

func main() {
	if err := run(os.Args[1:], os.Environ(), os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "stratus:", err)
		os.Exit(1)
	}
}

func run(args, environ []string, stdout, stderr io.Writer) error {
	cmd := "server"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "server":
		return runServer(args, environ, stderr)
	case "user":
		return runUser(args, environ, stdout, stderr)
	case "settings":
		return runSettings(args, environ, stdout, stderr)
	case "users":
		return runUsers(args, environ, stdout, stderr)
	case "calibrate":
		return runCalibrate(args, environ, stdout, stderr)
	case "job":
		return runJob(args, environ, stdout, stderr)
	case "version":
		fmt.Fprintf(stdout, "stratus %s (Cloudreve API %s)\n", server.Version, server.APIVersion)
		return nil
	}
	return fmt.Errorf("unknown command %q (want server, user, settings, users, calibrate, job or version)", cmd)
}

// commonFlags are accepted by every command that opens the site.
type commonFlags struct {
	config, data, listen string
}

func (c *commonFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.config, "config", "", "configuration file (Cloudreve conf.ini format)")
	fs.StringVar(&c.data, "data", "", "data directory (default ./data)")
	fs.StringVar(&c.listen, "listen", "", "listen address (default :5212)")
}

// load builds the configuration: defaults, then the file, then the
// environment, then flags.
func (c *commonFlags) load(environ []string, log *slog.Logger) (config.Config, error) {
	cfg, warnings, err := config.Load(c.config, environ)
	// Warnings first, even when the file is refused: an unknown key is often
	// the misspelling behind the problem.
	for _, w := range warnings {
		log.Warn("config: " + w)
	}
	if err != nil {
		return cfg, err
	}
	if c.data != "" {
		cfg.System.DataDir = c.data
	}
	if c.listen != "" {
		cfg.System.Listen = c.listen
	}
	return cfg, cfg.Validate()
}

func newLogger(w io.Writer, cfg config.Config) *slog.Logger {
	level := slog.LevelInfo
	switch {
	case cfg.System.Debug || cfg.System.LogLevel == "debug":
		level = slog.LevelDebug
	case cfg.System.LogLevel == "warning":
		level = slog.LevelWarn
	case cfg.System.LogLevel == "error":
		level = slog.LevelError
	}
	opts := &slog.HandlerOptions{Level: level}
	if cfg.System.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func runServer(args, environ []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c commonFlags
	c.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("server: unexpected argument %q", fs.Arg(0))
	}
	cfg, err := c.load(environ, newLogger(stderr, config.Default()))
	if err != nil {
		return err
	}
	log := newLogger(stderr, cfg)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv, err := server.New(ctx, cfg, log, server.Options{Environ: environ})
	if err != nil {
		return err
	}
	defer srv.Close()
	return srv.Run(ctx)
}

func runUser(args, environ []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New("user: want create or reset-password")
	}
	sub, args := args[0], args[1:]
	if sub != "create" && sub != "reset-password" {
		// Before opening anything: a typo must not create a data directory.
		return fmt.Errorf("user: unknown subcommand %q (want create or reset-password)", sub)
	}
	fs := flag.NewFlagSet("user "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c commonFlags
	c.register(fs)
	email := fs.String("email", "", "account e-mail")
	password := fs.String("password", "", "account password")
	admin := fs.Bool("admin", false, "make the account an administrator (create only)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("user %s: unexpected argument %q", sub, fs.Arg(0))
	}
	if *email == "" || *password == "" {
		return errors.New("--email and --password are required")
	}
	log := newLogger(stderr, config.Default())
	cfg, err := c.load(environ, log)
	if err != nil {
		return err
	}
	ctx := context.Background()
	srv, err := server.New(ctx, cfg, newLogger(stderr, cfg), server.Options{Environ: environ})
	if err != nil {
		return err
	}
	defer srv.Close()
	switch sub {
	case "create":
		u, err := srv.Accounts().CreateUser(ctx, *email, *password, *admin)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "created user %d <%s> in group %d\n", u.ID, u.Email, u.GroupID)
	case "reset-password":
		if err := srv.Accounts().ResetPassword(ctx, *email, *password); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "password of <%s> reset; its sessions are signed out\n", *email)
	default:
		return fmt.Errorf("user: unknown subcommand %q", sub)
	}
	return nil
}
