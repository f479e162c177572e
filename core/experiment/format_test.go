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
