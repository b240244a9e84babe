package archiver

import (
	"archive/zip"
	"bytes"
	"strconv"
	"testing"

	"github.com/stratus-drive/stratus/internal/errs"
)

func zipWith(t *testing.T, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for i := range n {
		if _, err := w.CreateHeader(&zip.FileHeader{Name: strconv.Itoa(i)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestZipDeclaredEntries(t *testing.T) {
	for _, n := range []int{0, 3, 0xFFFF, MaxEntries + 1} { // the last two need zip64 records
		b := zipWith(t, n)
		got, ok := zipDeclaredEntries(bytes.NewReader(b), int64(len(b)))
		if !ok || got != uint64(n) {
			t.Errorf("%d entries: declared %d, %v", n, got, ok)
		}
	}
	if _, ok := zipDeclaredEntries(bytes.NewReader([]byte("not a zip")), 9); ok {
		t.Error("found a record in garbage")
	}
}

func TestListZipBounds(t *testing.T) {
	b := zipWith(t, MaxEntries+1)
	if _, err := listZip(bytes.NewReader(b), int64(len(b)), nil); !errs.Is(errs.TooLarge, err) {
		t.Errorf("too many entries: %v", err)
	}
	b = zipWith(t, 2)
	items, err := listZip(bytes.NewReader(b), int64(len(b)), nil)
	if err != nil || len(items) != 2 || items[1].Name != "1" || !items[0].Modified.IsZero() {
		t.Errorf("two entries: %+v %v", items, err)
	}
	if _, err := listZip(bytes.NewReader(b[:len(b)-5]), int64(len(b)-5), nil); !errs.Is(errs.Invalid, err) {
		t.Errorf("truncated: %v", err)
	}
}
