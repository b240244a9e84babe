package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata/default.golden")

// TestDefaultGolden pins the effective default configuration: a change here
// changes every installation that relies on defaults, so it must be deliberate.
func TestDefaultGolden(t *testing.T) {
	got, err := json.MarshalIndent(Default(), "", "\t")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	golden := filepath.Join("testdata", "default.golden")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("Default() differs from %s (run with -update if intended):\n%s", golden, got)
	}
}

func TestDefaultValid(t *testing.T) {
	if err := Default().Validate(); err != nil {
		t.Fatalf("Default().Validate() = %v", err)
	}
	cfg, warnings, err := Load("", nil)
	if err != nil || len(warnings) != 0 {
		t.Fatalf("Load(\"\", nil) = %v, %v", warnings, err)
	}
	if !reflect.DeepEqual(cfg, Default()) {
		t.Errorf("Load(\"\", nil) = %+v, want Default()", cfg)
	}
}

// TestEveryKeySettable walks every key of every section, so a field of a
// type Load cannot parse fails here rather than at someone's start-up.
func TestEveryKeySettable(t *testing.T) {
	v := reflect.ValueOf(Config{})
	for i := range v.NumField() {
		sec := v.Type().Field(i)
		if sec.Type.Kind() != reflect.Struct {
			continue
		}
		for j := range sec.Type.NumField() {
			key := sec.Type.Field(j).Name
			env := []string{"STRATUS_" + strings.ToUpper(sec.Name+"_"+key) + "="}
			if _, warnings, _ := Load("", env); len(warnings) != 0 {
				t.Errorf("[%s] %s: %v", sec.Name, key, warnings)
			}
		}
	}
}

func TestLoad(t *testing.T) {
	secret := strings.Repeat("s", 64)
	tests := []struct {
		name     string
		file     string // testdata file
		text     string // or an inline file, loaded as conf.ini
		env      []string
		check    func(t *testing.T, c Config)
		warnings []string
	}{
		{
			name: "full Cloudreve file",
			file: "cloudreve.ini",
			check: func(t *testing.T, c Config) {
				want := Default()
				want.System = System{Mode: "master", Listen: ":5213",
					SessionSecret: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
					HashIDSalt:    "v3salt", GracePeriod: 30 * time.Second, ProxyHeader: "X-Real-IP",
					LogLevel: "warning", LogFormat: "text", DataDir: "./data", Pprof: "127.0.0.1:6060"}
				want.Database = Database{Type: "mysql", DBFile: "stratus.db", Host: "127.0.0.1", Port: 3306,
					User: "cloudreve", Password: "p#ss;word", Name: "cloudreve", Charset: "utf8mb4",
					TablePrefix: "cd_", SSLMode: "disable"}
				want.Redis = Redis{Network: "tcp", Server: "127.0.0.1:6379", User: "default",
					Password: "redis pass", DB: 2, UseTLS: true}
				want.SSL = SSL{CertPath: "/etc/ssl/cert.pem", KeyPath: "/etc/ssl/key.pem", Listen: ":8443"}
				want.UnixSocket = UnixSocket{Listen: "/run/cloudreve.sock", Perm: "0660"}
				want.CORS = CORS{AllowOrigins: []string{"https://a.example", "https://b.example"},
					AllowMethods: []string{"GET", "POST"}, AllowHeaders: []string{"Authorization"},
					AllowCredentials: true, ExposeHeaders: []string{"X-Total"}, SameSite: "Lax", Secure: true}
				want.Slave = Slave{Secret: "slavesecret", CallbackTimeout: 25 * time.Second,
					SignatureTTL: 300 * time.Second}
				want.OptionOverwrite = map[string]string{"max_worker_num": "8"}
				if !reflect.DeepEqual(c, want) {
					t.Errorf("got  %+v\nwant %+v", c, want)
				}
			},
		},
		{
			name: "comments, backticks, quotes, case",
			file: "comments.ini",
			check: func(t *testing.T, c Config) {
				s, d := c.System, c.Database
				if s.Listen != ":7000" || s.ProxyHeader != "X-Forwarded-For;#" ||
					s.SessionSecret != "single quoted" || s.LogLevel != "debug" {
					t.Errorf("System = %+v", s)
				}
				if d.Type != "postgres" || d.Host != "db" || d.Name != "stratus" || d.Port != 0 || d.Password != "abc" {
					t.Errorf("Database = %+v", d)
				}
			},
		},
		{
			name: "STRATUS_ env wins over CR_CONF_ and the file",
			file: "cloudreve.ini",
			env: []string{
				"CR_CONF_System.Listen=:1111",
				"STRATUS_SYSTEM_LISTEN=:8080",
				"CR_CONF_Database__Name=fromcr",
				"stratus_database_type=postgres",
				"STRATUS_SYSTEM_DATADIR=/x",
				"STRATUS_CORS_ALLOWORIGINS=*",
				"STRATUS_OPTIONOVERWRITE_some_setting=v",
				"STRATUS_TEST_REQUIRE=postgres", // not ours: no warning
				"PATH=/bin",
				"CR_CONF_Broken",    // no '=': ignored
				"CR_CONF_.Key=1",    // empty section: ignored
				"CR_CONF_System.=1", // empty key: ignored
			},
			check: func(t *testing.T, c Config) {
				if c.System.Listen != ":8080" || c.System.DataDir != "/x" || c.Database.Type != "postgres" ||
					c.Database.Name != "fromcr" || !slices.Equal(c.CORS.AllowOrigins, []string{"*"}) ||
					c.OptionOverwrite["some_setting"] != "v" || c.OptionOverwrite["max_worker_num"] != "8" {
					t.Errorf("got %+v", c)
				}
			},
		},
		{
			name: "unknown sections and keys warned",
			text: "Orphan = 1\n[System]\nFoo = bar\n[Extra]\nKey = 1\n",
			env:  []string{"STRATUS_SYSTEM_LISTN=:1", "CR_CONF_Nope.Key=1"},
			warnings: []string{
				"conf.ini:1: key Orphan outside any section",
				"conf.ini:3: unknown key [System] Foo",
				"conf.ini:4: unknown section [Extra]",
				"env CR_CONF_Nope.Key: unknown section [Nope]",
				"env STRATUS_SYSTEM_LISTN: unknown key [System] LISTN",
			},
		},
		{
			name: "slave mode from env",
			env:  []string{"STRATUS_SYSTEM_MODE=Slave", "STRATUS_SLAVE_SECRET=" + secret},
			check: func(t *testing.T, c Config) {
				if c.System.Mode != "slave" || c.Slave.Secret != secret {
					t.Errorf("got %+v", c)
				}
			},
		},
		{
			name: "sqlite3 alias, debug forces log level",
			env:  []string{"STRATUS_DATABASE_TYPE=sqlite3", "STRATUS_SYSTEM_DEBUG=yes", "STRATUS_DATABASE_DBFILE=/abs/c.db"},
			check: func(t *testing.T, c Config) {
				if c.Database.Type != "sqlite" || c.System.LogLevel != "debug" || c.SQLitePath() != "/abs/c.db" {
					t.Errorf("got %+v", c)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := confFile(t, tt.file, tt.text)
			c, warnings, err := Load(path, tt.env)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if !slices.Equal(warnings, tt.warnings) {
				t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(warnings, "\n"), strings.Join(tt.warnings, "\n"))
			}
			if tt.check != nil {
				tt.check(t, c)
			}
		})
	}
}

// confFile returns the path to hand Load: testdata/file, or text written
// to conf.ini in a fresh working directory so that messages read
// "conf.ini:N: ...", or "" when both are empty.
func confFile(t *testing.T, file, text string) string {
	t.Helper()
	if file != "" {
		return filepath.Join("testdata", file)
	}
	if text == "" {
		return ""
	}
	t.Chdir(t.TempDir())
	if err := os.WriteFile("conf.ini", []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return "conf.ini"
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name string
		text string
		env  []string
		want []string // every line of the error, in order
	}{
		{
			name: "every problem at once",
			text: `[System]
Mode = primary
Debug = maybe
GracePeriod = 1.5
LogLevel = loud
[Database]
Type = oracle
Port = abc
[UnixSocket]
Perm = 0999
[SSL]
CertPath = /c.pem
[broken
Key
`,
			env: []string{"STRATUS_REDIS_DB=x", "CR_CONF_Slave.SignatureTTL=-1"},
			want: []string{
				"conf.ini:3: [System] Debug: invalid boolean \"maybe\"",
				"conf.ini:4: [System] GracePeriod: invalid number of seconds \"1.5\"",
				"conf.ini:8: [Database] Port: invalid integer \"abc\"",
				"conf.ini:13: section header without ']'",
				"conf.ini:14: want Key = Value",
				"env STRATUS_REDIS_DB: [Redis] DB: invalid integer \"x\"",
				"[System] Mode: must be master or slave, not \"primary\"",
				"[System] LogLevel: must be debug, info, warning or error, not \"loud\"",
				"[Database] Type: must be sqlite, postgres, mysql or mariadb, not \"oracle\"",
				"[SSL] KeyPath: required when CertPath is set",
				"[UnixSocket] Perm: invalid permission \"0999\": want octal such as 0666",
				"[Slave] SignatureTTL: must be positive",
			},
		},
		{
			name: "server database without coordinates",
			env:  []string{"STRATUS_DATABASE_TYPE=postgres"},
			want: []string{
				"[Database] Host: required for postgres unless DatabaseURL is set",
				"[Database] Name: required for postgres unless DatabaseURL is set",
			},
		},
		{
			name: "slave without secret",
			env:  []string{"STRATUS_SYSTEM_MODE=slave", "STRATUS_SLAVE_SECRET=short"},
			want: []string{"[Slave] Secret: slave mode needs at least 64 characters, got 5"},
		},
		{
			name: "bad backticks",
			text: "[System]\nListen = `:1\nProxyHeader = `a` b\n",
			want: []string{
				"conf.ini:2: value without closing '`'",
				"conf.ini:3: text after closing '`'",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Load(confFile(t, "", tt.text), tt.env)
			if err == nil {
				t.Fatal("Load succeeded")
			}
			if got := strings.Split(err.Error(), "\n"); !slices.Equal(got, tt.want) {
				t.Errorf("error:\n%s\nwant:\n%s", err, strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, _, err := Load(filepath.Join(t.TempDir(), "conf.ini"), nil)
	if !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Load(missing) = %v, want os.ErrNotExist", err)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		modify func(c *Config)
		want   string // substring of the error, or "" for valid
	}{
		{"default", func(c *Config) {}, ""},
		{"mariadb with url", func(c *Config) { c.Database.Type = "MariaDB"; c.Database.DatabaseURL = "u:p@/db" }, ""},
		{"empty type is sqlite", func(c *Config) { c.Database.Type = "" }, ""},
		{"mysql coordinates", func(c *Config) { c.Database = Database{Type: "mysql", Host: "h", Name: "n"} }, ""},
		{"perm ok", func(c *Config) { c.UnixSocket.Perm = "0666" }, ""},
		{"perm too wide", func(c *Config) { c.UnixSocket.Perm = "7777" }, "[UnixSocket] Perm"},
		{"sqlite without file", func(c *Config) { c.Database.DBFile = "" }, "[Database] DBFile"},
		{"empty listen", func(c *Config) { c.System.Listen = "" }, "[System] Listen"},
		{"empty data dir", func(c *Config) { c.System.DataDir = "" }, "[System] DataDir"},
		{"key without cert", func(c *Config) { c.SSL.KeyPath = "k" }, "[SSL] CertPath"},
		{"port range", func(c *Config) { c.Database.Port = 70000 }, "[Database] Port"},
		{"negative redis db", func(c *Config) { c.Redis.DB = -1 }, "[Redis] DB"},
		{"negative grace", func(c *Config) { c.System.GracePeriod = -time.Second }, "[System] GracePeriod"},
		{"zero callback", func(c *Config) { c.Slave.CallbackTimeout = 0 }, "[Slave] CallbackTimeout"},
		{"slave secret", func(c *Config) { c.System.Mode = "slave"; c.Slave.Secret = strings.Repeat("x", 63) }, "[Slave] Secret"},
		{"slave ok", func(c *Config) { c.System.Mode = "slave"; c.Slave.Secret = strings.Repeat("x", 64) }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Default()
			tt.modify(&c)
			before := c.Database.Type
			err := c.Validate()
			if c.Database.Type != before {
				t.Errorf("Validate changed its receiver")
			}
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("Validate() = %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("Validate() = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{"": "sqlite", "sqlite3": "sqlite", "SQLite": "sqlite",
		"mariadb": "mysql", "MySQL": "mysql", "postgres": "postgres", "oracle": "oracle"} {
		c := Default()
		c.Database.Type = in
		c.Normalize()
		if c.Database.Type != want {
			t.Errorf("Normalize(Type %q) = %q, want %q", in, c.Database.Type, want)
		}
	}
}

func TestSQLitePath(t *testing.T) {
	c := Default()
	if got, want := c.SQLitePath(), filepath.Join("data", "stratus.db"); got != want {
		t.Errorf("SQLitePath() = %q, want %q", got, want)
	}
}
