package fashion

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sync"

	"github.com/nnlab/nnlab/assets"
)

// Classes are Fashion-MNIST's ten labels, in label order.
var Classes = [10]string{"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"}

// The splits, by the prefix of their file names.
const (
	TrainSplit = "train"
	TestSplit  = "t10k"
)

// Sizes of the full set and of the embedded subset (the first images of
// each full file).
const (
	FullTrain     = 60000
	FullTest      = 10000
	EmbeddedTrain = 3000
	EmbeddedTest  = 1000
)

// DebianDir is where Debian's dataset-fashion-mnist puts the full set.
const DebianDir = "/usr/share/datasets/fashion-mnist"

// Set is a split's images with their labels.
type Set struct {
	*Images
	Labels []byte
}

// Source is a directory of Fashion-MNIST's IDX files, named as Zalando
// names them (train-images-idx3-ubyte, t10k-labels-idx1-ubyte, …, each
// with or without .gz).
type Source struct {
	FS   fs.FS
	Dir  string // the directory within FS ("." for its root)
	Name string // for messages: the embedded subset, or the path given
}

// Embedded is the subset built into nnlab.
func Embedded() Source {
	return Source{FS: assets.FashionMNIST, Dir: assets.FashionMNISTDir, Name: "the embedded subset"}
}

// Load reads a split (TrainSplit or TestSplit): its images and labels,
// which must be as many.
func (s Source) Load(split string) (*Set, error) {
	set, _, err := s.load(split, 0)
	return set, err
}

// load reads the first max images of a split and their labels (all when
// max ≤ 0) and returns how many images the file holds.
func (s Source) load(split string, max int) (*Set, int, error) {
	if split != TrainSplit && split != TestSplit {
		return nil, 0, fmt.Errorf("fashion: split must be %s or %s, got %q", TrainSplit, TestSplit, split)
	}
	open := func(base string) (fs.File, error) {
		f, err := s.FS.Open(path.Join(s.Dir, base+".gz"))
		if errors.Is(err, fs.ErrNotExist) {
			f, err = s.FS.Open(path.Join(s.Dir, base))
		}
		if err != nil {
			return nil, fmt.Errorf("fashion: %s: no %s or %s.gz: %w", s.Name, base, base, err)
		}
		return f, nil
	}
	f, err := open(split + "-images-idx3-ubyte")
	if err != nil {
		return nil, 0, err
	}
	im, total, err := readImages(f, max)
	f.Close()
	if err != nil {
		return nil, 0, fmt.Errorf("fashion: %s, %s images: %w", s.Name, split, err)
	}
	f, err = open(split + "-labels-idx1-ubyte")
	if err != nil {
		return nil, 0, err
	}
	lb, err := ReadLabels(f, max, len(Classes))
	f.Close()
	if err != nil {
		return nil, 0, fmt.Errorf("fashion: %s, %s labels: %w", s.Name, split, err)
	}
	if len(lb) != im.N {
		return nil, 0, fmt.Errorf("fashion: %s, %s: %d images but %d labels", s.Name, split, im.N, len(lb))
	}
	return &Set{Images: im, Labels: lb}, total, nil
}

// The source the experiments read (Use sets it) and its splits, loaded
// once each.
var (
	mu      sync.Mutex
	current = Embedded()
	loaded  = map[string]*Set{}
	// fallback: current was set by UseIfPresent and gives way to the
	// embedded subset if a split does not load.
	fallback bool
	// heads are the longest prefixes of the splits Head has read.
	heads = map[string]prefix{}
)

// prefix is the first images of a split read so far, and how many the
// file holds.
type prefix struct {
	set   *Set
	total int
}

// Use makes s the source of Test and Train, after checking that its test
// split loads (the caller reports a bad directory at once, in one line).
func Use(s Source) error {
	t, err := s.Load(TestSplit)
	if err != nil {
		return err
	}
	mu.Lock()
	defer mu.Unlock()
	current, loaded, fallback = s, map[string]*Set{TestSplit: t}, false
	heads = map[string]prefix{}
	return nil
}

// UseIfPresent makes s the source without reading it yet (for a directory
// found by looking, such as DebianDir): if a split of s does not load when
// first asked for, the embedded subset serves it and every later request.
func UseIfPresent(s Source) {
	mu.Lock()
	defer mu.Unlock()
	current, loaded, fallback = s, map[string]*Set{}, true
	heads = map[string]prefix{}
}

// Current is the source Test and Train read.
func Current() Source {
	mu.Lock()
	defer mu.Unlock()
	return current
}

// Test returns the current source's test split (loaded on first use).
func Test() (*Set, error) { return split(TestSplit) }

// Train returns the current source's training split (loaded on first use).
func Train() (*Set, error) { return split(TrainSplit) }

func split(name string) (*Set, error) {
	mu.Lock()
	defer mu.Unlock()
	if s, ok := loaded[name]; ok {
		return s, nil
	}
	s, err := current.Load(name)
	if err != nil && fallback {
		current, loaded, heads, fallback = Embedded(), map[string]*Set{}, map[string]prefix{}, false
		s, err = current.Load(name)
	}
	if err != nil {
		return nil, err
	}
	loaded[name] = s
	return s, nil
}

// Head returns at least the first n images of a split of the current
// source (all of them when it holds fewer) and how many the split holds,
// reading no further into the files than it must: a training run on the
// first 3,000 images of the full set does not decompress all 60,000. The
// longest prefix read is kept for later calls.
func Head(split string, n int) (*Set, int, error) {
	mu.Lock()
	defer mu.Unlock()
	if s, ok := loaded[split]; ok {
		return s, s.N, nil
	}
	if h, ok := heads[split]; ok && (h.set.N >= n || h.set.N == h.total) {
		return h.set, h.total, nil
	}
	s, total, err := current.load(split, max(n, 1))
	if err != nil && fallback {
		current, loaded, heads, fallback = Embedded(), map[string]*Set{}, map[string]prefix{}, false
		s, total, err = current.load(split, max(n, 1))
	}
	if err != nil {
		return nil, 0, err
	}
	heads[split] = prefix{s, total}
	return s, total, nil
}

// Count returns how many images a split of the current source holds
// (reading one image).
func Count(split string) (int, error) {
	_, n, err := Head(split, 1)
	return n, err
}
