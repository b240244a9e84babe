// Package downloader talks to the download programs a node uses for remote
// downloads: aria2 over its JSON-RPC interface and qBittorrent over its
// WebUI API. A node's settings document names the program and how to reach
// it (80-data-model §4.4).
package downloader

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/stratus-drive/stratus/internal/errs"
)

// Providers.
const (
	Aria2       = "aria2"
	QBittorrent = "qbittorrent"
)

// Settings is the downloader part of a node's settings.
type Settings struct {
	Provider    string              `json:"provider"`
	Aria2       Aria2Settings       `json:"aria2"`
	QBittorrent QBittorrentSettings `json:"qbittorrent"`
}

// Aria2Settings reach an aria2 RPC server.
type Aria2Settings struct {
	Server string `json:"server"` // JSON-RPC URL, e.g. http://127.0.0.1:6800/jsonrpc
	Token  string `json:"token"`  // the --rpc-secret
}

// QBittorrentSettings reach a qBittorrent WebUI.
type QBittorrentSettings struct {
	Server   string `json:"server"` // WebUI base URL
	User     string `json:"user"`
	Password string `json:"password"`
}

// ParseSettings reads the downloader part of a node's settings document.
func ParseSettings(doc map[string]any) (Settings, error) {
	var s Settings
	b, err := json.Marshal(doc)
	if err == nil {
		err = json.Unmarshal(b, &s)
	}
	if err != nil {
		return Settings{}, errs.E("downloader.ParseSettings", errs.Invalid, "the downloader settings are not valid")
	}
	return s, nil
}

// maxReply bounds what is read of a downloader's answer.
const maxReply = 1 << 20

// Version asks the configured downloader for its version: aria2's
// aria2.getVersion, or qBittorrent's app version after signing in. A
// missing or unknown provider is errs.Invalid; a downloader that cannot be
// reached or refuses is errs.Unavailable with its reason.
func Version(ctx context.Context, client *http.Client, s Settings) (string, error) {
	switch s.Provider {
	case Aria2:
		return aria2Version(ctx, client, s.Aria2)
	case QBittorrent:
		return qbittorrentVersion(ctx, client, s.QBittorrent)
	case "":
		return "", errs.E("downloader.Version", errs.Invalid, "no downloader is configured")
	}
	return "", errs.E("downloader.Version", errs.Invalid, "unknown downloader "+s.Provider)
}

func checkServer(op, server string) (*url.URL, error) {
	u, err := url.Parse(server)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errs.E(op, errs.Invalid, "the downloader server must be an http(s) URL")
	}
	return u, nil
}

func aria2Version(ctx context.Context, client *http.Client, s Aria2Settings) (string, error) {
	const op = "downloader.aria2Version"
	u, err := checkServer(op, s.Server)
	if err != nil {
		return "", err
	}
	call, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": "stratus", "method": "aria2.getVersion",
		"params": []string{"token:" + s.Token}})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(call))
	if err != nil {
		return "", errs.E(op, errs.Invalid, err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return "", errs.E(op, errs.Unavailable, err)
	}
	defer resp.Body.Close()
	var reply struct {
		Result *struct {
			Version string `json:"version"`
		} `json:"result"`
		Error *struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxReply)).Decode(&reply); err != nil {
		return "", errs.E(op, errs.Unavailable, "aria2 answered "+resp.Status+" without a JSON-RPC reply")
	}
	if reply.Error != nil {
		return "", errs.E(op, errs.Unavailable, "aria2: "+reply.Error.Message)
	}
	if reply.Result == nil || reply.Result.Version == "" {
		return "", errs.E(op, errs.Unavailable, "aria2 sent no version")
	}
	return reply.Result.Version, nil
}

func qbittorrentVersion(ctx context.Context, client *http.Client, s QBittorrentSettings) (string, error) {
	const op = "downloader.qbittorrentVersion"
	base, err := checkServer(op, s.Server)
	if err != nil {
		return "", err
	}
	form := url.Values{"username": {s.User}, "password": {s.Password}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base.JoinPath("api/v2/auth/login").String(),
		strings.NewReader(form.Encode()))
	if err != nil {
		return "", errs.E(op, errs.Invalid, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	body, resp, err := fetch(client, req)
	if err != nil {
		return "", errs.E(op, errs.Unavailable, err)
	}
	if resp.StatusCode != http.StatusOK || strings.TrimSpace(body) != "Ok." {
		return "", errs.E(op, errs.Unavailable, "qBittorrent refused the sign-in: "+resp.Status+" "+strings.TrimSpace(body))
	}
	req, err = http.NewRequestWithContext(ctx, http.MethodGet, base.JoinPath("api/v2/app/version").String(), nil)
	if err != nil {
		return "", errs.E(op, errs.Invalid, err)
	}
	// qBittorrent keeps the session in the SID cookie (absent when the
	// WebUI lets local clients in without signing in).
	for _, c := range resp.Cookies() {
		req.AddCookie(c)
	}
	body, resp, err = fetch(client, req)
	if err != nil {
		return "", errs.E(op, errs.Unavailable, err)
	}
	if resp.StatusCode != http.StatusOK || strings.TrimSpace(body) == "" {
		return "", errs.E(op, errs.Unavailable, "qBittorrent answered "+resp.Status)
	}
	return strings.TrimSpace(body), nil
}

// fetch does req and reads at most maxReply bytes of the answer.
func fetch(client *http.Client, req *http.Request) (string, *http.Response, error) {
	resp, err := client.Do(req)
	if err != nil {
		return "", nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxReply))
	return string(b), resp, err
}
