package drive

import (
	"encoding/json"
	"reflect"
	"strings"
)

// policySettingsFields is PolicySettings without its methods, so that the
// methods below can use the default encoding of the typed fields.
type policySettingsFields PolicySettings

// typedPolicyKeys are the JSON names of PolicySettings' typed fields.
var typedPolicyKeys = func() map[string]bool {
	keys := map[string]bool{}
	for f := range reflect.TypeFor[PolicySettings]().Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name != "" && name != "-" {
			keys[name] = true
		}
	}
	return keys
}()

// MarshalJSON writes the typed fields and the Extra keys in one object (a
// typed field wins over an Extra key of the same name).
func (ps PolicySettings) MarshalJSON() ([]byte, error) {
	typed, err := json.Marshal(policySettingsFields(ps))
	if err != nil || len(ps.Extra) == 0 {
		return typed, err
	}
	all := make(map[string]json.RawMessage, len(ps.Extra))
	for k, v := range ps.Extra {
		raw, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		all[k] = raw
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(typed, &fields); err != nil {
		return nil, err
	}
	for k, v := range fields {
		all[k] = v
	}
	return json.Marshal(all)
}

// UnmarshalJSON reads the typed fields and keeps every other key in Extra,
// so that drivers can read their own keys and a later save loses nothing.
func (ps *PolicySettings) UnmarshalJSON(b []byte) error {
	var f policySettingsFields
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	var all map[string]any
	if err := json.Unmarshal(b, &all); err != nil {
		return err
	}
	f.Extra = nil
	for k, v := range all {
		if !typedPolicyKeys[k] {
			if f.Extra == nil {
				f.Extra = map[string]any{}
			}
			f.Extra[k] = v
		}
	}
	*ps = PolicySettings(f)
	return nil
}
