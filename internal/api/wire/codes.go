package wire

// Code is a Cloudreve envelope code (conventions §6).
type Code int

// The codes Stratus emits. Names follow the meaning column of the contract.
const (
	CodeSuccess                Code = 0
	CodeContinue               Code = 203
	CodeLoginRequired          Code = 401
	CodeNoPermission           Code = 403
	CodeNotFound               Code = 404
	CodeConflict               Code = 409
	CodeTooManyRequests        Code = 429
	CodeParamErr               Code = 40001
	CodeUploadFailed           Code = 40002
	CodeCreateFolderFailed     Code = 40003
	CodeObjectExist            Code = 40004
	CodeSignExpired            Code = 40005
	CodePolicyNotAllowed       Code = 40006
	CodeGroupNotAllowed        Code = 40007
	CodeAdminRequired          Code = 40008
	CodeUploadSessionExpired   Code = 40011
	CodeInvalidChunkIndex      Code = 40012
	CodeInvalidContentLength   Code = 40013
	CodeSourceBatchLimit       Code = 40014
	CodeParentNotExist         Code = 40016
	CodeUserBanned             Code = 40017
	CodeUserNotActivated       Code = 40018
	CodeFeatureNotEnabled      Code = 40019
	CodeCredentialInvalid      Code = 40020
	CodeUserNotFound           Code = 40021
	CodeTwoFactorIncorrect     Code = 40022
	CodeLoginSessionNotExist   Code = 40023
	CodeInitializeAuthn        Code = 40024
	CodeWebAuthnCredential     Code = 40025
	CodeCaptchaError           Code = 40026
	CodeFailedSendEmail        Code = 40028
	CodeInvalidTempLink        Code = 40029
	CodeTempLinkExpired        Code = 40030
	CodeEmailProviderBanned    Code = 40031
	CodeEmailExisted           Code = 40032
	CodeEmailSent              Code = 40033
	CodeUserCannotActivate     Code = 40034
	CodePolicyNotExist         Code = 40035
	CodeDefaultPolicy          Code = 40036
	CodePolicyUsedByBlobs      Code = 40037
	CodePolicyUsedByGroups     Code = 40038
	CodeGroupNotFound          Code = 40039
	CodeSystemGroup            Code = 40040
	CodeGroupHasUsers          Code = 40041
	CodeProtectedUser          Code = 40043
	CodeFileNotFound           Code = 40044
	CodeMasterNode             Code = 40046
	CodeFileTooLarge           Code = 40049
	CodeFileTypeNotAllowed     Code = 40050
	CodeInsufficientCapacity   Code = 40051
	CodeIllegalObjectName      Code = 40052
	CodeRootProtected          Code = 40053
	CodeUnsupportedArchiveType Code = 40056
	CodeShareLinkNotFound      Code = 40058
	CodeIncorrectPassword      Code = 40069
	CodeInvalidSign            Code = 40071
	CodeLockConflict           Code = 40073
	CodeTooManyURIs            Code = 40074
	CodeLockExpired            Code = 40075
	CodeStaleVersion           Code = 40076
	CodeEntityNotExist         Code = 40077
	CodeFileInTrash            Code = 40078
	CodeWalkedFileLimit        Code = 40079
	CodeInvalidEmailOrPassword Code = 40080
	CodeBatchOperationFailed   Code = 40081
	CodeOwnerOnly              Code = 40082
	CodeAnonymousAccessDenied  Code = 40088
	CodeNodeUsedByPolicies     Code = 40086
	CodeInsufficientScope      Code = 40089
	CodeDBError                Code = 50001
	CodeEncryptError           Code = 50002
	CodeIOFailed               Code = 50004
	CodeInternalSetting        Code = 50005
	CodeCacheOperation         Code = 50006
	CodeCallbackError          Code = 50007
	CodeNodeOffline            Code = 50010
)
