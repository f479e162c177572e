package optim

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
)

// Divergence thresholds: a run stops at the first point where a coordinate
// or the loss is not finite, |θ| > MaxCoord, or |f| > MaxLoss.
const (
	MaxCoord = 1e100
	MaxLoss  = 1e200
)

// RunConfig describes one optimizer run on a surface.
type RunConfig struct {
	Start [2]float64 // θ₀
	Steps int        // number of updates, ≥ 0
	// Noise is σ of the Gaussian noise added to every gradient component;
	// 0 for exact gradients.
	Noise float64
	// Seed seeds the noise generator (math/rand/v2 PCG(Seed, Seed)); equal
	// seeds give equal runs.
	Seed uint64
}

// Trajectory is the outcome of a run. Points[k] is θ after k steps
// (Points[0] is the start) and Loss[k] = f(Points[k]). Without divergence
// both hold Steps+1 entries. When the run diverged, DivergedAt is the step
// whose result was not finite or absurdly large, and the slices end at the
// last good point (DivergedAt entries); DivergedAt is 0 otherwise.
type Trajectory struct {
	Points [][2]float64
	Loss   []float64
	// Velocity[k] is the momentum buffer after k steps, for optimizers
	// that have one (nil otherwise); Velocity[0] is zero.
	Velocity   [][2]float64
	Diverged   bool
	DivergedAt int
}

// Final returns the last point and its loss.
func (t *Trajectory) Final() (p [2]float64, loss float64) {
	n := len(t.Points) - 1
	return t.Points[n], t.Loss[n]
}

// sane reports whether θ = (x, y) and f are finite and within the
// divergence thresholds.
func sane(x, y, f float64) bool {
	return math.Abs(x) <= MaxCoord && math.Abs(y) <= MaxCoord && math.Abs(f) <= MaxLoss
}

// ctxEvery is how many steps run between context checks.
const ctxEvery = 1024

// Run starts opt afresh (Reset) at rc.Start and applies rc.Steps updates
// with s's gradient (plus noise), stopping early on divergence. It returns
// an error only when ctx is done or the configuration is invalid.
func Run(ctx context.Context, s *Surface, opt Optimizer, rc RunConfig) (*Trajectory, error) {
	if rc.Steps < 0 {
		return nil, fmt.Errorf("optim: steps must be ≥ 0, got %d", rc.Steps)
	}
	if !(rc.Noise >= 0) || math.IsInf(rc.Noise, 0) {
		return nil, fmt.Errorf("optim: noise must be a finite number ≥ 0, got %v", rc.Noise)
	}
	x, y := rc.Start[0], rc.Start[1]
	f0 := s.F(x, y)
	if !sane(x, y, f0) {
		return nil, fmt.Errorf("optim: start (%v, %v) is not a finite point of %s", x, y, s.Name)
	}
	tr := &Trajectory{
		Points: make([][2]float64, 1, rc.Steps+1),
		Loss:   make([]float64, 1, rc.Steps+1),
	}
	tr.Points[0], tr.Loss[0] = rc.Start, f0
	var rng *rand.Rand
	if rc.Noise > 0 {
		rng = rand.New(rand.NewPCG(rc.Seed, rc.Seed))
	}
	opt.Reset()
	vel, hasVel := opt.(interface{ Velocity() ([]float64, bool) })
	moving := false // the optimizer has a velocity at all (momentum ≠ 0)
	if hasVel {
		tr.Velocity = make([][2]float64, 1, rc.Steps+1)
	}
	var buf [4]float64
	theta, grad := buf[0:2:2], buf[2:4:4]
	theta[0], theta[1] = x, y
	for k := 1; k <= rc.Steps; k++ {
		if k%ctxEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		grad[0], grad[1] = s.Grad(theta[0], theta[1])
		if rng != nil {
			grad[0] += rc.Noise * rng.NormFloat64()
			grad[1] += rc.Noise * rng.NormFloat64()
		}
		opt.Step(theta, grad)
		f := s.F(theta[0], theta[1])
		if !sane(theta[0], theta[1], f) {
			tr.Diverged, tr.DivergedAt = true, k
			break
		}
		tr.Points = append(tr.Points, [2]float64{theta[0], theta[1]})
		tr.Loss = append(tr.Loss, f)
		if hasVel {
			var z [2]float64
			if v, ok := vel.Velocity(); ok {
				z, moving = [2]float64{v[0], v[1]}, true
			}
			tr.Velocity = append(tr.Velocity, z)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if !moving {
		tr.Velocity = nil
	}
	return tr, nil
}
