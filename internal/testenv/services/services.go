// Package services tells tests where the real PostgreSQL, MariaDB and Redis
// servers are, and whether a test may skip when one is missing. It imports
// only the standard library so that every test package can use it.
package services

import (
	"os"
	"strings"
	"testing"
)

// Names of the services a test can require.
const (
	Postgres = "postgres"
	MySQL    = "mysql"
	Redis    = "redis"
)

// PostgresDSN is the server-level DSN of the test PostgreSQL (a database that
// exists; tests create their own databases through it).
func PostgresDSN() string {
	return env("STRATUS_TEST_POSTGRES_DSN", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable")
}

// MySQLDSN is the go-sql-driver DSN of the test MariaDB/MySQL server.
func MySQLDSN() string {
	return env("STRATUS_TEST_MYSQL_DSN", "root@tcp(127.0.0.1:3306)/test")
}

// RedisAddr is the host:port of the test Redis.
func RedisAddr() string { return env("STRATUS_TEST_REDIS_ADDR", "127.0.0.1:6379") }

// Required reports whether STRATUS_TEST_REQUIRE names the service (a comma
// list, or "all"). CI sets it so that a missing service fails instead of skips.
func Required(name string) bool {
	for _, s := range strings.Split(os.Getenv("STRATUS_TEST_REQUIRE"), ",") {
		s = strings.TrimSpace(s)
		if s == name || s == "all" {
			return true
		}
	}
	return false
}

// Unavailable ends the test because service name cannot be reached: a skip on
// a laptop, a failure when the service is required.
func Unavailable(t testing.TB, name string, err error) {
	t.Helper()
	if Required(name) {
		t.Fatalf("%s is required (STRATUS_TEST_REQUIRE) but unavailable: %v", name, err)
	}
	t.Skipf("%s unavailable: %v", name, err)
}

func env(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
