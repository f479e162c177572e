package residual

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Spirals returns n points of the two-class, two-arm spiral data set and
// their labels. Each arm winds turns times around the origin. Point i has
// class c = i mod 2 and, with t ~ U(0, 1) and ε₁, ε₂ ~ N(0, noise²),
//
//	r = 0.1 + 0.9·t,  θ = 2π·turns·t + c·π,
//	x = (r·cos θ + ε₁, r·sin θ + ε₂),
//
// so the arms start near the origin, interleave, and end on the unit circle.
// x is n×2, row-major. The same seed gives the same points.
func Spirals(n int, turns, noise float64, seed uint64) (x []float64, y []int, err error) {
	if n < 2 {
		return nil, nil, fmt.Errorf("residual: points must be ≥ 2, got %d", n)
	}
	if !(turns >= 0) || math.IsInf(turns, 0) {
		return nil, nil, fmt.Errorf("residual: turns must be a finite number ≥ 0, got %v", turns)
	}
	if !(noise >= 0) || math.IsInf(noise, 0) {
		return nil, nil, fmt.Errorf("residual: noise must be a finite number ≥ 0, got %v", noise)
	}
	rng := rand.New(rand.NewPCG(seed, 0x5350_4952_414c)) // "SPIRAL"
	x = make([]float64, 2*n)
	y = make([]int, n)
	for i := range y {
		c := i % 2
		t := rng.Float64()
		r := 0.1 + 0.9*t
		th := 2*math.Pi*turns*t + float64(c)*math.Pi
		x[2*i] = r*math.Cos(th) + noise*rng.NormFloat64()
		x[2*i+1] = r*math.Sin(th) + noise*rng.NormFloat64()
		y[i] = c
	}
	return x, y, nil
}
