package archiver

import (
	"archive/zip"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"time"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"

	"github.com/stratus-drive/stratus/internal/drive"
	"github.com/stratus-drive/stratus/internal/errs"
	"github.com/stratus-drive/stratus/internal/files"
	"github.com/stratus-drive/stratus/internal/hashid"
	"github.com/stratus-drive/stratus/internal/storage"
)

// ErrUnreadable is an archive whose directory cannot be read (not a zip,
// truncated, corrupt).
var ErrUnreadable = errs.NewSentinel(errs.Invalid, "unsupported or unreadable archive")

// MaxEntries bounds the entries an archive listing reads; an archive
// declaring more is files.ErrFileTooLarge before its directory is loaded.
const MaxEntries = 100_000

// ListRequest is the query of GET /file/archive.
type ListRequest struct {
	URI      string
	Entity   string // entity hashid of a version; "" = current version
	Encoding string // text_encoding; "" = UTF-8, or the zip's own flag
}

// Item is one entry of an archive listing.
type Item struct {
	Name        string    // slash-separated path inside the archive, as stored
	Size        int64     // uncompressed size
	Modified    time.Time // zero when the archive records none
	IsDirectory bool
}

// ListableExts are the archive formats List reads; the explorer config
// offers the archive viewer for these only.
var ListableExts = []string{"zip"}

// archiveNameEncodings are the text_encoding values (30-files §4.3,
// newer-versions §7), compared after normalizeEncoding. "utf8" and cp437
// (the zip specification's default) are extras.
var archiveNameEncodings = map[string]encoding.Encoding{
	"utf8":              nil,
	"cp437":             charmap.CodePage437,
	"ibm437":            charmap.CodePage437,
	"ibm866":            charmap.CodePage866,
	"iso88592":          charmap.ISO8859_2,
	"iso88593":          charmap.ISO8859_3,
	"iso88594":          charmap.ISO8859_4,
	"iso88595":          charmap.ISO8859_5,
	"iso88596":          charmap.ISO8859_6,
	"iso88597":          charmap.ISO8859_7,
	"iso88598":          charmap.ISO8859_8,
	"iso88598i":         charmap.ISO8859_8I,
	"iso885910":         charmap.ISO8859_10,
	"iso885913":         charmap.ISO8859_13,
	"iso885914":         charmap.ISO8859_14,
	"iso885915":         charmap.ISO8859_15,
	"iso885916":         charmap.ISO8859_16,
	"koi8r":             charmap.KOI8R,
	"koi8u":             charmap.KOI8U,
	"macintosh":         charmap.Macintosh,
	"macintoshcyrillic": charmap.MacintoshCyrillic,
	"windows874":        charmap.Windows874,
	"windows1250":       charmap.Windows1250,
	"windows1251":       charmap.Windows1251,
	"windows1252":       charmap.Windows1252,
	"windows1253":       charmap.Windows1253,
	"windows1254":       charmap.Windows1254,
	"windows1255":       charmap.Windows1255,
	"windows1256":       charmap.Windows1256,
	"windows1257":       charmap.Windows1257,
	"windows1258":       charmap.Windows1258,
	"gbk":               simplifiedchinese.GBK,
	"gb18030":           simplifiedchinese.GB18030,
	"big5":              traditionalchinese.Big5,
	"eucjp":             japanese.EUCJP,
	"iso2022jp":         japanese.ISO2022JP,
	"shiftjis":          japanese.ShiftJIS,
	"euckr":             korean.EUCKR,
	"utf16be":           unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM),
	"utf16le":           unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM),
}

// normalizeEncoding folds case and drops separators, so "Shift_JIS",
// "shift-jis" and "shiftjis" are one name.
func normalizeEncoding(s string) string {
	s = strings.ToLower(s)
	return strings.NewReplacer("-", "", "_", "", " ", "").Replace(s)
}

// List lists the entries of the zip at req.URI (30-files §4.3,
// newer-versions §7): the caller's group needs the archive-task permission,
// the file must be downloadable through its filesystem and fit the group's
// decompress_size. Only zip is read; 7z answers ErrUnsupportedAction. Only
// blobs of the local driver can be read for now (errs.Unsupported otherwise).
func (s *Service) List(ctx context.Context, actor drive.Actor, req ListRequest) ([]Item, error) {
	const op = "archiver.List"
	if !actor.Can(drive.PermArchiveTask) {
		return nil, errs.E(op, files.ErrGroupNotAllowed, "archive tasks not allowed")
	}
	n, err := s.fs.Resolve(ctx, actor, req.URI)
	if err != nil {
		return nil, errs.E(op, err)
	}
	if err := n.Require(files.CapDownload); err != nil {
		return nil, errs.E(op, err)
	}
	if n.File.ID == 0 || n.File.IsFolder() {
		return nil, errs.E(op, files.ErrUnsupportedAction, "not a file")
	}
	limit := actor.Group().Settings.DecompressSize
	if limit > 0 && n.File.Size > limit {
		return nil, errs.E(op, files.ErrFileTooLarge, "larger than the group's decompress size")
	}
	entity, err := s.archiveEntity(ctx, n.File, req.Entity)
	if err != nil {
		return nil, errs.E(op, err)
	}
	if limit > 0 && entity != nil && entity.Size > limit {
		return nil, errs.E(op, files.ErrFileTooLarge, "larger than the group's decompress size")
	}
	enc, ok := archiveNameEncodings[normalizeEncoding(req.Encoding)]
	if !ok && req.Encoding != "" {
		return nil, errs.E(op, files.ErrUnsupportedAction, "unknown text encoding")
	}
	switch {
	case files.ExtMatches(n.Name, ListableExts):
	case files.ExtMatches(n.Name, []string{"7z"}):
		return nil, errs.E(op, files.ErrUnsupportedAction, "7z listing is not supported yet")
	default:
		return nil, errs.E(op, files.ErrUnsupportedAction, "not an archive")
	}
	if entity == nil { // an empty file is no zip
		return nil, errs.E(op, ErrUnreadable, "empty file")
	}
	drv, err := s.fs.Driver(ctx, entity.PolicyID)
	if err != nil {
		return nil, errs.E(op, err)
	}
	lf, ok := storage.As[storage.LocalFiler](drv)
	if !ok {
		return nil, errs.E(op, errs.Unsupported, "listing archives on this storage is not available yet")
	}
	f, err := lf.OpenFile(ctx, entity.Source)
	if err != nil {
		return nil, errs.E(op, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, errs.E(op, files.ErrIO, err)
	}
	items, err := listZip(f, st.Size(), enc)
	if err != nil {
		return nil, errs.E(op, err)
	}
	return items, nil
}

// archiveEntity returns the version entity to read: the current one, or
// publicID when it is a version linked to f. Nil means an empty file.
func (s *Service) archiveEntity(ctx context.Context, f *drive.File, publicID string) (*drive.Entity, error) {
	want := f.PrimaryEntity
	if publicID != "" {
		id, err := s.ids.Decode(publicID, hashid.Entity)
		if err != nil {
			return nil, err
		}
		want = id
	} else if want == 0 {
		return nil, nil
	}
	es, err := s.db.EntitiesOfFile(ctx, f.ID)
	if err != nil {
		return nil, err
	}
	for _, e := range es {
		if e.ID == want && e.Type == drive.EntityVersion && e.UploadSessionID == "" {
			return e, nil
		}
	}
	return nil, files.ErrEntityNotExist
}

// listZip reads the central directory of the zip in r (size bytes). Names
// flagged (or detected) as not UTF-8 are decoded with enc when given.
func listZip(r io.ReaderAt, size int64, enc encoding.Encoding) ([]Item, error) {
	if declared, ok := zipDeclaredEntries(r, size); ok && declared > MaxEntries {
		return nil, errs.E("archiver.listZip", files.ErrFileTooLarge, "the archive has too many entries")
	}
	zr, err := zip.NewReader(r, size)
	if err != nil && !(zr != nil && errors.Is(err, zip.ErrInsecurePath)) {
		return nil, errs.E("archiver.listZip", ErrUnreadable, err)
	}
	if len(zr.File) > MaxEntries {
		return nil, errs.E("archiver.listZip", files.ErrFileTooLarge, "the archive has too many entries")
	}
	var dec *encoding.Decoder
	if enc != nil {
		dec = enc.NewDecoder()
	}
	out := make([]Item, 0, len(zr.File))
	for _, zf := range zr.File {
		name := zf.Name
		if zf.NonUTF8 && dec != nil {
			if d, err := dec.String(name); err == nil {
				name = d
			}
		}
		// An entry without a time carries MS-DOS date 0, read as 1979-11-30;
		// nothing in MS-DOS time precedes 1980.
		mod := zf.Modified
		if mod.Year() < 1980 {
			mod = time.Time{}
		}
		out = append(out, Item{
			Name:        strings.ToValidUTF8(name, "\uFFFD"),
			Size:        int64(zf.UncompressedSize64),
			Modified:    mod,
			IsDirectory: strings.HasSuffix(zf.Name, "/") || zf.Mode().IsDir(),
		})
	}
	return out, nil
}

// zipDeclaredEntries reads the entry count the end of central directory
// record declares (the zip64 one when present), without loading the
// directory. ok is false when the records cannot be found; zip.NewReader
// then decides.
func zipDeclaredEntries(r io.ReaderAt, size int64) (uint64, bool) {
	const eocdLen, locatorLen, maxComment = 22, 20, 65535
	tailLen := min(size, eocdLen+maxComment)
	if tailLen < eocdLen {
		return 0, false
	}
	tail := make([]byte, tailLen)
	if _, err := r.ReadAt(tail, size-tailLen); err != nil && err != io.EOF {
		return 0, false
	}
	at := -1
	for i := len(tail) - eocdLen; i >= 0; i-- {
		if binary.LittleEndian.Uint32(tail[i:]) == 0x06054b50 {
			at = i
			break
		}
	}
	if at < 0 {
		return 0, false
	}
	count := uint64(binary.LittleEndian.Uint16(tail[at+10:]))
	if count != 0xFFFF {
		return count, true
	}
	// zip64: the locator sits just before the record and points at the
	// zip64 end of central directory record.
	locAt := size - tailLen + int64(at) - locatorLen
	if locAt < 0 {
		return 0, false
	}
	var loc [locatorLen]byte
	if _, err := r.ReadAt(loc[:], locAt); err != nil || binary.LittleEndian.Uint32(loc[:]) != 0x07064b50 {
		return 0, false
	}
	off := binary.LittleEndian.Uint64(loc[8:])
	var rec [56]byte
	if off > uint64(size) || int64(off)+int64(len(rec)) > size {
		return 0, false
	}
	if _, err := r.ReadAt(rec[:], int64(off)); err != nil || binary.LittleEndian.Uint32(rec[:]) != 0x06064b50 {
		return 0, false
	}
	return binary.LittleEndian.Uint64(rec[32:]), true
}
