package auth

import (
	"errors"
	"testing"
)

func TestCheckScope(t *testing.T) {
	tests := []struct {
		granted  []string
		clientID string
		scope    string
		ok       bool
	}{
		{nil, "", "Files.Write", true}, // ordinary sign-in token
		{nil, "app", "", true},         // route needs no scope
		{[]string{"Files.Read"}, "app", "Files.Read", true},
		{[]string{"Files.Write"}, "app", "Files.Read", true}, // write implies read
		{[]string{"Files.Read"}, "app", "Files.Write", false},
		{[]string{"Shares.Write"}, "app", "Files.Read", false},
		{[]string{"openid"}, "app", "offline_access", false},
	}
	for _, tt := range tests {
		err := CheckScope(tt.granted, tt.clientID, tt.scope)
		if (err == nil) != tt.ok || (err != nil && !errors.Is(err, ErrInsufficientScope)) {
			t.Errorf("CheckScope(%v, %q, %q) = %v, want ok=%v", tt.granted, tt.clientID, tt.scope, err, tt.ok)
		}
	}
}
