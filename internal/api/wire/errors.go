package wire

import (
	"errors"
	"slices"

	"github.com/stratus-drive/stratus/internal/account"
	"github.com/stratus-drive/stratus/internal/admin"
	"github.com/stratus-drive/stratus/internal/archiver"
	"github.com/stratus-drive/stratus/internal/auth"
	"github.com/stratus-drive/stratus/internal/captcha"
	"github.com/stratus-drive/stratus/internal/directlink"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/files"
	"github.com/stratus-drive/stratus/internal/noderpc"
	"github.com/stratus-drive/stratus/internal/safedial"
	"github.com/stratus-drive/stratus/internal/setting"
	"github.com/stratus-drive/stratus/internal/share"
)

// sentinelCode maps one service sentinel to its Cloudreve code and message.
type sentinelCode struct {
	err  error
	code Code
	msg  string
}

// sentinels is THE table from service conditions to wire codes, checked in
// order before the kind fallback. Every exported errs.NewSentinel in the tree
// must appear here (errors_test.go enforces it).
var sentinels = []sentinelCode{
	{account.ErrNotSignedIn, CodeLoginRequired, "Login required"},
	{account.ErrInvalidCredentials, CodeInvalidEmailOrPassword, "Wrong password or email address"},
	{account.ErrUserBanned, CodeUserBanned, "This account has been blocked"},
	{account.ErrUserNotActivated, CodeUserNotActivated, "This account is not activated"},
	{account.ErrRegisterDisabled, CodeFeatureNotEnabled, "Registration is disabled"},
	{account.ErrEmailExists, CodeEmailExisted, "Email already in use"},
	{account.ErrEmailInactive, CodeEmailSent, "User is not activated, activation email has been resent"},
	{account.ErrEmailDomainBanned, CodeEmailProviderBanned, "Email provider is not allowed"},
	{account.ErrUserNotFound, CodeUserNotFound, "User not found"},
	{account.ErrIncorrectPassword, CodeIncorrectPassword, "Incorrect password"},
	{account.ErrTwoFactorIncorrect, CodeTwoFactorIncorrect, "Incorrect 2FA code"},
	{account.ErrTwoFactorSession, CodeNotFound, "Sign-in session not found or expired"},
	{account.ErrTwoFactorNotInit, CodeInternalSetting, "No pending 2FA secret, request a new one"},
	{account.ErrMailFailed, CodeFailedSendEmail, "Failed to send email"},
	{account.ErrTempLinkExpired, CodeTempLinkExpired, "Link expired or already used"},
	{account.ErrUserCannotActivate, CodeUserCannotActivate, "This user cannot be activated"},
	{account.ErrAvatarTooLarge, CodeFileTooLarge, "Avatar image too large"},
	{account.ErrWebDAVNotAllowed, CodeGroupNotAllowed, "Group not allowed"},
	{account.ErrDavAccountNotExist, CodeNotFound, "WebDAV account not found"},
	{auth.ErrInsufficientScope, CodeInsufficientScope, "Insufficient scope"},
	{auth.ErrNotAccessToken, CodeCredentialInvalid, "Not an access token"},
	{auth.ErrNotRefreshToken, CodeCredentialInvalid, "Not a refresh token"},
	{auth.ErrInvalidCredential, CodeCredentialInvalid, "Credential invalid or expired"},
	{auth.ErrSignatureMissing, CodeNoPermission, "Signature missing"},
	{auth.ErrSignatureExpired, CodeSignExpired, "Signature expired"},
	{auth.ErrSignatureInvalid, CodeInvalidSign, "Invalid signature"},
	{captcha.ErrCaptcha, CodeCaptchaError, "CAPTCHA not match."},
	{files.ErrLoginRequired, CodeLoginRequired, "Login required"},
	{files.ErrPathNotExist, CodeParentNotExist, "Path not exist"},
	{files.ErrNameConflict, CodeObjectExist, "Object with the same name already exists"},
	{files.ErrIllegalName, CodeIllegalObjectName, "Illegal object name"},
	{files.ErrNotOwner, CodeOwnerOnly, "Only the owner can do this"},
	{files.ErrUnsupportedAction, CodeNoPermission, "Not supported action"},
	{files.ErrInsufficientCapacity, CodeInsufficientCapacity, "Insufficient capacity"},
	{files.ErrTooManyURIs, CodeTooManyURIs, "Too many URIs in one request"},
	{files.ErrWalkLimit, CodeWalkedFileLimit, "Walked file limit reached"},
	{files.ErrEntityNotExist, CodeEntityNotExist, "Entity not exist"},
	{files.ErrFileTooLarge, CodeFileTooLarge, "File too large"},
	{files.ErrInvalidURI, CodeParamErr, "Invalid file URI"},
	{files.ErrGroupNotAllowed, CodeGroupNotAllowed, "Group not allowed"},
	{files.ErrStaleVersion, CodeStaleVersion, "Stale version"},
	{files.ErrUploadSessionExpired, CodeUploadSessionExpired, "Upload session expired or not found"},
	{files.ErrInvalidChunkIndex, CodeInvalidChunkIndex, "Invalid chunk index"},
	{files.ErrInvalidContentLength, CodeInvalidContentLength, "Invalid content length"},
	{files.ErrPolicyNotAllowed, CodePolicyNotAllowed, "Storage policy does not allow this"},
	{files.ErrLockConflict, CodeLockConflict, "Lock conflict"},
	{files.ErrUnlockFailed, CodeParamErr, "Failed to unlock file"},
	{files.ErrLockNotExist, CodeParamErr, "Failed to unlock file"},
	{files.ErrParentNotExist, CodeParentNotExist, "Parent folder does not exist"},
	{files.ErrIO, CodeIOFailed, "I/O operation failed"},
	{files.ErrShareNotExist, CodeNotFound, "Shared file does not exist"},
	{files.ErrSharePassword, CodeIncorrectPassword, "Incorrect share password"},
	{files.ErrShareAnonymous, CodeAnonymousAccessDenied, "Anonymous access denied, please sign in"},
	{files.ErrShareNotPermitted, CodeNoPermission, "Your group may not open shares"},
	{archiver.ErrUnreadable, CodeUnsupportedArchiveType, "Unsupported archive type"},
	{directlink.ErrNotExist, CodeNotFound, "Direct link not found"},
	{directlink.ErrBatchLimit, CodeSourceBatchLimit, "Exceeded the batch size for direct links"},
	{share.ErrNotFound, CodeNotFound, "Share link not found"},
	{share.ErrUserNotFound, CodeUserNotFound, "User not found"},
	{setting.ErrLockout, CodeParamErr, "This change would lock everyone out"},
	{admin.ErrNotAdmin, CodeNoPermission, "Administrators only"},
	{admin.ErrPolicyNotExist, CodePolicyNotExist, "Storage policy does not exist"},
	{admin.ErrDefaultPolicy, CodeDefaultPolicy, "The default storage policy cannot be deleted"},
	{admin.ErrPolicyHasBlobs, CodePolicyUsedByBlobs, "Blobs are stored on this policy"},
	{admin.ErrPolicyHasGroups, CodePolicyUsedByGroups, "Groups use this policy"},
	{admin.ErrSystemGroup, CodeSystemGroup, "System groups cannot be deleted"},
	{admin.ErrGroupHasUsers, CodeGroupHasUsers, "The group still has users"},
	{admin.ErrProtectedUser, CodeProtectedUser, "This user is protected"},
	{admin.ErrMasterNode, CodeMasterNode, "Action not allowed on the master node"},
	{admin.ErrNodeHasPolicies, CodeNodeUsedByPolicies, "Storage policies use this node"},
	{admin.ErrIntegration, CodeInternalSetting, "An external service failed"},
	{noderpc.ErrUnreachable, CodeNodeOffline, "The node cannot be reached"},
	{noderpc.ErrRefused, CodeInternalSetting, "The node refused the call"},
	{safedial.ErrRefused, CodeParamErr, "Outgoing connection to a non-public address refused"},
	{admin.ErrPrimaryEntityAbsent, CodeNotFound, "Primary entity not exist"},
	{admin.ErrTaskNotExist, CodeNotFound, "Task not found"},
	{admin.ErrReportedShareNotExist, CodeShareLinkNotFound, "Share not found"},
}

// detailIsMessage lists sentinels whose error detail, when set, replaces the
// table's message: a count or a list of names the contract puts in msg, or
// the reason a setting or an external service was refused.
var detailIsMessage = []error{setting.ErrLockout, admin.ErrPolicyHasGroups, admin.ErrGroupHasUsers,
	admin.ErrProtectedUser, admin.ErrMasterNode, admin.ErrNodeHasPolicies, admin.ErrIntegration,
	safedial.ErrRefused}

// kindCodes is the fallback for errors without a listed sentinel.
var kindCodes = map[errs.Kind]sentinelCode{
	errs.Other:           {code: CodeInternalSetting, msg: "Internal error"},
	errs.Invalid:         {code: CodeParamErr, msg: "Parameter error"},
	errs.NotExist:        {code: CodeNotFound, msg: "Not found"},
	errs.Exist:           {code: CodeObjectExist, msg: "Object existed"},
	errs.Permission:      {code: CodeNoPermission, msg: "Permission denied"},
	errs.Unauthenticated: {code: CodeLoginRequired, msg: "Login required"},
	errs.Conflict:        {code: CodeConflict, msg: "Conflict"},
	errs.Locked:          {code: CodeLockConflict, msg: "Lock conflict"},
	errs.Quota:           {code: CodeInsufficientCapacity, msg: "Insufficient capacity"},
	errs.TooLarge:        {code: CodeFileTooLarge, msg: "Too large"},
	errs.Expired:         {code: CodeSignExpired, msg: "Expired"},
	errs.Unsupported:     {code: CodeFeatureNotEnabled, msg: "Feature not enabled"},
	errs.RateLimited:     {code: CodeTooManyRequests, msg: "Too many requests, please try again later"},
	errs.Unavailable:     {code: CodeInternalSetting, msg: "Service temporarily unavailable"},
	errs.Internal:        {code: CodeDBError, msg: "Internal error"},
}

// Lookup returns the code and client message for err: the outermost
// condition in its chain that the table lists (an error that names one
// condition and keeps another as its cause answers with its own), then any
// listed condition errors.Is finds, then the kind.
func Lookup(err error) (Code, string) {
	message := func(s sentinelCode) (Code, string) {
		if d := errs.Detail(err); d != "" && slices.Contains(detailIsMessage, s.err) {
			return s.code, d
		}
		return s.code, s.msg
	}
	for cur := err; cur != nil; cur = errors.Unwrap(cur) {
		var cond error
		switch e := cur.(type) {
		case *errs.Sentinel:
			cond = e
		case *errs.Error:
			if e.Cond != nil {
				cond = e.Cond
			}
		}
		for _, s := range sentinels {
			if cond != nil && s.err == cond {
				return message(s)
			}
		}
	}
	for _, s := range sentinels {
		if errors.Is(err, s.err) {
			return message(s)
		}
	}
	kind := errs.KindOf(err)
	c := kindCodes[kind]
	if kind == errs.Invalid || kind == errs.TooLarge {
		if d := errs.Detail(err); d != "" {
			return c.code, d
		}
	}
	return c.code, c.msg
}

// ErrorResponse renders err as an envelope. Validation failures (Invalid)
// carry no correlation ID, as in the contract; batches become 40081 with one
// nested envelope per failed item.
func ErrorResponse(err error, correlationID string, debug bool) Response {
	var batch errs.Batch
	if errors.As(err, &batch) {
		resp := Response{Code: CodeBatchOperationFailed, Msg: "One or more operation failed",
			CorrelationID: correlationID, AggregatedError: make(map[string]Response, len(batch))}
		for key, e := range batch {
			resp.AggregatedError[key] = ErrorResponse(e, correlationID, debug)
		}
		if len(batch) == 1 {
			for _, e := range batch {
				_, resp.Msg = Lookup(e)
			}
		}
		return resp
	}
	code, msg := Lookup(err)
	resp := Response{Code: code, Msg: msg}
	// Some failures carry details clients act on, such as the locks of a
	// lock conflict, which the web client offers to force-unlock.
	var detailed interface{ ErrorData() any }
	if errors.As(err, &detailed) {
		resp.Data = detailed.ErrorData()
	}
	if errs.KindOf(err) != errs.Invalid {
		resp.CorrelationID = correlationID
	}
	if debug {
		resp.Error = err.Error()
	}
	return resp
}
