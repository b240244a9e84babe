package config

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// minSlaveSecret is the shortest Slave.Secret accepted: the secret keys the
// HMAC that authenticates master ↔ slave requests.
const minSlaveSecret = 64

// Normalize rewrites accepted spellings to the one form the rest of Stratus
// compares against, so no consumer handles aliases: Mode, LogLevel and
// Database.Type are lower-cased, Database.Type "" and "sqlite3" become
// "sqlite" and "mariadb" becomes "mysql", and Debug forces LogLevel
// "debug" as it does in Cloudreve. Load calls it; call it yourself on a
// Config built in code.
func (c *Config) Normalize() {
	c.System.Mode = strings.ToLower(c.System.Mode)
	c.System.LogLevel = strings.ToLower(c.System.LogLevel)
	c.System.LogFormat = strings.ToLower(c.System.LogFormat)
	if c.System.Debug {
		c.System.LogLevel = "debug"
	}
	switch t := strings.ToLower(c.Database.Type); t {
	case "", "sqlite3":
		c.Database.Type = "sqlite"
	case "mariadb":
		c.Database.Type = "mysql"
	default:
		c.Database.Type = t
	}
}

// Validate reports every problem in c at once, as one error with one line
// per problem; the error's Unwrap() []error gives them one by one. It judges
// c as Normalize would leave it, so aliases pass.
func (c Config) Validate() error {
	c.Normalize() // c is a copy; the caller's value is untouched
	var problems []error
	bad := func(format string, args ...any) {
		problems = append(problems, fmt.Errorf(format, args...))
	}

	s := c.System
	if s.Mode != "master" && s.Mode != "slave" {
		bad("[System] Mode: must be master or slave, not %q", s.Mode)
	}
	if s.Listen == "" {
		bad("[System] Listen: must not be empty")
	}
	if s.DataDir == "" {
		bad("[System] DataDir: must not be empty")
	}
	if !slices.Contains([]string{"debug", "info", "warning", "error"}, s.LogLevel) {
		bad("[System] LogLevel: must be debug, info, warning or error, not %q", s.LogLevel)
	}
	if !slices.Contains([]string{"text", "json"}, s.LogFormat) {
		bad("[System] LogFormat: must be text or json, not %q", s.LogFormat)
	}
	if s.GracePeriod < 0 {
		bad("[System] GracePeriod: must not be negative")
	}

	d := c.Database
	switch d.Type {
	case "sqlite":
		if d.DBFile == "" && d.DatabaseURL == "" {
			bad("[Database] DBFile: must not be empty for sqlite")
		}
	case "postgres", "mysql":
		// DatabaseURL replaces the coordinates entirely.
		if d.DatabaseURL == "" && d.Host == "" {
			bad("[Database] Host: required for %s unless DatabaseURL is set", d.Type)
		}
		if d.DatabaseURL == "" && d.Name == "" {
			bad("[Database] Name: required for %s unless DatabaseURL is set", d.Type)
		}
	default:
		bad("[Database] Type: must be sqlite, postgres, mysql or mariadb, not %q", d.Type)
	}
	if d.Port < 0 || d.Port > 65535 {
		bad("[Database] Port: %d is not a port number", d.Port)
	}

	if c.Redis.DB < 0 {
		bad("[Redis] DB: must not be negative")
	}

	if c.SSL.CertPath != "" && c.SSL.KeyPath == "" {
		bad("[SSL] KeyPath: required when CertPath is set")
	}
	if c.SSL.KeyPath != "" && c.SSL.CertPath == "" {
		bad("[SSL] CertPath: required when KeyPath is set")
	}

	if _, err := c.UnixSocket.FileMode(); err != nil {
		bad("[UnixSocket] Perm: %v", err)
	}

	if s.Mode == "slave" && len(c.Slave.Secret) < minSlaveSecret {
		bad("[Slave] Secret: slave mode needs at least %d characters, got %d", minSlaveSecret, len(c.Slave.Secret))
	}
	if c.Slave.CallbackTimeout <= 0 {
		bad("[Slave] CallbackTimeout: must be positive")
	}
	if c.Slave.SignatureTTL <= 0 {
		bad("[Slave] SignatureTTL: must be positive")
	}

	return errors.Join(problems...)
}
