package locale

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/core/experiments"
)

// variants are runs, beyond the defaults and the automatic ones, that make an
// experiment show labels and notes it does not show at its defaults. They
// must all be valid: a variant that stops validating fails the test, so it
// gets fixed rather than silently dropped.
var variants = map[string][]map[string]string{
	"optimize": {
		{"optimizers": "sgd", "lr": "1", "steps": "300"}, // diverges
		{"optimizers": "sgd,momentum", "surface": "saddle"},
		{"optimizers": "sgd,momentum", "noise": "1"},
		{"optimizers": "momentum", "surface": "rotated"},                                 // no sgd: theory still reported
		{"optimizers": "sgd,momentum,nesterov", "noise": "1", "seeds": "3", "lr": "0.6"}, // nesterov unstable; tail over seeds
		{"optimizers": "momentum", "lr": "0.6", "steps": "2000"},                         // f underflows to 0; the distance below 1e-250
		{"optimizers": "sgd", "a": "1", "b": "1", "lr": "0.5"},                           // at the minimum after one step: no rate
	},
	"adaptive": {
		{"task": "logistic"},
		{"lr": "0.05"},
		{"optimizers": "sgd,adagrad,rmsprop,adam", "lr": "10"},      // diverges
		{"optimizers": "adagrad", "p_min": "0.0001", "steps": "10"}, // rare feature never present
		{"features": "2", "values": "binary"},
	},
	"conv1x1":         {{"reduce": "0"}},
	"block":           {{"kind": "basic", "width": "256", "in": "256"}, {"stride": "2"}, {"kind": "basic", "stride": "2"}, {"stride": "2", "shortcut": "a"}},
	"inception":       {{"reduce": "false"}, {"k5": "3"}},
	"channel_mix":     {{"cin": "6", "cout": "2"}},
	"model":           {{"depth": "1"}, {"depth": "3"}},
	"momentum_rates":  {{"momentum": "0.9"}},
	"residual":        {{"depth": "2", "steps": "5", "init": "small"}}, // its divergence note: see TestText
	"conv":            {{"bias": "false"}},
	"googlenet_table": {},
	"cnn":             {{"bn": "false", "lr": "2", "steps": "40", "n": "3"}}, // diverges: its note
}

// bases are the values every run of a training experiment starts from
// (its defaults, variants and automatic variants alike): a few steps on
// a few images show the same strings as a full run, in a fraction of the
// time.
var bases = map[string]map[string]string{
	"cnn":       {"steps": "3", "batch": "8", "train": "64", "test": "20", "width": "4"},
	"cnn_depth": {"steps": "2", "batch": "8", "train": "64", "test": "20", "width": "4", "ns": "1,2"},
}

// withBase returns the overrides ov on top of e's base.
func withBase(e string, ov map[string]string) map[string]string {
	if bases[e] == nil {
		return ov
	}
	out := map[string]string{}
	for k, v := range bases[e] {
		out[k] = v
	}
	for k, v := range ov {
		out[k] = v
	}
	return out
}

// autoVariants are one-parameter changes from the defaults: every choice of
// an enum, the other value of a bool, all choices of a list and each choice
// alone. Invalid ones (rules tying parameters together) are skipped.
func autoVariants(e *experiment.Experiment) []map[string]string {
	var out []map[string]string
	for _, p := range e.Params {
		switch p.Kind {
		case experiment.Enum:
			for _, c := range p.Choices {
				out = append(out, map[string]string{p.Name: c})
			}
		case experiment.Bool:
			out = append(out, map[string]string{p.Name: "true"}, map[string]string{p.Name: "false"})
		case experiment.List:
			out = append(out, map[string]string{p.Name: strings.Join(p.Choices, ",")})
			for _, c := range p.Choices {
				out = append(out, map[string]string{p.Name: c})
			}
		}
	}
	// Every list choice on every enum choice (optimize: all optimizers on
	// each surface).
	for _, l := range e.Params {
		if l.Kind != experiment.List {
			continue
		}
		for _, en := range e.Params {
			if en.Kind != experiment.Enum {
				continue
			}
			for _, c := range en.Choices {
				out = append(out, map[string]string{l.Name: strings.Join(l.Choices, ","), en.Name: c})
			}
		}
	}
	return out
}

// shown is one English string a view shows, and where it came from.
type shown struct {
	text, where string
}

// resultStrings lists the strings of r that Result translates (names are
// left out: they are translated only by exact entries, when there are any).
func resultStrings(r *experiment.Result) []string {
	var out []string
	for _, s := range r.Scalars {
		out = append(out, s.Label, s.Unit)
	}
	for _, c := range r.Charts {
		out = append(out, c.Title, c.XLabel, c.YLabel)
		for _, m := range c.Marks {
			out = append(out, m.Label)
		}
	}
	for _, s := range r.Surfaces {
		out = append(out, s.Title)
	}
	for _, b := range r.Bars {
		out = append(out, b.Title)
	}
	for _, t := range r.Tables {
		out = append(out, t.Title)
		for _, c := range t.Columns {
			out = append(out, c.Name)
		}
	}
	for _, m := range r.Images {
		out = append(out, m.Title)
		out = append(out, m.Channels...)
	}
	out = append(out, r.Notes...)
	return out
}

// collect runs every registered experiment at its defaults and variants and
// returns every string a view would show, with the first run that showed it.
func collect(t testing.TB) []shown {
	t.Helper()
	seen := map[string]bool{}
	var out []shown
	add := func(s, where string) {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, shown{s, where})
		}
	}
	ctx := context.Background()
	for _, e := range experiments.Registry().All() {
		add(e.Summary, e.Name+" summary")
		for _, p := range e.Params {
			add(p.Help, e.Name+" param "+p.Name)
		}
		runs := []map[string]string{{}}
		for _, v := range variants[e.Name] {
			if _, err := e.Parse(withBase(e.Name, v)); err != nil {
				t.Errorf("variant %s %v is invalid, fix it: %v", e.Name, v, err)
				continue
			}
			runs = append(runs, v)
		}
		for _, v := range autoVariants(e) {
			if _, err := e.Parse(withBase(e.Name, v)); err == nil {
				runs = append(runs, v)
			}
		}
		for _, ov := range runs {
			ov = withBase(e.Name, ov)
			v, err := e.Parse(ov)
			if err != nil {
				t.Fatalf("%s %v: %v", e.Name, ov, err)
			}
			r, err := e.Execute(ctx, v, nil)
			if err != nil {
				t.Fatalf("%s %v: %v", e.Name, ov, err)
			}
			where := fmt.Sprintf("%s %v", e.Name, ov)
			for _, s := range resultStrings(r) {
				add(s, where)
			}
		}
	}
	return out
}

// TestCoverage fails when a string that a view shows has no Korean, so that
// a new experiment or label cannot silently show English to Korean learners.
// Add the missing entries to assets/i18n/ko.yaml (an entry whose ko equals
// its en marks a string, such as a formula, that reads the same in Korean).
func TestCoverage(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every experiment")
	}
	c := get("ko")
	if c == nil {
		t.Fatal("no ko catalog")
	}
	var missing []string
	for _, s := range collect(t) {
		if _, ok := c.lookup(s.text); !ok {
			missing = append(missing, fmt.Sprintf("%q\t(%s)", s.text, s.where))
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		t.Errorf("%d string(s) shown by views have no Korean in assets/i18n/ko.yaml:\n%s", len(missing), strings.Join(missing, "\n"))
	}
}

// TestCoverageSeesEveryExperiment guards the variants table against typos:
// each name must be a registered experiment, except residual, which may not
// be registered yet.
func TestCoverageSeesEveryExperiment(t *testing.T) {
	var names []string
	for _, e := range experiments.Registry().All() {
		names = append(names, e.Name)
	}
	for n := range variants {
		if !slices.Contains(names, n) && n != "residual" {
			t.Errorf("variants names %q, which is not a registered experiment (have %v)", n, names)
		}
	}
}

// english finds Latin-letter words in a translation.
var english = regexp.MustCompile(`[A-Za-z][A-Za-z'_.-]*[A-Za-z]`)

// allowedEnglish are the Latin-letter words a Korean string may keep: names
// of people, papers, libraries and layers, code identifiers and abbreviations.
// Parameter names and choices are allowed as well (see TestNoEnglishLeft).
var allowedEnglish = strings.Fields(`
	Adagrad Adam BN Bernoulli Distill GFLOPS Goh GoogLeNet Inf MAC MACs NaN
	PyTorch RMS RMSprop ReLU ResNet SGD Szegedy Table al et vs heavy-ball heavy ball
	torch torch.nn.Conv torch.optim torchinfo torchvision shortcut downsample
	reduction ops params px out_h out_w f_min eff_lr g_j m_j v_j w_j c_in c_out
	xy fd max min same pool true false
	conv fc bn inception layer resnet googlenet
	relu He MLP nats nn.Linear fan_in fan_out torch.nn.utils.clip_grad_norm
	aux FLOPs VGG Network
	Kingma Ba sign m_t v_t
	BatchNorm num_batches_tracked opt mean_expected_loss
	Fashion-MNIST out GMAC ms float
	torch.optim.SGD CIFAR CPU`)

// TestNoEnglishLeft catches a string that matched a pattern while the text
// its placeholder matched is English prose (say "{}: parameters" matching
// "Stem block: parameters"), which the coverage test cannot see.
func TestNoEnglishLeft(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every experiment")
	}
	allowed := map[string]bool{}
	for _, w := range allowedEnglish {
		allowed[w] = true
	}
	for _, e := range experiments.Registry().All() {
		for _, p := range e.Params {
			allowed[p.Name] = true
			for _, c := range p.Choices {
				allowed[c] = true
			}
		}
	}
	c := get("ko")
	var bad []string
	for _, s := range collect(t) {
		tr, ok := c.lookup(s.text)
		if !ok {
			continue // TestCoverage reports it
		}
		var words []string
		for _, w := range english.FindAllString(tr, -1) {
			if !allowed[w] {
				words = append(words, w)
			}
		}
		if len(words) > 0 {
			bad = append(bad, fmt.Sprintf("%q → %q: %v", s.text, tr, words))
		}
	}
	if len(bad) > 0 {
		sort.Strings(bad)
		t.Errorf("%d Korean string(s) keep English words (translate them, give the string its own entry, or allow the word in allowedEnglish):\n%s",
			len(bad), strings.Join(bad, "\n"))
	}
}
