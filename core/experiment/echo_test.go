package experiment

import (
	"math"
	"slices"
	"strings"
	"testing"
)

func TestEcho(t *testing.T) {
	for in, want := range map[string]string{
		"lr":                         `"lr"`,
		"\x1b]52;c;x\x07":            `"\x1b]52;c;x\a"`,
		strings.Repeat("a", 40):      `"` + strings.Repeat("a", 40) + `"`,
		strings.Repeat("a", 100_000): `"` + strings.Repeat("a", 40) + `"…`,
		strings.Repeat("가", 41):      `"` + strings.Repeat("가", 40) + `"…`,
	} {
		if got := Echo(in); got != want {
			t.Errorf("Echo(%.50q) = %.60q, want %.60q", in, got, want)
		}
	}
}

// Whole numbers in decimal notation only: not Go's hex floats, underscores
// or base prefixes, which ParseFloat reads.
func TestIntParseDecimalOnly(t *testing.T) {
	p := Param{Name: "n", Kind: Int, Default: 1, Min: -1e6, Max: 1e6}
	for in, want := range map[string]int{"16": 16, "+16": 16, "-16": -16, " 7 ": 7, "1e3": 1000, "2.5e3": 2500, "16.0": 16, "0": 0, "-0": 0} {
		if v, err := p.Parse(in); err != nil || v != want {
			t.Errorf("Parse(%q) = %v, %v; want %d", in, v, err, want)
		}
	}
	for _, in := range []string{"0x1p4", "0x10", "1_000", "0b11", "0o17", "inf", "NaN", "1.5", "1e", "", ".", "１６"} {
		if v, err := p.Parse(in); err == nil {
			t.Errorf("Parse(%q) = %v, want an error", in, v)
		}
	}
	f := Param{Name: "x", Kind: Float, Default: 0.0, Min: -10, Max: 10}
	for _, in := range []string{"0x1p-2", "1_0", "0x1"} {
		if v, err := f.Parse(in); err == nil {
			t.Errorf("float Parse(%q) = %v, want an error", in, v)
		}
	}
	if v, err := f.Parse(".5"); err != nil || v != 0.5 {
		t.Errorf("float Parse(.5) = %v, %v", v, err)
	}
}

func TestNegativeZeroPrintsAsZero(t *testing.T) {
	nz := math.Copysign(0, -1)
	if got := FormatNumber(nz); got != "0" {
		t.Errorf("FormatNumber(-0) = %q", got)
	}
	if got := Number(nz); got != "0" {
		t.Errorf("Number(-0) = %q", got)
	}
	for _, f := range []string{"", "int", ".2f", ".2e", "K", "%"} {
		if got, _ := FormatValue(nz, f); strings.HasPrefix(got, "-") {
			t.Errorf("FormatValue(-0, %q) = %q", f, got)
		}
	}
}

// TestUnknownNameShortList: a long list of known names is cut to the ones
// nearest to what was typed, with the count of all.
func TestUnknownNameShortList(t *testing.T) {
	known := []string{"adagrad_steps", "adam_bias", "adaptive", "block", "channel_mix", "compare", "conv", "conv1x1", "conv_speed", "feature_map", "gap_head", "inception", "model", "optimize", "residual"}
	e := &UnknownNameError{What: "experiment", Name: "optimise", Known: known}
	got := e.Shown()
	if len(got) != MaxShown/2+1 || got[0] != "optimize" || got[len(got)-1] != "… (15 in all)" {
		t.Errorf("Shown() = %q", got)
	}
	short := &UnknownNameError{What: "parameter", Name: "x", Known: known[:3]}
	if !slices.Equal(short.Shown(), known[:3]) {
		t.Errorf("a short list was cut: %q", short.Shown())
	}
}
