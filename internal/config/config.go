// Package config is the typed configuration tree of a Stratus process: what
// must be known before the database can be opened. Runtime site settings live
// in the database (package setting), not here.
//
// The sections and keys mirror Cloudreve's conf.ini so an existing Cloudreve
// configuration file can be used as is: each section is a struct field of
// Config and each key a field of that struct, named exactly as Cloudreve
// spells them. Load finds them by those names, so a field added here is a key
// the file and the environment can set.
package config

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"strconv"
	"time"
)

// Config is the whole tree. Packages receive only their own section.
type Config struct {
	System     System
	Database   Database
	Redis      Redis
	SSL        SSL
	UnixSocket UnixSocket
	CORS       CORS
	Slave      Slave

	// OptionOverwrite holds the [OptionOverwrite] section: site setting
	// name → value. A slave node has no settings table, so these stand in
	// for it; a master ignores them, as Cloudreve does. Keys keep the case
	// they were written in, because setting names are case-sensitive.
	OptionOverwrite map[string]string
}

// Default returns a working single-machine setup: a master on :5212 with
// SQLite and everything else under ./data, no Redis, no CORS.
func Default() Config {
	return Config{
		System: System{
			Mode:      "master",
			Listen:    ":5212",
			LogLevel:  "info",
			LogFormat: "text",
			DataDir:   "./data",
		},
		Database: Database{
			Type:    "sqlite",
			DBFile:  "stratus.db",
			Charset: "utf8mb4",
		},
		Redis: Redis{
			Network: "tcp",
			// Cloudreve's default, kept so that a Cloudreve file that only
			// turns UseTLS on keeps working against a self-signed Redis.
			TLSSkipVerify: true,
		},
		SSL: SSL{Listen: ":443"},
		CORS: CORS{
			AllowOrigins: []string{"UNSET"},
			AllowMethods: []string{"PUT", "POST", "GET", "OPTIONS"},
			AllowHeaders: []string{"Cookie", "X-Cr-Policy", "Authorization", "Content-Length",
				"Content-Type", "X-Cr-Path", "X-Cr-FileName"},
			SameSite: "Default",
		},
		Slave: Slave{
			CallbackTimeout: 20 * time.Second,
			SignatureTTL:    600 * time.Second,
		},
	}
}

// SQLitePath returns the SQLite database file: Database.DBFile, resolved
// against System.DataDir when relative.
func (c Config) SQLitePath() string {
	if filepath.IsAbs(c.Database.DBFile) {
		return c.Database.DBFile
	}
	return filepath.Join(c.System.DataDir, c.Database.DBFile)
}

// System is the [System] section. GracePeriod is whole seconds in the file.
type System struct {
	Mode          string        // "master" or "slave"
	Listen        string        // HTTP listen address
	Debug         bool          // raw error text in responses, debug logging
	SessionSecret string        // key of the cookie session store
	GracePeriod   time.Duration // how long shutdown waits for in-flight requests; 0 = no limit
	ProxyHeader   string        // header trusted for the client IP; "" = none
	LogLevel      string        // debug, info, warning, error
	LogFormat     string        // text (key=value lines) or json (one JSON object per line); a Stratus key
	DataDir       string        // SQLite file, uploads, temp, avatars; a Stratus key, not Cloudreve's
	Pprof         string        // listen address for Go profiling endpoints; "" = off

	// HashIDSalt is Cloudreve v3's salt. v4 keeps the salt in the site
	// setting hash_id_salt; this is read only when importing a v3
	// installation, whose object IDs must keep working.
	HashIDSalt string
}

// Database is the [Database] section.
type Database struct {
	Type        string // sqlite, postgres, mysql (mariadb is an alias of mysql)
	DBFile      string // SQLite file; relative paths resolve against DataDir
	Host        string
	Port        int // 0 = the driver's default port
	User        string
	Password    string
	Name        string
	Charset     string
	UnixSocket  bool   // MySQL: Host is a socket path
	DatabaseURL string // when set, used verbatim as the driver DSN
	SSLMode     string // accepted for Cloudreve compatibility; Cloudreve itself does not use it

	// TablePrefix is Cloudreve v3's table name prefix, needed only when
	// importing a v3 database; v4 tables have none.
	TablePrefix string
}

// Redis is the [Redis] section. An empty Server selects the in-memory KV.
type Redis struct {
	Network       string // "tcp" or "unix"
	Server        string // address, e.g. 127.0.0.1:6379
	User          string
	Password      string
	DB            int // database index
	UseTLS        bool
	TLSSkipVerify bool
}

// SSL is the [SSL] section. When CertPath is set only HTTPS is served.
type SSL struct {
	CertPath string
	KeyPath  string
	Listen   string
}

// UnixSocket is the [UnixSocket] section.
type UnixSocket struct {
	Listen string
	Perm   string // octal, e.g. "0666"; "" leaves the mode the listener gives the socket
}

// FileMode parses Perm. It returns 0 and no error when Perm is empty.
func (u UnixSocket) FileMode() (fs.FileMode, error) {
	if u.Perm == "" {
		return 0, nil
	}
	n, err := strconv.ParseUint(u.Perm, 8, 32)
	if err != nil || n > 0o777 {
		return 0, fmt.Errorf("invalid permission %q: want octal such as 0666", u.Perm)
	}
	return fs.FileMode(n), nil
}

// CORS is the [CORS] section. AllowOrigins "UNSET" (or empty) disables CORS.
type CORS struct {
	AllowOrigins     []string
	AllowMethods     []string
	AllowHeaders     []string
	AllowCredentials bool
	ExposeHeaders    []string
	SameSite         string // Default, Lax, Strict or None; for the session cookie
	Secure           bool   // mark the session cookie Secure
}

// Enabled reports whether a CORS layer is configured.
func (c CORS) Enabled() bool {
	return len(c.AllowOrigins) > 0 && !(len(c.AllowOrigins) == 1 && c.AllowOrigins[0] == "UNSET")
}

// Slave is the [Slave] section. Durations are whole seconds in the file.
type Slave struct {
	Secret          string        // shared with the master; at least 64 characters
	CallbackTimeout time.Duration // for slave → master upload callbacks
	SignatureTTL    time.Duration // validity of requests the slave signs
}
