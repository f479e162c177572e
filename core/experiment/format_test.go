package experiment

import (
	"math"
	"strings"
	"testing"
)

func TestNumber(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		want string
	}{
		{25557032, "25,557,032"}, {-1234, "-1,234"}, {0, "0"}, {0.5, "0.5"}, {0.123456, "0.1235"},
		{1.5e-7, "1.500e-07"}, {123456.7, "1.235e+05"}, {math.NaN(), "NaN"}, {math.Inf(1), "+Inf"},
	} {
		if got := Number(tc.v); got != tc.want {
			t.Errorf("Number(%v) = %q, want %q", tc.v, got, tc.want)
		}
	}
}

func TestFormatValue(t *testing.T) {
	for _, tc := range []struct {
		x      float64
		format string
		want   string
	}{
		{25557032, "int", "25,557,032"},
		{-1234.6, "int", "-1,235"},
		{0.4, "int", "0"},
		{-0.4, "int", "0"},
		{1e20, "int", "100,000,000,000,000,000,000"},
		{0.40212, ".3f", "0.402"},
		{2, ".0f", "2"},
		{-0.0001, ".2f", "0.00"},
		{123456.7, ".2e", "1.23e+05"},
		{120.4e6, "M", "120.4M"},
		{120_449_999, "M", "120.4M"},
		{3e6, "M", "3.0M"},
		{25557032, "K", "25557.0K"},
		{4.1e9, "G", "4.1G"},
		{0.402, "%", "40.2%"},
		{1.5, "%", "150.0%"},
		{25557032, "", "25,557,032"},
		{0.123456, "", "0.1235"},
		{1.5e-7, "", "1.500e-07"},
		{math.NaN(), ".3f", "NaN"},
		{math.Inf(1), "int", "+Inf"},
		{math.Inf(-1), "M", "-Inf"},
	} {
		got, err := FormatValue(tc.x, tc.format)
		if err != nil || got != tc.want {
			t.Errorf("FormatValue(%v, %q) = %q, %v; want %q", tc.x, tc.format, got, err, tc.want)
		}
	}
	// Without a format, numbers print as the report prints them.
	for _, x := range []float64{0, 1, -7.25, 1e-9, 123456.789, 9.99e14, 1e15} {
		if got, _ := FormatValue(x, ""); got != Number(x) {
			t.Errorf("FormatValue(%v) = %q, Number %q", x, got, Number(x))
		}
	}
	for _, bad := range []string{"x", ".f", ".16f", ".-1f", ".+1f", "d", "%%", ".3g", " int"} {
		if _, err := FormatValue(1, bad); err == nil || !strings.Contains(err.Error(), "unknown format") {
			t.Errorf("format %q: got %v", bad, err)
		}
	}
}

// TestTickLabels: one format per axis, labels that differ, exact round values.
func TestTickLabels(t *testing.T) {
	for _, tc := range []struct {
		vs   []float64
		log  bool
		want string
	}{
		{[]float64{0, 0.5, 1}, false, "0.0 0.5 1.0"},
		{[]float64{0, 0.2, 0.4, 0.6000000000000001, 0.8}, false, "0.0 0.2 0.4 0.6 0.8"},
		{[]float64{0, 1000, 2000, 5000}, false, "0 1,000 2,000 5,000"},
		{[]float64{1, 10, 100}, true, "1 10 100"}, // not 1e+02 beside 10
		{[]float64{1, 2, 5, 10, 20, 50, 100}, true, "1 2 5 10 20 50 100"},
		{[]float64{0.001, 0.002, 0.005}, true, "0.001 0.002 0.005"},
		{[]float64{1e-6, 1e-4, 0.01, 1}, true, "1e-06 1e-04 1e-02 1e+00"},
		{[]float64{0, 2e5, 4e5}, false, "0 2e+05 4e+05"},
		{[]float64{1.5e5, 2e5, 2.5e5}, false, "1.5e+05 2.0e+05 2.5e+05"},
		{[]float64{0.25, 0.5, 0.75}, false, "0.25 0.50 0.75"},
		{[]float64{-1, 0, 1}, false, "-1 0 1"},
	} {
		if got := strings.Join(TickLabels(tc.vs, tc.log), " "); got != tc.want {
			t.Errorf("TickLabels(%v, log=%v) = %q, want %q", tc.vs, tc.log, got, tc.want)
		}
	}
	// Values closer than the format shows get the decimals that tell them apart.
	got := TickLabels([]float64{0.0010001, 0.0010002}, false)
	if got[0] == got[1] {
		t.Errorf("labels of different values read the same: %q", got)
	}
}
