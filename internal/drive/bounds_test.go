package drive

import (
	"strconv"
	"strings"
	"testing"
)

func TestCheckFileMetadata(t *testing.T) {
	many := func(n int, prefix string) map[string]string {
		m := map[string]string{}
		for i := range n {
			m[prefix+strconv.Itoa(i)] = "v"
		}
		return m
	}
	big := map[string]string{"dav:a": strings.Repeat("x", MaxFileMetadataBytes)}
	for name, tc := range map[string]struct {
		m  map[string]string
		ok bool
	}{
		"empty":                   {map[string]string{}, true},
		"at the count":            {many(MaxFileMetadataEntries, "tag:"), true},
		"over the count":          {many(MaxFileMetadataEntries+1, "tag:"), false},
		"sys entries not counted": {many(MaxFileMetadataEntries+50, "sys:"), true},
		"over the bytes":          {big, false},
	} {
		if err := CheckFileMetadata(tc.m); (err == nil) != tc.ok {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestCheckViewSize(t *testing.T) {
	cols := make([]map[string]any, 1000)
	for i := range cols {
		cols[i] = map[string]any{"type": 1.0}
	}
	if err := CheckViewSize(ExplorerView{PageSize: 50, Columns: cols}); err != nil {
		t.Errorf("1000 plain columns: %v", err)
	}
	cols[0]["props"] = map[string]any{"metadata_key": strings.Repeat("k", MaxViewBytes)}
	if err := CheckViewSize(ExplorerView{PageSize: 50, Columns: cols}); err == nil {
		t.Error("an oversized view passed")
	}
}
