// Package noderpc is the master's side of the master/slave protocol
// (70-nodes-webdav-config §A): signed calls to a slave node's
// /api/v4/slave/* routes and their envelopes.
package noderpc

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/stratus-drive/stratus/internal/auth"
	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
)

// Failures of a call. ErrUnreachable: no envelope came back (transport
// error, a status other than 200, or no JSON); ErrRefused: the slave
// answered with a non-zero code, whose message is the error's detail.
var (
	ErrUnreachable = errs.NewSentinel(errs.Unavailable, "the node cannot be reached")
	ErrRefused     = errs.NewSentinel(errs.Unavailable, "the node refused the call")
)

// Master is who calls: the metadata headers every call carries (§A.3) and
// how long a signature stays valid.
type Master struct {
	SiteURL      string        // the primary site URL
	SiteID       string        // the siteID setting
	Version      string        // the version the master reports
	SignatureTTL time.Duration // setting slave_api_timeout
	HTTP         *http.Client
}

// maxReply bounds what is read of a slave's answer.
const maxReply = 1 << 20

// Call POSTs body as JSON to path below the node's /api/v4/slave, signed
// with the node's key, and decodes the envelope's data into out (nil: data
// is ignored).
func (m Master) Call(ctx context.Context, n *drive.Node, path string, body, out any) error {
	const op = "noderpc.Call"
	base, err := url.Parse(n.Server)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return errs.E(op, errs.Invalid, "the node's server must be an http(s) URL")
	}
	payload, err := json.Marshal(body)
	if err != nil {
		return errs.E(op, errs.Internal, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base.JoinPath("api/v4/slave", path).String(),
		bytes.NewReader(payload))
	if err != nil {
		return errs.E(op, errs.Invalid, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Cloudreve/"+m.Version)
	req.Header.Set("X-Cr-Node-Id", strconv.Itoa(n.ID))
	req.Header.Set("X-Cr-Site-Id", m.SiteID)
	req.Header.Set("X-Cr-Site-Url", m.SiteURL)
	req.Header.Set("X-Cr-Version", m.Version)
	auth.SignRequest([]byte(n.SlaveKey), req, string(payload), time.Now().Add(m.SignatureTTL))
	resp, err := m.HTTP.Do(req)
	if err != nil {
		return errs.E(op, ErrUnreachable, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return errs.E(op, ErrUnreachable, "status "+resp.Status)
	}
	var env struct {
		Code int             `json:"code"`
		Data json.RawMessage `json:"data"`
		Msg  string          `json:"msg"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxReply)).Decode(&env); err != nil {
		return errs.E(op, ErrUnreachable, "the answer is not an envelope")
	}
	if env.Code != 0 {
		return errs.E(op, ErrRefused, env.Msg)
	}
	if out != nil && len(env.Data) > 0 {
		if err := json.Unmarshal(env.Data, out); err != nil {
			return errs.E(op, ErrUnreachable, "unexpected data in the answer")
		}
	}
	return nil
}

// Ping asks the node to call the master back at the site URL and compare
// versions.
func (m Master) Ping(ctx context.Context, n *drive.Node) error {
	return m.Call(ctx, n, "ping", map[string]string{"callback": m.SiteURL}, nil)
}

// DownloaderVersion asks the node to test the downloader its settings
// configure, and returns the downloader's version.
func (m Master) DownloaderVersion(ctx context.Context, n *drive.Node) (string, error) {
	settings := n.Settings
	if settings == nil {
		settings = map[string]any{}
	}
	doc, err := json.Marshal(settings)
	if err != nil {
		return "", errs.E("noderpc.DownloaderVersion", errs.Invalid, "the node settings are not valid")
	}
	sum := sha1.Sum(doc)
	var version string
	err = m.Call(ctx, n, "download/test", map[string]any{"node_setting": json.RawMessage(doc),
		"node_setting_hash": hex.EncodeToString(sum[:])}, &version)
	return version, err
}
