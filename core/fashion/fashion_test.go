package fashion

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// The first ten labels of each split, as Zalando's files hold them
// (the test split starts Ankle boot, Pullover, Trouser, Trouser, Shirt, …).
var (
	firstTestLabels  = []byte{9, 2, 1, 1, 6, 1, 4, 6, 5, 7}
	firstTrainLabels = []byte{9, 0, 0, 3, 0, 2, 7, 2, 5, 5}
)

// SHA-256 of the pixels of the first 1,000 test and 3,000 training images
// of the full files (Debian's dataset-fashion-mnist).
const (
	testPixSHA  = "8d46efb2efae7259de048298adb99140d06082b91c430833a54d7ce30f21c9c9"
	trainPixSHA = "3bbcd710c35b580a44d480a6769c75a674d77ed30db75c69438666facc24f185"
)

func sum(b []byte) string { h := sha256.Sum256(b); return hex.EncodeToString(h[:]) }

// TestEmbedded checks the embedded subset: its sizes, its first labels and
// that its pixels are the first images of the full files.
func TestEmbedded(t *testing.T) {
	for _, tc := range []struct {
		split  string
		n      int
		labels []byte
		sha    string
	}{{TestSplit, EmbeddedTest, firstTestLabels, testPixSHA}, {TrainSplit, EmbeddedTrain, firstTrainLabels, trainPixSHA}} {
		s, err := Embedded().Load(tc.split)
		if err != nil {
			t.Fatal(err)
		}
		if s.N != tc.n || s.Rows != 28 || s.Cols != 28 || len(s.Labels) != tc.n {
			t.Errorf("%s: %d images of %d×%d, %d labels; want %d of 28×28", tc.split, s.N, s.Rows, s.Cols, len(s.Labels), tc.n)
		}
		if !bytes.Equal(s.Labels[:10], tc.labels) {
			t.Errorf("%s: first labels %v, want %v", tc.split, s.Labels[:10], tc.labels)
		}
		if got := sum(s.Pix); got != tc.sha {
			t.Errorf("%s: pixels hash %s, want %s", tc.split, got, tc.sha)
		}
	}
}

// TestFullSetMatchesEmbedded checks, where Debian's full set is installed,
// that image i of the embedded test subset is image i of the full file.
func TestFullSetMatchesEmbedded(t *testing.T) {
	if _, err := os.Stat(DebianDir); err != nil {
		t.Skip("dataset-fashion-mnist is not installed")
	}
	full, err := Source{FS: os.DirFS(DebianDir), Dir: ".", Name: DebianDir}.Load(TestSplit)
	if err != nil {
		t.Fatal(err)
	}
	sub, err := Embedded().Load(TestSplit)
	if err != nil {
		t.Fatal(err)
	}
	if full.N != FullTest {
		t.Fatalf("full test split has %d images, want %d", full.N, FullTest)
	}
	if !bytes.Equal(full.Pix[:len(sub.Pix)], sub.Pix) || !bytes.Equal(full.Labels[:sub.N], sub.Labels) {
		t.Error("the embedded test subset is not the start of the full file")
	}
}

// idxFile builds an IDX file with the given magic and dimensions.
func idxFile(magic uint32, dims []uint32, body []byte) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.BigEndian, magic)
	for _, d := range dims {
		binary.Write(&b, binary.BigEndian, d)
	}
	b.Write(body)
	return b.Bytes()
}

func gz(b []byte) []byte {
	var out bytes.Buffer
	w := gzip.NewWriter(&out)
	w.Write(b)
	w.Close()
	return out.Bytes()
}

// TestReadRawAndGzip reads the same small files raw and compressed.
func TestReadRawAndGzip(t *testing.T) {
	pix := []byte{0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255}
	img := idxFile(magicImages, []uint32{2, 2, 3}, pix)
	lab := idxFile(magicLabels, []uint32{2}, []byte{9, 0})
	for _, z := range []bool{false, true} {
		files := fstest.MapFS{}
		name := func(s string) string {
			if z {
				return "d/" + s + ".gz"
			}
			return "d/" + s
		}
		pick := func(b []byte) []byte {
			if z {
				return gz(b)
			}
			return b
		}
		files[name("t10k-images-idx3-ubyte")] = &fstest.MapFile{Data: pick(img)}
		files[name("t10k-labels-idx1-ubyte")] = &fstest.MapFile{Data: pick(lab)}
		s, err := Source{FS: files, Dir: "d", Name: "test dir"}.Load(TestSplit)
		if err != nil {
			t.Fatalf("gzip=%v: %v", z, err)
		}
		if s.N != 2 || s.Rows != 2 || s.Cols != 3 || !bytes.Equal(s.Image(1), pix[6:]) || !slices.Equal(s.Labels, []byte{9, 0}) {
			t.Errorf("gzip=%v: got %+v %v", z, *s.Images, s.Labels)
		}
	}
	m, err := ReadImages(bytes.NewReader(img), 1)
	if err != nil || m.N != 1 || len(m.Pix) != 6 {
		t.Errorf("max 1: %v %v", m, err)
	}
}

// TestHostileFiles checks that damaged or hostile files are refused with
// one line, without reading past what they declare.
func TestHostileFiles(t *testing.T) {
	for _, tc := range []struct {
		name   string
		data   []byte
		labels bool
		want   string
	}{
		{"empty", nil, false, "shorter than a header"},
		{"magic", idxFile(0x0803_0000, []uint32{1, 1, 1}, []byte{0}), false, "not an IDX image file"},
		{"labels as images", idxFile(magicLabels, []uint32{1}, []byte{0}), false, "not an IDX image file"},
		{"huge", idxFile(magicImages, []uint32{1 << 30, 28, 28}, nil), false, "declares 1073741824 images"},
		{"wide", idxFile(magicImages, []uint32{1, 1 << 20, 1}, nil), false, "declares 1 images of 1048576×1"},
		{"zero", idxFile(magicImages, []uint32{0, 28, 28}, nil), false, "declares 0 images"},
		{"truncated", idxFile(magicImages, []uint32{2, 2, 2}, []byte{1, 2, 3}), false, "truncated"},
		{"truncated gzip", gz(idxFile(magicImages, []uint32{2, 2, 2}, []byte{1, 2, 3}))[:20], false, "truncated"},
		{"short header", []byte{0, 0, 8, 3, 0, 0}, false, "too short"},
		{"bad gzip", []byte{0x1f, 0x8b, 0, 0, 0}, false, "gzip"},
		{"label 10", idxFile(magicLabels, []uint32{2}, []byte{3, 10}), true, "label 10 of item 1"},
		{"labels truncated", idxFile(magicLabels, []uint32{3}, []byte{3}), true, "truncated"},
	} {
		var err error
		if tc.labels {
			_, err = ReadLabels(bytes.NewReader(tc.data), 0, 10)
		} else {
			_, err = ReadImages(bytes.NewReader(tc.data), 0)
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %v, want one line with %q", tc.name, err, tc.want)
		}
	}
	// Images and labels that disagree in number.
	files := fstest.MapFS{
		"t10k-images-idx3-ubyte": {Data: idxFile(magicImages, []uint32{2, 1, 1}, []byte{1, 2})},
		"t10k-labels-idx1-ubyte": {Data: idxFile(magicLabels, []uint32{1}, []byte{1})},
	}
	if _, err := (Source{FS: files, Dir: ".", Name: "x"}).Load(TestSplit); err == nil || !strings.Contains(err.Error(), "2 images but 1 labels") {
		t.Errorf("mismatched counts: %v", err)
	}
	if _, err := (Source{FS: fstest.MapFS{}, Dir: ".", Name: "empty dir"}).Load(TestSplit); err == nil || !strings.Contains(err.Error(), "no t10k-images-idx3-ubyte") {
		t.Errorf("missing files: %v", err)
	}
	if err := Use(Source{FS: fstest.MapFS{}, Dir: ".", Name: "empty dir"}); err == nil {
		t.Error("Use accepted a directory without the files")
	}
	if Current().Name != Embedded().Name {
		t.Error("a failed Use changed the source")
	}
	// A directory found by looking that turns out empty gives way to the
	// embedded subset.
	UseIfPresent(Source{FS: fstest.MapFS{}, Dir: ".", Name: "empty dir"})
	if s, err := Test(); err != nil || s.N != EmbeddedTest || Current().Name != Embedded().Name {
		t.Errorf("UseIfPresent of an empty directory: %v images, %v, source %q", s, err, Current().Name)
	}
}

// Head reads a prefix of a split — its images and labels those of the
// whole split — reports how many the split holds, and grows the prefix
// when asked for more; Count is the split's size.
func TestHead(t *testing.T) {
	full, err := Embedded().Load(TrainSplit)
	if err != nil {
		t.Fatal(err)
	}
	UseIfPresent(Embedded()) // a fresh cache
	for _, n := range []int{10, 5, 100, EmbeddedTrain + 50} {
		s, total, err := Head(TrainSplit, n)
		if err != nil {
			t.Fatal(err)
		}
		if total != EmbeddedTrain || s.N < min(n, EmbeddedTrain) {
			t.Errorf("Head(%d): %d images of %d", n, s.N, total)
		}
		if !bytes.Equal(s.Pix, full.Pix[:len(s.Pix)]) || !bytes.Equal(s.Labels, full.Labels[:s.N]) {
			t.Errorf("Head(%d): the prefix differs from the split's first images", n)
		}
	}
	if n, err := Count(TestSplit); err != nil || n != EmbeddedTest {
		t.Errorf("Count(test) = %d, %v; want %d", n, err, EmbeddedTest)
	}
}
