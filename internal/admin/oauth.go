package admin

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
)

// OneDrive policies sign in to Microsoft with OAuth (60-admin §11.3): the
// app ID is the policy's bucket_name, the client secret its secret_key, and
// the refresh token its access_key, which only the server writes.
const (
	onedriveType = "onedrive"
	// oauthRoute is the web app's page Microsoft sends the administrator
	// back to.
	oauthRoute    = "/admin/policy/oauth"
	oauthScope    = "offline_access files.readwrite.all"
	chinaGraph    = "microsoftgraph.chinacloudapi.cn"
	chinaLogin    = "https://login.chinacloudapi.cn"
	globalLogin   = "https://login.microsoftonline.com"
	credKeyPrefix = "cred_od_"
)

// OAuthRedirect is the redirect URI to register with the Azure app: the
// primary site URL, always https, and the web app's OAuth page.
func (s *Service) OAuthRedirect(ctx context.Context, actor drive.Actor) (string, error) {
	const op = "admin.OAuthRedirect"
	if err := authorize(op, actor); err != nil {
		return "", err
	}
	return s.oauthRedirect(), nil
}

func (s *Service) oauthRedirect() string {
	u, err := url.Parse(s.settings.SiteURLs()[0])
	if err != nil {
		// siteURL is validated when set; a bad one has no redirect either.
		return ""
	}
	u.Scheme = "https"
	return strings.TrimSuffix(u.String(), "/") + oauthRoute
}

// onedrivePolicy loads policy id, which must be a OneDrive policy.
func (s *Service) onedrivePolicy(ctx context.Context, op string, id int) (*drive.Policy, error) {
	p, err := s.db.Policy(ctx, id)
	if errs.Is(errs.NotExist, err) || (err == nil && p.Type != onedriveType) {
		return nil, errs.E(op, ErrPolicyNotExist)
	} else if err != nil {
		return nil, errs.E(op, err)
	}
	return p, nil
}

// authority is the Microsoft sign-in host for the policy's Graph endpoint.
func authority(p *drive.Policy) string {
	if u, err := url.Parse(p.Server); err == nil && u.Hostname() == chinaGraph {
		return chinaLogin
	}
	return globalLogin
}

// OAuthSignIn saves the app's credentials on OneDrive policy id and returns
// the Microsoft page where the administrator grants access.
func (s *Service) OAuthSignIn(ctx context.Context, actor drive.Actor, id int, secret, appID string) (string, error) {
	const op = "admin.OAuthSignIn"
	if err := authorize(op, actor); err != nil {
		return "", err
	}
	if id <= 0 || secret == "" || appID == "" {
		return "", errs.E(op, errs.Invalid, "ID, Secret and AppID are required")
	}
	p, err := s.onedrivePolicy(ctx, op, id)
	if err != nil {
		return "", err
	}
	redirect := s.oauthRedirect()
	p.SecretKey, p.BucketName = secret, appID
	if p.Settings.Extra == nil {
		p.Settings.Extra = map[string]any{}
	}
	p.Settings.Extra["od_redirect"] = redirect
	if err := s.db.UpdatePolicy(ctx, p); err != nil {
		return "", errs.E(op, err)
	}
	if err := s.settings.BumpPolicyVersion(ctx); err != nil {
		return "", errs.E(op, err)
	}
	if err := s.record(ctx, s.db, actor, "policy.oauth_signin", "policy", id, nil, map[string]string{"app_id": appID}); err != nil {
		return "", errs.E(op, err)
	}
	q := url.Values{"client_id": {appID}, "scope": {oauthScope}, "response_type": {"code"},
		"redirect_uri": {redirect}, "state": {strconv.Itoa(id)}}
	return authority(p) + "/common/oauth2/v2.0/authorize?" + q.Encode(), nil
}

// oauthCredential is what is kept of a signed-in OneDrive policy's access
// token, under credKeyPrefix+id.
type oauthCredential struct {
	AccessToken string    `json:"access_token"`
	ExpiresAt   time.Time `json:"expires_at"`
	RefreshedAt time.Time `json:"refreshed_at"`
}

// OAuthStatus tells whether policy id holds a usable credential.
type OAuthStatus struct {
	Valid           bool       `json:"valid"`
	LastRefreshTime *time.Time `json:"last_refresh_time"`
}

// PolicyOAuthStatus reports the credential of OneDrive policy id.
func (s *Service) PolicyOAuthStatus(ctx context.Context, actor drive.Actor, id int) (OAuthStatus, error) {
	const op = "admin.PolicyOAuthStatus"
	if err := authorize(op, actor); err != nil {
		return OAuthStatus{}, err
	}
	p, err := s.onedrivePolicy(ctx, op, id)
	if err != nil {
		return OAuthStatus{}, err
	}
	cred, ok, err := s.oauthCredential(ctx, id)
	if err != nil {
		return OAuthStatus{}, errs.E(op, err)
	}
	if p.AccessKey == "" || !ok {
		return OAuthStatus{}, nil
	}
	return OAuthStatus{Valid: true, LastRefreshTime: &cred.RefreshedAt}, nil
}

func (s *Service) oauthCredential(ctx context.Context, id int) (oauthCredential, bool, error) {
	var c oauthCredential
	b, ok, err := s.kv.Get(ctx, credKeyPrefix+strconv.Itoa(id))
	if err != nil || !ok {
		return c, false, err
	}
	if json.Unmarshal(b, &c) != nil {
		return c, false, nil
	}
	return c, true, nil
}

// OAuthCallback finishes the sign-in: state names the policy, code is
// exchanged for tokens; the refresh token becomes the policy's access_key
// and the access token is kept until it expires.
func (s *Service) OAuthCallback(ctx context.Context, actor drive.Actor, code, state string) error {
	const op = "admin.OAuthCallback"
	if err := authorize(op, actor); err != nil {
		return err
	}
	id, err := strconv.Atoi(state)
	if err != nil || id <= 0 {
		return errs.E(op, errs.Invalid, "State must be a storage policy ID")
	}
	if code == "" {
		return errs.E(op, errs.Invalid, "Code is required")
	}
	p, err := s.onedrivePolicy(ctx, op, id)
	if err != nil {
		return err
	}
	redirect, _ := p.Settings.Extra["od_redirect"].(string)
	form := url.Values{"client_id": {p.BucketName}, "redirect_uri": {redirect}, "client_secret": {p.SecretKey},
		"grant_type": {"authorization_code"}, "code": {code}}
	var tok struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
		ExpiresIn    int64  `json:"expires_in"`
		Error        string `json:"error_description"`
	}
	ctx, cancel := context.WithTimeout(ctx, nodeTestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, authority(p)+"/common/oauth2/v2.0/token",
		strings.NewReader(form.Encode()))
	if err != nil {
		return errs.E(op, errs.Internal, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := s.http.Do(req)
	if err != nil {
		return errs.E(op, errs.Invalid, "Failed to obtain token: "+reason(err))
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&tok); err != nil || tok.RefreshToken == "" {
		return errs.E(op, errs.Invalid, "Failed to obtain token: "+resp.Status+" "+tok.Error)
	}
	now := time.Now()
	ttl := time.Duration(tok.ExpiresIn) * time.Second
	cred, _ := json.Marshal(oauthCredential{AccessToken: tok.AccessToken, ExpiresAt: now.Add(ttl), RefreshedAt: now})
	if err := s.kv.Set(ctx, credKeyPrefix+strconv.Itoa(id), cred, ttl); err != nil {
		return errs.E(op, err)
	}
	p.AccessKey = tok.RefreshToken
	if err := s.db.UpdatePolicy(ctx, p); err != nil {
		return errs.E(op, err)
	}
	if err := s.settings.BumpPolicyVersion(ctx); err != nil {
		return errs.E(op, err)
	}
	return s.record(ctx, s.db, actor, "policy.oauth_callback", "policy", id, nil, nil)
}

// SharePointDrive resolves a SharePoint site URL to the drive locator
// ("sites/<site id>/drive") of OneDrive policy id, with its access token.
func (s *Service) SharePointDrive(ctx context.Context, actor drive.Actor, id int, siteURL string) (string, error) {
	const op = "admin.SharePointDrive"
	if err := authorize(op, actor); err != nil {
		return "", err
	}
	site, err := url.Parse(siteURL)
	if err != nil || site.Scheme != "https" || site.Host == "" {
		return "", errs.E(op, errs.Invalid, "URL must be the https URL of a SharePoint site")
	}
	p, err := s.onedrivePolicy(ctx, op, id)
	if err != nil {
		return "", err
	}
	cred, ok, err := s.oauthCredential(ctx, id)
	if err != nil {
		return "", errs.E(op, err)
	}
	if !ok || cred.AccessToken == "" {
		return "", errs.E(op, errs.Invalid, "The policy has no valid credential: sign in first")
	}
	ctx, cancel := context.WithTimeout(ctx, nodeTestTimeout)
	defer cancel()
	graph := strings.TrimSuffix(p.Server, "/") + "/sites/" + site.Host + ":" + site.EscapedPath()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, graph, nil)
	if err != nil {
		return "", errs.E(op, errs.Invalid, "the policy's Graph endpoint is not a URL")
	}
	req.Header.Set("Authorization", "Bearer "+cred.AccessToken)
	resp, err := s.http.Do(req)
	if err != nil {
		return "", errs.E(op, ErrIntegration, "Failed to resolve the site: "+reason(err))
	}
	defer resp.Body.Close()
	var siteInfo struct {
		ID string `json:"id"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&siteInfo); err != nil || siteInfo.ID == "" {
		return "", errs.E(op, ErrIntegration, "Failed to resolve the site: "+resp.Status)
	}
	return "sites/" + siteInfo.ID + "/drive", nil
}
