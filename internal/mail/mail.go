// Package mail sends e-mail over SMTP: implicit TLS when configured,
// otherwise STARTTLS whenever the server offers it, and authentication when a
// user name is set. Each message uses its own connection, bounded by a
// timeout, so a stuck server cannot hold a request for long.
package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"net/smtp"
	"strconv"
	"strings"
	"time"

	"github.com/stratus-drive/stratus/internal/errs"
)

// Config is where and how to send.
type Config struct {
	Host        string
	Port        int
	User, Pass  string // authentication when User is not empty
	ImplicitTLS bool   // TLS from the first byte (smtpEncryption); else STARTTLS when offered
	FromName    string
	FromAddress string
	ReplyTo     string // optional
	Timeout     time.Duration
	TLS         *tls.Config // optional (tests); ServerName defaults to Host
	// Dial opens the TCP connection; nil is a plain net.Dialer. The server
	// passes its safedial dialer, so the SMTP host obeys the same address
	// rules as every other outgoing connection.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

// Message is one plain-text mail to one recipient.
type Message struct {
	To      string
	Subject string
	Body    string
}

// DefaultTimeout bounds a whole delivery when Config.Timeout is zero.
const DefaultTimeout = 30 * time.Second

// Send delivers msg. Errors are errs.Invalid for a bad configuration or
// address and errs.Unavailable for anything the server or network did.
func Send(ctx context.Context, cfg Config, msg Message) error {
	const op = "mail.Send"
	if cfg.Host == "" || cfg.Port <= 0 || cfg.Port > 65535 {
		return errs.E(op, errs.Invalid, "SMTP server not configured")
	}
	from, err := parseAddr(cfg.FromAddress)
	if err != nil {
		return errs.E(op, errs.Invalid, "sender address", err)
	}
	to, err := parseAddr(msg.To)
	if err != nil {
		return errs.E(op, errs.Invalid, "recipient address", err)
	}
	var replyTo string
	if cfg.ReplyTo != "" {
		if replyTo, err = parseAddr(cfg.ReplyTo); err != nil {
			return errs.E(op, errs.Invalid, "reply-to address", err)
		}
	}
	data := compose(cfg.FromName, from, replyTo, to, msg, time.Now())

	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := deliver(ctx, cfg, from, to, data); err != nil {
		return errs.E(op, errs.Unavailable, err)
	}
	return nil
}

func deliver(ctx context.Context, cfg Config, from, to string, data []byte) error {
	addr := net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port))
	tlsConf := &tls.Config{ServerName: cfg.Host, MinVersion: tls.VersionTLS12}
	if cfg.TLS != nil {
		tlsConf = cfg.TLS.Clone()
		if tlsConf.ServerName == "" {
			tlsConf.ServerName = cfg.Host
		}
	}
	dial := cfg.Dial
	if dial == nil {
		dial = (&net.Dialer{}).DialContext
	}
	conn, err := dial(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	if cfg.ImplicitTLS {
		tlsConn := tls.Client(conn, tlsConf)
		if err := tlsConn.HandshakeContext(ctx); err != nil {
			return err
		}
		conn = tlsConn
	}
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	// Cancelling the context cuts the conversation short.
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	c, err := smtp.NewClient(conn, cfg.Host)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Hello("localhost"); err != nil {
		return err
	}
	if !cfg.ImplicitTLS {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(tlsConf); err != nil {
				return err
			}
		}
	}
	if cfg.User != "" {
		// smtp.PlainAuth refuses to send the password in the clear except to
		// a loopback server.
		if err := c.Auth(smtp.PlainAuth("", cfg.User, cfg.Pass, cfg.Host)); err != nil {
			return err
		}
	}
	if err := c.Mail(from); err != nil {
		return err
	}
	if err := c.Rcpt(to); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(data); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// parseAddr accepts one bare address (no display name, no line breaks).
func parseAddr(s string) (string, error) {
	if strings.ContainsAny(s, "\r\n") {
		return "", fmt.Errorf("line break in address")
	}
	a, err := netmail.ParseAddress(s)
	if err != nil {
		return "", err
	}
	return a.Address, nil
}

// compose renders the headers and a quoted-printable UTF-8 body.
func compose(fromName, from, replyTo, to string, msg Message, now time.Time) []byte {
	var b bytes.Buffer
	h := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	h("From", (&netmail.Address{Name: oneLine(fromName), Address: from}).String())
	h("To", (&netmail.Address{Address: to}).String())
	if replyTo != "" {
		h("Reply-To", (&netmail.Address{Address: replyTo}).String())
	}
	h("Subject", mime.QEncoding.Encode("utf-8", oneLine(msg.Subject)))
	h("Date", now.Format(time.RFC1123Z))
	h("Message-ID", "<"+randomID()+"@"+domainOf(from)+">")
	h("MIME-Version", "1.0")
	h("Content-Type", "text/plain; charset=utf-8")
	h("Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	body := strings.ReplaceAll(strings.ReplaceAll(msg.Body, "\r\n", "\n"), "\n", "\r\n")
	qp.Write([]byte(body))
	qp.Close()
	return b.Bytes()
}

func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '\r' || r == '\n' }), " ")
}

func domainOf(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		return addr[i+1:]
	}
	return "localhost"
}

func randomID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}
