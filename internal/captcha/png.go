package captcha

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"sync"
)

// pngWriter encodes opaque RGBA canvases as 8-bit RGB PNGs. image/png would
// do, but it tries all five row filters on every row and that search was a
// third of the time to make a challenge; the Sub filter alone compresses
// these images about as well. It keeps its compressor between images.
type pngWriter struct {
	zw  sync.Pool // *zlib.Writer at BestSpeed: noise compresses poorly anyway
	row sync.Pool // *[]byte, one filtered row
}

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// encode appends img as a PNG to buf. The alpha channel is dropped: canvases
// are opaque.
func (pw *pngWriter) encode(buf *bytes.Buffer, img *image.RGBA) error {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	buf.Write(pngSignature)
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 8, 2 // bit depth 8, colour type RGB; rest zero
	writeChunk(buf, "IHDR", ihdr[:])

	// IDAT is compressed straight into buf; its length is patched in after.
	start := buf.Len()
	buf.WriteString("\x00\x00\x00\x00IDAT")
	zw, _ := pw.zw.Get().(*zlib.Writer)
	if zw == nil {
		zw, _ = zlib.NewWriterLevel(buf, zlib.BestSpeed) // the level is valid
	} else {
		zw.Reset(buf)
	}
	defer pw.zw.Put(zw)
	rowp, _ := pw.row.Get().(*[]byte)
	if rowp == nil || cap(*rowp) < 1+3*w {
		rowp = new(make([]byte, 1+3*w))
	}
	defer pw.row.Put(rowp)
	row := (*rowp)[:1+3*w]
	row[0] = 1 // filter type Sub: each byte minus the same channel one pixel left
	for y := range h {
		src := img.Pix[y*img.Stride : y*img.Stride+4*w]
		var pr, pg, pb byte
		for x := range w {
			r, g, b := src[4*x], src[4*x+1], src[4*x+2]
			row[1+3*x], row[2+3*x], row[3+3*x] = r-pr, g-pg, b-pb
			pr, pg, pb = r, g, b
		}
		if _, err := zw.Write(row); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	idat := buf.Bytes()[start:]
	binary.BigEndian.PutUint32(idat, uint32(len(idat)-8))
	buf.Write(binary.BigEndian.AppendUint32(nil, crc32.ChecksumIEEE(idat[4:])))
	writeChunk(buf, "IEND", nil)
	return nil
}

// writeChunk appends a PNG chunk: length, type, data, CRC of type and data.
func writeChunk(buf *bytes.Buffer, typ string, data []byte) {
	var b [8]byte
	binary.BigEndian.PutUint32(b[:], uint32(len(data)))
	copy(b[4:], typ)
	buf.Write(b[:])
	buf.Write(data)
	crc := crc32.Update(crc32.ChecksumIEEE(b[4:]), crc32.IEEETable, data)
	buf.Write(binary.BigEndian.AppendUint32(nil, crc))
}
