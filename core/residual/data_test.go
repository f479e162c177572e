package residual

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/stat"
)

// TestSpiralsOnTheArms checks noise-free points against the closed form:
// with r = |x| and t = (r − 0.1)/0.9, the angle of x is 2π·turns·t + c·π
// (mod 2π) and r lies in [0.1, 1].
func TestSpiralsOnTheArms(t *testing.T) {
	for _, turns := range []float64{0, 0.75, 2} {
		x, y, err := Spirals(101, turns, 0, 3)
		if err != nil {
			t.Fatal(err)
		}
		for i, c := range y {
			if c != i%2 {
				t.Fatalf("turns=%v: label %d is %d, want %d", turns, i, c, i%2)
			}
			px, py := x[2*i], x[2*i+1]
			r := math.Hypot(px, py)
			if r < 0.1-1e-12 || r > 1+1e-12 {
				t.Errorf("turns=%v: point %d has radius %v, want within [0.1, 1]", turns, i, r)
			}
			th := 2*math.Pi*turns*(r-0.1)/0.9 + float64(c)*math.Pi
			// Compare directions: the unit vector at angle th.
			if !scalar.EqualWithinAbs(px, r*math.Cos(th), 1e-9) || !scalar.EqualWithinAbs(py, r*math.Sin(th), 1e-9) {
				t.Errorf("turns=%v: point %d = (%v, %v) is off its arm (angle %v)", turns, i, px, py, th)
			}
		}
	}
}

// TestSpiralsSeedAndNoise checks that a seed reproduces the data, another
// seed changes it, and the noise has the requested standard deviation.
func TestSpiralsSeedAndNoise(t *testing.T) {
	a, _, _ := Spirals(64, 0.75, 0.1, 1)
	b, _, _ := Spirals(64, 0.75, 0.1, 1)
	c, _, _ := Spirals(64, 0.75, 0.1, 2)
	if !slices.Equal(a, b) {
		t.Error("the same seed gave different points")
	}
	if slices.Equal(a, c) {
		t.Error("different seeds gave the same points")
	}
	// With turns = 0 each class lies on a ray along the x axis (θ = c·π),
	// so every y coordinate is the noise ε₂ alone.
	const n, noise = 20000, 0.2
	ray, _, _ := Spirals(n, 0, noise, 6)
	across := make([]float64, n)
	for i := range across {
		across[i] = ray[2*i+1]
	}
	sd := stat.StdDev(across, nil)
	// Standard error of a sample std is about σ/√(2n) = 0.001.
	if !scalar.EqualWithinAbs(sd, noise, 0.005) {
		t.Errorf("noise std = %v, want %v", sd, noise)
	}
}

// TestSpiralsErrors checks that bad arguments are refused with the
// parameter's name.
func TestSpiralsErrors(t *testing.T) {
	for _, tc := range []struct {
		n            int
		turns, noise float64
		want         string
	}{
		{1, 1, 0, "points"},
		{10, -1, 0, "turns"},
		{10, math.NaN(), 0, "turns"},
		{10, 1, -0.1, "noise"},
		{10, 1, math.Inf(1), "noise"},
	} {
		if _, _, err := Spirals(tc.n, tc.turns, tc.noise, 1); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Spirals(%d, %v, %v): error %v, want one naming %s", tc.n, tc.turns, tc.noise, err, tc.want)
		}
	}
}

// TestInitStd checks each scheme's weight standard deviation against its
// formula on a wide layer (sampling error of the std is about 0.6%), and the
// bounds and biases of the PyTorch default.
func TestInitStd(t *testing.T) {
	const depth, width = 2, 128
	for _, in := range Inits {
		n, err := NewNet(depth, width, 1, false)
		if err != nil {
			t.Fatal(err)
		}
		if err := n.Initialize(in, rand.New(rand.NewPCG(1, 2))); err != nil {
			t.Fatal(err)
		}
		for _, l := range []int{1, 2} { // width×width layers
			var ws []float64
			for _, row := range n.Weight(l) {
				ws = append(ws, row...)
			}
			var want float64
			switch in {
			case He:
				want = math.Sqrt(2.0 / width)
			case Xavier:
				want = math.Sqrt(2.0 / (width + width))
			case Small:
				want = 0.01
			case Torch:
				want = 1 / math.Sqrt(3.0*width)
			}
			if sd := math.Sqrt(stat.Variance(ws, nil)); !scalar.EqualWithinRel(sd, want, 0.03) {
				t.Errorf("%s layer %d: weight std %v, want %v", in, l, sd, want)
			}
			if got, _ := in.Std(width, width); !scalar.EqualWithinRel(got, want, 1e-15) {
				t.Errorf("%s.Std(%d, %d) = %v, want %v", in, width, width, got, want)
			}
			bound := 1 / math.Sqrt(width)
			for i, b := range n.Bias(l) {
				switch {
				case in != Torch && b != 0:
					t.Errorf("%s layer %d: bias %d = %v, want 0", in, l, i, b)
				case in == Torch && (b == 0 || math.Abs(b) > bound):
					t.Errorf("torch layer %d: bias %d = %v, want nonzero within ±%v", l, i, b, bound)
				}
			}
			if in == Torch {
				for _, w := range ws {
					if math.Abs(w) > bound {
						t.Fatalf("torch layer %d: weight %v outside ±%v", l, w, bound)
					}
				}
			}
		}
	}
	if _, err := Init("lecun").Std(1, 1); err == nil || !strings.Contains(err.Error(), "init") {
		t.Errorf("unknown init: error %v, want one naming init", err)
	}
}
