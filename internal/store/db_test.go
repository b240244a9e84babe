package store

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stratus-drive/stratus/internal/config"
	"github.com/stratus-drive/stratus/internal/drive"
)

func TestParseDialect(t *testing.T) {
	tests := []struct {
		typ  string
		want dialect
		ok   bool
	}{
		{"", dialectSQLite, true},
		{"sqlite", dialectSQLite, true},
		{"sqlite3", dialectSQLite, true},
		{"postgres", dialectPostgres, true},
		{"mysql", dialectMySQL, true},
		{"MariaDB", dialectMySQL, true},
		{"oracle", 0, false},
	}
	for _, tt := range tests {
		got, err := parseDialect(tt.typ)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parseDialect(%q) = %v, %v", tt.typ, got, err)
		}
	}
}

func TestSQLitePath(t *testing.T) {
	tests := []struct {
		file, dataDir, want string
	}{
		{"", "/data", "/data/stratus.db"},
		{"cloud.db", "/data", "/data/cloud.db"},
		{"sub/cloud.db", "data", "data/sub/cloud.db"},
		{"/abs/cloud.db", "/data", "/abs/cloud.db"},
	}
	for _, tt := range tests {
		if got := sqlitePath(config.Database{DBFile: tt.file}, tt.dataDir); got != tt.want {
			t.Errorf("sqlitePath(%q, %q) = %q, want %q", tt.file, tt.dataDir, got, tt.want)
		}
	}
	dsn := sqliteDSN("/data dir/a?b#c.db")
	if !strings.HasPrefix(dsn, "file:/data%20dir/a%3Fb%23c.db?") {
		t.Errorf("sqliteDSN does not escape the path: %s", dsn)
	}
	for _, want := range []string{"_txlock=immediate", "journal_mode%28WAL%29", "foreign_keys%281%29",
		"busy_timeout%2810000%29", "synchronous%28NORMAL%29"} {
		if !strings.Contains(dsn, want) {
			t.Errorf("sqliteDSN lacks %s: %s", want, dsn)
		}
	}
}

func TestPostgresDSN(t *testing.T) {
	tests := []struct {
		cfg  config.Database
		want string
	}{
		{config.Database{Host: "db", Port: 5433, User: "u", Password: "p@ss", Name: "cloud", SSLMode: "disable"},
			"postgres://u:p%40ss@db:5433/cloud?sslmode=disable"},
		{config.Database{User: "u", Name: "cloud"}, "postgres://u@localhost/cloud"},
		{config.Database{Host: "/run/postgresql", UnixSocket: true, User: "u", Name: "cloud"},
			"postgres://u@/cloud?host=%2Frun%2Fpostgresql"},
	}
	for _, tt := range tests {
		if got := postgresDSN(tt.cfg); got != tt.want {
			t.Errorf("postgresDSN(%+v) = %q, want %q", tt.cfg, got, tt.want)
		}
	}
}

func TestMySQLConfig(t *testing.T) {
	tests := []struct {
		cfg        config.Database
		net, addr  string
		user, name string
	}{
		{config.Database{Host: "db", Port: 3307, User: "u", Password: "p", Name: "cloud"}, "tcp", "db:3307", "u", "cloud"},
		{config.Database{User: "u", Name: "cloud"}, "tcp", "127.0.0.1:3306", "u", "cloud"},
		{config.Database{Host: "/run/mysqld/mysqld.sock", UnixSocket: true, Name: "cloud"}, "unix", "/run/mysqld/mysqld.sock", "", "cloud"},
		{config.Database{DatabaseURL: "v:w@tcp(h:1)/given?parseTime=false&loc=Local"}, "tcp", "h:1", "v", "given"},
	}
	for _, tt := range tests {
		mc, err := mysqlConfig(tt.cfg)
		if err != nil {
			t.Errorf("mysqlConfig(%+v): %v", tt.cfg, err)
			continue
		}
		if mc.Net != tt.net || mc.Addr != tt.addr || mc.User != tt.user || mc.DBName != tt.name {
			t.Errorf("mysqlConfig(%+v) = %s %s %s %s", tt.cfg, mc.Net, mc.Addr, mc.User, mc.DBName)
		}
		// What the store's scanning and update checks rely on, even over a
		// DSN that says otherwise.
		if !mc.ParseTime || mc.Loc != time.UTC || !mc.ClientFoundRows {
			t.Errorf("mysqlConfig(%+v): parseTime %v, loc %v, clientFoundRows %v",
				tt.cfg, mc.ParseTime, mc.Loc, mc.ClientFoundRows)
		}
	}
}

func TestDecodePolicySettings(t *testing.T) {
	ps, err := decodePolicySettings(`{"file_type":["jpg"],"chunk_size":5,"region":"eu","s3_path_style":true}`)
	if err != nil {
		t.Fatal(err)
	}
	want := drive.PolicySettings{FileType: []string{"jpg"}, ChunkSize: 5,
		Extra: map[string]any{"region": "eu", "s3_path_style": true}}
	if !reflect.DeepEqual(ps, want) {
		t.Errorf("got %+v, want %+v", ps, want)
	}
	if ps, err := decodePolicySettings(""); err != nil || ps.Extra != nil || ps.FileType != nil {
		t.Errorf("empty document = %+v, %v", ps, err)
	}
	if _, err := decodePolicySettings("{"); err == nil {
		t.Error("broken document decoded without error")
	}
}
