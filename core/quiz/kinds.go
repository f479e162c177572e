package quiz

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/nnlab/nnlab/core/experiment"
)

// The kinds of question. Each kind draws a spec for its experiment at a
// level and builds the question from the checked values of a spec — drawn,
// or fixed by a lesson author. The builders compute the answer with their
// own closed forms; tests check them against the experiment run on the
// spec.
var kinds = []Kind{
	{ID: "momentum_step", Experiment: "optimize", Keys: []string{"momentum.effective_lr"}, draw: drawMomentumStep, build: momentumStep},
	{ID: "heavy_ball", Experiment: "momentum_rates", Keys: []string{"momentum.optimal_beta", "momentum.optimal_lr", "momentum.optimal_rate"}, draw: drawHeavyBall, build: heavyBall},
	{ID: "momentum_limit", Experiment: "momentum_rates", Keys: []string{"gd.max_lr", "momentum.max_lr", "nesterov.max_lr"}, draw: drawMomentumLimit, build: momentumLimit},
	{ID: "adagrad_rate", Experiment: "adagrad_steps", Keys: []string{"eff_lr"}, draw: drawAdagradRate, build: adagradRate},
	{ID: "adam_step", Experiment: "adam_bias", Keys: []string{"step1_corrected", "step1_uncorrected", "step1_ratio"}, draw: drawAdamStep, build: adamStep},
	{ID: "conv_params", Experiment: "conv", Keys: []string{"params"}, draw: drawConvParams, build: convParams},
	{ID: "conv_out", Experiment: "conv", Keys: []string{"out_h"}, draw: drawConvOut, build: convOut},
	{ID: "conv_macs", Experiment: "conv", Keys: []string{"macs"}, draw: drawConvMACs, build: convMACs},
	{ID: "reduce_saving", Experiment: "conv1x1", Keys: []string{"saved.params", "saved.macs"}, draw: drawReduceSaving, build: reduceSaving},
	{ID: "receptive_field", Experiment: "receptive_field", Keys: []string{"rf"}, draw: drawReceptiveField, build: receptiveField},
	{ID: "feature_map_size", Experiment: "feature_map", Keys: []string{"out_h"}, draw: drawFeatureMapSize, build: featureMapSize},
	{ID: "conv_pixel", Experiment: "feature_map", Keys: []string{"pixel_raw"}, draw: drawConvPixel, build: convPixel},
	{ID: "compare", Experiment: "compare", Keys: []string{"larger"}, draw: drawCompare, build: compareLayers},
	{ID: "inception", Experiment: "inception", Keys: []string{"out_channels", "params", "macs"}, draw: drawInception, build: inceptionModule},
	{ID: "block", Experiment: "block", Keys: []string{"params"}, draw: drawBlock, build: resBlock},
	{ID: "stage", Experiment: "model", Keys: []string{"layer1.params", "layer2.params", "layer3.params", "layer4.params"}, draw: drawStage, build: resStage},
	{ID: "model", Experiment: "model", Keys: []string{"params"}, draw: drawModel, build: wholeModel},
}

// Step texts: a formula, the numbers filled in, the result.
func formula(f string, args ...any) Text { return text("quiz.step.formula", fmt.Sprintf(f, args...)) }
func fill(f string, args ...any) Text    { return text("quiz.step.fill", fmt.Sprintf(f, args...)) }
func result(v int64) Text                { return text("quiz.step.result", Count(v)) }

// note is a step in words: a message id and its arguments.
func note(id string, args ...any) Text { return text(id, args...) }

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// convLayer describes a conv layer in a prompt: language-neutral code.
func convLayer(k, cin, cout, stride, pad, dilation, groups int, bias bool) string {
	s := fmt.Sprintf("Conv2d(%d, %d, kernel_size=%d", cin, cout, k)
	if stride != 1 {
		s += fmt.Sprintf(", stride=%d", stride)
	}
	if pad != 0 {
		s += fmt.Sprintf(", padding=%d", pad)
	}
	if dilation != 1 {
		s += fmt.Sprintf(", dilation=%d", dilation)
	}
	if groups != 1 {
		s += fmt.Sprintf(", groups=%d", groups)
	}
	if !bias {
		s += ", bias=False"
	}
	return s + ")"
}

// conv is a conv experiment's values.
type conv struct{ h, w, cin, cout, k, s, p, d, g int }

func convOf(v experiment.Values) conv {
	return conv{v.Int("h"), v.Int("w"), v.Int("cin"), v.Int("cout"), v.Int("k"), v.Int("stride"), v.Int("pad"), v.Int("dilation"), v.Int("groups")}
}

func convSpec(h, cin, cout, k, s, p, d, g int, bias bool) map[string]any {
	return map[string]any{"h": h, "w": h, "cin": cin, "cout": cout, "k": k, "stride": s, "pad": p, "dilation": d, "groups": g, "bias": bias}
}

// outSize is torch.nn.Conv2d's output size, for valid inputs (≥ 0 inside).
func outSize(h, k, s, p, d int) int { return (h+2*p-d*(k-1)-1)/s + 1 }

func drawConvParams(r *rand.Rand, level int) map[string]any {
	switch level {
	case 1:
		k := pick(r, 1, 3, 5)
		return convSpec(32, pick(r, 3, 16, 32, 64), pick(r, 16, 32, 64, 128), k, 1, k/2, 1, 1, false)
	case 2:
		k := pick(r, 1, 3, 5, 7)
		return convSpec(32, pick(r, 3, 32, 64, 128, 256), pick(r, 32, 64, 128, 256), k, 1, k/2, 1, 1, true)
	}
	k, bias := pick(r, 3, 5, 7), r.IntN(2) == 0
	if r.IntN(3) == 0 { // depthwise
		c := pick(r, 32, 64, 128, 256)
		return convSpec(32, c, c, k, 1, k/2, 1, c, bias)
	}
	g := pick(r, 2, 4, 8)
	return convSpec(32, g*pick(r, 4, 8, 16, 32), g*pick(r, 4, 8, 16, 32), k, 1, k/2, 1, g, bias)
}

func convParams(v experiment.Values, _ int, _ string) Question {
	c, bias := convOf(v), v.Bool("bias")
	w := int64(c.cout) * int64(c.cin/c.g) * int64(c.k*c.k)
	ans := w + b2i(bias)*int64(c.cout)
	id := "quiz.conv_params.prompt"
	if !bias {
		id = "quiz.conv_params.prompt_nobias"
	}
	q := Question{Key: "params", Answer: float64(ans), Prompt: text(id, convLayer(c.k, c.cin, c.cout, c.s, c.p, c.d, c.g, bias))}
	f, fl := "c_out·c_in·k²", fmt.Sprintf("%d·%d·%d²", c.cout, c.cin, c.k)
	if c.g > 1 {
		f, fl = "c_out·(c_in/groups)·k²", fmt.Sprintf("%d·(%d/%d)·%d²", c.cout, c.cin, c.g, c.k)
	}
	if bias {
		f, fl = f+" + c_out", fl+fmt.Sprintf(" + %d", c.cout)
		q.Slips = append(q.Slips, Slip{ID: "bias_forgotten", Value: float64(w)})
	} else {
		q.Slips = append(q.Slips, Slip{ID: "bias_added", Value: float64(ans + int64(c.cout))})
	}
	q.Steps = []Text{formula("%s", f), fill("%s", fl), result(ans)}
	if c.g > 1 {
		q.Slips = append(q.Slips, Slip{ID: "groups_ignored", Value: float64(int64(c.cout)*int64(c.cin)*int64(c.k*c.k) + b2i(bias)*int64(c.cout))})
	}
	if c.k > 1 {
		q.Slips = append(q.Slips, Slip{ID: "k_not_squared", Value: float64(int64(c.cout)*int64(c.cin/c.g)*int64(c.k) + b2i(bias)*int64(c.cout))})
	}
	return q
}

func drawConvOut(r *rand.Rand, level int) map[string]any {
	for {
		h, k, s, p, d := pick(r, 28, 32, 56, 64, 112, 224), pick(r, 1, 3, 5, 7), 1, 0, 1
		switch level {
		case 2:
			s, p = pick(r, 2, 3), r.IntN(4)
		case 3:
			k, s, p, d = pick(r, 3, 5), pick(r, 1, 2), r.IntN(5), pick(r, 2, 3)
		}
		if h+2*p-d*(k-1)-1 >= 0 {
			return convSpec(h, 3, 8, k, s, p, d, 1, false)
		}
	}
}

func convOut(v experiment.Values, _ int, _ string) Question {
	c := convOf(v)
	ans := outSize(c.h, c.k, c.s, c.p, c.d)
	q := Question{Key: "out_h", Answer: float64(ans),
		Prompt: text("quiz.conv_out.prompt", c.h, c.w, fmt.Sprintf("k=%d, stride=%d, padding=%d, dilation=%d", c.k, c.s, c.p, c.d))}
	q.Steps = []Text{
		formula("⌊(h + 2·pad − dilation·(k − 1) − 1) / stride⌋ + 1"),
		fill("⌊(%d + 2·%d − %d·(%d − 1) − 1) / %d⌋ + 1 = ⌊%d / %d⌋ + 1", c.h, c.p, c.d, c.k, c.s, c.h+2*c.p-c.d*(c.k-1)-1, c.s),
		result(int64(ans)),
	}
	if c.p > 0 && c.h-c.d*(c.k-1)-1 >= 0 {
		q.Slips = append(q.Slips, Slip{ID: "padding_dropped", Value: float64(outSize(c.h, c.k, c.s, 0, c.d))})
	}
	if c.d > 1 {
		q.Slips = append(q.Slips, Slip{ID: "dilation_ignored", Value: float64(outSize(c.h, c.k, c.s, c.p, 1))})
	}
	if c.s > 1 {
		q.Slips = append(q.Slips, Slip{ID: "stride_ignored", Value: float64(outSize(c.h, c.k, 1, c.p, c.d))})
		if n := c.h + 2*c.p - c.d*(c.k-1) - 1; n%c.s != 0 {
			q.Slips = append(q.Slips, Slip{ID: "ceil_not_floor", Value: float64(ans + 1)})
		}
	}
	return q
}

func drawConvMACs(r *rand.Rand, level int) map[string]any {
	h, cin, cout := pick(r, 7, 14, 28, 56), pick(r, 16, 32, 64, 128), pick(r, 16, 32, 64, 128)
	switch level {
	case 1:
		return convSpec(h, cin, cout, 1, 1, 0, 1, 1, false)
	case 2:
		k := pick(r, 3, 5, 7)
		return convSpec(h, cin, cout, k, 1, k/2, 1, 1, false)
	}
	k, g := pick(r, 3, 5), 1
	if r.IntN(2) == 0 {
		g = pick(r, 2, 4)
	}
	return convSpec(pick(r, 28, 56, 112), cin, cout, k, 2, k/2, 1, g, false)
}

func convMACs(v experiment.Values, _ int, _ string) Question {
	c := convOf(v)
	oh, ow := outSize(c.h, c.k, c.s, c.p, c.d), outSize(c.w, c.k, c.s, c.p, c.d)
	per := int64(c.cout) * int64(c.cin/c.g) * int64(c.k*c.k)
	ans := int64(oh*ow) * per
	q := Question{Key: "macs", Answer: float64(ans), Prompt: text("quiz.conv_macs.prompt", convLayer(c.k, c.cin, c.cout, c.s, c.p, c.d, c.g, v.Bool("bias")), c.h, c.w)}
	if oh != c.h || ow != c.w {
		q.Steps = append(q.Steps, note("quiz.note.out_size", oh, ow))
	}
	f, fl := "out_h·out_w·c_out·c_in·k²", fmt.Sprintf("%d·%d·%d·%d·%d²", oh, ow, c.cout, c.cin, c.k)
	if c.g > 1 {
		f, fl = "out_h·out_w·c_out·(c_in/groups)·k²", fmt.Sprintf("%d·%d·%d·(%d/%d)·%d²", oh, ow, c.cout, c.cin, c.g, c.k)
	}
	q.Steps = append(q.Steps, formula("%s", f), fill("%s", fl), result(ans))
	q.Slips = []Slip{{ID: "flops", Value: float64(2 * ans)}}
	if oh != c.h || ow != c.w {
		q.Slips = append(q.Slips, Slip{ID: "input_size", Value: float64(int64(c.h*c.w) * per)})
	}
	if c.g > 1 {
		q.Slips = append(q.Slips, Slip{ID: "groups_ignored", Value: float64(int64(oh*ow) * int64(c.cout) * int64(c.cin) * int64(c.k*c.k))})
	}
	return q
}

func drawReduceSaving(r *rand.Rand, level int) map[string]any {
	s := map[string]any{"h": 28, "w": 28, "cin": pick(r, 192, 256, 480, 512), "cout": pick(r, 32, 48, 64, 96, 128), "k": 5, "reduce": pick(r, 16, 24, 32, 48, 64)}
	switch level {
	case 2:
		s["k"] = pick(r, 3, 5)
	case 3:
		s["h"], s["w"], s["k"] = pick(r, 14, 28, 56), pick(r, 14, 28, 56), pick(r, 3, 5, 7)
	}
	return s
}

func reduceSaving(v experiment.Values, level int, key string) Question {
	h, w, cin, cout, k, red := v.Int("h"), v.Int("w"), v.Int("cin"), v.Int("cout"), v.Int("k"), v.Int("reduce")
	if key == "" {
		key = "saved.params"
		if level >= 2 {
			key = "saved.macs"
		}
	}
	direct := int64(cin) * int64(cout) * int64(k*k)
	reduced := direct
	if red > 0 {
		reduced = int64(cin)*int64(red) + int64(red)*int64(cout)*int64(k*k)
	}
	px, id := int64(1), "quiz.reduce_saving.params"
	if key == "saved.macs" {
		px, id = int64(h*w), "quiz.reduce_saving.macs"
	}
	ans := px * (direct - reduced)
	q := Question{Key: key, Answer: float64(ans), Prompt: text(id, h, w, cin, k, k, cout, red)}
	q.Steps = []Text{note("quiz.note.direct", Count(px*direct)), note("quiz.note.reduced", Count(px*reduced))}
	if px > 1 {
		q.Steps = append(q.Steps, formula("h·w·(c_in·c_out·k² − (c_in·r + r·c_out·k²))"),
			fill("%d·%d·(%d·%d·%d² − (%d·%d + %d·%d·%d²))", h, w, cin, cout, k, cin, red, red, cout, k))
		q.Slips = append(q.Slips, Slip{ID: "flops", Value: float64(2 * ans)})
	} else {
		q.Steps = append(q.Steps, formula("c_in·c_out·k² − (c_in·r + r·c_out·k²)"),
			fill("%d·%d·%d² − (%d·%d + %d·%d·%d²)", cin, cout, k, cin, red, red, cout, k))
	}
	q.Steps = append(q.Steps, result(ans))
	q.Slips = append(q.Slips, Slip{ID: "one_stage_only", Value: float64(px * (direct - int64(red)*int64(cout)*int64(k*k)))})
	// The lesson's "saving" is a ratio, direct ÷ reduced; typed for this
	// difference it is explained, at the precision a ratio is given in.
	q.Slips = append(q.Slips, Slip{ID: "ratio_not_difference", Value: float64(direct) / float64(reduced), Tolerance: 0.05})
	return q
}

func drawReceptiveField(r *rand.Rand, level int) map[string]any {
	n := 2 + r.IntN(2)
	if level > 1 {
		n = 3 + r.IntN(2)
	}
	s := map[string]any{"n": n}
	for i := 1; i <= n; i++ {
		k, st, d := 3, 1, 1
		switch level {
		case 2:
			k, st = pick(r, 3, 5), pick(r, 1, 2)
		case 3:
			k, st, d = pick(r, 3, 5), pick(r, 1, 2), pick(r, 1, 2, 4)
		}
		s[fmt.Sprintf("k%d", i)], s[fmt.Sprintf("s%d", i)], s[fmt.Sprintf("d%d", i)] = k, st, d
	}
	return s
}

func receptiveField(v experiment.Values, _ int, _ string) Question {
	var desc, f []string
	// The slips: 1 + Σ(k−1)·d ignores the strides (every jump 1);
	// 1 + Σ(k−1)·jump ignores the dilation alone (every d 1).
	rf, jump, noStride, noDil := 1, 1, 1, 1
	for i := 1; i <= v.Int("n"); i++ {
		k, s, d := v.Int(fmt.Sprintf("k%d", i)), v.Int(fmt.Sprintf("s%d", i)), v.Int(fmt.Sprintf("d%d", i))
		l := fmt.Sprintf("%d×%d/s%d", k, k, s)
		if d > 1 {
			l += fmt.Sprintf("/d%d", d)
		}
		desc = append(desc, l)
		f = append(f, fmt.Sprintf("(%d−1)·%d·%d", k, d, jump))
		rf += (k - 1) * d * jump
		noStride += (k - 1) * d
		noDil += (k - 1) * jump
		jump *= s
	}
	q := Question{Key: "rf", Answer: float64(rf), Prompt: text("quiz.receptive_field.prompt", strings.Join(desc, " → ")),
		Steps: []Text{formula("r = 1 + Σᵢ (kᵢ − 1)·dᵢ·(s₁·…·sᵢ₋₁)"), fill("1 + %s", strings.Join(f, " + ")), result(int64(rf))}}
	q.Slips = []Slip{{ID: "strides_ignored", Value: float64(noStride)}, {ID: "dilation_ignored", Value: float64(noDil)}}
	return q
}

// layerCost is one side of a compare question.
func layerCost(v experiment.Values, l string) (desc string, val int64) {
	k, cin, cout, g, s, h := v.Int("k"+l), v.Int("cin"+l), v.Int("cout"+l), v.Int("groups"+l), v.Int("stride"+l), v.Int("h")
	val = int64(cout) * int64(cin/g) * int64(k*k)
	if v.String("measure") == "macs" {
		o := outSize(h, k, s, k/2, 1)
		val *= int64(o * o)
	}
	return convLayer(k, cin, cout, s, k/2, 1, g, false), val
}

func drawCompare(r *rand.Rand, level int) map[string]any {
	measure := "params"
	if level >= 2 {
		measure = "macs"
	}
	for {
		s := map[string]any{"h": 56, "measure": measure}
		for _, l := range []string{"1", "2"} {
			s["k"+l], s["cin"+l], s["cout"+l], s["groups"+l], s["stride"+l] = pick(r, 1, 3, 5, 7), pick(r, 32, 64, 128, 256), pick(r, 32, 64, 128, 256), 1, 1
			if level >= 2 {
				s["stride"+l] = pick(r, 1, 2)
			}
			if level == 3 && r.IntN(2) == 0 {
				s["groups"+l] = pick(r, 2, 4, 8)
			}
		}
		v := experiment.Values(s)
		if _, a := layerCost(v, "1"); func() bool { _, b := layerCost(v, "2"); return a != b }() {
			return s
		}
	}
}

func compareLayers(v experiment.Values, _ int, _ string) Question {
	da, va := layerCost(v, "1")
	db, vb := layerCost(v, "2")
	ans := 0
	switch {
	case va > vb:
		ans = 1
	case vb > va:
		ans = 2
	}
	q := Question{Key: "larger", Answer: float64(ans), Choices: []int{1, 2}, Prompt: text("quiz.compare."+v.String("measure"), da, db, v.Int("h"), v.Int("h")),
		Steps: []Text{note("quiz.note.layer", 1, Count(va)), note("quiz.note.layer", 2, Count(vb)), note("quiz.note.larger", ans)}}
	if ans != 0 {
		q.Slips = []Slip{{ID: "other_layer", Value: float64(3 - ans)}}
	}
	return q
}

// table1 is the inception rows of Table 1 of Szegedy et al. (2015):
// in, size, #1×1, #3×3 reduce, #3×3, #5×5 reduce, #5×5, pool proj.
var table1 = [][8]int{
	{192, 28, 64, 96, 128, 16, 32, 32}, {256, 28, 128, 128, 192, 32, 96, 64},
	{480, 14, 192, 96, 208, 16, 48, 64}, {512, 14, 160, 112, 224, 24, 64, 64},
	{512, 14, 128, 128, 256, 24, 64, 64}, {512, 14, 112, 144, 288, 32, 64, 64},
	{528, 14, 256, 160, 320, 32, 128, 128}, {832, 7, 256, 160, 320, 32, 128, 128},
	{832, 7, 384, 192, 384, 48, 128, 128},
}

func drawInception(r *rand.Rand, level int) map[string]any {
	m := pick(r, table1...)
	if level == 3 { // a module of its own: widths halved or doubled
		for i := 2; i < 8; i++ {
			m[i] = max(8, m[i]*pick(r, 1, 2)/pick(r, 1, 2))
		}
	}
	return map[string]any{"in": m[0], "h": m[1], "w": m[1], "c1": m[2], "c3r": m[3], "c3": m[4], "c5r": m[5], "c5": m[6], "proj": m[7], "reduce": true, "k5": 5}
}

func inceptionModule(v experiment.Values, level int, key string) Question {
	in, h, w := v.Int("in"), v.Int("h"), v.Int("w")
	c1, c3r, c3, c5r, c5, prj, k5 := v.Int("c1"), v.Int("c3r"), v.Int("c3"), v.Int("c5r"), v.Int("c5"), v.Int("proj"), v.Int("k5")
	desc := fmt.Sprintf("in=%d, %d×%d, #1×1=%d, #3×3 reduce=%d, #3×3=%d, #5×5 reduce=%d, #5×5=%d, pool proj=%d", in, h, w, c1, c3r, c3, c5r, c5, prj)
	kernel := text("quiz.inception.k5_true")
	if k5 != 5 {
		kernel = text("quiz.inception.k5_other", k5)
	}
	if key == "" {
		key = []string{"out_channels", "params", "macs"}[level-1]
	}
	q := Question{Key: key}
	i, kk := int64(in), int64(k5*k5)
	switch key {
	case "out_channels":
		ans := c1 + c3 + c5 + prj
		q.Answer, q.Prompt = float64(ans), text("quiz.inception.channels", desc)
		q.Steps = []Text{note("quiz.note.four_outputs"), fill("%d + %d + %d + %d", c1, c3, c5, prj), result(int64(ans))}
		q.Slips = []Slip{{ID: "pool_branch_forgotten", Value: float64(c1 + c3 + c5)}, {ID: "reduce_counted", Value: float64(ans + c3r + c5r)}}
	case "params":
		b1 := int64(c1) * (i + 1)
		b3 := int64(c3r)*(i+1) + int64(c3)*(9*int64(c3r)+1)
		b5 := int64(c5r)*(i+1) + int64(c5)*(kk*int64(c5r)+1)
		bp := int64(prj) * (i + 1)
		ans := b1 + b3 + b5 + bp
		q.Answer, q.Prompt = float64(ans), text("quiz.inception.params", desc, kernel)
		q.Steps = []Text{
			note("quiz.note.six_convs_params"),
			note("quiz.note.branch", "1×1", Count(b1)), note("quiz.note.branch", "3×3", Count(b3)),
			note("quiz.note.branch", fmt.Sprintf("%d×%d", k5, k5), Count(b5)), note("quiz.note.pool_branch", Count(bp)),
			result(ans),
		}
		q.Slips = []Slip{{ID: "bias_forgotten", Value: float64(ans - int64(c1+c3r+c3+c5r+c5+prj))}, {ID: "pool_branch_forgotten", Value: float64(ans - bp)}}
	default:
		px := int64(h * w)
		per := i*int64(c1) + i*int64(c3r) + 9*int64(c3r)*int64(c3) + i*int64(c5r) + kk*int64(c5r)*int64(c5) + i*int64(prj)
		ans := px * per
		q.Answer, q.Prompt = float64(ans), text("quiz.inception.macs", desc, kernel)
		q.Steps = []Text{
			note("quiz.note.six_convs_macs"),
			fill("%d·%d·(%d·%d + %d·%d + 9·%d·%d + %d·%d + %d·%d·%d + %d·%d)", h, w, in, c1, in, c3r, c3r, c3, in, c5r, k5*k5, c5r, c5, in, prj),
			result(ans),
		}
		q.Slips = []Slip{{ID: "flops", Value: float64(2 * ans)}, {ID: "reduce_forgotten", Value: float64(px * (i*int64(c1) + 9*i*int64(c3) + kk*i*int64(c5) + i*int64(prj)))}}
	}
	return q
}

// blockParams is a torchvision ResNet block's parameters: its convolutions
// (no bias), batch norms (2 per channel), and a 1×1 projection with its BN
// when proj.
func blockParams(bottleneck bool, in, width, expansion int, proj bool) (convs, bn, projection int64) {
	i, w := int64(in), int64(width)
	out := w
	if bottleneck {
		out = int64(expansion) * w
		convs = i*w + 9*w*w + w*out
		bn = 2 * (w + w + out)
	} else {
		convs = 9*i*w + 9*w*w
		bn = 2 * (w + w)
	}
	if proj {
		projection = i*out + 2*out
	}
	return convs, bn, projection
}

func drawBlock(r *rand.Rand, level int) map[string]any {
	w := pick(r, 64, 128, 256, 512)
	s := map[string]any{"kind": "basic", "in": w, "width": w, "stride": 1, "h": 56, "w": 56, "expansion": 4, "shortcut": "b"}
	switch {
	case level == 2:
		s["kind"], s["in"] = "bottleneck", 4*w
	case level == 3 && r.IntN(2) == 0: // a bottleneck stage's first block
		s["kind"], s["in"], s["stride"] = "bottleneck", 2*w, 2
		if w == 64 {
			s["in"], s["stride"] = 64, 1
		}
	case level == 3: // a basic stage's first block
		s["in"], s["stride"] = max(64, w/2), 2
	}
	return s
}

func resBlock(v experiment.Values, _ int, _ string) Question {
	bottleneck, in, w, stride, e := v.String("kind") == "bottleneck", v.Int("in"), v.Int("width"), v.Int("stride"), v.Int("expansion")
	out := w
	if bottleneck {
		out = e * w
	}
	proj := stride != 1 || in != out
	convs, bn, pr := blockParams(bottleneck, in, w, e, proj)
	if proj && v.String("shortcut") == "a" { // zero-padding: no parameters
		pr = 0
	}
	ans := convs + bn + pr
	q := Question{Key: "params", Answer: float64(ans), Prompt: text("quiz.block."+v.String("kind"), in, w, out, stride)}
	if bottleneck {
		q.Steps = []Text{formula("c_in·w + 9·w² + w·(e·w) + 2·(w + w + e·w)"), fill("%d·%d + 9·%d² + %d·%d + 2·(%d + %d + %d)", in, w, w, w, out, w, w, out)}
	} else {
		q.Steps = []Text{formula("9·c_in·w + 9·w² + 2·(w + w)"), fill("9·%d·%d + 9·%d² + 2·(%d + %d)", in, w, w, w, w)}
	}
	if pr > 0 {
		q.Steps = append(q.Steps, note("quiz.note.projection", in, out, Count(pr)))
		q.Slips = append(q.Slips, Slip{ID: "projection_forgotten", Value: float64(convs + bn)})
	} else if !proj {
		q.Slips = append(q.Slips, Slip{ID: "projection_added", Value: float64(ans + int64(in)*int64(out) + 2*int64(out))})
	}
	q.Steps = append(q.Steps, result(ans))
	bnProj := int64(0)
	if pr > 0 {
		bnProj = 2 * int64(out)
	}
	q.Slips = append(q.Slips, Slip{ID: "bn_forgotten", Value: float64(convs + pr - bnProj)})
	return q
}

// resnets are torchvision's ResNets: blocks per stage and whether they are
// bottlenecks.
var resnets = []struct {
	name       string
	blocks     [4]int
	bottleneck bool
}{
	{"resnet18", [4]int{2, 2, 2, 2}, false}, {"resnet34", [4]int{3, 4, 6, 3}, false},
	{"resnet50", [4]int{3, 4, 6, 3}, true}, {"resnet101", [4]int{3, 4, 23, 3}, true}, {"resnet152", [4]int{3, 8, 36, 3}, true},
}

func resnetNamed(name string) (int, bool) {
	i := slices.IndexFunc(resnets, func(m struct {
		name       string
		blocks     [4]int
		bottleneck bool
	}) bool {
		return m.name == name
	})
	return i, i >= 0
}

// stageParams is stage i (0-based) of a ResNet: its first block may project,
// the rest are identity blocks.
func stageParams(bottleneck bool, blocks, i int) (total, first, rest int64, in, w int) {
	w = 64 << i
	exp := 1
	if bottleneck {
		exp = 4
	}
	in = 64
	if i > 0 {
		in = exp * (w / 2)
	}
	c, b, p := blockParams(bottleneck, in, w, 4, i > 0 || in != exp*w)
	first = c + b + p
	c, b, _ = blockParams(bottleneck, exp*w, w, 4, false)
	rest = c + b
	return first + int64(blocks-1)*rest, first, rest, in, w
}

func drawStage(r *rand.Rand, level int) map[string]any {
	m := resnets[r.IntN(2)].name
	if level == 3 {
		m = resnets[2+r.IntN(3)].name
	}
	return map[string]any{"model": m}
}

// stageOf is the stage a stage question asks about: from its key, else
// layer1 at level 1 and one of layer2…4 at level 2, chosen by the model.
func stageOf(model string, level int, key string) int {
	if key != "" {
		return int(key[len("layer")] - '1')
	}
	if level == 1 {
		return 0
	}
	return 1 + len(model)%3
}

func resStage(v experiment.Values, level int, key string) Question {
	mi, ok := resnetNamed(v.String("model"))
	if !ok {
		return Question{} // refused by Kind.Build: stage questions are about ResNets
	}
	m := resnets[mi]
	i := stageOf(m.name, level, key)
	ans, first, rest, in, w := stageParams(m.bottleneck, m.blocks[i], i)
	n := m.blocks[i]
	q := Question{Key: fmt.Sprintf("layer%d.params", i+1), Answer: float64(ans), Prompt: text("quiz.stage.prompt", m.name, i+1, n, in, w),
		Steps: []Text{
			note("quiz.note.first_block", Count(first)),
			note("quiz.note.other_blocks", n-1, Count(rest)),
			note("quiz.note.stage_sum"),
			fill("%d + %d·%d", first, n-1, rest),
			result(ans),
		}}
	if n > 1 && first != rest {
		q.Slips = []Slip{{ID: "all_blocks_like_first", Value: float64(int64(n) * first)}, {ID: "all_blocks_like_rest", Value: float64(int64(n) * rest)}}
	}
	return q
}

// resnetParams is a torchvision ResNet's parameter count: the stem (7×7
// conv, BN), the four stages and the classifier.
func resnetParams(bottleneck bool, blocks [4]int) (total, stem, stages, fc int64) {
	stem = 3*64*49 + 2*64
	for i, n := range blocks {
		s, _, _, _, _ := stageParams(bottleneck, n, i)
		stages += s
	}
	feat := int64(512)
	if bottleneck {
		feat = 2048
	}
	fc = feat*1000 + 1000
	return stem + stages + fc, stem, stages, fc
}

// googlenetParams is torchvision's GoogLeNet (BasicConv2d: conv without bias
// + BN; its "5×5" branches are 3×3): stem, nine inception modules and the
// classifier, without the auxiliary heads.
func googlenetParams() int64 {
	bc := func(cin, cout, k int) int64 { return int64(cin)*int64(cout)*int64(k*k) + 2*int64(cout) }
	total := bc(3, 64, 7) + bc(64, 64, 1) + bc(64, 192, 3)
	for _, m := range table1 {
		total += bc(m[0], m[2], 1) + bc(m[0], m[3], 1) + bc(m[3], m[4], 3) + bc(m[0], m[5], 1) + bc(m[5], m[6], 3) + bc(m[0], m[7], 1)
	}
	return total + 1024*1000 + 1000
}

func drawModel(r *rand.Rand, level int) map[string]any {
	switch level {
	case 1:
		return map[string]any{"model": resnets[r.IntN(2)].name}
	case 2:
		return map[string]any{"model": resnets[2+r.IntN(3)].name}
	}
	return map[string]any{"model": "googlenet"}
}

// googlenetAux is torchvision's two InceptionAux heads (aux_logits=True).
const googlenetAux = 13004888 - 6624904

func wholeModel(v experiment.Values, _ int, _ string) Question {
	name := v.String("model")
	q := Question{Key: "params", Tolerance: 0.005, Prompt: text("quiz.model.prompt", name)}
	if name == "googlenet" {
		q.Prompt = text("quiz.model.prompt_googlenet", name)
	}
	if mi, ok := resnetNamed(name); ok && v.String("shortcut") == "b" {
		m := resnets[mi]
		total, stem, stages, fc := resnetParams(m.bottleneck, m.blocks)
		q.Answer = float64(total)
		q.Steps = []Text{note("quiz.note.stem", Count(stem)), note("quiz.note.stages", strings.Trim(strings.Join(strings.Fields(fmt.Sprint(m.blocks)), "-"), "[]"), Count(stages)), note("quiz.note.fc", Count(fc)), result(total)}
		q.Slips = []Slip{{ID: "fc_forgotten", Value: float64(total - fc)}}
		return q
	}
	if name == "googlenet" {
		total := googlenetParams()
		q.Answer = float64(total)
		q.Steps = []Text{note("quiz.note.googlenet_sum"), note("quiz.note.fc", Count(1024*1000+1000)), result(total)}
		q.Slips = []Slip{{ID: "aux_counted", Value: float64(total + googlenetAux)}}
		return q
	}
	return Question{} // refused by Kind.Build
}
