package mail_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/mail"
	"github.com/stratus-drive/stratus/internal/testenv/services"
)

func TestSendToMailpit(t *testing.T) {
	mp := services.StartMailpit(t)
	cfg := mail.Config{Host: mp.SMTPHost, Port: mp.SMTPPort, User: "bot", Pass: "pw",
		FromName: "Strätus Drive", FromAddress: "no-reply@example.com", ReplyTo: "help@example.com",
		Timeout: 10 * time.Second}
	msg := mail.Activation(mail.Site{Name: "Wolke ☁", URL: "https://drive.example"}, "ünï@example.com", "ünï",
		"https://drive.example/session/activate?id=x&sign=y")
	if err := mail.Send(context.Background(), cfg, msg); err != nil {
		t.Fatal(err)
	}
	got := mp.WaitFor(t, "ünï@example.com", 0)
	if got.Subject != "[Wolke ☁] Confirm your e-mail address" {
		t.Errorf("subject %q", got.Subject)
	}
	if got.From.Name != "Strätus Drive" || got.From.Address != "no-reply@example.com" {
		t.Errorf("from %+v", got.From)
	}
	if len(got.ReplyTo) != 1 || got.ReplyTo[0].Address != "help@example.com" {
		t.Errorf("reply-to %+v", got.ReplyTo)
	}
	if !strings.Contains(got.Text, "https://drive.example/session/activate?id=x&sign=y") || !strings.Contains(got.Text, "Hello ünï") {
		t.Errorf("body %q", got.Text)
	}

	// Without credentials and without a Reply-To.
	cfg.User, cfg.ReplyTo = "", ""
	if err := mail.Send(context.Background(), cfg, mail.Reset(mail.Site{Name: "S"}, "b@example.com", "b", "L")); err != nil {
		t.Fatal(err)
	}
	if got := mp.WaitFor(t, "b@example.com", 0); len(got.ReplyTo) != 0 || !strings.Contains(got.Text, "L") {
		t.Errorf("second mail %+v", got)
	}
}

func TestSendFailures(t *testing.T) {
	ctx := context.Background()
	msg := mail.Message{To: "a@example.com", Subject: "s", Body: "b"}
	if err := mail.Send(ctx, mail.Config{FromAddress: "x@example.com"}, msg); !errs.Is(errs.Invalid, err) {
		t.Errorf("unconfigured: %v", err)
	}
	cfg := mail.Config{Host: "127.0.0.1", Port: 1, FromAddress: "x@example.com", Timeout: 2 * time.Second}
	if err := mail.Send(ctx, cfg, mail.Message{To: "a@example.com\r\nBcc: evil@example.com"}); !errs.Is(errs.Invalid, err) {
		t.Errorf("header injection: %v", err)
	}
	if err := mail.Send(ctx, cfg, msg); !errs.Is(errs.Unavailable, err) {
		t.Errorf("closed port: %v", err)
	}
	// Implicit TLS against a plain server fails instead of sending in clear.
	mp := services.StartMailpit(t)
	cfg = mail.Config{Host: mp.SMTPHost, Port: mp.SMTPPort, FromAddress: "x@example.com", ImplicitTLS: true, Timeout: 3 * time.Second}
	if err := mail.Send(ctx, cfg, msg); !errs.Is(errs.Unavailable, err) {
		t.Errorf("implicit TLS to plain server: %v", err)
	}
}
