package optim

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Optimizer updates a parameter vector in place from its gradient, with the
// semantics of PyTorch's single-tensor torch.optim implementation.
//
// State (momentum buffers, running averages, the step count) is created on
// the first Step, sized to len(theta), and recreated if the length changes.
// grad must have the same length as theta; it is not modified.
type Optimizer interface {
	// Name is the optimizer's name as accepted by New.
	Name() string
	// Step applies one update: θ ← θ − (update computed from grad).
	Step(theta, grad []float64)
	// Reset forgets all state, as if the optimizer were new.
	Reset()
}

// Config holds the hyper-parameters of every optimizer, named as in
// torch.optim. Each optimizer reads only its own fields.
//
// Unless Exact is set, a zero float field means PyTorch's default for the
// named optimizer (see Defaults), e.g. Adadelta LR 1.0, AdamW WeightDecay
// 0.01, Adagrad Eps 1e-10, RMSprop Eps 1e-8, Adadelta Eps 1e-6. Set Exact
// to take every field as given, so that zero means zero (e.g. Beta1 = 0).
type Config struct {
	LR                      float64 // learning rate
	Momentum                float64 // μ (sgd, momentum, nesterov, rmsprop)
	Dampening               float64 // SGD dampening
	WeightDecay             float64 // L2 penalty added to g (decoupled in adamw)
	Nesterov                bool    // SGD Nesterov momentum
	LRDecay                 float64 // Adagrad lr_decay
	InitialAccumulatorValue float64 // Adagrad initial_accumulator_value
	Eps                     float64 // ε added for numerical stability
	Alpha                   float64 // RMSprop smoothing constant
	Centered                bool    // RMSprop: normalize by the estimated variance
	Rho                     float64 // Adadelta coefficient of the running averages
	Beta1                   float64 // Adam β1
	Beta2                   float64 // Adam β2
	AMSGrad                 bool    // Adam/AdamW: use the running maximum of v
	Exact                   bool    // take every field as given (zero means zero)
}

// names lists the optimizers New accepts, in teaching order.
var names = []string{"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adadelta", "adam", "adamw"}

// Names returns the names New accepts.
func Names() []string { return slices.Clone(names) }

// Defaults returns PyTorch's default hyper-parameters for the named
// optimizer, with Exact set. torch.optim.SGD (1.13) has no default learning
// rate; like PyTorch ≥ 2.1 this uses 0.001. The "momentum" and "nesterov"
// optimizers are torch SGD with momentum > 0 (nesterov: nesterov=True); as
// torch has no default μ, they use the customary 0.9.
func Defaults(name string) (Config, error) {
	c := Config{Exact: true}
	switch name {
	case "sgd":
		c.LR = 1e-3
	case "momentum":
		c.LR, c.Momentum = 1e-3, 0.9
	case "nesterov":
		c.LR, c.Momentum, c.Nesterov = 1e-3, 0.9, true
	case "adagrad":
		c.LR, c.Eps = 1e-2, 1e-10
	case "rmsprop":
		c.LR, c.Alpha, c.Eps = 1e-2, 0.99, 1e-8
	case "adadelta":
		c.LR, c.Rho, c.Eps = 1.0, 0.9, 1e-6
	case "adam":
		c.LR, c.Beta1, c.Beta2, c.Eps = 1e-3, 0.9, 0.999, 1e-8
	case "adamw":
		c.LR, c.Beta1, c.Beta2, c.Eps, c.WeightDecay = 1e-3, 0.9, 0.999, 1e-8, 0.01
	default:
		return Config{}, fmt.Errorf("optim: unknown optimizer %q; known: %s", name, strings.Join(names, ", "))
	}
	return c, nil
}

// withDefaults replaces each zero float field of c by the same field of d.
func withDefaults(c, d Config) Config {
	for _, p := range []struct{ dst, src *float64 }{
		{&c.LR, &d.LR}, {&c.Momentum, &d.Momentum}, {&c.Dampening, &d.Dampening},
		{&c.WeightDecay, &d.WeightDecay}, {&c.LRDecay, &d.LRDecay},
		{&c.InitialAccumulatorValue, &d.InitialAccumulatorValue}, {&c.Eps, &d.Eps},
		{&c.Alpha, &d.Alpha}, {&c.Rho, &d.Rho}, {&c.Beta1, &d.Beta1}, {&c.Beta2, &d.Beta2},
	} {
		if *p.dst == 0 {
			*p.dst = *p.src
		}
	}
	return c
}

// New builds the named optimizer (one of Names) from c. Unless c.Exact is
// set, zero fields take PyTorch's defaults. It checks the same ranges as
// torch.optim's constructors.
func New(name string, c Config) (Optimizer, error) {
	d, err := Defaults(name)
	if err != nil {
		return nil, err
	}
	if !c.Exact {
		c = withDefaults(c, d)
	}
	switch name {
	case "momentum":
		c.Nesterov = false
	case "nesterov":
		c.Nesterov = true
	}
	if err := check(name, c); err != nil {
		return nil, err
	}
	switch name {
	case "sgd", "momentum", "nesterov":
		return &SGD{name: name, c: c}, nil
	case "adagrad":
		return &Adagrad{c: c}, nil
	case "rmsprop":
		return &RMSprop{c: c}, nil
	case "adadelta":
		return &Adadelta{c: c}, nil
	}
	return &Adam{name: name, c: c, decoupled: name == "adamw"}, nil
}

// check applies torch.optim's constructor checks for the named optimizer.
func check(name string, c Config) error {
	nonNeg := func(field string, v float64) error {
		if !(v >= 0) || v > math.MaxFloat64 {
			return fmt.Errorf("optim: %s %s must be a finite number ≥ 0, got %v", name, field, v)
		}
		return nil
	}
	unit := func(field string, v float64, closed bool) error {
		if !(v >= 0) || v > 1 || (!closed && v == 1) {
			hi := ")"
			if closed {
				hi = "]"
			}
			return fmt.Errorf("optim: %s %s must be in [0, 1%s, got %v", name, field, hi, v)
		}
		return nil
	}
	errs := []error{nonNeg("lr", c.LR), nonNeg("weight_decay", c.WeightDecay)}
	switch name {
	case "sgd", "momentum", "nesterov":
		errs = append(errs, nonNeg("momentum", c.Momentum), nonNeg("dampening", c.Dampening))
		if name == "momentum" && c.Momentum == 0 {
			return fmt.Errorf("optim: momentum needs momentum > 0, got 0")
		}
		if c.Nesterov && (c.Momentum <= 0 || c.Dampening != 0) {
			return fmt.Errorf("optim: nesterov needs momentum > 0 and dampening = 0, got momentum %v, dampening %v", c.Momentum, c.Dampening)
		}
	case "adagrad":
		errs = append(errs, nonNeg("lr_decay", c.LRDecay), nonNeg("initial_accumulator_value", c.InitialAccumulatorValue), nonNeg("eps", c.Eps))
	case "rmsprop":
		errs = append(errs, nonNeg("alpha", c.Alpha), nonNeg("eps", c.Eps), nonNeg("momentum", c.Momentum))
	case "adadelta":
		errs = append(errs, unit("rho", c.Rho, true), nonNeg("eps", c.Eps))
	case "adam", "adamw":
		errs = append(errs, unit("beta1", c.Beta1, false), unit("beta2", c.Beta2, false), nonNeg("eps", c.Eps))
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
