// Package server is the composition root: it opens the database and the KV
// store, runs migrations, builds every service with its explicit
// dependencies, mounts the HTTP routes and runs the listeners.
package server

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/stratus-drive/stratus/internal/account"
	"github.com/stratus-drive/stratus/internal/admin"
	"github.com/stratus-drive/stratus/internal/api"
	"github.com/stratus-drive/stratus/internal/archiver"
	"github.com/stratus-drive/stratus/internal/config"
	"github.com/stratus-drive/stratus/internal/directlink"
	"github.com/stratus-drive/stratus/internal/files"
	"github.com/stratus-drive/stratus/internal/hashid"
	"github.com/stratus-drive/stratus/internal/kv"
	"github.com/stratus-drive/stratus/internal/kv/memory"
	kvredis "github.com/stratus-drive/stratus/internal/kv/redis"
	"github.com/stratus-drive/stratus/internal/media"
	"github.com/stratus-drive/stratus/internal/metrics"
	"github.com/stratus-drive/stratus/internal/safedial"
	"github.com/stratus-drive/stratus/internal/setting"
	"github.com/stratus-drive/stratus/internal/share"
	"github.com/stratus-drive/stratus/internal/storage"
	"github.com/stratus-drive/stratus/internal/storage/all"
	"github.com/stratus-drive/stratus/internal/store"
	"github.com/stratus-drive/stratus/internal/task"
	"github.com/stratus-drive/stratus/internal/throttle"
	"github.com/stratus-drive/stratus/internal/web"
	"github.com/stratus-drive/stratus/internal/webdav"
)

// Version is the Stratus release; APIVersion is the Cloudreve API level it
// speaks, which /site/ping reports because clients key features off it.
const (
	Version    = "0.1.0"
	APIVersion = "4.14.0"
)

// Server is a fully wired Stratus process.
type Server struct {
	cfg      config.Config
	log      *slog.Logger
	db       *store.DB
	kv       kv.Store
	settings *setting.Service
	accounts *account.Service
	files    *files.Service
	admin    *admin.Service
	// scheduler runs the background jobs; the admin queue and the command
	// line read and run them.
	scheduler *task.Scheduler
	metrics   *metrics.Registry
	handler   http.Handler
	slow      SlowClients
	cancel    context.CancelFunc
	jobsDone  chan struct{} // closed when the background jobs have stopped
}

// Options tune a server for tests; the zero value is production behaviour.
type Options struct {
	Environ     []string // environment for CR_SETTING_* overrides; nil = none
	Limits      account.Limits
	SlowClients SlowClients // zero = DefaultSlowClients
	// Now is the clock of the accounts (token expiry) and the filesystem
	// (upload sessions, trash, issued URLs); nil = time.Now. Tests pass a
	// fake one to move time instead of sleeping.
	Now func() time.Time
}

// New opens everything the configuration names and builds the services. The
// data directory is created if missing.
// ErrSlaveMode is why New refuses a slave configuration: slave mode is not
// built yet.
var ErrSlaveMode = errors.New("[System] Mode = slave: this version of Stratus cannot run as a slave node yet; " +
	"run it as a master (Mode = master)")

func New(ctx context.Context, cfg config.Config, log *slog.Logger, opt Options) (*Server, error) {
	if cfg.System.Mode == "slave" {
		// Starting a master instead would answer the master's API where a
		// master expects a slave's, and touch a database a slave must not.
		return nil, ErrSlaveMode
	}
	if err := os.MkdirAll(cfg.System.DataDir, 0o750); err != nil {
		return nil, fmt.Errorf("creating data directory: %w", err)
	}
	db, err := store.Open(ctx, cfg.Database, cfg.System.DataDir)
	if err != nil {
		return nil, fmt.Errorf("opening database: %w", err)
	}
	s := &Server{cfg: cfg, log: log, db: db, slow: opt.SlowClients}
	if s.slow == (SlowClients{}) {
		s.slow = DefaultSlowClients
	}
	if err := s.build(ctx, opt); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (s *Server) build(ctx context.Context, opt Options) error {
	if err := s.db.Migrate(ctx); err != nil {
		return fmt.Errorf("migrating database: %w", err)
	}
	store, err := openKV(ctx, s.cfg.Redis)
	if err != nil {
		return fmt.Errorf("opening cache: %w", err)
	}
	s.kv = store
	s.settings, err = setting.New(ctx, s.db, s.kv, opt.Environ, s.log)
	if err != nil {
		return fmt.Errorf("loading settings: %w", err)
	}
	ids := hashid.New(s.settings.String("hash_id_salt"))
	registry, env := all.Registry(), storage.Env{DataDir: s.cfg.System.DataDir}
	avatars, err := avatarStorage(registry, env, s.settings.String("avatar_path"))
	if err != nil {
		return fmt.Errorf("opening avatar storage: %w", err)
	}
	dialer := safedial.New(func() safedial.Policy { return outgoingPolicy(s.settings) })
	s.accounts = account.New(account.Deps{
		DB: s.db, Settings: s.settings, KV: s.kv, IDs: ids, Log: s.log,
		Avatars: avatars, Limits: opt.Limits, Now: opt.Now, Dialer: dialer,
	})
	limiter := throttle.New(s.kv, s.log)
	fileService := files.New(s.db, s.settings, ids, registry, env, s.log, limiter)
	if opt.Now != nil {
		fileService.SetClock(opt.Now)
	}
	s.files = fileService
	directLinks := directlink.New(s.db, fileService, ids)
	s.scheduler = task.NewScheduler(fileService, s.settings, s.log)
	s.admin = admin.New(admin.Deps{DB: s.db, KV: s.kv, Settings: s.settings, Accounts: s.accounts,
		Files: fileService, Links: directLinks, Jobs: s.scheduler, IDs: ids, Drivers: registry, Env: env,
		Log: s.log, Version: admin.Version{Version: Version}, Dialer: dialer, APIVersion: APIVersion})
	apiHandler := api.New(api.Deps{
		Accounts: s.accounts, Files: fileService,
		Media:       media.New(s.db, fileService, s.settings, s.log, limiter),
		Archives:    archiver.New(s.db, fileService, s.kv, s.settings, ids, s.log, limiter),
		DirectLinks: directLinks,
		Shares:      share.New(s.db, fileService, ids, s.settings),
		Settings:    s.settings, Admin: s.admin, IDs: ids,
		Version: APIVersion, Config: s.cfg, Log: s.log,
	})
	mux := http.NewServeMux()
	mux.Handle(api.Prefix+"/", apiHandler)
	mux.Handle(directlink.PathPrefix, api.DirectLinks(api.Deps{DirectLinks: directLinks, Settings: s.settings,
		Config: s.cfg, Log: s.log}))
	dav := webdav.New(webdav.Deps{Accounts: s.accounts, Files: fileService, IDs: ids, Log: s.log,
		ProxyHeader: s.cfg.System.ProxyHeader})
	mux.Handle(webdav.Prefix, dav)
	mux.Handle(webdav.Prefix+"/", dav)
	mux.Handle("GET /s/{id}", api.ShareRedirect())
	mux.Handle("GET /s/{id}/{password}", api.ShareRedirect())
	for path := range api.LogoPaths {
		mux.Handle(path, api.Logo())
	}
	mux.HandleFunc("GET /metrics", s.serveMetrics)
	mux.HandleFunc("GET /healthz", s.serveHealth)
	// Everything else is the web app (it answers 404 itself for the
	// namespaces above, so a typo under /api never gets an HTML page).
	mux.Handle("/", web.Handler())
	s.metrics = metrics.New()
	s.metricsSources()
	outerRoute := func(r *http.Request) string {
		_, pattern := mux.Handler(r)
		return pattern
	}
	s.handler = bodyDeadline(s.slow, withClientIP(s.cfg.System.ProxyHeader, s.metrics.Middleware(outerRoute, mux)))

	watchCtx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	go s.settings.Watch(watchCtx, 5*time.Second)
	s.jobsDone = make(chan struct{})
	go func() {
		defer close(s.jobsDone)
		s.scheduler.Run(watchCtx)
	}()
	return nil
}

// withClientIP puts every request's client address in its context
// (throttle.ContextWithClientIP), for the per-address buckets of services.
func withClientIP(proxyHeader string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := throttle.ContextWithClientIP(r.Context(), throttle.ClientIP(r, proxyHeader))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// avatarStorage is where avatars live: the local driver over avatar_path
// (relative to the data directory), where earlier versions wrote them.
// Processes sharing the data directory share it; a change of avatar_path
// applies at the next start.
func avatarStorage(registry *storage.Registry, env storage.Env, dir string) (storage.Driver, error) {
	raw, err := json.Marshal(map[string]string{"root": dir})
	if err != nil {
		return nil, err
	}
	return registry.New("local", raw, env)
}

func openKV(ctx context.Context, c config.Redis) (kv.Store, error) {
	if c.Server == "" {
		return memory.New(), nil
	}
	return kvredis.New(ctx, kvredis.Options{
		Network: c.Network, Addr: c.Server, Username: c.User, Password: c.Password,
		DB: c.DB, UseTLS: c.UseTLS, TLSSkipVerify: c.TLSSkipVerify, Prefix: "stratus:",
	})
}

// outgoingPolicy reads the address rules of outgoing connections; it runs
// on every dial, so a changed setting applies to the next connection.
func outgoingPolicy(st *setting.Service) safedial.Policy {
	p := safedial.Policy{AllowPrivate: st.Bool("outgoing_allow_private")}
	for _, item := range st.List("outgoing_allowed_cidrs") {
		if pre, err := safedial.ParsePrefix(item); err == nil { // stored values are checked on write
			p.Allowed = append(p.Allowed, pre)
		}
	}
	return p
}

// Handler is the root HTTP handler.
func (s *Server) Handler() http.Handler { return s.handler }

// Accounts exposes the account service to the command line.
func (s *Server) Accounts() *account.Service { return s.accounts }

// Admin exposes the administration service to the command line.
func (s *Server) Admin() *admin.Service { return s.admin }

// Jobs exposes the background-job scheduler, so that the command line can
// run a job at once.
func (s *Server) Jobs() *task.Scheduler { return s.scheduler }

// Files exposes the filesystem service, so that tests (and the command
// line) can run its background jobs at once with Collect.
func (s *Server) Files() *files.Service { return s.files }

// FirstStartHint logs how to become administrator when no account exists.
func (s *Server) FirstStartHint(ctx context.Context) {
	if n, err := s.db.CountUsers(ctx); err == nil && n == 0 {
		s.log.Info("no accounts yet: the first account that signs up becomes the administrator " +
			"(or run `stratus user create --email E --password P --admin`)")
	}
}

// Run serves until ctx is cancelled, then shuts down gracefully: listeners
// close, in-flight requests finish (bounded by System.GracePeriod when set).
func (s *Server) Run(ctx context.Context) error {
	ln, scheme, err := s.listen()
	if err != nil {
		return err
	}
	s.log.Info("stratus listening", "addr", scheme+"://"+ln.Addr().String(), "version", Version, "api", APIVersion)
	s.FirstStartHint(ctx)
	return s.Serve(ctx, ln, scheme)
}

// Serve serves HTTP (scheme "http" or "unix") or HTTPS ("https", with the
// configured certificate) on ln until ctx is cancelled, like Run. Tests use
// it to run the real server on a listener of their own.
func (s *Server) Serve(ctx context.Context, ln net.Listener, scheme string) error {
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 30 * time.Second,
		IdleTimeout:       s.slow.IdleTimeout,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
		ConnContext:       throttle.ConnContext,
	}
	if s.slow.PerAddress >= 0 && s.cfg.System.ProxyHeader == "" && scheme != "unix" {
		ln = throttle.NewConns(s.slow.PerAddress).Listener(ln)
	}
	errc := make(chan error, 1)
	go func() {
		if scheme == "https" {
			errc <- srv.ServeTLS(ln, s.cfg.SSL.CertPath, s.cfg.SSL.KeyPath)
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down")
	shutdownCtx := context.Background()
	if g := s.cfg.System.GracePeriod; g > 0 {
		var cancel context.CancelFunc
		shutdownCtx, cancel = context.WithTimeout(shutdownCtx, g)
		defer cancel()
	}
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// listen opens the one listener the configuration selects: HTTPS when a
// certificate is set, else a Unix socket when set, else TCP.
func (s *Server) listen() (net.Listener, string, error) {
	switch {
	case s.cfg.SSL.CertPath != "":
		if _, err := tls.LoadX509KeyPair(s.cfg.SSL.CertPath, s.cfg.SSL.KeyPath); err != nil {
			return nil, "", fmt.Errorf("loading TLS certificate: %w", err)
		}
		ln, err := net.Listen("tcp", s.cfg.SSL.Listen)
		return ln, "https", err
	case s.cfg.UnixSocket.Listen != "":
		path := s.cfg.UnixSocket.Listen
		_ = os.Remove(path) // a stale socket from a crashed run would block Listen
		ln, err := net.Listen("unix", path)
		if err != nil {
			return nil, "", err
		}
		if p := s.cfg.UnixSocket.Perm; p != "" {
			mode, err := strconv.ParseUint(p, 8, 32)
			if err != nil {
				ln.Close()
				return nil, "", fmt.Errorf("UnixSocket.Perm: %w", err)
			}
			if err := os.Chmod(path, os.FileMode(mode)); err != nil {
				ln.Close()
				return nil, "", err
			}
		}
		return ln, "unix", nil
	}
	ln, err := net.Listen("tcp", s.cfg.System.Listen)
	return ln, "http", err
}

// Close releases the database and cache.
func (s *Server) Close() error {
	if s.cancel != nil {
		s.cancel()
	}
	if s.jobsDone != nil {
		<-s.jobsDone // a job in progress must not outlive the database
	}
	if s.admin != nil {
		s.admin.Close() // nor may work an administrator started
	}
	var errList []error
	if s.kv != nil {
		errList = append(errList, s.kv.Close())
	}
	if s.db != nil {
		errList = append(errList, s.db.Close())
	}
	return errors.Join(errList...)
}
