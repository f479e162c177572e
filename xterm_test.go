package main

import (
	"bufio"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestInXterm starts nnlab as a learner does on a Linux desktop: in a real
// terminal emulator (Debian's xterm, under Xvfb), no flags, xterm's own
// TERM. It checks from screenshots that the first frame is drawn — the
// header bar in the colours the terminal's background calls for — and that
// q, typed with xdotool, ends it. NNLAB_SHOTS=DIR keeps the screenshots for
// a person to look at. Needs xterm, Xvfb, xdotool and ImageMagick's import
// (.ci/run installs them); skipped where any is missing.
func TestInXterm(t *testing.T) {
	if testing.Short() {
		t.Skip("starts X and xterm")
	}
	for _, tool := range []string{"xterm", "Xvfb", "xdotool", "import"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (apt-get install xterm xvfb xdotool imagemagick fonts-noto-cjk)", tool)
		}
	}
	display := startXvfb(t)
	bin := ptyBinary(t, "")
	shots := os.Getenv("NNLAB_SHOTS")
	for _, c := range []struct {
		name   string
		bg, fg string
		env    []string
		header func(r, g, b uint8) bool // a pixel of the header bar
	}{
		// xterm's TERM is "xterm": 16 colours, the header in reverse video
		// (the terminal's text colour as its background).
		{"light-16", "#ffffff", "#000000", nil, func(r, g, b uint8) bool { return r < 40 && g < 40 && b < 40 }},
		{"dark-16", "#000000", "#d0d0d0", nil, func(r, g, b uint8) bool { return r > 190 && g > 190 && b > 190 }},
		// 256 colours: the dark header's background is colour 24 (#005f87).
		{"dark-256", "#000000", "#d0d0d0", []string{"TERM=xterm-256color"}, func(r, g, b uint8) bool { return r < 10 && g > 85 && g < 105 && b > 125 && b < 145 }},
		// truecolor: the light header's #d0e0f5.
		{"light-truecolor", "#ffffff", "#000000", []string{"TERM=xterm-256color", "COLORTERM=truecolor"}, func(r, g, b uint8) bool {
			return r > 200 && r < 216 && g > 216 && g < 232 && b > 237
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			state := t.TempDir()
			title := "nnlab-xterm-" + c.name
			args := []string{"-T", title, "-geometry", "80x24+0+0", "-bg", c.bg, "-fg", c.fg, "+sb",
				"-xrm", "XTerm*directColor: true", "-fa", "DejaVu Sans Mono", "-fd", "Noto Sans CJK KR", "-fs", "11",
				"-e", "env"}
			args = append(append(args, c.env...), "LANG=C.UTF-8", bin, "--state-dir", state)
			xt := exec.Command("xterm", args...)
			xt.Env = append(os.Environ(), "DISPLAY="+display)
			if err := xt.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- xt.Wait() }()
			t.Cleanup(func() { _ = xt.Process.Kill() })
			start := time.Now()
			var shot image.Image
			for {
				shot = screenshot(t, display)
				if headerDrawn(shot, c.header) && windowShown(shot, c.bg) {
					break
				}
				if time.Since(start) > 20*time.Second {
					keep(t, shots, c.name+"-failed", shot)
					t.Fatalf("the header bar never appeared")
				}
				time.Sleep(100 * time.Millisecond)
			}
			t.Logf("%s: first frame seen after %v (screenshots poll every 100 ms)", c.name, time.Since(start).Round(10*time.Millisecond))
			keep(t, shots, c.name, shot)
			xdotool(t, display, "mousemove", "40", "40")
			xdotool(t, display, "key", "q")
			select {
			case <-exited:
			case <-time.After(10 * time.Second):
				keep(t, shots, c.name+"-after-q", screenshot(t, display))
				t.Fatalf("q did not end nnlab")
			}
		})
	}
}

// startXvfb starts an X server on a free display and returns its name.
func startXvfb(t *testing.T) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	x := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1280x800x24", "-nolisten", "tcp")
	x.ExtraFiles = []*os.File{w}
	if err := x.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() { _ = x.Process.Kill(); _ = x.Wait() })
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(r).ReadString('\n')
		line <- strings.TrimSpace(s)
	}()
	select {
	case n := <-line:
		if n == "" {
			t.Skip("Xvfb did not start")
		}
		return ":" + n
	case <-time.After(15 * time.Second):
		t.Skip("Xvfb did not start within 15 s")
	}
	return ""
}

// screenshot takes the whole screen.
func screenshot(t *testing.T, display string) image.Image {
	t.Helper()
	f := filepath.Join(t.TempDir(), "shot.png")
	cmd := exec.Command("import", "-window", "root", f)
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	fh, err := os.Open(f)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	img, err := png.Decode(fh)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// windowShown reports whether the window's background fills the middle of
// its first lines (Xvfb's own root window is black).
func windowShown(img image.Image, bg string) bool {
	want := uint8(0)
	if bg == "#ffffff" {
		want = 255
	}
	n := 0
	for x := 400; x < 600; x++ {
		r, g, b, _ := img.At(x, 60).RGBA()
		if uint8(r>>8) == want && uint8(g>>8) == want && uint8(b>>8) == want {
			n++
		}
	}
	if want == 0 { // black on black: look for text instead, any pixel lit
		return anyLit(img)
	}
	return n > 100
}

// anyLit reports whether the top left of the screen shows any light pixel
// below the first text row (text in the window).
func anyLit(img image.Image) bool {
	for y := 30; y < 200; y++ {
		for x := 0; x < 600; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if r>>8 > 120 || g>>8 > 120 || b>>8 > 120 {
				return true
			}
		}
	}
	return false
}

// headerDrawn reports whether the top text row holds a long run of header
// pixels: the bar across the window.
func headerDrawn(img image.Image, header func(r, g, b uint8) bool) bool {
	b := img.Bounds()
	for y := b.Min.Y + 2; y < b.Min.Y+14 && y < b.Max.Y; y++ {
		run, best := 0, 0
		for x := b.Min.X; x < b.Min.X+600 && x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if header(uint8(r>>8), uint8(g>>8), uint8(bl>>8)) {
				run++
				best = max(best, run)
			} else {
				run = 0
			}
		}
		if best > 300 {
			return true
		}
	}
	return false
}

func xdotool(t *testing.T, display string, args ...string) {
	t.Helper()
	cmd := exec.Command("xdotool", args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("xdotool %v: %v\n%s", args, err, out)
	}
}

// keep writes a screenshot into dir, if one is given.
func keep(t *testing.T, dir, name string, img image.Image) {
	if dir == "" || img == nil {
		return
	}
	f, err := os.Create(filepath.Join(dir, fmt.Sprintf("xterm-%s.png", name)))
	if err != nil {
		t.Log(err)
		return
	}
	defer f.Close()
	_ = png.Encode(f, img)
}
