package admin

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/stratus-drive/stratus/internal/account"
	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/mail"
	"github.com/stratus-drive/stratus/internal/safedial"
)

// MailTest is a test mail sent with unsaved SMTP settings (60-admin §13).
type MailTest struct {
	To       string
	Settings map[string]string // smtpHost, smtpPort, smtpUser, smtpPass, smtpEncryption, fromAdress, fromName, replyTo
}

// SendTestMail sends a short message with the submitted settings (not the
// saved ones), so an administrator can try a server before saving it.
func (s *Service) SendTestMail(ctx context.Context, actor drive.Actor, t MailTest) error {
	const op = "admin.SendTestMail"
	if err := authorize(op, actor); err != nil {
		return err
	}
	to, ok := account.NormalizeEmail(t.To)
	if !ok {
		return errs.E(op, errs.Invalid, "To must be an e-mail address")
	}
	st := t.Settings
	port, err := strconv.Atoi(st["smtpPort"])
	if err != nil || port < 1 || port > 65535 {
		return errs.E(op, errs.Invalid, "smtpPort must be a port number")
	}
	if st["smtpHost"] == "" {
		return errs.E(op, errs.Invalid, "smtpHost is required")
	}
	enc := strings.ToLower(st["smtpEncryption"])
	cfg := mail.Config{Host: st["smtpHost"], Port: port, User: st["smtpUser"], Pass: st["smtpPass"],
		ImplicitTLS: enc == "1" || enc == "true", FromName: st["fromName"], FromAddress: st["fromAdress"],
		ReplyTo: st["replyTo"], Timeout: 30 * time.Second}
	msg := mail.Message{To: to, Subject: s.settings.String("siteName") + " SMTP test",
		Body: "This message was sent from the administration page to test the mail settings."}
	cfg.Dial = s.dialer.DialContext
	if err := mail.Send(ctx, cfg, msg); err != nil {
		if refused := outgoingRefused(op, err); refused != nil {
			return refused
		}
		if errs.Is(errs.Invalid, err) {
			return errs.E(op, errs.Invalid, "mail settings rejected: "+errs.Detail(err))
		}
		return errs.E(op, ErrIntegration, "Failed to send test mail: "+err.Error())
	}
	return s.record(ctx, s.db, actor, "tool.mail", "mail", to, nil, map[string]string{"host": cfg.Host})
}

// outgoingRefused explains, when err is a dial the address rules refused,
// which address it was and which settings would allow it; nil otherwise.
func outgoingRefused(op string, err error) error {
	var refused *safedial.Refused
	if !errors.As(err, &refused) {
		return nil
	}
	return errs.E(op, safedial.ErrRefused, refused.Addr.String()+" is not a public address; "+
		"allow it with the outgoing_allow_private or outgoing_allowed_cidrs setting", err)
}

// thumbTools names the generators an administrator may test and how each
// shows its version: the flag and a word its output must contain.
var thumbTools = map[string]struct{ flag, want string }{
	"vips":        {"--version", "vips"},
	"ffmpeg":      {"-version", "ffmpeg"},
	"ffprobe":     {"-version", "ffprobe"},
	"libreOffice": {"--version", "LibreOffice"},
	"libraw":      {"-L", "Sony"},
}

// TestThumbGenerator runs executable with the version flag of the named
// generator and returns its output (libraw: the number of cameras it
// knows). The run is bounded to 10 s and 64 KiB of output.
func (s *Service) TestThumbGenerator(ctx context.Context, actor drive.Actor, name, executable string) (string, error) {
	const op = "admin.TestThumbGenerator"
	if err := authorize(op, actor); err != nil {
		return "", err
	}
	tool, ok := thumbTools[name]
	if !ok {
		return "", errs.E(op, errs.Invalid, "Failed to invoke generator: unknown generator "+strconv.Quote(name))
	}
	if executable == "" {
		return "", errs.E(op, errs.Invalid, "Executable is required")
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, executable, tool.flag)
	cmd.Stdout = &limitedBuffer{b: &out, max: 64 << 10}
	if err := cmd.Run(); err != nil {
		return "", errs.E(op, errs.Invalid, "Failed to invoke generator: "+err.Error())
	}
	text := out.String()
	if !strings.Contains(text, tool.want) {
		return "", errs.E(op, errs.Invalid, "Failed to invoke generator: unexpected output")
	}
	if name == "libraw" {
		text = "N/A, " + strconv.Itoa(strings.Count(strings.TrimSpace(text), "\n")+1) + " cameras supported"
	}
	return text, nil
}

type limitedBuffer struct {
	b   *bytes.Buffer
	max int
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if room := l.max - l.b.Len(); room > 0 {
		l.b.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

// FlushCaches drops what processes keep built from the database: every
// process reloads its settings and rebuilds its storage drivers on its next
// request, and the dashboard figures are recomputed. Stratus signs blob URLs
// per request and caches none, so there is no URL cache to empty.
func (s *Service) FlushCaches(ctx context.Context, actor drive.Actor) error {
	const op = "admin.FlushCaches"
	if err := authorize(op, actor); err != nil {
		return err
	}
	if err := s.settings.BumpPolicyVersion(ctx); err != nil {
		return errs.E(op, err)
	}
	if err := s.kv.Delete(ctx, summaryKey); err != nil {
		return errs.E(op, err)
	}
	return s.record(ctx, s.db, actor, "tool.flush_caches", "cache", "", nil, nil)
}

// Viewer is one WOPI application found in a discovery document, in the
// shape of the file_viewers setting.
type Viewer struct {
	ID          string                       `json:"id"`
	Type        string                       `json:"type"`
	DisplayName string                       `json:"display_name"`
	Icon        string                       `json:"icon,omitempty"`
	Exts        []string                     `json:"exts"`
	WopiActions map[string]map[string]string `json:"wopi_actions"`
}

// ViewerGroup is the answer of a WOPI discovery.
type ViewerGroup struct {
	Viewers []Viewer `json:"viewers"`
}

type wopiDiscovery struct {
	Zones []struct {
		Apps []struct {
			Name    string `xml:"name,attr"`
			Icon    string `xml:"favIconUrl,attr"`
			Actions []struct {
				Name   string `xml:"name,attr"`
				Ext    string `xml:"ext,attr"`
				URLSrc string `xml:"urlsrc,attr"`
			} `xml:"action"`
		} `xml:"app"`
	} `xml:"net-zone"`
}

// maxDiscovery bounds the discovery document read.
const maxDiscovery = 8 << 20

// DiscoverWOPI fetches a WOPI discovery document and turns every
// application with a view or edit action into a viewer.
func (s *Service) DiscoverWOPI(ctx context.Context, actor drive.Actor, endpoint string) (ViewerGroup, error) {
	const op = "admin.DiscoverWOPI"
	if err := authorize(op, actor); err != nil {
		return ViewerGroup{}, err
	}
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ViewerGroup{}, errs.E(op, errs.Invalid, "Endpoint must be an http(s) URL")
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return ViewerGroup{}, errs.E(op, errs.Invalid, "Endpoint must be an http(s) URL")
	}
	resp, err := s.http.Do(req)
	if refused := outgoingRefused(op, err); refused != nil {
		return ViewerGroup{}, refused
	}
	if err != nil {
		return ViewerGroup{}, errs.E(op, ErrIntegration, "Failed to fetch WOPI discovery: "+err.Error())
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return ViewerGroup{}, errs.E(op, ErrIntegration, "Failed to fetch WOPI discovery: status "+resp.Status)
	}
	var doc wopiDiscovery
	if err := xml.NewDecoder(io.LimitReader(resp.Body, maxDiscovery)).Decode(&doc); err != nil {
		return ViewerGroup{}, errs.E(op, errs.Invalid, "Failed to parse WOPI discovery")
	}
	out := ViewerGroup{Viewers: []Viewer{}}
	for _, z := range doc.Zones {
		for _, app := range z.Apps {
			v := Viewer{ID: uuid.NewString(), Type: "wopi", DisplayName: app.Name, Icon: app.Icon,
				WopiActions: map[string]map[string]string{}}
			for _, a := range app.Actions {
				kind := ""
				switch a.Name {
				case "view", "embedview":
					kind = "view"
				case "edit":
					kind = "edit"
				}
				if kind == "" || a.Ext == "" || a.URLSrc == "" {
					continue
				}
				if v.WopiActions[a.Ext] == nil {
					v.WopiActions[a.Ext] = map[string]string{}
				}
				v.WopiActions[a.Ext][kind] = a.URLSrc
			}
			if len(v.WopiActions) == 0 {
				continue
			}
			for ext := range v.WopiActions {
				v.Exts = append(v.Exts, ext)
			}
			slices.Sort(v.Exts)
			out.Viewers = append(out.Viewers, v)
		}
	}
	if err := s.record(ctx, s.db, actor, "tool.wopi", "wopi", u.Host, nil, nil); err != nil {
		return ViewerGroup{}, errs.E(op, err)
	}
	return out, nil
}
