package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// Bad usage of help and completion is one line naming the right command,
// and exit 2, like every other command's.
func TestHelpAndCompletionUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"help", "xx"}, "nnlab help: no command xx; commands: "},
		{[]string{"help", "run", "extra"}, "nnlab help: run has no command extra"},
		{[]string{"completion", "xx"}, `nnlab completion: unknown shell "xx"; shells: bash, fish, powershell, zsh`},
		{[]string{"completion", "bash", "extra"}, `nnlab completion bash: takes no arguments, got "extra"`},
		{[]string{"completion", "zsh", "--json"}, "nnlab completion zsh: unknown flag --json"},
	} {
		code, out, errOut := run(tc.args...)
		if code != 2 || out != "" || !strings.HasPrefix(errOut, tc.want) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v: code %d, stdout %q, stderr %q; want exit 2 and one line starting %q", tc.args, code, out, errOut, tc.want)
		}
	}
}

// An error line never carries a terminal escape or a long value: values
// are quoted with their escapes written out and cut to 40 characters.
func TestErrorLinesAreShort(t *testing.T) {
	long := strings.Repeat("x", 100_000)
	for _, args := range [][]string{
		{"run", "square", "x=" + long},
		{"run", "square", long},
		{"run", long},
		{"open", long},
		{"render", long},
		{"quiz", "--kind", long},
		{"quiz", "--seed", long},
		{"run", "square", "x=\x1b]52;c;cHduZWQ=\x07"},
		{"open", "\x1b[2J\u202Eevil"},
		{"help", long},
		{"completion", long},
		{long},
	} {
		code, out, errOut := runIn("", args...)
		if code != 2 || out != "" || strings.Count(errOut, "\n") != 1 || len(errOut) > 400 || strings.ContainsAny(errOut, "\x1b\x07\u202E") {
			t.Errorf("%.60q: code %d, stdout %.60q, stderr (%d bytes) %.400q", args, code, out, len(errOut), errOut)
		}
	}
}

// Whole-number parameters take decimal notation only; -0 prints as 0.
func TestWholeNumbersAndNegativeZero(t *testing.T) {
	for _, v := range []string{"0x1p4", "1_000", "0x10", "inf", "NaN", "1e400", "0b11", "1.5"} {
		if code, _, errOut := runIn("", "run", "optimize", "steps="+v); code != 2 || !strings.Contains(errOut, "steps must be a whole number") {
			t.Errorf("steps=%s: code %d, %q", v, code, errOut)
		}
	}
	for _, v := range []string{"16", "+16", "1e1", "16.0"} {
		if code, _, errOut := runIn("", "run", "optimize", "steps="+v); code != 0 {
			t.Errorf("steps=%s: code %d, %q", v, code, errOut)
		}
	}
	code, out, errOut := runIn("", "run", "optimize", "x0=-0", "steps=2")
	if code != 0 || !strings.Contains(out, " x0=0 ") || strings.Contains(out, "-0 ") {
		t.Errorf("x0=-0: code %d, %q %q", code, out, errOut)
	}
}

// A --plain answer line over 64 KiB is refused with one line, and the quiz
// goes on to take the next (it ended the quiz before, as if input ended).
func TestQuizPlainLongLine(t *testing.T) {
	_, js, _ := runIn("", "quiz", "--json", "--seed", "7", "--count", "2", "--kind", "conv_params", "--level", "1")
	var qs []struct{ Answer float64 }
	json.Unmarshal([]byte(js), &qs)
	for _, long := range []string{strings.Repeat("9", 70_000), strings.Repeat("가", 30_000), strings.Repeat("x", 64<<10+1)} {
		in := long + "\n" + jsonNumber(qs[0].Answer) + "\r\n" + jsonNumber(qs[1].Answer) // the last line without a newline
		code, out, errOut := runIn(in, "quiz", "--plain", "--seed", "7", "--count", "2", "--kind", "conv_params", "--level", "1", "--lang", "en")
		if code != 0 || errOut != "" || len(out) > 10_000 {
			t.Fatalf("code %d, stderr %q, %d bytes out", code, errOut, len(out))
		}
		if !strings.Contains(out, "that line is longer than 64 KiB") || !strings.Contains(out, "Score: 2 of 2 right") {
			t.Errorf("got:\n%s", out)
		}
	}
	// A line of exactly 64 KiB is read as an answer (and is not a number).
	in := strings.Repeat("x", 64<<10) + "\n"
	_, out, _ := runIn(in, "quiz", "--plain", "--seed", "7", "--count", "2", "--kind", "conv_params", "--level", "1", "--lang", "en")
	if !strings.Contains(out, "not a number") || strings.Contains(out, "longer than") {
		t.Errorf("a 64 KiB line:\n%.500s", out)
	}
}
