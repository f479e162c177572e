package quiz

import (
	"fmt"
	"math/rand/v2"
)

// The kinds of question. Each generator computes its answer with its own
// closed form (tests check it against the experiment named, run on the
// spec), and lists the numbers common slips give.
var kinds = []Kind{
	{ID: "conv_params", Experiment: "conv", gen: convParams},
	{ID: "conv_out", Experiment: "conv", gen: convOut},
	{ID: "conv_macs", Experiment: "conv", gen: convMACs},
	{ID: "reduce_saving", Experiment: "conv1x1", gen: reduceSaving},
	{ID: "receptive_field", Experiment: "receptive_field", gen: receptiveField},
	{ID: "compare", Experiment: "compare", gen: compareLayers},
	{ID: "inception", Experiment: "inception", gen: inceptionModule},
	{ID: "block", Experiment: "block", gen: resBlock},
	{ID: "stage", Experiment: "model", gen: resStage},
	{ID: "model", Experiment: "model", gen: wholeModel},
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
func convLayer(k, cin, cout, stride, pad, groups int, bias bool) string {
	s := fmt.Sprintf("Conv2d(%d, %d, kernel_size=%d", cin, cout, k)
	if stride != 1 {
		s += fmt.Sprintf(", stride=%d", stride)
	}
	if pad != 0 {
		s += fmt.Sprintf(", padding=%d", pad)
	}
	if groups != 1 {
		s += fmt.Sprintf(", groups=%d", groups)
	}
	if !bias {
		s += ", bias=False"
	}
	return s + ")"
}

func convParams(r *rand.Rand, level int) Question {
	k, cin, cout, groups, bias := 3, 64, 128, 1, false
	switch level {
	case 1:
		k, cin, cout = pick(r, 1, 3, 5), pick(r, 3, 16, 32, 64), pick(r, 16, 32, 64, 128)
	case 2:
		k, cin, cout, bias = pick(r, 1, 3, 5, 7), pick(r, 3, 32, 64, 128, 256), pick(r, 32, 64, 128, 256), true
	default:
		k, bias = pick(r, 3, 5, 7), r.IntN(2) == 0
		if r.IntN(3) == 0 { // depthwise
			cin = pick(r, 32, 64, 128, 256)
			cout, groups = cin, cin
		} else {
			groups = pick(r, 2, 4, 8)
			cin, cout = groups*pick(r, 4, 8, 16, 32), groups*pick(r, 4, 8, 16, 32)
		}
	}
	w := int64(cout) * int64(cin/groups) * int64(k*k)
	ans := w + b2i(bias)*int64(cout)
	q := Question{
		Spec:   spec("h", 32, "w", 32, "cin", cin, "cout", cout, "k", k, "stride", 1, "pad", k/2, "dilation", 1, "groups", groups, "bias", bias),
		Key:    "params",
		Answer: float64(ans),
		Prompt: text("quiz.conv_params.prompt", convLayer(k, cin, cout, 1, k/2, groups, bias)),
	}
	f, fl := "c_out·c_in·k²", fmt.Sprintf("%d·%d·%d²", cout, cin, k)
	if groups > 1 {
		f, fl = "c_out·(c_in/groups)·k²", fmt.Sprintf("%d·(%d/%d)·%d²", cout, cin, groups, k)
	}
	if bias {
		f, fl = f+" + c_out", fl+fmt.Sprintf(" + %d", cout)
	}
	q.Steps = []Text{formula("%s", f), fill("%s", fl), result(ans)}
	if bias {
		q.Slips = append(q.Slips, Slip{"bias_forgotten", float64(w)})
	} else {
		q.Slips = append(q.Slips, Slip{"bias_added", float64(ans + int64(cout))})
	}
	if groups > 1 {
		q.Slips = append(q.Slips, Slip{"groups_ignored", float64(int64(cout)*int64(cin)*int64(k*k) + b2i(bias)*int64(cout))})
	}
	if k > 1 {
		q.Slips = append(q.Slips, Slip{"k_not_squared", float64(int64(cout)*int64(cin/groups)*int64(k) + b2i(bias)*int64(cout))})
	}
	return q
}

// outSize is torch.nn.Conv2d's output size, for valid inputs (≥ 0 inside).
func outSize(h, k, s, p, d int) int { return (h+2*p-d*(k-1)-1)/s + 1 }

func convOut(r *rand.Rand, level int) Question {
	var h, k, s, p, d int
	for {
		h, k, s, p, d = pick(r, 28, 32, 56, 64, 112, 224), pick(r, 1, 3, 5, 7), 1, 0, 1
		switch level {
		case 2:
			s, p = pick(r, 2, 3), r.IntN(4)
		case 3:
			k, s, p, d = pick(r, 3, 5), pick(r, 1, 2), r.IntN(5), pick(r, 2, 3)
		}
		if h+2*p-d*(k-1)-1 >= 0 {
			break
		}
	}
	ans := outSize(h, k, s, p, d)
	q := Question{
		Spec:   spec("h", h, "w", h, "cin", 3, "cout", 8, "k", k, "stride", s, "pad", p, "dilation", d, "groups", 1, "bias", false),
		Key:    "out_h",
		Answer: float64(ans),
		Prompt: text("quiz.conv_out.prompt", h, h, fmt.Sprintf("k=%d, stride=%d, padding=%d, dilation=%d", k, s, p, d)),
	}
	q.Steps = []Text{
		formula("⌊(h + 2·pad − dilation·(k − 1) − 1) / stride⌋ + 1"),
		fill("⌊(%d + 2·%d − %d·(%d − 1) − 1) / %d⌋ + 1 = ⌊%d / %d⌋ + 1", h, p, d, k, s, h+2*p-d*(k-1)-1, s),
		result(int64(ans)),
	}
	if p > 0 && h-d*(k-1)-1 >= 0 {
		q.Slips = append(q.Slips, Slip{"padding_dropped", float64(outSize(h, k, s, 0, d))})
	}
	if d > 1 {
		q.Slips = append(q.Slips, Slip{"dilation_ignored", float64(outSize(h, k, s, p, 1))})
	}
	if s > 1 {
		q.Slips = append(q.Slips, Slip{"stride_ignored", float64(outSize(h, k, 1, p, d))})
		if n := h + 2*p - d*(k-1) - 1; n%s != 0 {
			q.Slips = append(q.Slips, Slip{"ceil_not_floor", float64(ans + 1)})
		}
	}
	return q
}

func convMACs(r *rand.Rand, level int) Question {
	h, k, s, cin, cout, groups := pick(r, 7, 14, 28, 56), 1, 1, pick(r, 16, 32, 64, 128), pick(r, 16, 32, 64, 128), 1
	switch level {
	case 2:
		k = pick(r, 3, 5, 7)
	case 3:
		k, s = pick(r, 3, 5), 2
		h = pick(r, 28, 56, 112)
		if r.IntN(2) == 0 {
			groups = pick(r, 2, 4)
		}
	}
	o := outSize(h, k, s, k/2, 1)
	per := int64(cout) * int64(cin/groups) * int64(k*k)
	ans := int64(o*o) * per
	q := Question{
		Spec:   spec("h", h, "w", h, "cin", cin, "cout", cout, "k", k, "stride", s, "pad", k/2, "dilation", 1, "groups", groups, "bias", false),
		Key:    "macs",
		Answer: float64(ans),
		Prompt: text("quiz.conv_macs.prompt", convLayer(k, cin, cout, s, k/2, groups, false), h, h),
	}
	if s > 1 {
		q.Steps = append(q.Steps, note("quiz.note.out_size", o, o))
	}
	f, fl := "out_h·out_w·c_out·c_in·k²", fmt.Sprintf("%d·%d·%d·%d·%d²", o, o, cout, cin, k)
	if groups > 1 {
		f, fl = "out_h·out_w·c_out·(c_in/groups)·k²", fmt.Sprintf("%d·%d·%d·(%d/%d)·%d²", o, o, cout, cin, groups, k)
	}
	q.Steps = append(q.Steps, formula("%s", f), fill("%s", fl), result(ans))
	q.Slips = []Slip{{"flops", float64(2 * ans)}}
	if s > 1 {
		q.Slips = append(q.Slips, Slip{"input_size", float64(int64(h*h) * per)})
	}
	if groups > 1 {
		q.Slips = append(q.Slips, Slip{"groups_ignored", float64(int64(o*o) * int64(cout) * int64(cin) * int64(k*k))})
	}
	return q
}

func reduceSaving(r *rand.Rand, level int) Question {
	h, w, cin, cout, k, red := 28, 28, pick(r, 192, 256, 480, 512), pick(r, 32, 48, 64, 96, 128), 5, pick(r, 16, 24, 32, 48, 64)
	key, id := "saved.params", "quiz.reduce_saving.params"
	switch level {
	case 2:
		key, id = "saved.macs", "quiz.reduce_saving.macs"
		k = pick(r, 3, 5)
	case 3:
		key, id = "saved.macs", "quiz.reduce_saving.macs"
		h, w, k = pick(r, 14, 28, 56), pick(r, 14, 28, 56), pick(r, 3, 5, 7)
	}
	direct := int64(cin) * int64(cout) * int64(k*k)
	reduced := int64(cin)*int64(red) + int64(red)*int64(cout)*int64(k*k)
	px := int64(1)
	if key == "saved.macs" {
		px = int64(h * w)
	}
	ans := px * (direct - reduced)
	q := Question{
		Spec:   spec("h", h, "w", w, "cin", cin, "cout", cout, "k", k, "reduce", red),
		Key:    key,
		Answer: float64(ans),
		Prompt: text(id, h, w, cin, k, k, cout, red),
	}
	q.Steps = []Text{
		note("quiz.note.direct", Count(px*direct)),
		note("quiz.note.reduced", Count(px*reduced)),
	}
	if px > 1 {
		q.Steps = append(q.Steps, formula("h·w·(c_in·c_out·k² − (c_in·r + r·c_out·k²))"),
			fill("%d·%d·(%d·%d·%d² − (%d·%d + %d·%d·%d²))", h, w, cin, cout, k, cin, red, red, cout, k))
	} else {
		q.Steps = append(q.Steps, formula("c_in·c_out·k² − (c_in·r + r·c_out·k²)"),
			fill("%d·%d·%d² − (%d·%d + %d·%d·%d²)", cin, cout, k, cin, red, red, cout, k))
	}
	q.Steps = append(q.Steps, result(ans))
	q.Slips = []Slip{{"one_stage_only", float64(px * (direct - int64(red)*int64(cout)*int64(k*k)))}}
	if px > 1 {
		q.Slips = append(q.Slips, Slip{"flops", float64(2 * ans)})
	}
	return q
}

func receptiveField(r *rand.Rand, level int) Question {
	n := 2 + r.IntN(2)
	taps := make([]struct{ k, s, d int }, n)
	for i := range taps {
		taps[i].k, taps[i].s, taps[i].d = 3, 1, 1
		switch level {
		case 2:
			taps[i].k, taps[i].s = pick(r, 3, 5), pick(r, 1, 2)
		case 3:
			taps[i].k, taps[i].s, taps[i].d = pick(r, 3, 5), pick(r, 1, 2), pick(r, 1, 2, 4)
		}
	}
	if level > 1 {
		n = len(taps)
	}
	sp := spec("n", n)
	var desc, f string
	rf, jump, noStride, noDil := 1, 1, 1, 1
	for i, t := range taps {
		sp[fmt.Sprintf("k%d", i+1)] = fmt.Sprint(t.k)
		sp[fmt.Sprintf("s%d", i+1)] = fmt.Sprint(t.s)
		sp[fmt.Sprintf("d%d", i+1)] = fmt.Sprint(t.d)
		if i > 0 {
			desc += " → "
			f += " + "
		}
		desc += fmt.Sprintf("%d×%d/s%d", t.k, t.k, t.s)
		if t.d > 1 {
			desc += fmt.Sprintf("/d%d", t.d)
		}
		f += fmt.Sprintf("(%d−1)·%d·%d", t.k, t.d, jump)
		rf += (t.k - 1) * t.d * jump
		noStride += (t.k - 1) * t.d
		jump *= t.s
	}
	for _, t := range taps {
		noDil += (t.k - 1)
	}
	q := Question{
		Spec:   sp,
		Key:    "rf",
		Answer: float64(rf),
		Prompt: text("quiz.receptive_field.prompt", desc),
		Steps: []Text{
			formula("r = 1 + Σᵢ (kᵢ − 1)·dᵢ·(s₁·…·sᵢ₋₁)"),
			fill("1 + %s", f),
			result(int64(rf)),
		},
	}
	if noStride != rf {
		q.Slips = append(q.Slips, Slip{"strides_ignored", float64(noStride)})
	}
	if noDil != noStride {
		q.Slips = append(q.Slips, Slip{"dilation_ignored", float64(noDil)})
	}
	return q
}

func compareLayers(r *rand.Rand, level int) Question {
	type layer struct{ k, cin, cout, groups, stride int }
	draw := func() layer {
		l := layer{pick(r, 1, 3, 5, 7), pick(r, 32, 64, 128, 256), pick(r, 32, 64, 128, 256), 1, 1}
		if level >= 2 {
			l.stride = pick(r, 1, 2)
		}
		if level == 3 && r.IntN(2) == 0 {
			l.groups = pick(r, 2, 4, 8)
		}
		return l
	}
	measure := "params"
	if level >= 2 {
		measure = "macs"
	}
	const h = 56
	value := func(l layer) int64 {
		v := int64(l.cout) * int64(l.cin/l.groups) * int64(l.k*l.k)
		if measure == "macs" {
			o := outSize(h, l.k, l.stride, l.k/2, 1)
			v *= int64(o * o)
		}
		return v
	}
	var a, b layer
	for {
		a, b = draw(), draw()
		if value(a) != value(b) {
			break
		}
	}
	va, vb := value(a), value(b)
	ans := 1
	if vb > va {
		ans = 2
	}
	q := Question{
		Spec: spec("k1", a.k, "cin1", a.cin, "cout1", a.cout, "groups1", a.groups, "stride1", a.stride,
			"k2", b.k, "cin2", b.cin, "cout2", b.cout, "groups2", b.groups, "stride2", b.stride, "h", h, "measure", measure),
		Key:    "larger",
		Answer: float64(ans),
		Prompt: text("quiz.compare."+measure, convLayer(a.k, a.cin, a.cout, a.stride, a.k/2, a.groups, false),
			convLayer(b.k, b.cin, b.cout, b.stride, b.k/2, b.groups, false), h, h),
		Steps: []Text{
			note("quiz.note.layer", 1, Count(va)),
			note("quiz.note.layer", 2, Count(vb)),
			note("quiz.note.larger", ans),
		},
	}
	q.Slips = []Slip{{"other_layer", float64(3 - ans)}}
	return q
}

// inceptionRow is one row of Table 1 of Szegedy et al. (2015).
type inceptionRow struct {
	name                              string
	in, hw, c1, c3r, c3, c5r, c5, prj int
}

var table1 = []inceptionRow{
	{"3a", 192, 28, 64, 96, 128, 16, 32, 32}, {"3b", 256, 28, 128, 128, 192, 32, 96, 64},
	{"4a", 480, 14, 192, 96, 208, 16, 48, 64}, {"4b", 512, 14, 160, 112, 224, 24, 64, 64},
	{"4c", 512, 14, 128, 128, 256, 24, 64, 64}, {"4d", 512, 14, 112, 144, 288, 32, 64, 64},
	{"4e", 528, 14, 256, 160, 320, 32, 128, 128}, {"5a", 832, 7, 256, 160, 320, 32, 128, 128},
	{"5b", 832, 7, 384, 192, 384, 48, 128, 128},
}

func inceptionModule(r *rand.Rand, level int) Question {
	m := pick(r, table1...)
	if level == 3 { // a module of its own: each width halved or doubled
		scale := func(c int) int { return max(8, c*pick(r, 1, 2)/pick(r, 1, 2)) }
		m.c1, m.c3r, m.c3, m.c5r, m.c5, m.prj = scale(m.c1), scale(m.c3r), scale(m.c3), scale(m.c5r), scale(m.c5), scale(m.prj)
		m.name = ""
	}
	sp := spec("in", m.in, "h", m.hw, "w", m.hw, "c1", m.c1, "c3r", m.c3r, "c3", m.c3, "c5r", m.c5r, "c5", m.c5, "proj", m.prj, "reduce", true, "k5", 5)
	desc := fmt.Sprintf("in=%d, %d×%d, #1×1=%d, #3×3 reduce=%d, #3×3=%d, #5×5 reduce=%d, #5×5=%d, pool proj=%d", m.in, m.hw, m.hw, m.c1, m.c3r, m.c3, m.c5r, m.c5, m.prj)
	q := Question{Spec: sp}
	switch level {
	case 1:
		ans := m.c1 + m.c3 + m.c5 + m.prj
		q.Key, q.Answer = "out_channels", float64(ans)
		q.Prompt = text("quiz.inception.channels", desc)
		q.Steps = []Text{formula("#1×1 + #3×3 + #5×5 + pool proj"), fill("%d + %d + %d + %d", m.c1, m.c3, m.c5, m.prj), result(int64(ans))}
		q.Slips = []Slip{{"pool_branch_forgotten", float64(m.c1 + m.c3 + m.c5)}, {"reduce_counted", float64(ans + m.c3r + m.c5r)}}
	case 2:
		in := int64(m.in)
		b1 := int64(m.c1) * (in + 1)
		b3 := int64(m.c3r)*(in+1) + int64(m.c3)*(9*int64(m.c3r)+1)
		b5 := int64(m.c5r)*(in+1) + int64(m.c5)*(25*int64(m.c5r)+1)
		bp := int64(m.prj) * (in + 1)
		ans := b1 + b3 + b5 + bp
		q.Key, q.Answer = "params", float64(ans)
		q.Prompt = text("quiz.inception.params", desc)
		q.Steps = []Text{
			formula("Σ c_out·(c_in·k² + 1) over the six convolutions"),
			note("quiz.note.branch", "1×1", Count(b1)), note("quiz.note.branch", "3×3", Count(b3)),
			note("quiz.note.branch", "5×5", Count(b5)), note("quiz.note.branch", "pool", Count(bp)),
			result(ans),
		}
		biases := int64(m.c1 + m.c3r + m.c3 + m.c5r + m.c5 + m.prj)
		q.Slips = []Slip{{"bias_forgotten", float64(ans - biases)}, {"pool_branch_forgotten", float64(ans - bp)}}
	default:
		in, px := int64(m.in), int64(m.hw*m.hw)
		per := in*int64(m.c1) + in*int64(m.c3r) + 9*int64(m.c3r)*int64(m.c3) + in*int64(m.c5r) + 25*int64(m.c5r)*int64(m.c5) + in*int64(m.prj)
		ans := px * per
		q.Key, q.Answer = "macs", float64(ans)
		q.Prompt = text("quiz.inception.macs", desc)
		q.Steps = []Text{
			formula("h·w·Σ c_out·c_in·k² over the six convolutions"),
			fill("%d·%d·(%d·%d + %d·%d + 9·%d·%d + %d·%d + 25·%d·%d + %d·%d)", m.hw, m.hw, m.in, m.c1, m.in, m.c3r, m.c3r, m.c3, m.in, m.c5r, m.c5r, m.c5, m.in, m.prj),
			result(ans),
		}
		q.Slips = []Slip{{"flops", float64(2 * ans)}, {"reduce_forgotten", float64(px * (in*int64(m.c1) + 9*in*int64(m.c3) + 25*in*int64(m.c5) + in*int64(m.prj)))}}
	}
	return q
}

// blockParams is a torchvision ResNet block's parameters: its convolutions
// (no bias) and batch norms (2 per channel), with a 1×1 projection and its
// BN when proj.
func blockParams(bottleneck bool, in, width int, proj bool) (convs, bn, projection int64) {
	i, w := int64(in), int64(width)
	out := w
	if bottleneck {
		out = 4 * w
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

func resBlock(r *rand.Rand, level int) Question {
	bottleneck, w, stride := level >= 2, pick(r, 64, 128, 256, 512), 1
	in := w
	if bottleneck {
		in = 4 * w
	}
	if level == 3 {
		bottleneck = r.IntN(2) == 0
		if bottleneck {
			in, stride = pick(r, 2*w, 4*w), pick(r, 1, 2) // a stage's first block: 2w (from the stage before) or w (layer1)
			if in == 4*w {
				stride = 2
			}
			if w == 64 && stride == 1 {
				in = 64
			}
		} else {
			in, stride = w/2, 2
			if w == 64 {
				in, stride = 64, 2
			}
		}
	}
	out := w
	if bottleneck {
		out = 4 * w
	}
	proj := stride != 1 || in != out
	convs, bn, pr := blockParams(bottleneck, in, w, proj)
	ans := convs + bn + pr
	kind := "basic"
	if bottleneck {
		kind = "bottleneck"
	}
	q := Question{
		Spec:   spec("kind", kind, "in", in, "width", w, "stride", stride, "h", 56, "w", 56, "expansion", 4, "shortcut", "b"),
		Key:    "params",
		Answer: float64(ans),
		Prompt: text("quiz.block."+kind, in, w, out, stride),
	}
	if bottleneck {
		q.Steps = []Text{formula("c_in·w + 9·w² + w·4w + 2·(w + w + 4w)"), fill("%d·%d + 9·%d² + %d·%d + 2·(%d + %d + %d)", in, w, w, w, 4*w, w, w, 4*w)}
	} else {
		q.Steps = []Text{formula("9·c_in·w + 9·w² + 2·(w + w)"), fill("9·%d·%d + 9·%d² + 2·(%d + %d)", in, w, w, w, w)}
	}
	if proj {
		q.Steps = append(q.Steps, note("quiz.note.projection", in, out, Count(pr)))
		q.Slips = append(q.Slips, Slip{"projection_forgotten", float64(convs + bn)})
	} else {
		q.Slips = append(q.Slips, Slip{"projection_added", float64(ans + int64(in)*int64(out) + 2*int64(out))})
	}
	q.Steps = append(q.Steps, result(ans))
	q.Slips = append(q.Slips, Slip{"bn_forgotten", float64(convs + pr - b2i(proj)*2*int64(out))})
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
	proj := i > 0 || in != exp*w
	c, b, p := blockParams(bottleneck, in, w, proj)
	first = c + b + p
	c, b, _ = blockParams(bottleneck, exp*w, w, false)
	rest = c + b
	return first + int64(blocks-1)*rest, first, rest, in, w
}

func resStage(r *rand.Rand, level int) Question {
	var m = resnets[r.IntN(2)]
	i := 0
	switch level {
	case 2:
		i = 1 + r.IntN(3)
	case 3:
		m, i = resnets[2+r.IntN(3)], r.IntN(4)
	}
	ans, first, rest, in, w := stageParams(m.bottleneck, m.blocks[i], i)
	n := m.blocks[i]
	q := Question{
		Spec:   spec("model", m.name, "h", 224, "w", 224, "depth", 2, "shortcut", "b"),
		Key:    fmt.Sprintf("layer%d.params", i+1),
		Answer: float64(ans),
		Prompt: text("quiz.stage.prompt", m.name, i+1, n, in, w),
		Steps: []Text{
			note("quiz.note.first_block", Count(first)),
			note("quiz.note.other_blocks", n-1, Count(rest)),
			formula("first + (n − 1)·other"),
			fill("%d + %d·%d", first, n-1, rest),
			result(ans),
		},
	}
	if n > 1 && first != rest {
		q.Slips = []Slip{{"all_blocks_like_first", float64(int64(n) * first)}, {"all_blocks_like_rest", float64(int64(n) * rest)}}
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
		total += bc(m.in, m.c1, 1) + bc(m.in, m.c3r, 1) + bc(m.c3r, m.c3, 3) + bc(m.in, m.c5r, 1) + bc(m.c5r, m.c5, 3) + bc(m.in, m.prj, 1)
	}
	return total + 1024*1000 + 1000
}

func wholeModel(r *rand.Rand, level int) Question {
	q := Question{Key: "params", Tolerance: 0.005}
	switch level {
	case 1, 2:
		m := resnets[r.IntN(2)]
		if level == 2 {
			m = resnets[2+r.IntN(3)]
		}
		total, stem, stages, fc := resnetParams(m.bottleneck, m.blocks)
		q.Spec = spec("model", m.name, "h", 224, "w", 224, "depth", 2, "shortcut", "b")
		q.Answer = float64(total)
		q.Prompt = text("quiz.model.prompt", m.name)
		q.Steps = []Text{
			note("quiz.note.stem", Count(stem)),
			note("quiz.note.stages", fmt.Sprint(m.blocks), Count(stages)),
			note("quiz.note.fc", Count(fc)),
			result(total),
		}
		q.Slips = []Slip{{"fc_forgotten", float64(total - fc)}}
	default:
		total := googlenetParams()
		q.Spec = spec("model", "googlenet", "h", 224, "w", 224, "depth", 2)
		q.Answer = float64(total)
		q.Prompt = text("quiz.model.prompt", "googlenet")
		q.Steps = []Text{
			formula("stem + Σ nine inception modules + fc"),
			note("quiz.note.fc", Count(1024*1000+1000)),
			result(total),
		}
		q.Slips = []Slip{{"aux_counted", 13004888}}
	}
	return q
}
