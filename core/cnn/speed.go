package cnn

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/nnlab/nnlab/core/experiment"
)

// maxSpeedMACs bounds the conv_speed experiment's work: the direct and the
// reduced convolutions together, per timed run (at the engine's ~20–50
// GMAC/s of one core, a run of this many MACs takes 10–25 ms, and a few
// runs are timed).
const maxSpeedMACs = 500_000_000

// SpeedCase is one conv_speed run: a k×k convolution from Cin to Cout
// channels ('same' padding, stride 1, no bias) on an H×W input, direct and
// after a 1×1 reduction to Reduce channels.
type SpeedCase struct{ H, W, Cin, Cout, K, Reduce int }

// convs builds the direct convolution and the two of the reduced way.
func (s SpeedCase) convs() (direct, reduce, conv *Conv2d, err error) {
	if s.K%2 == 0 {
		return nil, nil, nil, experiment.Invalid([]string{"k"}, "rule.conv.k_odd", "k must be odd for 'same' padding ⌊k/2⌋, got {1}", s.K)
	}
	if direct, err = NewConv2d(s.Cin, s.Cout, s.K, s.K, 1, s.K/2, 1, 1, false); err != nil {
		return
	}
	if reduce, err = NewConv2d(s.Cin, s.Reduce, 1, 1, 1, 0, 1, 1, false); err != nil {
		return
	}
	conv, err = NewConv2d(s.Reduce, s.Cout, s.K, s.K, 1, s.K/2, 1, 1, false)
	return
}

// MACs returns the multiply-accumulates of the direct and the reduced way.
func (s SpeedCase) MACs() (direct, reduced int64, err error) {
	d, r, c, err := s.convs()
	if err != nil {
		return 0, 0, err
	}
	return d.MACs(1, s.H, s.W), r.MACs(1, s.H, s.W) + c.MACs(1, s.H, s.W), nil
}

func (s SpeedCase) check() error {
	d, r, err := s.MACs()
	if err != nil {
		return err
	}
	if d+r > maxSpeedMACs {
		return experiment.Invalid([]string{"cin", "cout", "k", "h", "w"}, "rule.conv_speed.macs",
			"the two ways take {1} multiply-accumulates a run; at most {2} are timed (make the input or the channels smaller)", int(d+r), int(maxSpeedMACs))
	}
	return nil
}

func speedExperiment() *experiment.Experiment {
	ip := experiment.IntParam
	kp := ip("k", 5, 1, 7, "kernel size (odd; 'same' padding ⌊k/2⌋)")
	kp.Step = 2
	rp := ip("reduce", 16, 1, 256, "channels of the 1×1 bottleneck")
	rp.Step, rp.Log = 2, true
	caseOf := func(v experiment.Values) SpeedCase {
		return SpeedCase{H: v.Int("h"), W: v.Int("w"), Cin: v.Int("cin"), Cout: v.Int("cout"), K: v.Int("k"), Reduce: v.Int("reduce")}
	}
	return &experiment.Experiment{
		Name:    "conv_speed",
		Summary: "A k×k convolution timed on this machine, direct and after a 1×1 bottleneck, beside the ratio of their multiply-accumulates.",
		Params: experiment.Schema{
			ip("h", 28, 1, 56, "input height"),
			ip("w", 28, 1, 56, "input width"),
			ip("cin", 192, 1, 512, "input channels"),
			ip("cout", 32, 1, 512, "output channels of the k×k convolution"),
			kp, rp,
		},
		Validate: func(v experiment.Values) error { return caseOf(v).check() },
		Heavy: func(v experiment.Values) bool {
			d, r, _ := caseOf(v).MACs()
			return d+r > 200_000_000
		},
		Run: func(ctx context.Context, v experiment.Values, _ experiment.Progress) (*experiment.Result, error) {
			s := caseOf(v)
			if err := s.check(); err != nil {
				return nil, err
			}
			direct, reduce, conv, err := s.convs()
			if err != nil {
				return nil, err
			}
			rng := rand.New(rand.NewPCG(24, 4))
			for _, c := range []*Conv2d{direct, reduce, conv} {
				for i := range c.Weight {
					c.Weight[i] = rng.NormFloat64()
				}
			}
			x, err := NewTensor(1, s.Cin, s.H, s.W)
			if err != nil {
				return nil, err
			}
			for i := range x.Data {
				x.Data[i] = rng.NormFloat64()
			}
			td, err := timeRuns(ctx, func() error { _, err := direct.Forward(x); return err })
			if err != nil {
				return nil, err
			}
			tr, err := timeRuns(ctx, func() error {
				y, err := reduce.Forward(x)
				if err != nil {
					return err
				}
				_, err = conv.Forward(y)
				return err
			})
			if err != nil {
				return nil, err
			}
			md, mr, _ := s.MACs()
			ms := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e6 }
			r := &experiment.Result{}
			r.AddScalar("direct_ms", "Direct k×k: measured time", ms(td), "ms")
			r.AddScalar("reduced_ms", "1×1 then k×k: measured time", ms(tr), "ms")
			r.AddScalar("measured_speedup", "Measured speed-up", ms(td)/ms(tr), "×")
			r.AddScalar("mac_ratio", "Predicted speed-up (ratio of MACs)", float64(md)/float64(mr), "×")
			r.AddScalar("efficiency", "Share of the predicted speed-up measured (measured ÷ predicted)", ms(td)/ms(tr)/(float64(md)/float64(mr)), "")
			r.AddScalar("direct_gmacs", "Direct: GMAC/s", float64(md)/float64(td.Nanoseconds()), "GMAC/s")
			r.AddScalar("reduced_gmacs", "Reduced: GMAC/s", float64(mr)/float64(tr.Nanoseconds()), "GMAC/s")
			r.Notes = append(r.Notes, fmt.Sprintf("MACs: direct %s, reduced %s; times: the fastest of repeated runs on this machine, one core", experiment.Number(float64(md)), experiment.Number(float64(mr))))
			return r, nil
		},
	}
}

// timeRuns runs f until about 20 ms have passed (3 to 50 runs) and returns
// the fastest run, in CPU time of the thread that ran it where the system
// has such a clock (cpuClock), else in wall-clock time.
func timeRuns(ctx context.Context, f func() error) (time.Duration, error) {
	now, done := cpuClock()
	defer done()
	best, spent := time.Duration(1<<62), time.Duration(0)
	for i := 0; i < 50 && (i < 3 || spent < 20*time.Millisecond); i++ {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		t0 := now()
		if err := f(); err != nil {
			return 0, err
		}
		d := now() - t0
		best, spent = min(best, d), spent+d
	}
	return best, nil
}

// wallClock is a monotonic clock of elapsed time, with nothing to release.
func wallClock() (now func() time.Duration, done func()) {
	t0 := time.Now()
	return func() time.Duration { return time.Since(t0) }, func() {}
}
