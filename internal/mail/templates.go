package mail

import (
	"bytes"
	"text/template"
)

// Site is what the templates say about the sender.
type Site struct {
	Name string
	URL  string
}

var (
	activationTmpl = template.Must(template.New("activation").Parse(`Hello {{.Nick}},

Please confirm your e-mail address to start using {{.Site.Name}}:

{{.Link}}

The link is valid for 24 hours. If you did not sign up at {{.Site.URL}}, you can ignore this mail.
`))
	resetTmpl = template.Must(template.New("reset").Parse(`Hello {{.Nick}},

Someone asked to reset the password of your {{.Site.Name}} account. To choose a new password, open:

{{.Link}}

The link is valid for one hour. If you did not ask for this, ignore this mail; your password stays as it is.
`))
)

type tmplData struct {
	Site       Site
	Nick, Link string
}

// Activation is the mail that confirms a new account's address.
func Activation(site Site, to, nick, link string) Message {
	return Message{To: to, Subject: "[" + site.Name + "] Confirm your e-mail address",
		Body: render(activationTmpl, tmplData{site, nick, link})}
}

// Reset is the mail that carries a password-reset link.
func Reset(site Site, to, nick, link string) Message {
	return Message{To: to, Subject: "[" + site.Name + "] Reset your password",
		Body: render(resetTmpl, tmplData{site, nick, link})}
}

func render(t *template.Template, d tmplData) string {
	var b bytes.Buffer
	if err := t.Execute(&b, d); err != nil {
		panic(err) // the templates are fixed; a failure is a bug
	}
	return b.String()
}
