package quiz

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/core/fashion"
)

// Questions about a real image through a 3×3 kernel, as the feature_map
// experiment (lesson 3's real-image cell) computes it.

// imageKernels are feature_map's integer kernels, row-major, by name: their
// outputs on the image's 0–255 values are whole numbers.
var imageKernels = map[string][9]int{
	"identity": {0, 0, 0, 0, 1, 0, 0, 0, 0},
	"edge_x":   {-1, 0, 1, -2, 0, 2, -1, 0, 1},
	"edge_y":   {-1, -2, -1, 0, 0, 0, 1, 2, 1},
	"sharpen":  {0, -1, 0, -1, 5, -1, 0, -1, 0},
}

// matrix writes rows of numbers as [a b c; d e f; g h i].
func matrix(vals []int, w int) string {
	var rows []string
	for i := 0; i < len(vals); i += w {
		var cells []string
		for _, v := range vals[i : i+w] {
			cells = append(cells, fmt.Sprint(v))
		}
		rows = append(rows, strings.Join(cells, " "))
	}
	return "[" + strings.Join(rows, "; ") + "]"
}

func drawFeatureMapSize(r *rand.Rand, level int) map[string]any {
	s, p, d := 1, pick(r, 0, 1, 2), 1
	switch level {
	case 2:
		s, p = pick(r, 2, 3), r.IntN(3)
	case 3:
		s, p, d = pick(r, 1, 2, 3), r.IntN(4), pick(r, 2, 3)
	}
	return map[string]any{"image": r.IntN(fashion.EmbeddedTest), "kernel": pick(r, "edge_x", "edge_y", "blur", "sharpen"), "stride": s, "padding": p, "dilation": d}
}

func featureMapSize(v experiment.Values, _ int, _ string) Question {
	s, p, d := v.Int("stride"), v.Int("padding"), v.Int("dilation")
	const h, k = 28, 3
	ans := outSize(h, k, s, p, d)
	q := Question{Key: "out_h", Answer: float64(ans),
		Prompt: text("quiz.feature_map_size.prompt", v.Int("image"), v.String("kernel"), s, p, d)}
	q.Steps = []Text{
		formula("⌊(h + 2·padding − dilation·(k − 1) − 1) / stride⌋ + 1"),
		fill("⌊(%d + 2·%d − %d·(%d − 1) − 1) / %d⌋ + 1 = ⌊%d / %d⌋ + 1", h, p, d, k, s, h+2*p-d*(k-1)-1, s),
		result(int64(ans)),
	}
	if p > 0 {
		q.Slips = append(q.Slips, Slip{ID: "padding_dropped", Value: float64(outSize(h, k, s, 0, d))})
	}
	if d > 1 {
		q.Slips = append(q.Slips, Slip{ID: "dilation_ignored", Value: float64(outSize(h, k, s, p, 1))})
	}
	if s > 1 {
		q.Slips = append(q.Slips, Slip{ID: "stride_ignored", Value: float64(outSize(h, k, 1, p, d))})
		if n := h + 2*p - d*(k-1) - 1; n%s != 0 {
			q.Slips = append(q.Slips, Slip{ID: "ceil_not_floor", Value: float64(ans + 1)})
		}
	}
	return q
}

// window returns the side×side pixels of image index centred on (i, j),
// 0 outside the image (the padding), and whether it could read the image.
func window(index, i, j, side int) ([]int, bool) {
	set, err := fashion.Test()
	if err != nil || index < 0 || index >= set.N {
		return nil, false
	}
	img := set.Image(index)
	out := make([]int, 0, side*side)
	for y := i - side/2; y <= i+side/2; y++ {
		for x := j - side/2; x <= j+side/2; x++ {
			v := 0
			if y >= 0 && y < set.Rows && x >= 0 && x < set.Cols {
				v = int(img[y*set.Cols+x])
			}
			out = append(out, v)
		}
	}
	return out, true
}

func drawConvPixel(r *rand.Rand, level int) map[string]any {
	kernel, d := "edge_x", 1
	switch level {
	case 2:
		kernel = pick(r, "edge_y", "sharpen")
	case 3:
		kernel, d = pick(r, "edge_x", "edge_y", "sharpen"), 2
	}
	for {
		img, i, j := r.IntN(fashion.EmbeddedTest), 2+r.IntN(24), 2+r.IntN(24)
		px, ok := window(img, i, j, 2*d+1)
		if !ok {
			panic("quiz: the Fashion-MNIST test images do not load")
		}
		taps := dilatedTaps(px, d)
		nonzero := 0
		for _, v := range taps {
			if v != 0 {
				nonzero++
			}
		}
		kw := imageKernels[kernel]
		if a := dot(kw[:], taps); nonzero >= 5 && (a >= 20 || a <= -20) {
			return map[string]any{"image": img, "kernel": kernel, "stride": 1, "padding": d, "dilation": d, "row": i, "col": j}
		}
	}
}

// dilatedTaps picks the 3×3 taps at spacing d out of a (2d+1)² window.
func dilatedTaps(px []int, d int) []int {
	side := 2*d + 1
	out := make([]int, 0, 9)
	for p := 0; p < 3; p++ {
		for q := 0; q < 3; q++ {
			out = append(out, px[p*d*side+q*d])
		}
	}
	return out
}

func dot(a []int, b []int) int {
	s := 0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func convPixel(v experiment.Values, _ int, _ string) Question {
	kernel := v.String("kernel")
	kw, ok := imageKernels[kernel]
	s, p, d := v.Int("stride"), v.Int("padding"), v.Int("dilation")
	if !ok || s != 1 || p != d {
		return Question{} // refused by Kind.Build: the kernel's window must be centred on the pixel
	}
	i, j := v.Int("row"), v.Int("col")
	side := 2*d + 1
	px, ok := window(v.Int("image"), i, j, side)
	if !ok {
		return Question{}
	}
	taps := dilatedTaps(px, d)
	ans := dot(kw[:], taps)
	id := "quiz.conv_pixel.prompt"
	if d > 1 {
		id = "quiz.conv_pixel.prompt_dilated"
	}
	q := Question{Key: "pixel_raw", Answer: float64(ans),
		Prompt: text(id, v.Int("image"), kernel, matrix(kw[:], 3), i, j, matrix(px, side), d)}
	var terms []string
	for k, w := range kw {
		if w != 0 {
			terms = append(terms, fmt.Sprintf("(%d)·%d", w, taps[k]))
		}
	}
	q.Steps = []Text{note("quiz.note.cross_correlation")}
	if d > 1 {
		q.Steps = append(q.Steps, note("quiz.note.dilated_taps", d, matrix(taps, 3)))
	}
	q.Steps = append(q.Steps, fill("%s", strings.Join(terms, " + ")), result(int64(ans)))
	var flipped [9]int
	for k := range kw {
		flipped[k] = kw[8-k]
	}
	var transposed [9]int
	for k := range kw {
		transposed[k] = kw[k%3*3+k/3]
	}
	q.Slips = []Slip{{ID: "kernel_flipped", Value: float64(dot(flipped[:], taps))}, {ID: "kernel_transposed", Value: float64(dot(transposed[:], taps))}}
	if d > 1 {
		// The 3×3 around the pixel, as if the taps were next to each other.
		var inner []int
		for y := side/2 - 1; y <= side/2+1; y++ {
			inner = append(inner, px[y*side+side/2-1:y*side+side/2+2]...)
		}
		q.Slips = append(q.Slips, Slip{ID: "dilation_ignored", Value: float64(dot(kw[:], inner))})
	}
	q.Slips = append(q.Slips, Slip{ID: "divided_by_255", Value: float64(ans) / 255, Tolerance: 0.01})
	return q
}
