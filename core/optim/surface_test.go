package optim

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
	"gonum.org/v1/gonum/mat"
)

func testSurfaces(t *testing.T) []*Surface {
	t.Helper()
	var out []*Surface
	for _, p := range []struct {
		name        string
		a, b, angle float64
	}{
		{"quadratic", 0.1, 2, 0}, {"quadratic", 3, 0.05, 0},
		{"rotated", 0.1, 2, 30}, {"rotated", 1, 5, -75}, {"rotated", 0.5, 0.5, 45},
		{"rosenbrock", 0, 0, 0}, {"beale", 0, 0, 0}, {"saddle", 0, 0, 0},
	} {
		s, err := NewSurface(p.name, p.a, p.b, p.angle)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// TestGradientFiniteDifferences compares each closed-form gradient with a
// central difference (f(p + h) − f(p − h))/(2h) at several points.
func TestGradientFiniteDifferences(t *testing.T) {
	points := [][2]float64{{-5, -2}, {0.3, -0.7}, {1.7, 2.2}, {-1.2, 1}, {3, 0.5}, {-4, 4}, {0.01, -3.3}}
	for _, s := range testSurfaces(t) {
		for _, p := range points {
			gx, gy := s.Grad(p[0], p[1])
			for d, got := range []float64{gx, gy} {
				h := 1e-6 * math.Max(1, math.Abs(p[d]))
				lo, hi := p, p
				lo[d] -= h
				hi[d] += h
				want := (s.F(hi[0], hi[1]) - s.F(lo[0], lo[1])) / (2 * h)
				// Central differences are accurate to O(h²·f''') plus
				// rounding ≈ ε·|f|/h.
				tol := 1e-13*math.Abs(s.F(p[0], p[1]))/h + 1e-8
				if !scalar.EqualWithinAbsOrRel(got, want, tol, 1e-6) {
					t.Errorf("%s %s at %v: ∂f/∂%c = %.10g, finite difference %.10g", s.Name, s.Formula, p, "xy"[d], got, want)
				}
			}
		}
	}
}

// TestMinima checks f(minimum) = FMin, ∇f = 0 there, that no sampled point
// is lower, and that the window holds the minima and the suggested start.
func TestMinima(t *testing.T) {
	for _, s := range testSurfaces(t) {
		if s.Start[0] < s.XMin || s.Start[0] > s.XMax || s.Start[1] < s.YMin || s.Start[1] > s.YMax {
			t.Errorf("%s: start %v outside its window", s.Name, s.Start)
		}
		if s.Name == "saddle" {
			if s.HasMinimum() || s.Note == "" || !strings.Contains(s.Note, "no minimum") {
				t.Errorf("saddle: HasMinimum=%v, note %q; it has no minimum", s.HasMinimum(), s.Note)
			}
			if _, _, ok := s.NearestMinimum(1, 1); ok {
				t.Error("saddle: NearestMinimum found a minimum")
			}
			if f := s.F(0, 1e3); f > -1e5 {
				t.Errorf("saddle: f(0, 1e3) = %g, want unbounded below", f)
			}
			continue
		}
		for _, m := range s.Minima {
			if m[0] < s.XMin || m[0] > s.XMax || m[1] < s.YMin || m[1] > s.YMax {
				t.Errorf("%s: minimum %v outside its window", s.Name, m)
			}
			if f := s.F(m[0], m[1]); !scalar.EqualWithinAbs(f, s.FMin, 1e-14) {
				t.Errorf("%s: f(%v) = %g, want %g", s.Name, m, f, s.FMin)
			}
			if gx, gy := s.Grad(m[0], m[1]); math.Hypot(gx, gy) > 1e-12 {
				t.Errorf("%s: ∇f(%v) = (%g, %g), want 0", s.Name, m, gx, gy)
			}
		}
		for i := range 41 {
			for j := range 41 {
				x := s.XMin + float64(i)*(s.XMax-s.XMin)/40
				y := s.YMin + float64(j)*(s.YMax-s.YMin)/40
				if f := s.F(x, y); f < s.FMin-1e-12 {
					t.Errorf("%s: f(%g, %g) = %g below the stated minimum %g", s.Name, x, y, f, s.FMin)
				}
			}
		}
	}
}

// TestQuadraticEigenvalues checks the stated Hessian eigenvalues (2a, 2b)
// against the eigenvalues of a Hessian built by differencing the gradient.
func TestQuadraticEigenvalues(t *testing.T) {
	for _, s := range testSurfaces(t) {
		if s.Eigenvalues == nil {
			continue
		}
		const h = 1e-3
		var H [4]float64
		for d := range 2 {
			p := [2]float64{0.7, -1.3}
			p[d] += h
			gx1, gy1 := s.Grad(p[0], p[1])
			p[d] -= 2 * h
			gx0, gy0 := s.Grad(p[0], p[1])
			H[0+d] = (gx1 - gx0) / (2 * h)
			H[2+d] = (gy1 - gy0) / (2 * h)
		}
		var eig mat.EigenSym
		sym := mat.NewSymDense(2, []float64{H[0], (H[1] + H[2]) / 2, (H[1] + H[2]) / 2, H[3]})
		if !eig.Factorize(sym, false) {
			t.Fatal("eigen decomposition failed")
		}
		got := eig.Values(nil) // ascending
		for i := range 2 {
			if !scalar.EqualWithinAbsOrRel(got[i], s.Eigenvalues[i], 1e-9, 1e-9) {
				t.Errorf("%s %s: Hessian eigenvalues %v, stated %v", s.Name, s.Formula, got, s.Eigenvalues)
			}
		}
	}
	if q := Quadratic(0.1, 2); q.Eigenvalues[0] != 0.2 || q.Eigenvalues[1] != 4 {
		t.Errorf("0.1·x² + 2·y²: eigenvalues %v, want [0.2 4]", q.Eigenvalues)
	}
}

func TestNewSurfaceErrors(t *testing.T) {
	tests := []struct {
		name        string
		a, b, angle float64
		want        string
	}{
		{"quadratic", 0, 2, 0, "a > 0"},
		{"quadratic", 0.1, -1, 0, "b > 0"},
		{"rotated", math.NaN(), 1, 0, "a > 0"},
		{"rotated", 1, math.Inf(1), 0, "b > 0"},
		{"rotated", 1, 1, math.NaN(), "angle"},
		{"himmelblau", 1, 1, 0, "unknown surface"},
	}
	for _, tt := range tests {
		if _, err := NewSurface(tt.name, tt.a, tt.b, tt.angle); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("NewSurface(%s, %g, %g, %g) error %v, want %q", tt.name, tt.a, tt.b, tt.angle, err, tt.want)
		}
	}
}
