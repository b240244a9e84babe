package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/store"
	"github.com/stratus-drive/stratus/internal/store/storetest"
)

func TestMigrateTwice(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		before := snapshot(t, db)
		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("second Migrate: %v", err)
		}
		if after := snapshot(t, db); !reflect.DeepEqual(before, after) {
			t.Errorf("second Migrate changed the database:\nbefore %v\nafter  %v", before, after)
		}
	})
}

// snapshot captures what a migration could change: its records and the
// seeded rows, timestamps included.
func snapshot(t *testing.T, db *store.DB) []string {
	t.Helper()
	ctx := context.Background()
	var out []string
	var n int
	if err := store.SQL(db).QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != store.MigrationCount(db) {
		t.Errorf("schema_migrations has %d rows, want %d", n, store.MigrationCount(db))
	}
	out = append(out, fmt.Sprint("migrations ", n))
	groups, err := db.Groups(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range groups {
		out = append(out, fmt.Sprintf("%+v", *g))
	}
	p, err := db.Policy(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	return append(out, fmt.Sprintf("%+v", *p), fmt.Sprintf("%+v", node(t, db)))
}

func TestMigrateConcurrent(t *testing.T) {
	t.Parallel()
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			cfg := storetest.NewDatabase(t, dialect)
			dir := t.TempDir()
			dbs := make([]*store.DB, 2)
			for i := range dbs {
				db, err := store.Open(ctx, cfg, dir)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				dbs[i] = db
			}
			var wg sync.WaitGroup
			errc := make(chan error, len(dbs))
			for _, db := range dbs {
				wg.Go(func() { errc <- db.Migrate(ctx) })
			}
			wg.Wait()
			close(errc)
			for err := range errc {
				if err != nil {
					t.Errorf("Migrate: %v", err)
				}
			}
			groups, err := dbs[0].Groups(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(groups) != 3 {
				t.Errorf("%d groups after concurrent migrations, want 3", len(groups))
			}
			snapshot(t, dbs[1]) // checks the migration records
		})
	}
}

func TestBootstrapRows(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		groups, err := db.Groups(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := []drive.Group{
			{ID: 1, Name: "Admin", MaxStorage: 1 << 40, StoragePolicyID: 1,
				Permissions: drive.BoolsetOf(0, 2, 3, 4, 5, 6, 7, 9, 11, 12, 16),
				Settings: drive.GroupSettings{SourceBatch: 1000, Aria2Batch: 50, MaxWalkedFiles: 100000,
					TrashRetention: 604800, RedirectedSource: true}},
			{ID: 2, Name: "User", MaxStorage: 1 << 30, StoragePolicyID: 1,
				Permissions: drive.BoolsetOf(2, 7, 11),
				Settings: drive.GroupSettings{SourceBatch: 10, Aria2Batch: 1, MaxWalkedFiles: 100000,
					TrashRetention: 604800, RedirectedSource: true}},
			{ID: 3, Name: "Anonymous", Permissions: drive.BoolsetOf(1, 7),
				Settings: drive.GroupSettings{MaxWalkedFiles: 100000, RedirectedSource: true}},
		}
		if len(groups) != len(want) {
			t.Fatalf("got %d groups, want %d", len(groups), len(want))
		}
		for i, g := range groups {
			checkFresh(t, g.CreatedAt, g.UpdatedAt)
			got := *g
			got.CreatedAt, got.UpdatedAt = time.Time{}, time.Time{}
			if !reflect.DeepEqual(got, want[i]) {
				t.Errorf("group %d:\ngot  %+v\nwant %+v", i+1, got, want[i])
			}
			one, err := db.Group(ctx, g.ID)
			if err != nil || !reflect.DeepEqual(one, g) {
				t.Errorf("Group(%d) = %+v, %v; Groups has %+v", g.ID, one, err, g)
			}
		}

		p, err := db.Policy(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		checkFresh(t, p.CreatedAt, p.UpdatedAt)
		p.CreatedAt, p.UpdatedAt = time.Time{}, time.Time{}
		wantPolicy := drive.Policy{ID: 1, Name: "Default storage policy", Type: "local",
			DirNameRule: "uploads/{uid}/{path}", FileNameRule: "{uid}_{randomkey8}_{originname}",
			Settings: drive.PolicySettings{ChunkSize: 26214400, PreAllocate: true}}
		if !reflect.DeepEqual(*p, wantPolicy) {
			t.Errorf("policy 1:\ngot  %+v\nwant %+v", *p, wantPolicy)
		}

		n := node(t, db)
		wantNode := nodeRow{ID: 1, Name: "Master", Type: "master", Status: "active",
			Capabilities: drive.BoolsetOf(1, 2, 3), Settings: `{"provider":"aria2"}`}
		if !reflect.DeepEqual(n, wantNode) {
			t.Errorf("node 1:\ngot  %+v\nwant %+v", n, wantNode)
		}

		settings, err := db.Settings(ctx)
		if err != nil || len(settings) != 0 {
			t.Errorf("Settings = %v, %v; want none: package setting seeds them", settings, err)
		}

		// Explicit seed ids must not leave the id sequences behind.
		if err := store.Exec(ctx, db, `INSERT INTO "groups" (name, permissions, settings, created_at, updated_at)
 VALUES ('extra', ?, '{}', ?, ?)`, []byte{}, time.Now().UTC(), time.Now().UTC()); err != nil {
			t.Fatalf("inserting a fourth group: %v", err)
		}
		if g, err := db.Group(ctx, 4); err != nil || g.Name != "extra" {
			t.Errorf("Group(4) = %+v, %v; want the group inserted after the seeds", g, err)
		}
	})
}

// checkFresh checks timestamps written moments ago, in UTC.
func checkFresh(t *testing.T, times ...time.Time) {
	t.Helper()
	for _, ts := range times {
		if ts.Location() != time.UTC {
			t.Errorf("time %v is in %v, want UTC", ts, ts.Location())
		}
		if d := time.Since(ts); d < -time.Second || d > time.Minute {
			t.Errorf("time %v is %v from now", ts, d)
		}
	}
}

// nodeRow is the nodes table, which has no query methods yet.
type nodeRow struct {
	ID                 int
	Name, Type, Status string
	Capabilities       drive.Boolset
	Settings           string
}

func node(t *testing.T, db *store.DB) nodeRow {
	t.Helper()
	var n nodeRow
	var caps []byte
	err := store.SQL(db).QueryRowContext(context.Background(),
		`SELECT id, name, type, status, capabilities, settings FROM nodes WHERE id = 1`).
		Scan(&n.ID, &n.Name, &n.Type, &n.Status, &caps, &n.Settings)
	if err != nil {
		t.Fatal(err)
	}
	n.Capabilities = caps
	return n
}

func newUser(email string) *drive.User {
	return &drive.User{Email: email, Nick: "nick", Password: "salt:hash", Status: drive.StatusActive,
		GroupID: drive.UserGroupID}
}

func mustCreate(t *testing.T, db *store.DB, u *drive.User) *drive.User {
	t.Helper()
	if err := db.CreateUser(context.Background(), u); err != nil {
		t.Fatalf("CreateUser(%q): %v", u.Email, err)
	}
	return u
}

func TestUserCRUD(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u := newUser("alice@example.com")
		u.Settings = drive.UserSettings{VersionRetention: true, VersionRetentionMax: 10,
			Pined: []drive.PinnedFile{{URI: "cloudreve://my/a", Name: "a"}}}
		mustCreate(t, db, u)
		if u.ID != 1 {
			t.Errorf("first user has ID %d, want 1", u.ID)
		}
		checkFresh(t, u.CreatedAt, u.UpdatedAt)

		got, err := db.UserByID(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, u) {
			t.Errorf("UserByID:\ngot  %+v\nwant %+v", got, u)
		}
		if got, err := db.UserByEmail(ctx, "ALICE@Example.COM"); err != nil || got.ID != u.ID {
			t.Errorf("UserByEmail in other case = %+v, %v", got, err)
		}
		if n, err := db.CountUsers(ctx); err != nil || n != 1 {
			t.Errorf("CountUsers = %d, %v; want 1", n, err)
		}

		// Set updated_at back an hour rather than waiting for the clock to
		// move, so that every write below visibly moves it.
		before := u.UpdatedAt.Add(-time.Hour)
		if err := store.Exec(ctx, db, `UPDATE users SET updated_at = ? WHERE id = ?`, before, u.ID); err != nil {
			t.Fatal(err)
		}
		settings := drive.UserSettings{PreferredTheme: "#3f51b5", Language: "de-DE",
			FsViewMap: map[string]drive.ExplorerView{"my": {PageSize: 100, View: "grid"}}}
		steps := []struct {
			name string
			do   func() error
		}{
			{"SetUserGroup", func() error { return db.SetUserGroup(ctx, u.ID, drive.AdminGroupID) }},
			{"SetUserStatus", func() error { return db.SetUserStatus(ctx, u.ID, drive.StatusManualBanned) }},
			{"SetUserPassword", func() error { return db.SetUserPassword(ctx, u.ID, "salt2:hash2") }},
			{"ModifyUserProfile", func() error {
				return db.InTx(ctx, func(tx *store.Tx) error {
					return tx.ModifyUserProfile(ctx, u.ID, func(nick *string, st *drive.UserSettings) error {
						*nick, *st = "Alice", settings
						return nil
					})
				})
			}},
			{"SetUserAvatar", func() error { return db.SetUserAvatar(ctx, u.ID, "gravatar") }},
			{"SetUserTwoFactor", func() error { return db.SetUserTwoFactor(ctx, u.ID, "JBSWY3DPEHPK3PXP") }},
			{"UserStorageAdd", func() error { return db.UserStorageAdd(ctx, u.ID, 5000) }},
			{"UserStorageAdd", func() error { return db.UserStorageAdd(ctx, u.ID, -1000) }},
		}
		for _, s := range steps {
			if err := s.do(); err != nil {
				t.Errorf("%s: %v", s.name, err)
			}
		}
		got, err = db.UserByID(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := *u
		want.GroupID = drive.AdminGroupID
		want.Status = drive.StatusManualBanned
		want.Password = "salt2:hash2"
		want.Nick = "Alice"
		want.Settings = settings
		want.Avatar = "gravatar"
		want.TwoFactorSecret = "JBSWY3DPEHPK3PXP"
		want.Storage = 4000
		if !got.UpdatedAt.After(before) {
			t.Errorf("updated_at %v did not move past %v", got.UpdatedAt, before)
		}
		want.UpdatedAt = got.UpdatedAt
		if !reflect.DeepEqual(*got, want) {
			t.Errorf("after updates:\ngot  %+v\nwant %+v", *got, want)
		}

		// Foreign keys hold on every dialect (SQLite enforces them only
		// when asked to).
		if err := db.SetUserGroup(ctx, u.ID, 999); !errs.Is(errs.Internal, err) {
			t.Errorf("SetUserGroup to a missing group = %v, want errs.Internal", err)
		}

		// An update writing the values already there still finds the row.
		if err := db.SetUserAvatar(ctx, u.ID, "gravatar"); err != nil {
			t.Errorf("SetUserAvatar with the same value: %v", err)
		}
	})
}

func TestDuplicateEmail(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		mustCreate(t, db, newUser("bob@example.com"))
		for _, email := range []string{"bob@example.com", "Bob@Example.com", "BOB@EXAMPLE.COM"} {
			err := db.CreateUser(context.Background(), newUser(email))
			if !errs.Is(errs.Exist, err) {
				t.Errorf("CreateUser(%q) = %v, want errs.Exist", email, err)
			}
		}
		// Accents are not letter case.
		mustCreate(t, db, newUser("josé@example.com"))
		mustCreate(t, db, newUser("jose@example.com"))
	})
}

func TestNotExist(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		const missing = 4242
		tests := []struct {
			name string
			call func() error
		}{
			{"UserByID", func() error { _, err := db.UserByID(ctx, missing); return err }},
			{"UserByEmail", func() error { _, err := db.UserByEmail(ctx, "nobody@example.com"); return err }},
			{"Group", func() error { _, err := db.Group(ctx, missing); return err }},
			{"Policy", func() error { _, err := db.Policy(ctx, missing); return err }},
			{"SetUserGroup", func() error { return db.SetUserGroup(ctx, missing, drive.UserGroupID) }},
			{"SetUserStatus", func() error { return db.SetUserStatus(ctx, missing, drive.StatusActive) }},
			{"SetUserPassword", func() error { return db.SetUserPassword(ctx, missing, "x") }},
			{"ModifyUserProfile", func() error {
				return db.InTx(ctx, func(tx *store.Tx) error {
					return tx.ModifyUserProfile(ctx, missing, func(*string, *drive.UserSettings) error { return nil })
				})
			}},
			{"SetUserAvatar", func() error { return db.SetUserAvatar(ctx, missing, "file") }},
			{"SetUserTwoFactor", func() error { return db.SetUserTwoFactor(ctx, missing, "x") }},
			{"UserStorageAdd", func() error { return db.UserStorageAdd(ctx, missing, 1) }},
		}
		for _, tt := range tests {
			if err := tt.call(); !errs.Is(errs.NotExist, err) {
				t.Errorf("%s on a missing row = %v, want errs.NotExist", tt.name, err)
			}
		}
	})
}

func TestSoftDeletedInvisible(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u := mustCreate(t, db, newUser("gone@example.com"))
		if err := store.Exec(ctx, db, `UPDATE users SET deleted_at = ? WHERE id = ?`, time.Now().UTC(), u.ID); err != nil {
			t.Fatal(err)
		}
		if err := store.Exec(ctx, db, `UPDATE "groups" SET deleted_at = ? WHERE id = 3`, time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UserByID(ctx, u.ID); !errs.Is(errs.NotExist, err) {
			t.Errorf("UserByID = %v, want errs.NotExist", err)
		}
		if _, err := db.UserByEmail(ctx, u.Email); !errs.Is(errs.NotExist, err) {
			t.Errorf("UserByEmail = %v, want errs.NotExist", err)
		}
		if err := db.SetUserStatus(ctx, u.ID, drive.StatusActive); !errs.Is(errs.NotExist, err) {
			t.Errorf("SetUserStatus = %v, want errs.NotExist", err)
		}
		if n, err := db.CountUsers(ctx); err != nil || n != 0 {
			t.Errorf("CountUsers = %d, %v; want 0", n, err)
		}
		if us, err := db.SearchUsers(ctx, "gone", 10); err != nil || len(us) != 0 {
			t.Errorf("SearchUsers = %v, %v; want none", us, err)
		}
		if _, err := db.Group(ctx, 3); !errs.Is(errs.NotExist, err) {
			t.Errorf("Group(3) = %v, want errs.NotExist", err)
		}
		if gs, err := db.Groups(ctx); err != nil || len(gs) != 2 {
			t.Errorf("Groups = %d groups, %v; want 2", len(gs), err)
		}
	})
}

func TestInTx(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		boom := errors.New("boom")
		err := db.InTx(ctx, func(tx *store.Tx) error {
			if err := tx.CreateUser(ctx, newUser("rolled@example.com")); err != nil {
				return err
			}
			if err := tx.SetSetting(ctx, "siteName", "rolled back"); err != nil {
				return err
			}
			// The transaction sees its own writes.
			if _, err := tx.UserByEmail(ctx, "rolled@example.com"); err != nil {
				return err
			}
			return boom
		})
		if err != boom {
			t.Errorf("InTx = %v, want fn's error unchanged", err)
		}
		func() {
			defer func() {
				if p := recover(); p != "panic in fn" {
					t.Errorf("recovered %v, want the panic of fn", p)
				}
			}()
			db.InTx(ctx, func(tx *store.Tx) error {
				if err := tx.CreateUser(ctx, newUser("panicked@example.com")); err != nil {
					return err
				}
				panic("panic in fn")
			})
		}()
		if n, err := db.CountUsers(ctx); err != nil || n != 0 {
			t.Errorf("CountUsers after rollbacks = %d, %v; want 0", n, err)
		}
		if s, err := db.Settings(ctx); err != nil || len(s) != 0 {
			t.Errorf("Settings after rollback = %v, %v; want none", s, err)
		}

		err = db.InTx(ctx, func(tx *store.Tx) error {
			return tx.CreateUser(ctx, newUser("committed@example.com"))
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.UserByEmail(ctx, "committed@example.com"); err != nil {
			t.Errorf("committed user: %v", err)
		}
		// The pool is still usable: rolled-back transactions gave their
		// connections back.
		for range 20 {
			db.InTx(ctx, func(tx *store.Tx) error { return boom })
		}
		if _, err := db.CountUsers(ctx); err != nil {
			t.Errorf("CountUsers after many rollbacks: %v", err)
		}
	})
}

func TestSearchUsers(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		users := []struct {
			email, nick string
			status      drive.UserStatus
		}{
			{"percent100%@example.com", "Percy", drive.StatusActive},     // 1
			{"under_score@example.com", "Una", drive.StatusActive},       // 2
			{"underxscore@example.com", "Xavier", drive.StatusActive},    // 3
			{"bang@example.com", "Wild!Card", drive.StatusActive},        // 4
			{"back@example.com", `Back\Slash`, drive.StatusActive},       // 5
			{"Mixed.Case@Example.com", "Daisy", drive.StatusActive},      // 6
			{"banned_user@example.com", "Banned", drive.StatusSysBanned}, // 7
			{"inactive@example.com", "Percy Two", drive.StatusInactive},  // 8
		}
		for _, x := range users {
			u := newUser(x.email)
			u.Nick, u.Status = x.nick, x.status
			mustCreate(t, db, u)
		}
		tests := []struct {
			keyword string
			limit   int
			want    []int
		}{
			{"%", 10, []int{1}},
			{"_", 10, []int{2}},
			{"r_s", 10, []int{2}},
			{"!", 10, []int{4}},
			{`\`, 10, []int{5}},
			{"PERC", 10, []int{1}},
			{"mixed.case", 10, []int{6}},
			{"daisy", 10, []int{6}},
			{"example.com", 3, []int{1, 2, 3}},
			{"example.com", 10, []int{1, 2, 3, 4, 5, 6}},
			{"nobody", 10, nil},
		}
		for _, tt := range tests {
			us, err := db.SearchUsers(ctx, tt.keyword, tt.limit)
			if err != nil {
				t.Errorf("SearchUsers(%q): %v", tt.keyword, err)
				continue
			}
			var ids []int
			for _, u := range us {
				ids = append(ids, u.ID)
			}
			if !reflect.DeepEqual(ids, tt.want) {
				t.Errorf("SearchUsers(%q, %d) = %v, want %v", tt.keyword, tt.limit, ids, tt.want)
			}
		}
	})
}

func TestUnicodeRoundTrip(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u := newUser("ünïcødé@例え.jp")
		u.Nick = "名前 🚀 Ñandú"
		u.Settings.Pined = []drive.PinnedFile{{URI: "cloudreve://my/文件夹", Name: "📁"}}
		mustCreate(t, db, u)
		got, err := db.UserByEmail(ctx, "ünïcødé@例え.jp")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, u) {
			t.Errorf("round trip:\ngot  %+v\nwant %+v", got, u)
		}
		if us, err := db.SearchUsers(ctx, "🚀", 10); err != nil || len(us) != 1 {
			t.Errorf("SearchUsers(🚀) = %v, %v", us, err)
		}
		if err := db.SetSetting(ctx, "siteName", "Wolke ☁️ 云"); err != nil {
			t.Fatal(err)
		}
		if s, err := db.Settings(ctx); err != nil || s["siteName"] != "Wolke ☁️ 云" {
			t.Errorf("setting round trip = %q, %v", s["siteName"], err)
		}
	})
}

// TestTimesUTC is not parallel: it changes time.Local, and parallel tests
// start only after the sequential ones have finished.
func TestTimesUTC(t *testing.T) {
	// A process zone far from UTC shows any conversion the drivers make.
	old := time.Local
	time.Local = time.FixedZone("UTC+9:30", 9*3600+1800)
	t.Cleanup(func() { time.Local = old })
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u := mustCreate(t, db, newUser("clock@example.com"))
		got, err := db.UserByID(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		checkFresh(t, u.CreatedAt, got.CreatedAt, got.UpdatedAt)
		if got.CreatedAt != u.CreatedAt || got.UpdatedAt != u.UpdatedAt {
			t.Errorf("times changed in the round trip: wrote %v/%v, read %v/%v",
				u.CreatedAt, u.UpdatedAt, got.CreatedAt, got.UpdatedAt)
		}
	})
}

func TestSettings(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := db.SetSetting(ctx, "siteName", "Mine"); err != nil {
			t.Fatal(err)
		}
		defaults := map[string]string{"siteName": "Cloudreve", "siteTitle": "Cloud", "empty": ""}
		// More than one INSERT chunk, inserted by two processes at once.
		for i := range 250 {
			defaults[fmt.Sprintf("key_%03d", i)] = fmt.Sprint(i)
		}
		var wg sync.WaitGroup
		for range 2 {
			wg.Go(func() {
				if err := db.InsertMissingSettings(ctx, defaults); err != nil {
					t.Errorf("InsertMissingSettings: %v", err)
				}
			})
		}
		wg.Wait()
		if err := db.InsertMissingSettings(ctx, nil); err != nil {
			t.Errorf("InsertMissingSettings(nil): %v", err)
		}
		// Setting names are case-sensitive.
		if err := db.SetSetting(ctx, "sitename", "lower"); err != nil {
			t.Fatal(err)
		}
		if err := db.SetSetting(ctx, "siteTitle", "Updated"); err != nil {
			t.Fatal(err)
		}
		got, err := db.Settings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"siteName": "Mine", "sitename": "lower", "siteTitle": "Updated", "empty": ""}
		for i := range 250 {
			want[fmt.Sprintf("key_%03d", i)] = fmt.Sprint(i)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Settings: got %d keys, want %d; siteName=%q sitename=%q siteTitle=%q",
				len(got), len(want), got["siteName"], got["sitename"], got["siteTitle"])
		}
		big := make([]byte, 200_000) // larger than a MySQL TEXT
		for i := range big {
			big[i] = 'a' + byte(i%26)
		}
		doc, _ := json.Marshal(string(big))
		if err := db.SetSetting(ctx, "file_viewers", string(doc)); err != nil {
			t.Fatalf("SetSetting of %d bytes: %v", len(doc), err)
		}
		if got, err := db.Settings(ctx); err != nil || got["file_viewers"] != string(doc) {
			t.Errorf("large setting did not round-trip: %v", err)
		}
	})
}
