package optim

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/nnlab/nnlab/core/experiment"
)

// Experiments returns the package's experiments: "optimize" and
// "momentum_rates" and "adam_bias".
func Experiments() []*experiment.Experiment {
	return []*experiment.Experiment{optimizeExperiment(), momentumRatesExperiment(), adamBiasExperiment()}
}

// Tol is the loss gap f(θ_k) − f_min below which a run counts as converged
// (the steps_to_tol scalars).
const Tol = 1e-6

// MaxSeeds is the most noise seeds the tail losses average over.
const MaxSeeds = 1000

// TailLoss is the mean loss over the later half of a run, steps ⌈T/2⌉ to T
// of a run of T steps (f(θ₀) alone when T = 0); NaN when the run diverged.
// Under gradient noise it estimates the long-run expected loss.
func TailLoss(tr *Trajectory) float64 {
	if tr.Diverged {
		return math.NaN()
	}
	T := len(tr.Loss) - 1
	sum := 0.0
	for _, f := range tr.Loss[(T+1)/2:] {
		sum += f
	}
	return sum / float64(len(tr.Loss[(T+1)/2:]))
}

// Grid size of the plotted surface.
const (
	gridNX = 60
	gridNY = 30
)

// OptimizeJSON is the --json payload of "optimize".
type OptimizeJSON struct {
	Surface string    `json:"surface"`
	Runs    []RunJSON `json:"runs"`
}

// RunJSON is one optimizer's run in OptimizeJSON. Trajectory holds steps+1
// points (start first) and Loss their losses, fewer when the run diverged;
// DivergedAt is omitted when it did not.
type RunJSON struct {
	Optimizer  string       `json:"optimizer"`
	Trajectory [][2]float64 `json:"trajectory"`
	Loss       []float64    `json:"loss"`
	Diverged   bool         `json:"diverged"`
	DivergedAt int          `json:"diverged_at,omitempty"`
}

func optimizeSchema() experiment.Schema {
	num := func(name string, def, lo, hi, step float64, log bool, help string) experiment.Param {
		return experiment.Param{Name: name, Kind: experiment.Float, Default: def, Min: lo, Max: hi, Step: step, Log: log, Help: help}
	}
	return experiment.Schema{
		{Name: "optimizers", Kind: experiment.List, Default: []string{"sgd", "momentum"}, Choices: Names(),
			Aliases: []string{"optimizer"},
			Help:    "optimizers to run from the same start (PyTorch torch.optim semantics): sgd, momentum and nesterov are SGD with momentum 0, μ and μ+nesterov"},
		{Name: "surface", Kind: experiment.Enum, Default: "quadratic", Choices: SurfaceNames(),
			Help: "quadratic a·x²+b·y²; rotated (the same turned by angle); rosenbrock (min at (1,1), try x0=-1.5 y0=2); beale (min at (3,0.5), try x0=1 y0=1.5); saddle x²−y² (no minimum)"},
		num("a", 0.1, 0.001, 100, 2, true, "coefficient of x² (quadratic) or of u² (rotated); Hessian eigenvalue 2a; other surfaces ignore it"),
		num("b", 2, 0.001, 100, 2, true, "coefficient of y² (quadratic) or of v² (rotated); Hessian eigenvalue 2b; other surfaces ignore it"),
		num("angle", 30, -180, 180, 15, false, "rotation of the rotated surface's axes, in degrees"),
		num("x0", -5, -100, 100, 0.5, false, "start x"),
		num("y0", -2, -100, 100, 0.5, false, "start y"),
		{Name: "steps", Kind: experiment.Int, Default: 50, Min: 1, Max: 10000, Step: 2, Log: true, Help: "number of updates"},
		num("lr", 0.4, 0, 100, 1.5, true, "learning rate shared by all optimizers; 0 means each optimizer's PyTorch default (sgd/momentum/nesterov 0.001, adagrad 0.01, rmsprop 0.01, adadelta 1, adam/adamw 0.001)"),
		num("momentum", 0.5, 0, 1, 0.05, false, "μ for momentum and nesterov (SGD's momentum; must be > 0 for them; rmsprop has its own rmsprop_momentum)"),
		num("dampening", 0, 0, 1, 0.1, false, "SGD dampening of momentum (nesterov needs 0)"),
		num("weight_decay", 0, 0, 10, 0.01, false, "L2 weight decay added to every gradient (decoupled for adamw); 0 means none, except adamw, which then uses its PyTorch default 0.01 (adam with 0 is adamw without decay)"),
		num("rmsprop_momentum", 0, 0, 1, 0.05, false, "rmsprop's momentum (PyTorch default 0)"),
		num("alpha", 0.99, 0, 1, 0.01, false, "rmsprop smoothing constant α (PyTorch default 0.99)"),
		num("rho", 0.9, 0, 1, 0.05, false, "adadelta running-average coefficient ρ (PyTorch default 0.9)"),
		num("beta1", 0.9, 0, 0.9999, 0.05, false, "adam/adamw β1, first-moment decay (PyTorch default 0.9)"),
		num("beta2", 0.999, 0, 0.99999, 0.001, false, "adam/adamw β2, second-moment decay (PyTorch default 0.999)"),
		num("eps", 0, 0, 1, 10, true, "ε added to the denominator; 0 means each optimizer's PyTorch default (adagrad 1e-10, rmsprop 1e-8, adadelta 1e-6, adam/adamw 1e-8)"),
		{Name: "centered", Kind: experiment.Bool, Default: false, Help: "rmsprop: divide by the estimated standard deviation instead of the RMS"},
		{Name: "amsgrad", Kind: experiment.Bool, Default: false, Help: "adam/adamw: use the running maximum of the second moment"},
		num("lr_decay", 0, 0, 10, 0.01, false, "adagrad learning-rate decay: lr/(1 + (t−1)·lr_decay)"),
		num("initial_accumulator_value", 0, 0, 100, 0.1, false, "adagrad's starting sum of squared gradients"),
		num("noise", 0, 0, 100, 0.1, false, "σ of Gaussian noise added to every gradient component (0 for exact gradients)"),
		{Name: "seed", Kind: experiment.Int, Default: 1, Min: 0, Max: 1e9, Step: 1, Help: "noise seed; the same seed gives the same noise to every optimizer and run"},
		{Name: "seeds", Kind: experiment.Int, Default: 1, Min: 1, Max: MaxSeeds, Step: 2, Log: true,
			Help: "with noise: how many runs (seeds seed, seed+1, …) the tail losses average over; paths and curves show the first"},
		{Name: "follow", Kind: experiment.Bool, Default: false,
			Help: "the surface's window follows the whole of every path (false: points far outside the surface's own window are left out)"},
	}
}

// Bounds on a run of optimize, checked from the parameters alone before
// anything runs (optimizeValidate, optimizeHeavy).
const (
	// MaxSeconds bounds RunSeconds: every permitted run ends in about that
	// much CPU time (the runs are sequential, so also wall time).
	MaxSeconds = 5.0
	// HeavySeconds is the modelled time above which a run is heavy: the
	// notebook no longer reruns it at every nudge, and a learner's heavy
	// runs wait for each other.
	HeavySeconds = 0.1
)

// StepCost is the modelled CPU time of one step of the named optimizer,
// in nanoseconds, gradient noise and the step's record included. The
// coefficients come from BenchmarkCost (10,000 steps of each optimizer on
// the quadratic, Rosenbrock and Beale surfaces, with and without noise, on
// the 2-core machines nnlab is served from, under load: 31–61 ns for the
// SGD family, Adagrad, RMSprop and Adadelta, 200–238 ns for Adam and AdamW,
// whose bias corrections take two powers a step), raised about a third to
// an upper envelope.
func StepCost(name string) float64 {
	if name == "adam" || name == "adamw" {
		return 300
	}
	return 80
}

// RunSeconds is the modelled CPU time of a run of optimize, in seconds:
// each optimizer runs steps steps once per seed (seeds counts only under
// noise), plus the surface's grid and the report (under a millisecond).
func RunSeconds(optimizers []string, steps, seeds int) float64 {
	ns := 1e6
	for _, name := range optimizers {
		ns += float64(seeds) * float64(steps) * StepCost(name)
	}
	return ns / 1e9
}

// runSeconds is RunSeconds of the values v.
func runSeconds(v experiment.Values) (sec float64, seeds int) {
	seeds = 1
	if v.Float("noise") > 0 {
		seeds = v.Int("seeds")
	}
	return RunSeconds(v.List("optimizers"), v.Int("steps"), seeds), seeds
}

// optimizeHeavy is a run modelled to take more than HeavySeconds.
func optimizeHeavy(v experiment.Values) bool {
	sec, _ := runSeconds(v)
	return sec > HeavySeconds
}

// optimizeValidate checks the rules that tie parameters together, then the
// time bound.
func optimizeValidate(v experiment.Values) error {
	opts := v.List("optimizers")
	for _, name := range []string{"momentum", "nesterov"} {
		if slices.Contains(opts, name) && v.Float("momentum") <= 0 {
			return experiment.Invalid([]string{"momentum", "optimizers"}, "rule.optimize.momentum_positive", "momentum must be > 0 for the {1} optimizer, got {2}", name, v.Float("momentum"))
		}
	}
	if slices.Contains(opts, "nesterov") && v.Float("dampening") != 0 {
		return experiment.Invalid([]string{"dampening", "optimizers"}, "rule.optimize.nesterov_dampening", "dampening must be 0 for the nesterov optimizer, got {1}", v.Float("dampening"))
	}
	if sec, seeds := runSeconds(v); sec > MaxSeconds {
		return experiment.Invalid([]string{"optimizers", "steps", "seeds"}, "rule.optimize.time",
			"this run would take about {1} s of computing ({2} optimizers, steps={3}, seeds={4}); the limit is {5} s; reduce seeds, steps or optimizers",
			math.Ceil(sec*10)/10, len(opts), v.Int("steps"), seeds, MaxSeconds)
	}
	return nil
}

// configFor maps the shared parameters to one optimizer's Config: PyTorch's
// defaults, overridden by every parameter the optimizer reads (lr, eps and
// weight_decay only when > 0).
func configFor(name string, v experiment.Values) (Config, error) {
	c, err := Defaults(name)
	if err != nil {
		return c, err
	}
	if lr := v.Float("lr"); lr > 0 {
		c.LR = lr
	}
	if eps := v.Float("eps"); eps > 0 {
		c.Eps = eps
	}
	if wd := v.Float("weight_decay"); wd > 0 {
		c.WeightDecay = wd
	}
	switch name {
	case "momentum", "nesterov":
		c.Momentum, c.Dampening = v.Float("momentum"), v.Float("dampening")
	case "adagrad":
		c.LRDecay, c.InitialAccumulatorValue = v.Float("lr_decay"), v.Float("initial_accumulator_value")
	case "rmsprop":
		c.Momentum, c.Alpha, c.Centered = v.Float("rmsprop_momentum"), v.Float("alpha"), v.Bool("centered")
	case "adadelta":
		c.Rho = v.Float("rho")
	case "adam", "adamw":
		c.Beta1, c.Beta2, c.AMSGrad = v.Float("beta1"), v.Float("beta2"), v.Bool("amsgrad")
	}
	return c, nil
}

func optimizeExperiment() *experiment.Experiment {
	return &experiment.Experiment{
		Name:     "optimize",
		Summary:  "Run PyTorch optimizers side by side on a 2-D surface and compare their paths, losses and (on quadratics) convergence rates with theory",
		Params:   optimizeSchema(),
		Validate: optimizeValidate,
		Heavy:    optimizeHeavy,
		Ignored:  optimizeIgnored,
		Sizes:    []string{"steps", "seeds"}, // the time bound grows with each
		Run:      runOptimize,
	}
}

func runOptimize(ctx context.Context, v experiment.Values, progress experiment.Progress) (*experiment.Result, error) {
	s, err := NewSurface(v.String("surface"), v.Float("a"), v.Float("b"), v.Float("angle"))
	if err != nil {
		return nil, err
	}
	rc := RunConfig{
		Start: [2]float64{v.Float("x0"), v.Float("y0")},
		Steps: v.Int("steps"),
		Noise: v.Float("noise"),
		Seed:  uint64(v.Int("seed")),
	}
	names := v.List("optimizers")
	seeds := 1
	if rc.Noise > 0 {
		seeds = v.Int("seeds")
	}
	trs := make([]*Trajectory, len(names))
	tails := make([]float64, len(names)) // NaN when a run diverged
	for i, name := range names {
		c, err := configFor(name, v)
		if err != nil {
			return nil, err
		}
		opt, err := New(name, c)
		if err != nil {
			return nil, err
		}
		for k := range seeds {
			rk := rc
			rk.Seed = rc.Seed + uint64(k)
			tr, err := Run(ctx, s, opt, rk)
			if err != nil {
				return nil, err
			}
			if k == 0 {
				trs[i] = tr
			}
			tails[i] += TailLoss(tr) / float64(seeds)
		}
		if progress != nil {
			progress(i+1, len(names), nil)
		}
	}

	r := &experiment.Result{}
	payload := OptimizeJSON{Surface: s.Name, Runs: make([]RunJSON, len(names))}
	surf := gridSurface(s, rc.Start, trs, v.Bool("follow"))
	// A log axis where f is bounded below by f_min = 0 (the loss is then
	// ≥ 0) and some loss is positive. A loss of exactly 0 — a run that
	// reached the minimum, or whose f fell below the smallest float64 — is
	// not drawn there, and a note says where its curve ends.
	loss := experiment.Chart{Key: "loss", Title: "Loss f(θ) per step on " + s.Formula, XLabel: "step", YLabel: "f(θ)"}
	if s.HasMinimum() && s.FMin == 0 {
		for _, tr := range trs {
			loss.LogY = loss.LogY || slices.ContainsFunc(tr.Loss, func(f float64) bool { return f > 0 })
		}
	}
	for i, name := range names {
		tr := trs[i]
		payload.Runs[i] = RunJSON{Optimizer: name, Trajectory: tr.Points, Loss: tr.Loss, Diverged: tr.Diverged, DivergedAt: tr.DivergedAt}
		surf.Paths = append(surf.Paths, experiment.Path{Name: name, Points: tr.Points, Loss: tr.Loss, Velocity: tr.Velocity})
		loss.Series = append(loss.Series, experiment.Series{Name: name, Y: tr.Loss})
		if k := slices.Index(tr.Loss, 0); loss.LogY && k >= 0 {
			r.Notes = append(r.Notes, fmt.Sprintf("%s's loss is 0 from step %d (the minimum, or below the smallest float64): the log axis cannot show 0, so its curve ends there.", name, k))
		}
		addRunScalars(r, s, name, tr)
		if !math.IsNaN(tails[i]) {
			label := name + " tail loss: mean f over the later half of the run"
			if seeds > 1 {
				label += fmt.Sprintf(" and %d seeds", seeds)
			}
			r.AddScalar(name+".tail_loss", label, tails[i], "")
		}
		if tr.Diverged {
			r.Notes = append(r.Notes, fmt.Sprintf("%s diverged at step %d (a value became non-finite or exceeded |θ| > 1e100 or |f| > 1e200); its path ends at step %d.", name, tr.DivergedAt, tr.DivergedAt-1))
		}
	}
	if s.Eigenvalues != nil {
		if err := addTheory(r, s, v, names, trs); err != nil {
			return nil, err
		}
	}
	if s.Note != "" {
		r.Notes = append(r.Notes, s.Note)
	}
	if seeds > 1 {
		r.Notes = append(r.Notes, fmt.Sprintf("Paths and curves show seed %d; the tail losses average seeds %d to %d.", rc.Seed, rc.Seed, rc.Seed+uint64(seeds)-1))
	}
	r.Surfaces = []experiment.Surface{surf}
	r.Charts = []experiment.Chart{loss}
	r.JSON = payload
	return r, nil
}

// addRunScalars adds <name>.final_loss, .final_x, .final_y, .diverged_at
// and, on surfaces with a minimum, .dist and .steps_to_tol (−1 when the
// loss gap never reaches Tol).
func addRunScalars(r *experiment.Result, s *Surface, name string, tr *Trajectory) {
	p, f := tr.Final()
	r.AddScalar(name+".final_loss", name+" final loss f(θ_T)", f, "")
	r.AddScalar(name+".final_x", name+" final x", p[0], "")
	r.AddScalar(name+".final_y", name+" final y", p[1], "")
	if _, d, ok := s.NearestMinimum(p[0], p[1]); ok {
		r.AddScalar(name+".dist", name+" final distance to the nearest minimum", d, "")
		at := -1
		for k, l := range tr.Loss {
			if l-s.FMin <= Tol {
				at = k
				break
			}
		}
		r.AddScalar(name+".steps_to_tol", name+" first step with f − f_min ≤ 1e-6 (−1: never)", float64(at), "steps")
	}
	r.AddScalar(name+".diverged_at", name+" step at which the run diverged (0: it did not)", float64(tr.DivergedAt), "steps")
}

// addTheory adds the quadratic-theory scalars for the eigenvalues the
// optimizers actually see (2a + wd, 2b + wd with weight decay wd) and the
// measured rates of the sgd and momentum runs.
func addTheory(r *experiment.Result, s *Surface, v experiment.Values, names []string, trs []*Trajectory) error {
	gd, err := configFor("sgd", v)
	if err != nil {
		return err
	}
	hb, err := configFor("momentum", v)
	if err != nil {
		return err
	}
	l1, ln := s.Eigenvalues[0]+gd.WeightDecay, s.Eigenvalues[1]+gd.WeightDecay
	// Dampening d scales momentum SGD's step: buf/(1−d) is the heavy ball's z.
	alphaHB := hb.LR * (1 - hb.Dampening)
	gdLR, gdRate := OptimalGD(l1, ln)
	hbLR, hbBeta, hbRate := OptimalHeavyBall(l1, ln)
	r.AddScalar("lambda_min", "smallest Hessian eigenvalue (incl. weight decay)", l1, "")
	r.AddScalar("lambda_max", "largest Hessian eigenvalue (incl. weight decay)", ln, "")
	r.AddScalar("kappa", "condition number κ = λmax/λmin", Kappa(l1, ln), "")
	r.AddScalar("gd.rate", "gradient descent rate max|1 − lr·λ| at this lr (< 1 converges)", GDRate(gd.LR, l1, ln), "per step")
	r.AddScalar("gd.optimal_lr", "gradient descent optimal lr 2/(λmin + λmax)", gdLR, "")
	r.AddScalar("gd.optimal_rate", "gradient descent optimal rate (κ − 1)/(κ + 1)", gdRate, "per step")
	r.AddScalar("momentum.rate", "heavy-ball rate at this lr and momentum (< 1 converges)", HeavyBallRate(alphaHB, hb.Momentum, l1, ln), "per step")
	r.AddScalar("momentum.optimal_lr", "heavy-ball optimal lr (2/(√λmin + √λmax))²", hbLR, "")
	r.AddScalar("momentum.optimal_beta", "heavy-ball optimal momentum ((√κ − 1)/(√κ + 1))²", hbBeta, "")
	r.AddScalar("momentum.optimal_rate", "heavy-ball optimal rate (√κ − 1)/(√κ + 1)", hbRate, "per step")
	r.AddScalar("gd.max_lr", "largest stable gradient-descent lr 2/λmax", GDMaxLR(ln), "")
	// Both are finite for μ < 1 and d < 1 only (the parameters allow 1).
	if hb.Dampening < 1 {
		r.AddScalar("momentum.max_lr", "largest stable heavy-ball lr (2 + 2μ)/λmax (with dampening d: divided by 1 − d)", HeavyBallMaxLR(hb.Momentum, ln)/(1-hb.Dampening), "")
	}
	if hb.Momentum < 1 {
		r.AddScalar("momentum.effective_lr", "momentum's effective lr lr·(1 − d)/(1 − μ): its step on a constant gradient g is this × g", hb.LR*(1-hb.Dampening)/(1-hb.Momentum), "")
	}
	r.AddScalar("nesterov.rate", "Nesterov rate at this lr and momentum (< 1 converges)", NesterovRate(hb.LR, hb.Momentum, l1, ln), "per step")
	r.AddScalar("nesterov.max_lr", "largest stable Nesterov lr (2 + 2μ)/((1 + 2μ)·λmax)", NesterovMaxLR(hb.Momentum, ln), "")
	if sigma := v.Float("noise"); sigma > 0 {
		addExpectedLoss(r, s, names, gd, hb, sigma)
	}
	for i, name := range names {
		if name != "sgd" && name != "momentum" {
			continue
		}
		dist := make([]float64, len(trs[i].Points))
		for k, p := range trs[i].Points {
			_, dist[k], _ = s.NearestMinimum(p[0], p[1])
		}
		rate, t0, t1, ok := MeasuredRateOver(dist)
		switch {
		case !ok:
			r.Notes = append(r.Notes, fmt.Sprintf("%s's rate cannot be measured: its distance to the minimum reached 0 or fell below 1e-250, where float64 loses precision, before two steps were taken.", name))
		case t1 < len(dist)-1:
			r.Notes = append(r.Notes, fmt.Sprintf("%s's distance to the minimum fell below 1e-250 at step %d, where float64 loses precision: its measured rate is over steps %d to %d.", name, t1+1, t0, t1))
			fallthrough
		default:
			r.AddScalar(name+".measured_rate", name+" measured rate: geometric-mean distance ratio over the later half of the run", rate, "per step")
		}
	}
	return nil
}

// addExpectedLoss adds <name>.expected_loss (and its parts _flat, _steep
// along the eigen-directions of λmin and λmax) for sgd, momentum and
// nesterov: the long-run expected loss under gradient noise σ in closed form
// (SGDStationaryLoss, HeavyBallStationaryLoss, NesterovStationaryLoss). With
// weight decay wd the optimizer sees λ + wd while the loss weighs ½·λ·Var(w).
// An optimizer that is unstable gets a note instead.
func addExpectedLoss(r *experiment.Result, s *Surface, names []string, gd, hb Config, sigma float64) {
	wd := gd.WeightDecay
	for _, name := range names {
		var part func(l float64) float64 // ½·l·Var(w) along eigenvalue l
		switch name {
		case "sgd":
			part = func(l float64) float64 { return SGDStationaryLoss(gd.LR, l, sigma) }
		case "momentum":
			part = func(l float64) float64 { return HeavyBallStationaryLoss(hb.LR*(1-hb.Dampening), hb.Momentum, l, sigma) }
		case "nesterov":
			part = func(l float64) float64 { return NesterovStationaryLoss(hb.LR, hb.Momentum, l, sigma) }
		default:
			continue
		}
		flat := s.Eigenvalues[0] / (s.Eigenvalues[0] + wd) * part(s.Eigenvalues[0]+wd)
		steep := s.Eigenvalues[1] / (s.Eigenvalues[1] + wd) * part(s.Eigenvalues[1]+wd)
		if math.IsInf(flat+steep, 0) {
			r.Notes = append(r.Notes, fmt.Sprintf("%s has no long-run expected loss: it is unstable at this lr and momentum.", name))
			continue
		}
		r.AddScalar(name+".expected_loss", name+" long-run expected loss (closed form)", flat+steep, "")
		r.AddScalar(name+".expected_loss_flat", name+" long-run expected loss along the flat direction (λmin)", flat, "")
		r.AddScalar(name+".expected_loss_steep", name+" long-run expected loss along the steep direction (λmax)", steep, "")
	}
}

// gridSurface samples s on a gridNX × gridNY grid over its window, widened
// to include the start and the trajectories: every point when follow,
// otherwise those within the window's own width or height beyond it (so a
// diverging run does not shrink everything else to a dot).
func gridSurface(s *Surface, start [2]float64, trs []*Trajectory, follow bool) experiment.Surface {
	x0, x1, y0, y1 := s.XMin, s.XMax, s.YMin, s.YMax
	w, h := x1-x0, y1-y0
	cx0, cx1, cy0, cy1 := min(x0-w, start[0]), max(x1+w, start[0]), min(y0-h, start[1]), max(y1+h, start[1])
	if follow {
		cx0, cx1, cy0, cy1 = math.Inf(-1), math.Inf(1), math.Inf(-1), math.Inf(1)
	}
	lo, hi := [2]float64{x0, y0}, [2]float64{x1, y1}
	include := func(p [2]float64) {
		if p[0] >= cx0 && p[0] <= cx1 && p[1] >= cy0 && p[1] <= cy1 {
			lo = [2]float64{min(lo[0], p[0]), min(lo[1], p[1])}
			hi = [2]float64{max(hi[0], p[0]), max(hi[1], p[1])}
		}
	}
	include(start)
	for _, tr := range trs {
		for _, p := range tr.Points {
			include(p)
		}
	}
	// Leave a 5% margin on each side that had to grow.
	mx, my := 0.05*(hi[0]-lo[0]), 0.05*(hi[1]-lo[1])
	if lo[0] < x0 {
		x0 = lo[0] - mx
	}
	if hi[0] > x1 {
		x1 = hi[0] + mx
	}
	if lo[1] < y0 {
		y0 = lo[1] - my
	}
	if hi[1] > y1 {
		y1 = hi[1] + my
	}
	out := experiment.Surface{
		Key: "surface", Title: s.Formula,
		XMin: x0, XMax: x1, YMin: y0, YMax: y1, NX: gridNX, NY: gridNY,
		Z:      make([]float64, gridNX*gridNY),
		Minima: slices.Clone(s.Minima),
		Paths:  make([]experiment.Path, 0, len(trs)),
	}
	dx, dy := (x1-x0)/(gridNX-1), (y1-y0)/(gridNY-1)
	for j := range gridNY {
		y := y0 + float64(j)*dy
		for i := range gridNX {
			out.Z[j*gridNX+i] = s.F(x0+float64(i)*dx, y)
		}
	}
	return out
}

// MomentumRatesJSON is the --json payload of "momentum_rates": the lr grid,
// the predicted rate at each lr for gradient descent, the heavy ball at the
// given momentum and at the optimal momentum, PyTorch's Nesterov at the
// given momentum (in the JSON only: its rate climbs far above the others and
// would flatten the chart), and every scalar by key.
type MomentumRatesJSON struct {
	LR                  []float64          `json:"lr"`
	GD                  []float64          `json:"gd"`
	Momentum            []float64          `json:"momentum"`
	MomentumOptimalBeta []float64          `json:"momentum_optimal_beta"`
	Nesterov            []float64          `json:"nesterov"`
	Scalars             map[string]float64 `json:"scalars"`
}

const ratePoints = 201

// RatesWindow is the top of the "rates" chart's y axis: rates above it are
// cut at the top edge.
const RatesWindow = 1.2

func momentumRatesExperiment() *experiment.Experiment {
	return &experiment.Experiment{
		Name:    "momentum_rates",
		Summary: "Predicted convergence rate per step of gradient descent and heavy-ball momentum on a·x² + b·y² as the learning rate varies",
		Params: experiment.Schema{
			{Name: "a", Kind: experiment.Float, Default: 0.1, Min: 0.001, Max: 100, Step: 2, Log: true, Help: "coefficient of x²; Hessian eigenvalue 2a"},
			{Name: "b", Kind: experiment.Float, Default: 2.0, Min: 0.001, Max: 100, Step: 2, Log: true, Help: "coefficient of y²; Hessian eigenvalue 2b"},
			{Name: "momentum", Kind: experiment.Float, Default: 0.5, Min: 0, Max: 0.999, Step: 0.05, Help: "heavy-ball momentum β (PyTorch SGD's μ)"},
			{Name: "lr_max", Kind: experiment.Float, Default: 0.0, Min: 0, Max: 1000, Step: 1.5, Log: true, Help: "right end of the lr axis; 0 means 1.25 × the heavy ball's stability limit (2 + 2β)/λmax"},
		},
		Run: runMomentumRates,
	}
}

func runMomentumRates(ctx context.Context, v experiment.Values, _ experiment.Progress) (*experiment.Result, error) {
	a, b, beta := v.Float("a"), v.Float("b"), v.Float("momentum")
	l := sorted2(2*a, 2*b)
	l1, ln := l[0], l[1]
	lrMax := v.Float("lr_max")
	if lrMax == 0 {
		lrMax = 1.25 * HeavyBallMaxLR(beta, ln)
	}
	gdLR, gdRate := OptimalGD(l1, ln)
	hbLR, hbBeta, hbRate := OptimalHeavyBall(l1, ln)
	xs := make([]float64, ratePoints)
	gd, hb, opt := make([]float64, ratePoints), make([]float64, ratePoints), make([]float64, ratePoints)
	nest := make([]float64, ratePoints)
	for i := range xs {
		x := lrMax * float64(i) / (ratePoints - 1)
		xs[i] = x
		gd[i] = GDRate(x, l1, ln)
		hb[i] = HeavyBallRate(x, beta, l1, ln)
		opt[i] = HeavyBallRate(x, hbBeta, l1, ln)
		nest[i] = NesterovRate(x, beta, l1, ln)
	}
	bestLR, bestRate := HeavyBallBestLR(beta, l1, ln)
	floorLo, floorHi, floorOK := HeavyBallFloor(beta, l1, ln)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r := &experiment.Result{}
	r.AddScalar("lambda_min", "smallest Hessian eigenvalue min(2a, 2b)", l1, "")
	r.AddScalar("lambda_max", "largest Hessian eigenvalue max(2a, 2b)", ln, "")
	r.AddScalar("kappa", "condition number κ = λmax/λmin", Kappa(l1, ln), "")
	r.AddScalar("gd.max_lr", "largest stable gradient-descent lr 2/λmax", GDMaxLR(ln), "")
	r.AddScalar("gd.optimal_lr", "gradient descent optimal lr 2/(λmin + λmax)", gdLR, "")
	r.AddScalar("gd.optimal_rate", "gradient descent optimal rate (κ − 1)/(κ + 1)", gdRate, "per step")
	r.AddScalar("momentum.max_lr", "largest stable heavy-ball lr (2 + 2β)/λmax at this momentum", HeavyBallMaxLR(beta, ln), "")
	r.AddScalar("momentum.best_lr", "smallest lr with the best heavy-ball rate at this momentum", bestLR, "")
	r.AddScalar("momentum.best_rate", "best heavy-ball rate at this momentum (over lr)", bestRate, "per step")
	if floorOK && beta > 0 {
		r.AddScalar("momentum.floor_lr_min", "start of the flat floor (rate √β): (1 − √β)²/λmin", floorLo, "")
		r.AddScalar("momentum.floor_lr_max", "end of the flat floor (rate √β): (1 + √β)²/λmax", floorHi, "")
	}
	r.AddScalar("nesterov.max_lr", "largest stable Nesterov lr (2 + 2β)/((1 + 2β)·λmax) at this momentum", NesterovMaxLR(beta, ln), "")
	r.AddScalar("momentum.optimal_lr", "heavy-ball optimal lr (2/(√λmin + √λmax))²", hbLR, "")
	r.AddScalar("momentum.optimal_beta", "heavy-ball optimal momentum ((√κ − 1)/(√κ + 1))²", hbBeta, "")
	r.AddScalar("momentum.optimal_rate", "heavy-ball optimal rate (√κ − 1)/(√κ + 1)", hbRate, "per step")
	// The chart shows the rates the lesson talks about, 0 to RatesWindow:
	// every converging rate with room above 1 to see a curve cross it;
	// what climbs higher is cut at the top. The floor at √β and its ends,
	// where one direction is critically damped (β = (1 − √(lr·λ))²), are
	// marked.
	var marks []experiment.Mark
	if floorOK && beta > 0 {
		marks = []experiment.Mark{
			{Label: "floor √β", At: math.Sqrt(beta)},
			{Label: "critical damping", At: floorLo, X: true},
			{Label: "critical damping", At: floorHi, X: true},
		}
	}
	r.Charts = []experiment.Chart{{
		Key:    "rates",
		Title:  fmt.Sprintf("Convergence rate per step on %s·x² + %s·y² (below 1 converges)", fmtCoef(a), fmtCoef(b)),
		XLabel: "learning rate", YLabel: "rate",
		Refs:    []float64{1}, // below this line a run converges
		Marks:   marks,
		YWindow: &[2]float64{0, RatesWindow},
		Series: []experiment.Series{
			{Name: "gradient descent", X: xs, Y: gd},
			{Name: fmt.Sprintf("momentum β=%s", fmtCoef(beta)), X: xs, Y: hb},
			{Name: fmt.Sprintf("momentum β*=%s", fmtCoef(hbBeta)), X: xs, Y: opt},
		},
	}}
	r.Notes = []string{strings.TrimSpace(fmt.Sprintf(
		"Rates from the eigenvalues of the iteration matrix per Hessian eigenvalue λ ∈ {%s, %s} (Goh, Distill 2017); PyTorch's SGD momentum is this heavy ball with α = lr, β = μ.",
		fmtCoef(l1), fmtCoef(ln)))}
	sc := make(map[string]float64, len(r.Scalars))
	for _, x := range r.Scalars {
		sc[x.Key] = x.Value
	}
	r.JSON = MomentumRatesJSON{LR: xs, GD: gd, Momentum: hb, MomentumOptimalBeta: opt, Nesterov: nest, Scalars: sc}
	return r, nil
}

// optimizerParams are the parameters configFor gives some optimizers only
// (lr and weight_decay go to every one): whose each is, which optimizers
// read it, and what plays its part in those that do not.
var optimizerParams = []experiment.Owned{
	{Param: "momentum", Whose: "SGD's momentum μ (optimizers momentum and nesterov)", ReadBy: []string{"momentum", "nesterov"}, Instead: map[string]string{
		"sgd": "sgd is SGD without momentum (choose momentum or nesterov)", "rmsprop": "RMSprop's momentum is rmsprop_momentum",
		"adam": "Adam's first moment decays by beta1", "adamw": "AdamW's first moment decays by beta1"}},
	{Param: "dampening", Whose: "SGD's dampening (optimizers momentum and nesterov)", ReadBy: []string{"momentum", "nesterov"}, Instead: map[string]string{
		"sgd": "sgd is SGD without momentum (choose momentum or nesterov)"}},
	{Param: "rmsprop_momentum", Whose: "RMSprop's momentum", ReadBy: []string{"rmsprop"}, Instead: map[string]string{
		"sgd": "SGD's momentum is momentum (optimizers momentum and nesterov)", "momentum": "SGD's momentum is momentum", "nesterov": "SGD's momentum is momentum",
		"adam": "Adam's first moment decays by beta1", "adamw": "AdamW's first moment decays by beta1"}},
	{Param: "alpha", Whose: "RMSprop's smoothing constant α", ReadBy: []string{"rmsprop"}, Instead: map[string]string{
		"adam": "Adam's average of g² decays by beta2", "adamw": "AdamW's average of g² decays by beta2", "adadelta": "Adadelta's averages decay by rho"}},
	{Param: "centered", Whose: "RMSprop's centered switch", ReadBy: []string{"rmsprop"}},
	{Param: "rho", Whose: "Adadelta's ρ", ReadBy: []string{"adadelta"}, Instead: map[string]string{
		"adam": "Adam has no ρ (its average of g² decays by beta2)", "adamw": "AdamW has no ρ (its average of g² decays by beta2)",
		"rmsprop": "RMSprop has no ρ (its average of g² decays by alpha)"}},
	{Param: "beta1", Whose: "Adam's β1", ReadBy: []string{"adam", "adamw"}, Instead: map[string]string{
		"momentum": "SGD's momentum is momentum", "nesterov": "SGD's momentum is momentum", "rmsprop": "RMSprop's momentum is rmsprop_momentum"}},
	{Param: "beta2", Whose: "Adam's β2", ReadBy: []string{"adam", "adamw"}, Instead: map[string]string{
		"rmsprop": "RMSprop's average of g² decays by alpha", "adadelta": "Adadelta's averages decay by rho"}},
	{Param: "amsgrad", Whose: "Adam's AMSGrad switch", ReadBy: []string{"adam", "adamw"}},
	{Param: "lr_decay", Whose: "Adagrad's learning-rate decay", ReadBy: []string{"adagrad"}},
	{Param: "initial_accumulator_value", Whose: "Adagrad's starting sum of squared gradients", ReadBy: []string{"adagrad"}},
	{Param: "eps", Whose: "the ε of Adagrad, RMSprop, Adadelta and Adam", ReadBy: []string{"adagrad", "rmsprop", "adadelta", "adam", "adamw"}, Instead: map[string]string{
		"sgd": "SGD divides by nothing, so it has no ε", "momentum": "SGD divides by nothing, so it has no ε", "nesterov": "SGD divides by nothing, so it has no ε"}},
}

// optimizeIgnored says which given parameters none of the chosen
// optimizers reads (see experiment.Unread).
func optimizeIgnored(v experiment.Values, given []string) []string {
	return experiment.Unread(v.List("optimizers"), optimizerParams, given)
}
