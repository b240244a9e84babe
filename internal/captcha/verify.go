package captcha

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// maxVerifierResponse bounds how much of a verifier's answer we read; the
// real ones send a few hundred bytes.
const maxVerifierResponse = 64 << 10

// siteverifyForm asks a reCAPTCHA- or Turnstile-style endpoint, which take a
// form with secret and response, whether token is valid.
func (sv *Service) siteverifyForm(ctx context.Context, op, endpoint, secret, token string) error {
	if token == "" {
		return fail(op, errors.New("empty token"))
	}
	form := url.Values{"secret": {secret}, "response": {token}}
	return sv.siteverify(ctx, op, endpoint, "application/x-www-form-urlencoded", []byte(form.Encode()))
}

// capVerify asks a Cap 2 instance whether token is valid. Cap keys its
// endpoint by site key and takes JSON.
func (sv *Service) capVerify(ctx context.Context, op string, s Settings, token string) error {
	if s.CapInstanceURL == "" || s.CapSiteKey == "" || s.CapSecretKey == "" {
		return fail(op, errors.New("cap instance URL, site key or secret key not configured"))
	}
	if token == "" {
		return fail(op, errors.New("empty token"))
	}
	endpoint, err := url.JoinPath(s.CapInstanceURL, s.CapSiteKey, "siteverify")
	if err != nil {
		return fail(op, fmt.Errorf("cap instance URL: %w", err))
	}
	body, err := json.Marshal(struct {
		Secret   string `json:"secret"`
		Response string `json:"response"`
	}{s.CapSecretKey, token})
	if err != nil {
		return fail(op, err)
	}
	return sv.siteverify(ctx, op, endpoint, "application/json", body)
}

// siteverify POSTs body to endpoint and succeeds only on HTTP 200 with a
// JSON object whose success field is true, which all three providers send.
func (sv *Service) siteverify(ctx context.Context, op, endpoint, contentType string, body []byte) error {
	ctx, cancel := context.WithTimeout(ctx, sv.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return fail(op, err)
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Accept", "application/json")
	resp, err := sv.client.Do(req)
	if err != nil {
		return fail(op, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fail(op, fmt.Errorf("POST %s: %s", endpoint, resp.Status))
	}
	var result struct {
		Success    bool     `json:"success"`
		ErrorCodes []string `json:"error-codes"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxVerifierResponse)).Decode(&result); err != nil {
		return fail(op, fmt.Errorf("POST %s: %w", endpoint, err))
	}
	if !result.Success {
		return fail(op, fmt.Errorf("POST %s: token rejected %v", endpoint, result.ErrorCodes))
	}
	return nil
}
