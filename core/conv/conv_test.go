package conv

import (
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/mat"

	"github.com/nnlab/nnlab/core/experiment/experimenttest"
)

type torchFixture struct {
	Torch     string    `json:"torch"`
	Cases     [][]int64 `json:"cases"`
	Pointwise struct {
		Cin, Cout, H, W int
		Weight          []float64 `json:"weight"`
		Bias            []float64 `json:"bias"`
		Input           []float64 `json:"input"`
		Output          []float64 `json:"output"`
	} `json:"pointwise"`
}

func loadFixture(t testing.TB) torchFixture {
	t.Helper()
	var f torchFixture
	experimenttest.LoadJSON(t, "testdata/torch_conv.json", &f)
	if len(f.Cases) < 1000 {
		t.Fatalf("fixture has only %d cases", len(f.Cases))
	}
	return f
}

// TestTorchGrid runs every configuration of the fixture written by
// testdata/gen_torch_conv.py: valid ones must give torch's output shape,
// parameter count (sum of p.numel()) and the independently computed MACs;
// the ones torch rejects must be errors.
func TestTorchGrid(t *testing.T) {
	f := loadFixture(t)
	var valid, invalid int
	for _, c := range f.Cases {
		h, w := int(c[0]), int(c[1])
		s := Spec{InChannels: int(c[2]), OutChannels: int(c[3]), KH: int(c[4]), KW: int(c[5]),
			Stride: int(c[6]), Pad: int(c[7]), Dilation: int(c[8]), Groups: int(c[9]), Bias: c[10] == 1}
		got, err := s.Cost(h, w)
		if c[15] == 0 {
			invalid++
			if err == nil {
				t.Errorf("%+v on %d×%d: torch raised, we gave %+v", s, h, w, got)
			}
			continue
		}
		valid++
		if err != nil {
			t.Errorf("%+v on %d×%d: torch accepted, we said %v", s, h, w, err)
			continue
		}
		want := Cost{OutH: int(c[11]), OutW: int(c[12]), Params: c[13], MACs: c[14]}
		if got != want {
			t.Errorf("%+v on %d×%d: got %+v, torch %+v", s, h, w, got, want)
		}
	}
	if valid < 500 || invalid < 500 {
		t.Errorf("grid too lopsided: %d valid, %d invalid", valid, invalid)
	}
}

func TestOutSizeClosedForm(t *testing.T) {
	for _, tc := range []struct{ in, k, s, p, d, want int }{
		{224, 7, 2, 3, 1, 112}, // ResNet conv1
		{56, 3, 1, 1, 1, 56},   // 'same'
		{56, 1, 2, 0, 1, 28},   // downsample
		{5, 3, 1, 0, 2, 1},     // dilated kernel spans 5
		{3, 7, 1, 0, 1, -3},    // does not fit: floor toward −∞
		{4, 7, 2, 0, 1, -1},    // ⌊−4/2⌋ + 1
		{5, 7, 3, 0, 1, 0},     // ⌊−2/3⌋ + 1 = −1 + 1
	} {
		if got := OutSize(tc.in, tc.k, tc.s, tc.p, tc.d); got != tc.want {
			t.Errorf("OutSize(%d, k=%d, s=%d, p=%d, d=%d) = %d, want %d", tc.in, tc.k, tc.s, tc.p, tc.d, got, tc.want)
		}
	}
}

func TestErrorsNameTheRule(t *testing.T) {
	base := New(4, 8, 3)
	for _, tc := range []struct {
		name string
		mod  func(*Spec)
		h    int
		want []string
	}{
		{"empty output", func(s *Spec) { s.KH, s.KW = 7, 7 }, 3, []string{"output would be empty", "h=3", "k=7", "pad=0"}},
		{"cin groups", func(s *Spec) { s.Groups = 3; s.OutChannels = 9 }, 8, []string{"in channels", "divisible by groups", "c_in=4", "groups=3"}},
		{"cout groups", func(s *Spec) { s.Groups = 4; s.OutChannels = 6 }, 8, []string{"out channels", "divisible by groups", "c_out=6"}},
		{"kernel", func(s *Spec) { s.KH = 0 }, 8, []string{"kernel height", "got 0"}},
		{"kernel width", func(s *Spec) { s.KW = 0 }, 8, []string{"kernel width", "got 0"}},
		{"stride", func(s *Spec) { s.Stride = 0 }, 8, []string{"stride", "from 1", "got 0"}},
		{"dilation", func(s *Spec) { s.Dilation = 0 }, 8, []string{"dilation", "got 0"}},
		{"padding", func(s *Spec) { s.Pad = -1 }, 8, []string{"pad", "negative", "got -1"}},
		{"groups", func(s *Spec) { s.Groups = 0 }, 8, []string{"groups must be ≥ 1", "got 0"}},
		{"cin", func(s *Spec) { s.InChannels = 0 }, 8, []string{"in channels", "got 0"}},
		{"cout", func(s *Spec) { s.OutChannels = 0 }, 8, []string{"out channels", "got 0"}},
		{"height", func(s *Spec) {}, 0, []string{"input height h", "got 0"}},
	} {
		s := base
		tc.mod(&s)
		_, err := s.Cost(tc.h, 8)
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not mention %q", tc.name, err, w)
			}
		}
	}
	// The empty-output error names the axis that is too small.
	s := New(1, 1, 5)
	if _, err := s.Cost(8, 2); err == nil || !strings.Contains(err.Error(), "w=2") {
		t.Errorf("narrow width: got %v", err)
	}
}

func TestCostOverflow(t *testing.T) {
	s := New(MaxChannels, MaxChannels, MaxKernel)
	s.Pad = MaxSize
	if _, err := s.Cost(MaxSize, MaxSize); err == nil || !strings.Contains(err.Error(), "overflows") {
		t.Errorf("huge layer: got %v, want an overflow error", err)
	}
}

func TestPointwiseTorch(t *testing.T) {
	p := loadFixture(t).Pointwise
	w := mat.NewDense(p.Cout, p.Cin, p.Weight)
	x := Tensor{C: p.Cin, H: p.H, W: p.W, Data: p.Input}
	for name, f := range map[string]func(mat.Matrix, []float64, Tensor) (Tensor, error){
		"direct": Pointwise, "matmul": PointwiseMatMul,
	} {
		y, err := f(w, p.Bias, x)
		if err != nil {
			t.Fatal(err)
		}
		if y.C != p.Cout || y.H != p.H || y.W != p.W {
			t.Fatalf("%s: shape %d×%d×%d", name, y.C, y.H, y.W)
		}
		if !floats.EqualApprox(y.Data, p.Output, 1e-12) {
			t.Errorf("%s: got %v, torch %v", name, y.Data, p.Output)
		}
	}
}

func TestPointwiseEqualsMatMul(t *testing.T) {
	for _, tc := range []struct{ cin, cout, h, w int }{{1, 1, 1, 1}, {3, 4, 4, 4}, {16, 5, 7, 3}, {64, 64, 9, 11}} {
		m, err := MixChannels(tc.cin, tc.cout, tc.h, tc.w, 42)
		if err != nil {
			t.Fatal(err)
		}
		if m.MaxAbsDiff > 1e-12 {
			t.Errorf("%+v: max |diff| = %g", tc, m.MaxAbsDiff)
		}
		// Check one output pixel against an explicit sum.
		o, y, x := tc.cout-1, tc.h/2, tc.w-1
		want := 0.0
		for i := 0; i < tc.cin; i++ {
			want += m.Weight.At(o, i) * m.Input.At(i, y, x)
		}
		if !scalar.EqualWithinAbsOrRel(m.Direct.At(o, y, x), want, 1e-12, 1e-12) {
			t.Errorf("%+v: y[%d,%d,%d] = %g, want %g", tc, o, y, x, m.Direct.At(o, y, x), want)
		}
	}
}

func TestPointwiseErrors(t *testing.T) {
	w := mat.NewDense(2, 3, nil)
	for _, tc := range []struct {
		name string
		b    []float64
		x    Tensor
		want string
	}{
		{"channels", nil, NewTensor(4, 2, 2), "3 input channels but the tensor has 4"},
		{"bias", []float64{1}, NewTensor(3, 2, 2), "bias has 1 entries"},
		{"data", nil, Tensor{C: 3, H: 2, W: 2, Data: make([]float64, 5)}, "needs 12 values"},
		{"empty", nil, Tensor{C: 3}, "sizes must be ≥ 1"},
	} {
		for _, f := range []func(mat.Matrix, []float64, Tensor) (Tensor, error){Pointwise, PointwiseMatMul} {
			if _, err := f(w, tc.b, tc.x); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s: got %v, want %q", tc.name, err, tc.want)
			}
		}
	}
}

func TestCompareBottleneck(t *testing.T) {
	// Reference: 28·28·32·5·5·192 ≈ 120.4M; 28·28·16·192 + 28·28·32·5·5·16 ≈ 12.4M.
	b, err := CompareBottleneck(28, 28, 192, 32, 5, 16)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		got, want int64
	}{
		{"direct.macs", b.Direct.MACs, 28 * 28 * 32 * 5 * 5 * 192},
		{"reduce.macs", b.Reduce.MACs, 28 * 28 * 16 * 192},
		{"conv.macs", b.Conv.MACs, 28 * 28 * 32 * 5 * 5 * 16},
		{"reduced.macs", b.Reduced.MACs, 28*28*16*192 + 28*28*32*5*5*16},
		{"direct.params", b.Direct.Params, 5 * 5 * 192 * 32},
		{"reduced.params", b.Reduced.Params, 192*16 + 5*5*16*32},
	} {
		if tc.got != tc.want {
			t.Errorf("%s = %d, want %d", tc.name, tc.got, tc.want)
		}
	}
	if !scalar.EqualWithinAbsOrRel(float64(b.Direct.MACs), 120.4e6, 0, 1e-3) || !scalar.EqualWithinAbsOrRel(float64(b.Reduced.MACs), 12.4e6, 0, 5e-3) {
		t.Errorf("direct %d, reduced %d: want ≈120.4M and ≈12.4M", b.Direct.MACs, b.Reduced.MACs)
	}
	if b.Direct.OutH != 28 || b.Direct.OutW != 28 {
		t.Errorf("'same' padding gave %d×%d", b.Direct.OutH, b.Direct.OutW)
	}
	if _, err := CompareBottleneck(28, 28, 192, 32, 4, 16); err == nil || !strings.Contains(err.Error(), "k must be odd") {
		t.Errorf("even k: %v", err)
	}
	if _, err := CompareBottleneck(28, 28, 192, 32, 5, -1); err == nil || !strings.Contains(err.Error(), "reduce") {
		t.Errorf("negative reduce: %v", err)
	}
	n, _ := CompareBottleneck(28, 28, 192, 32, 5, 0)
	if n.Reduced != n.Direct {
		t.Errorf("reduce=0: reduced %+v != direct %+v", n.Reduced, n.Direct)
	}
}
