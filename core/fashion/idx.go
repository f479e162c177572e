package fashion

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Limits on what an IDX file may declare, so that a damaged or hostile file
// cannot ask for unbounded memory: Fashion-MNIST's largest file holds
// 60,000 images of 28×28.
const (
	MaxItems = 1 << 20 // images or labels in one file
	MaxSide  = 1 << 10 // rows or columns of one image
	MaxBytes = 1 << 28 // pixels in one file
)

// The magics of the two IDX files nnlab reads: 2051 (type 0x08, unsigned
// bytes, in 3 dimensions: images) and 2049 (unsigned bytes in 1 dimension:
// labels).
const (
	magicImages = 0x00000803
	magicLabels = 0x00000801
)

// Images is a stack of grey images, row-major, one byte a pixel
// (0 = background, 255 = ink), as the IDX file holds them.
type Images struct {
	N, Rows, Cols int
	Pix           []byte // N·Rows·Cols
}

// Image returns the Rows·Cols pixels of image i (shared, not copied).
func (m *Images) Image(i int) []byte {
	s := m.Rows * m.Cols
	return m.Pix[i*s : (i+1)*s : (i+1)*s]
}

// maybeGunzip returns a reader of r's content, decompressed when it starts
// with gzip's magic bytes.
func maybeGunzip(r io.Reader) (io.Reader, error) {
	br := bufio.NewReader(r)
	head, err := br.Peek(2)
	if err != nil && len(head) < 2 {
		return nil, fmt.Errorf("idx: the file is empty or shorter than a header")
	}
	if head[0] == 0x1f && head[1] == 0x8b {
		z, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("idx: bad gzip stream: %w", err)
		}
		return z, nil
	}
	return br, nil
}

// header reads an IDX header and checks that it has the given magic,
// returning its dimensions.
func header(r io.Reader, magic uint32, what string) ([]int, error) {
	var m uint32
	if err := binary.Read(r, binary.BigEndian, &m); err != nil {
		return nil, fmt.Errorf("idx: %s file too short for a header", what)
	}
	if m != magic {
		return nil, fmt.Errorf("idx: not an IDX %s file: magic %#08x, want %#08x", what, m, magic)
	}
	dims := make([]int, m&0xff)
	for i := range dims {
		var d uint32
		if err := binary.Read(r, binary.BigEndian, &d); err != nil {
			return nil, fmt.Errorf("idx: %s file too short for its header", what)
		}
		dims[i] = int(d)
	}
	return dims, nil
}

// ReadImages reads an IDX image file (magic 2051: a count, rows and
// columns, then the pixels), gzip-compressed or not. It reads at most the
// first max images (all of them when max ≤ 0).
func ReadImages(r io.Reader, max int) (*Images, error) {
	m, _, err := readImages(r, max)
	return m, err
}

// readImages is ReadImages that also returns how many images the file
// declares.
func readImages(r io.Reader, max int) (*Images, int, error) {
	r, err := maybeGunzip(r)
	if err != nil {
		return nil, 0, err
	}
	dims, err := header(r, magicImages, "image")
	if err != nil {
		return nil, 0, err
	}
	n, rows, cols := dims[0], dims[1], dims[2]
	if n < 1 || n > MaxItems || rows < 1 || rows > MaxSide || cols < 1 || cols > MaxSide || n*rows*cols > MaxBytes {
		return nil, 0, fmt.Errorf("idx: image file declares %d images of %d×%d; nnlab reads 1 to %d images of at most %d×%d (%d pixels)", n, rows, cols, MaxItems, MaxSide, MaxSide, MaxBytes)
	}
	if max > 0 && max < n {
		n = max
	}
	m := &Images{N: n, Rows: rows, Cols: cols, Pix: make([]byte, n*rows*cols)}
	if _, err := io.ReadFull(r, m.Pix); err != nil {
		return nil, 0, fmt.Errorf("idx: image file truncated: %d images of %d×%d declared: %w", dims[0], rows, cols, unexpected(err))
	}
	return m, dims[0], nil
}

// ReadLabels reads an IDX label file (magic 2049: a count, then one byte a
// label), gzip-compressed or not: at most the first max labels (all when
// max ≤ 0), each of which must be below classes.
func ReadLabels(r io.Reader, max, classes int) ([]byte, error) {
	r, err := maybeGunzip(r)
	if err != nil {
		return nil, err
	}
	dims, err := header(r, magicLabels, "label")
	if err != nil {
		return nil, err
	}
	n := dims[0]
	if n < 1 || n > MaxItems {
		return nil, fmt.Errorf("idx: label file declares %d labels; nnlab reads 1 to %d", n, MaxItems)
	}
	if max > 0 && max < n {
		n = max
	}
	l := make([]byte, n)
	if _, err := io.ReadFull(r, l); err != nil {
		return nil, fmt.Errorf("idx: label file truncated: %d labels declared: %w", dims[0], unexpected(err))
	}
	for i, v := range l {
		if int(v) >= classes {
			return nil, fmt.Errorf("idx: label %d of item %d is not a class 0…%d", v, i, classes-1)
		}
	}
	return l, nil
}

// unexpected turns io.EOF into io.ErrUnexpectedEOF (a file that ends
// early is truncated, not finished).
func unexpected(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}
