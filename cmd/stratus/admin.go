package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/stratus-drive/stratus/internal/admin"
	"github.com/stratus-drive/stratus/internal/config"
	"github.com/stratus-drive/stratus/internal/server"
	"github.com/stratus-drive/stratus/internal/setting"
	"github.com/stratus-drive/stratus/internal/task"
)

// The maintenance subcommands administrators script: they open the site
// like the server does and act through the admin service as the command
// line (audited as actor -1).
//
//	stratus settings list [KEY...]
//	stratus settings set KEY=VALUE...
//	stratus users list [--email S] [--nick S] [--group N] [--status S] [--page N] [--size N]
//	stratus calibrate [--user ID]
//	stratus job run NAME

// openSite parses the common flags (plus any the caller registered on fs)
// and opens the site.
func openSite(fs *flag.FlagSet, args, environ []string, stderr io.Writer) (*server.Server, []string, error) {
	var c commonFlags
	c.register(fs)
	if err := fs.Parse(args); err != nil {
		return nil, nil, err
	}
	cfg, err := c.load(environ, newLogger(stderr, config.Default()))
	if err != nil {
		return nil, nil, err
	}
	srv, err := server.New(context.Background(), cfg, newLogger(stderr, cfg), server.Options{Environ: environ})
	if err != nil {
		return nil, nil, err
	}
	return srv, fs.Args(), nil
}

func runSettings(args, environ []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "list" && args[0] != "set") {
		return errors.New("settings: want list or set")
	}
	sub := args[0]
	fs := flag.NewFlagSet("settings "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	srv, rest, err := openSite(fs, args[1:], environ, stderr)
	if err != nil {
		return err
	}
	defer srv.Close()
	ctx := context.Background()
	svc := srv.Admin()
	if sub == "list" {
		keys := rest
		if len(keys) == 0 {
			keys = slices.Sorted(maps.Keys(setting.Defaults))
		}
		values, err := svc.Settings(ctx, admin.CommandLine(), keys)
		if err != nil {
			return err
		}
		for _, k := range slices.Sorted(maps.Keys(values)) {
			fmt.Fprintf(stdout, "%s=%s\n", k, strconv.Quote(values[k]))
		}
		return nil
	}
	if len(rest) == 0 {
		return errors.New("settings set: want KEY=VALUE arguments")
	}
	patch := map[string]string{}
	for _, kv := range rest {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return fmt.Errorf("settings set: %q is not KEY=VALUE", kv)
		}
		patch[k] = v
	}
	written, err := svc.PatchSettings(ctx, admin.CommandLine(), patch)
	if err != nil {
		return err
	}
	for _, k := range slices.Sorted(maps.Keys(patch)) {
		if v, ok := written[k]; ok {
			fmt.Fprintf(stdout, "%s=%s\n", k, strconv.Quote(v))
		} else {
			fmt.Fprintf(stdout, "%s: no such setting, ignored\n", k)
		}
	}
	return nil
}

func runUsers(args, environ []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "list" {
		return errors.New("users: want list")
	}
	fs := flag.NewFlagSet("users list", flag.ContinueOnError)
	fs.SetOutput(stderr)
	email := fs.String("email", "", "e-mail contains")
	nick := fs.String("nick", "", "nick contains")
	group := fs.Int("group", 0, "group ID")
	status := fs.String("status", "", "active, inactive, manual_banned or sys_banned")
	page := fs.Int("page", 1, "page (from 1)")
	size := fs.Int("size", 50, "users per page")
	srv, _, err := openSite(fs, args[1:], environ, stderr)
	if err != nil {
		return err
	}
	defer srv.Close()
	lr := admin.ListRequest{Page: *page, PageSize: *size, Conditions: map[string]string{
		"user_email": *email, "user_nick": *nick, "user_status": *status}}
	if *group != 0 {
		lr.Conditions["user_group"] = strconv.Itoa(*group)
	}
	users, p, err := srv.Admin().Users(context.Background(), admin.CommandLine(), lr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%-6s %-32s %-20s %-14s %-6s %s\n", "ID", "EMAIL", "NICK", "STATUS", "GROUP", "STORAGE")
	for _, v := range users {
		u := v.User
		fmt.Fprintf(stdout, "%-6d %-32s %-20s %-14s %-6d %d\n", u.ID, u.Email, u.Nick, u.Status, u.GroupID, u.Storage)
	}
	fmt.Fprintf(stdout, "page %d, %d users in all\n", p.Page+1, p.TotalItems)
	return nil
}

func runCalibrate(args, environ []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("calibrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	user := fs.Int("user", 0, "only this user ID (default: every user)")
	srv, _, err := openSite(fs, args, environ, stderr)
	if err != nil {
		return err
	}
	defer srv.Close()
	ctx := context.Background()
	if *user != 0 {
		v, err := srv.Admin().CalibrateUser(ctx, admin.CommandLine(), *user)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "user %d uses %d bytes\n", v.User.ID, v.User.Storage)
		return nil
	}
	n, err := srv.Jobs().RunNow(ctx, task.JobCalibrate)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "calibrated %d users\n", n)
	return nil
}

func runJob(args, environ []string, stdout, stderr io.Writer) error {
	if len(args) < 1 || args[0] != "run" {
		return fmt.Errorf("job: want run NAME (one of %s)", strings.Join(task.Jobs, ", "))
	}
	fs := flag.NewFlagSet("job run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	srv, rest, err := openSite(fs, args[1:], environ, stderr)
	if err != nil {
		return err
	}
	defer srv.Close()
	if len(rest) != 1 {
		return fmt.Errorf("job run: want one job name (one of %s)", strings.Join(task.Jobs, ", "))
	}
	n, err := srv.Jobs().RunNow(context.Background(), rest[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %d items\n", rest[0], n)
	return nil
}
