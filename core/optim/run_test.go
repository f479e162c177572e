package optim

import (
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

func mustNew(t testing.TB, name string, c Config) Optimizer {
	t.Helper()
	o, err := New(name, c)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// TestRunGDClosedForm: SGD on a·x² + b·y² is x_k = (1 − 2a·lr)^k·x0,
// y_k = (1 − 2b·lr)^k·y0.
func TestRunGDClosedForm(t *testing.T) {
	for _, tt := range []struct{ a, b, lr float64 }{{0.1, 2, 0.4}, {0.1, 2, 0.1}, {1, 1, 0.3}, {0.5, 3, 0.05}} {
		s := Quadratic(tt.a, tt.b)
		tr, err := Run(context.Background(), s, mustNew(t, "sgd", Config{LR: tt.lr}), RunConfig{Start: [2]float64{-5, -2}, Steps: 40})
		if err != nil {
			t.Fatal(err)
		}
		if len(tr.Points) != 41 || len(tr.Loss) != 41 || tr.Diverged || tr.DivergedAt != 0 {
			t.Fatalf("got %d points, %d losses, diverged %v at %d", len(tr.Points), len(tr.Loss), tr.Diverged, tr.DivergedAt)
		}
		for k, p := range tr.Points {
			x := -5 * math.Pow(1-2*tt.a*tt.lr, float64(k))
			y := -2 * math.Pow(1-2*tt.b*tt.lr, float64(k))
			if !scalar.EqualWithinAbsOrRel(p[0], x, 1e-13, 1e-11) || !scalar.EqualWithinAbsOrRel(p[1], y, 1e-13, 1e-11) {
				t.Fatalf("a=%g b=%g lr=%g step %d: got %v, want (%g, %g)", tt.a, tt.b, tt.lr, k, p, x, y)
			}
			if !scalar.EqualWithinAbsOrRel(tr.Loss[k], tt.a*x*x+tt.b*y*y, 1e-13, 1e-10) {
				t.Fatalf("step %d: loss %g, want %g", k, tr.Loss[k], tt.a*x*x+tt.b*y*y)
			}
		}
	}
}

// TestRunNoise checks that noise is the PCG(seed, seed) Gaussian stream
// times σ, recovered from an SGD run as g_noisy − ∇f = (θ_k − θ_{k+1})/lr − ∇f(θ_k),
// and that equal seeds give equal runs and different seeds different ones.
func TestRunNoise(t *testing.T) {
	s := Quadratic(0.1, 2)
	const lr, sigma, steps = 0.01, 0.3, 2000
	run := func(seed uint64, noise float64) *Trajectory {
		tr, err := Run(context.Background(), s, mustNew(t, "sgd", Config{LR: lr}), RunConfig{Start: [2]float64{-5, -2}, Steps: steps, Noise: noise, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		return tr
	}
	a, b, c := run(7, sigma), run(7, sigma), run(8, sigma)
	for k := range a.Points {
		if a.Points[k] != b.Points[k] {
			t.Fatalf("same seed, different point at step %d", k)
		}
	}
	if a.Points[steps] == c.Points[steps] {
		t.Error("different seeds gave the same run")
	}
	rng := rand.New(rand.NewPCG(7, 7))
	var sum, sum2 float64
	for k := range steps {
		p, q := a.Points[k], a.Points[k+1]
		gx, gy := s.Grad(p[0], p[1])
		for d, g := range []float64{gx, gy} {
			got := (p[d]-q[d])/lr - g
			want := sigma * rng.NormFloat64()
			if !scalar.EqualWithinAbs(got, want, 1e-9) {
				t.Fatalf("step %d coord %d: noise %g, want %g", k, d, got, want)
			}
			sum += got
			sum2 += got * got
		}
	}
	n := float64(2 * steps)
	mean, sd := sum/n, math.Sqrt(sum2/n-(sum/n)*(sum/n))
	if math.Abs(mean) > 4*sigma/math.Sqrt(n) || math.Abs(sd-sigma) > 0.05*sigma {
		t.Errorf("noise mean %g, sd %g; want ≈ 0 and %g", mean, sd, sigma)
	}
	exact := run(7, 0)
	if want := -5 * math.Pow(1-2*0.1*lr, steps); !scalar.EqualWithinRel(exact.Points[steps][0], want, 1e-10) {
		t.Errorf("noise=0 run ends at x=%g, want %g", exact.Points[steps][0], want)
	}
}

// TestRunDivergence: SGD with lr = 1 on 0.1·x² + 2·y² multiplies y by −3 a
// step; the run must stop at the first step where |y| > 1e100 or f > 1e200
// and keep the points before it. Adagrad with eps = 0 started at the minimum
// computes 0/0 = NaN at step 1.
func TestRunDivergence(t *testing.T) {
	s := Quadratic(0.1, 2)
	tr, err := Run(context.Background(), s, mustNew(t, "sgd", Config{LR: 1}), RunConfig{Start: [2]float64{-5, -2}, Steps: 1000})
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for k := 1; want == 0; k++ {
		y := 2 * math.Pow(3, float64(k))
		x := 5 * math.Pow(0.8, float64(k))
		if y > MaxCoord || 0.1*x*x+2*y*y > MaxLoss {
			want = k
		}
	}
	if !tr.Diverged || tr.DivergedAt != want || len(tr.Points) != want || len(tr.Loss) != want {
		t.Errorf("diverged=%v at %d with %d points; want step %d with %d points", tr.Diverged, tr.DivergedAt, len(tr.Points), want, want)
	}
	for k, f := range tr.Loss {
		if !(math.Abs(f) <= MaxLoss) || math.Abs(tr.Points[k][1]) > MaxCoord {
			t.Errorf("kept step %d is not sane: %v, f=%g", k, tr.Points[k], f)
		}
	}

	ada := mustNew(t, "adagrad", Config{LR: 0.1, Exact: true})
	tr, err = Run(context.Background(), s, ada, RunConfig{Start: [2]float64{0, 0}, Steps: 10})
	if err != nil {
		t.Fatal(err)
	}
	if !tr.Diverged || tr.DivergedAt != 1 || len(tr.Points) != 1 {
		t.Errorf("adagrad eps=0 at the minimum: diverged=%v at %d with %d points; want NaN at step 1", tr.Diverged, tr.DivergedAt, len(tr.Points))
	}
}

func TestRunErrors(t *testing.T) {
	s := Quadratic(0.1, 2)
	o := mustNew(t, "sgd", Config{LR: 0.1})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, s, o, RunConfig{Start: [2]float64{1, 1}, Steps: 10000}); err == nil {
		t.Error("cancelled context: no error")
	}
	for _, tt := range []struct {
		rc   RunConfig
		want string
	}{
		{RunConfig{Steps: -1}, "steps"},
		{RunConfig{Steps: 5, Noise: math.NaN()}, "noise"},
		{RunConfig{Steps: 5, Noise: -1}, "noise"},
		{RunConfig{Steps: 5, Start: [2]float64{math.Inf(1), 0}}, "start"},
	} {
		if _, err := Run(context.Background(), s, o, tt.rc); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Run(%+v) error %v, want %q", tt.rc, err, tt.want)
		}
	}
	tr, err := Run(context.Background(), s, o, RunConfig{Start: [2]float64{1, 2}, Steps: 0})
	if err != nil || len(tr.Points) != 1 || tr.Points[0] != [2]float64{1, 2} || tr.Loss[0] != 8.1 {
		t.Errorf("zero steps: %+v, %v", tr, err)
	}
}

// The velocity a run records is PyTorch's momentum buffer: with no
// dampening, θ_k = θ_{k−1} − lr·buf_k, so buf_k = (θ_{k−1} − θ_k)/lr.
func TestVelocityIsTheBuffer(t *testing.T) {
	s, _ := NewSurface("quadratic", 0.1, 2, 0)
	c, _ := Defaults("momentum")
	c.LR, c.Momentum = 0.1, 0.9
	opt, _ := New("momentum", c)
	tr, err := Run(context.Background(), s, opt, RunConfig{Start: [2]float64{-5, -2}, Steps: 50})
	if err != nil || len(tr.Velocity) != len(tr.Points) {
		t.Fatalf("%v: %d velocities for %d points", err, len(tr.Velocity), len(tr.Points))
	}
	for k := 1; k < len(tr.Points); k++ {
		for i := range 2 {
			want := (tr.Points[k-1][i] - tr.Points[k][i]) / c.LR
			if got := tr.Velocity[k][i]; math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) {
				t.Fatalf("step %d, coordinate %d: velocity %v, (θ_{k−1} − θ_k)/lr = %v", k, i, got, want)
			}
		}
	}
	sc, _ := Defaults("sgd")
	sc.LR = 0.1
	sgd, _ := New("sgd", sc)
	if tr, _ := Run(context.Background(), s, sgd, RunConfig{Start: [2]float64{-5, -2}, Steps: 5}); tr.Velocity != nil {
		t.Error("plain SGD recorded a velocity")
	}
}
