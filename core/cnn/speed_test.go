package cnn

import (
	"errors"
	"math"
	"testing"

	"github.com/nnlab/nnlab/core/conv"
	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/core/experiment/experimenttest"
)

// TestConvSpeed checks conv_speed's predicted ratio against core/conv's
// count of the same bottleneck (GoogLeNet's 28×28×192 → 32, 5×5, reduce 16:
// 120.4M against 12.4M MACs), that both ways were timed, and that a shape
// beyond the timed budget or an even kernel is refused with its rule.
func TestConvSpeed(t *testing.T) {
	e := experimenttest.Named(t, Experiments(), "conv_speed")
	r := experimenttest.Run(t, e, nil, nil)
	experimenttest.CheckFinite(t, r)
	b, err := conv.CompareBottleneck(28, 28, 192, 32, 5, 16)
	if err != nil {
		t.Fatal(err)
	}
	want := float64(b.Direct.MACs) / float64(b.Reduced.MACs)
	if got := experimenttest.Scalar(t, r, "mac_ratio"); math.Abs(got-want) > 1e-12*want {
		t.Errorf("mac_ratio = %v, core/conv counts %v", got, want)
	}
	for _, k := range []string{"direct_ms", "reduced_ms", "measured_speedup", "direct_gmacs", "reduced_gmacs"} {
		if v := experimenttest.Scalar(t, r, k); !(v > 0) {
			t.Errorf("%s = %v", k, v)
		}
	}
	// efficiency is measured ÷ predicted, which is also the ratio of the
	// two ways' MAC rates.
	eff := experimenttest.Scalar(t, r, "efficiency")
	if m, p := experimenttest.Scalar(t, r, "measured_speedup"), experimenttest.Scalar(t, r, "mac_ratio"); math.Abs(eff-m/p) > 1e-12*eff {
		t.Errorf("efficiency %v, measured/predicted %v", eff, m/p)
	}
	if g := experimenttest.Scalar(t, r, "reduced_gmacs") / experimenttest.Scalar(t, r, "direct_gmacs"); math.Abs(eff-g) > 1e-9*eff {
		t.Errorf("efficiency %v, ratio of GMAC/s %v", eff, g)
	}
	var inv *experiment.InvalidError
	if _, err := e.Parse(map[string]string{"cin": "512", "cout": "512", "h": "56", "w": "56", "k": "7"}); !errors.As(err, &inv) || inv.Rule != "rule.conv_speed.macs" {
		t.Errorf("21G MACs: %v", err)
	}
	if _, err := e.Parse(map[string]string{"k": "4"}); !errors.As(err, &inv) || inv.Rule != "rule.conv.k_odd" {
		t.Errorf("k=4: %v", err)
	}
	if !e.IsHeavy(experiment.Values{"h": 56, "w": 56, "cin": 192, "cout": 64, "k": 5, "reduce": 16}) {
		t.Error("a 240M-MAC run is not heavy")
	}
}
