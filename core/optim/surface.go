package optim

import (
	"fmt"
	"math"
	"strings"
)

// Surface is a 2-D objective f(x, y) with a closed-form gradient, a window
// in which it is sensibly plotted, a suggested start, and its known minima.
type Surface struct {
	Name    string // identifier, one of SurfaceNames
	Formula string // f written out, e.g. "0.1·x² + 2·y²"
	// Window to plot: [XMin, XMax] × [YMin, YMax].
	XMin, XMax, YMin, YMax float64
	Start                  [2]float64   // a start that shows the surface's character
	Minima                 [][2]float64 // global minima; empty when f is unbounded below
	FMin                   float64      // f at the minima (0 when there are none)
	// Eigenvalues of the constant Hessian, ascending, for quadratic surfaces;
	// nil otherwise.
	Eigenvalues []float64
	// Note is a sentence about the surface a view may show (e.g. that a
	// saddle has no minimum); may be empty.
	Note string

	f    func(x, y float64) float64
	grad func(x, y float64) (float64, float64)
}

// F returns f(x, y).
func (s *Surface) F(x, y float64) float64 { return s.f(x, y) }

// Grad returns ∇f(x, y) = (∂f/∂x, ∂f/∂y).
func (s *Surface) Grad(x, y float64) (gx, gy float64) { return s.grad(x, y) }

// HasMinimum reports whether the surface has a (known) global minimum.
func (s *Surface) HasMinimum() bool { return len(s.Minima) > 0 }

// NearestMinimum returns the minimum closest to (x, y) and the Euclidean
// distance to it; ok is false when the surface has no minimum.
func (s *Surface) NearestMinimum(x, y float64) (m [2]float64, dist float64, ok bool) {
	dist = math.Inf(1)
	for _, p := range s.Minima {
		if d := math.Hypot(x-p[0], y-p[1]); d < dist {
			m, dist, ok = p, d, true
		}
	}
	return m, dist, ok
}

// surfaceNames lists the surfaces NewSurface builds.
var surfaceNames = []string{"quadratic", "rotated", "rosenbrock", "beale", "saddle"}

// SurfaceNames returns the names NewSurface accepts.
func SurfaceNames() []string { return append([]string(nil), surfaceNames...) }

// NewSurface builds a named surface. a and b (both > 0) are the quadratic
// coefficients of "quadratic" and "rotated"; angle (degrees) is the rotation
// of "rotated". The other surfaces ignore a, b and angle.
func NewSurface(name string, a, b, angle float64) (*Surface, error) {
	switch name {
	case "quadratic", "rotated":
		if !(a > 0) || math.IsInf(a, 0) {
			return nil, fmt.Errorf("optim: %s surface needs a > 0, got %v", name, a)
		}
		if !(b > 0) || math.IsInf(b, 0) {
			return nil, fmt.Errorf("optim: %s surface needs b > 0, got %v", name, b)
		}
		if name == "rotated" && (math.IsNaN(angle) || math.IsInf(angle, 0)) {
			return nil, fmt.Errorf("optim: rotated surface needs a finite angle, got %v", angle)
		}
		if name == "quadratic" {
			return Quadratic(a, b), nil
		}
		return Rotated(a, b, angle), nil
	case "rosenbrock":
		return Rosenbrock(), nil
	case "beale":
		return Beale(), nil
	case "saddle":
		return Saddle(), nil
	}
	return nil, fmt.Errorf("optim: unknown surface %q; known: %s", name, strings.Join(surfaceNames, ", "))
}

// Quadratic is f = a·x² + b·y² (d2l.ai's demo uses a = 0.1, b = 2), with
// ∇f = (2a·x, 2b·y), Hessian eigenvalues 2a and 2b and its minimum 0 at the
// origin. The window is d2l.ai's, x ∈ [−5.5, 1], y ∈ [−3, 1].
func Quadratic(a, b float64) *Surface {
	return &Surface{
		Name:    "quadratic",
		Formula: fmt.Sprintf("%s·x² + %s·y²", fmtCoef(a), fmtCoef(b)),
		XMin:    -5.5, XMax: 1, YMin: -3, YMax: 1,
		Start:       [2]float64{-5, -2},
		Minima:      [][2]float64{{0, 0}},
		Eigenvalues: sorted2(2*a, 2*b),
		f:           func(x, y float64) float64 { return a*x*x + b*y*y },
		grad:        func(x, y float64) (float64, float64) { return 2 * a * x, 2 * b * y },
	}
}

// Rotated is the quadratic a·u² + b·v² in axes turned by angle degrees:
// u = x·cos θ + y·sin θ, v = −x·sin θ + y·cos θ. Its Hessian has the same
// eigenvalues 2a and 2b as Quadratic(a, b) but eigenvectors off the axes,
// which matters to per-coordinate methods (Adagrad, RMSprop, Adam) and not
// to gradient descent or momentum.
func Rotated(a, b, angle float64) *Surface {
	sn, cs := math.Sincos(angle * math.Pi / 180)
	return &Surface{
		Name: "rotated",
		Formula: fmt.Sprintf("%s·u² + %s·v², (u, v) = (x, y) turned by %s°",
			fmtCoef(a), fmtCoef(b), fmtCoef(angle)),
		XMin: -6, XMax: 6, YMin: -4, YMax: 4,
		Start:       [2]float64{-5, -2},
		Minima:      [][2]float64{{0, 0}},
		Eigenvalues: sorted2(2*a, 2*b),
		f: func(x, y float64) float64 {
			u, v := cs*x+sn*y, -sn*x+cs*y
			return a*u*u + b*v*v
		},
		grad: func(x, y float64) (float64, float64) {
			u, v := cs*x+sn*y, -sn*x+cs*y
			gu, gv := 2*a*u, 2*b*v
			return cs*gu - sn*gv, sn*gu + cs*gv
		},
	}
}

// Rosenbrock is f = (1 − x)² + 100·(y − x²)², a curved valley with its
// minimum 0 at (1, 1).
func Rosenbrock() *Surface {
	return &Surface{
		Name:    "rosenbrock",
		Formula: "(1 − x)² + 100·(y − x²)²",
		XMin:    -2, XMax: 2, YMin: -1, YMax: 3,
		Start:  [2]float64{-1.5, 2},
		Minima: [][2]float64{{1, 1}},
		f: func(x, y float64) float64 {
			p, q := 1-x, y-x*x
			return p*p + 100*q*q
		},
		grad: func(x, y float64) (float64, float64) {
			q := y - x*x
			return -2*(1-x) - 400*x*q, 200 * q
		},
	}
}

// Beale is f = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²,
// with flat plateaus, steep walls and its minimum 0 at (3, 0.5).
func Beale() *Surface {
	return &Surface{
		Name:    "beale",
		Formula: "(1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²",
		XMin:    -4.5, XMax: 4.5, YMin: -4.5, YMax: 4.5,
		Start:  [2]float64{1, 1.5},
		Minima: [][2]float64{{3, 0.5}},
		f: func(x, y float64) float64 {
			t1, t2, t3 := 1.5-x+x*y, 2.25-x+x*y*y, 2.625-x+x*y*y*y
			return t1*t1 + t2*t2 + t3*t3
		},
		grad: func(x, y float64) (float64, float64) {
			y2 := y * y
			y3 := y2 * y
			t1, t2, t3 := 1.5-x+x*y, 2.25-x+x*y2, 2.625-x+x*y3
			gx := 2 * (t1*(y-1) + t2*(y2-1) + t3*(y3-1))
			gy := 2 * x * (t1 + 2*t2*y + 3*t3*y2)
			return gx, gy
		},
	}
}

// Saddle is f = x² − y². It has a stationary point at the origin that is
// not a minimum, and no minimum at all: f → −∞ along the y axis.
func Saddle() *Surface {
	return &Surface{
		Name:    "saddle",
		Formula: "x² − y²",
		XMin:    -2, XMax: 2, YMin: -2, YMax: 2,
		Start: [2]float64{-1.5, 0.01},
		Note:  "x² − y² has no minimum: the origin is a saddle point and f → −∞ along y, so no run converges to a minimum (a start exactly on y = 0 slides into the saddle point); distances and steps-to-tolerance are not reported.",
		f:     func(x, y float64) float64 { return x*x - y*y },
		grad:  func(x, y float64) (float64, float64) { return 2 * x, -2 * y },
	}
}

// sorted2 returns {p, q} in ascending order.
func sorted2(p, q float64) []float64 {
	if p > q {
		p, q = q, p
	}
	return []float64{p, q}
}

// fmtCoef prints a coefficient compactly (0.1, 2, 1e-05).
func fmtCoef(v float64) string { return fmt.Sprintf("%.4g", v) }
