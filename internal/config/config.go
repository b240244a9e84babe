// Package config is the typed configuration tree of a Stratus process: what
// must be known before the database can be opened. Runtime site settings live
// in the database (package setting), not here.
//
// The sections and keys mirror Cloudreve's conf.ini so an existing Cloudreve
// configuration file can be used as is.
package config

import "time"

// Config is the whole tree. Packages receive only their own section.
type Config struct {
	System     System
	Database   Database
	Redis      Redis
	SSL        SSL
	UnixSocket UnixSocket
	CORS       CORS
	Slave      Slave
}

// System is the [System] section.
type System struct {
	Mode          string // "master" or "slave"
	Listen        string // HTTP listen address
	Debug         bool   // raw error text in responses, debug logging
	SessionSecret string
	GracePeriod   time.Duration // how long shutdown waits for in-flight requests; 0 = no limit
	ProxyHeader   string        // header trusted for the client IP; "" = none
	LogLevel      string        // debug, info, warning, error
	DataDir       string        // SQLite file, uploads, temp, avatars
}

// Database is the [Database] section.
type Database struct {
	Type        string // sqlite, postgres, mysql (mariadb is an alias of mysql)
	DBFile      string // SQLite file; relative paths resolve against DataDir
	Host        string
	Port        int
	User        string
	Password    string
	Name        string
	Charset     string
	UnixSocket  bool
	DatabaseURL string // when set, used verbatim as the driver DSN
	SSLMode     string
}

// Redis is the [Redis] section. An empty Server selects the in-memory KV.
type Redis struct {
	Network       string
	Server        string
	User          string
	Password      string
	DB            int
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
	Perm   string // octal, e.g. "0666"
}

// CORS is the [CORS] section. AllowOrigins "UNSET" (or empty) disables CORS.
type CORS struct {
	AllowOrigins     []string
	AllowMethods     []string
	AllowHeaders     []string
	AllowCredentials bool
	ExposeHeaders    []string
	SameSite         string
	Secure           bool
}

// Enabled reports whether a CORS layer is configured.
func (c CORS) Enabled() bool {
	return len(c.AllowOrigins) > 0 && !(len(c.AllowOrigins) == 1 && c.AllowOrigins[0] == "UNSET")
}

// Slave is the [Slave] section.
type Slave struct {
	Secret          string
	CallbackTimeout time.Duration
	SignatureTTL    time.Duration
}
