package admin

import (
	"context"
	"errors"
	"time"

	"github.com/stratus-drive/stratus/internal/downloader"
	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/noderpc"
)

// nodeTestTimeout bounds a connection test (60-admin §12).
const nodeTestTimeout = 10 * time.Second

// master is this server as a caller of slave nodes.
func (s *Service) master() noderpc.Master {
	return noderpc.Master{SiteURL: s.settings.SiteURLs()[0], SiteID: s.settings.String("siteID"),
		Version: s.apiVersion, SignatureTTL: time.Duration(s.settings.Int("slave_api_timeout")) * time.Second,
		HTTP: s.http}
}

// TestNode checks that the slave n (its form values, saved or not) answers
// a signed ping; the slave in turn calls this site back.
func (s *Service) TestNode(ctx context.Context, actor drive.Actor, n *drive.Node) error {
	const op = "admin.TestNode"
	if err := authorize(op, actor); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, nodeTestTimeout)
	defer cancel()
	if err := s.master().Ping(ctx, n); err != nil {
		return errs.E(op, errs.Invalid, nodeFailure(err))
	}
	return nil
}

// nodeFailure is the contract's message for a failed call to a node.
func nodeFailure(err error) string {
	if errors.Is(err, noderpc.ErrRefused) {
		return "Successfully connected to slave node, but slave returns: " + errs.Detail(err)
	}
	return "Failed to connect to node: " + reason(err)
}

// reason is why a service an administrator tests failed, for the message
// the test answers with: the failure's own detail, else its whole text
// (the administrator needs the network error to fix the settings).
func reason(err error) string {
	if refused := outgoingRefused("admin.reason", err); refused != nil {
		return errs.Detail(refused)
	}
	if d := errs.Detail(err); d != "" {
		return d
	}
	return err.Error()
}

// TestNodeDownloader returns the version of the downloader node n's
// settings configure: on the master the downloader is asked directly, a
// slave is asked to test its own.
func (s *Service) TestNodeDownloader(ctx context.Context, actor drive.Actor, n *drive.Node) (string, error) {
	const op = "admin.TestNodeDownloader"
	if err := authorize(op, actor); err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(ctx, nodeTestTimeout)
	defer cancel()
	if n.Type != drive.NodeMaster {
		v, err := s.master().DownloaderVersion(ctx, n)
		if err != nil {
			return "", errs.E(op, errs.Invalid, nodeFailure(err))
		}
		return v, nil
	}
	settings, err := downloader.ParseSettings(n.Settings)
	if err != nil {
		return "", errs.E(op, err)
	}
	v, err := downloader.Version(ctx, s.http, settings)
	if err != nil {
		return "", errs.E(op, errs.Invalid, "Failed to test downloader: "+reason(err))
	}
	return v, nil
}
