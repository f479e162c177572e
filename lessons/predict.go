package lessons

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/core/quiz"
	"gopkg.in/yaml.v3"
)

// Predict is a cell's "predict, then run" exercise: before the cell runs
// for the first time, the learner types what they expect one of its
// results to be; the run at the lesson's values then grades the guess.
// The habit is Distill's: commit to a number, then look.
type Predict struct {
	// Ask is the question, one or two lines; it may hold values.
	Ask string
	// Key is the result scalar predicted, at the cell's lesson values.
	Key string
	// Tolerance is the relative error a guess may have and count
	// (0.1: within 10 %); 0 asks for the number itself, at the precision
	// typed, as a quiz answer is graded.
	Tolerance float64
	// Explain is shown once the guess is graded, right or wrong; optional,
	// it may hold values.
	Explain string

	keyPos pos
}

// DefaultPredictTolerance is a prediction's tolerance when the cell does
// not give one: within 10 %.
const DefaultPredictTolerance = 0.1

// PredictID is the id under which a cell's prediction, once right, is
// remembered among the lesson's passed exercises.
func (c *Cell) PredictID() string { return c.ID + ".predict" }

// Judge grades guess against the cell's result r (run at the lesson's
// values): the value predicted, and whether the guess counts.
func (p *Predict) Judge(r *experiment.Result, guess quiz.Answer) (actual float64, ok bool, err error) {
	s, found := r.Scalar(p.Key)
	if !found {
		return 0, false, fmt.Errorf("predict: the result has no %q", p.Key)
	}
	return s.Value, quiz.Grade(guess, s.Value, p.Tolerance) != quiz.Wrong, nil
}

// predict parses a cell's predict mapping; the values in its texts join
// c's.
func (p *parser) predict(y *yamlDoc, v *yaml.Node, c *Cell) *Predict {
	pr := &Predict{Tolerance: DefaultPredictTolerance}
	seen := y.fields(v, "predict", []string{"ask", "key", "tolerance", "explain"}, func(key string, k, v *yaml.Node) {
		switch key {
		case "ask":
			if s, ok := y.text(v, key); ok {
				pr.Ask = s
				c.addText(y.cellText(v, s))
			}
		case "explain":
			if s, ok := y.text(v, key); ok {
				pr.Explain = s
				c.addText(y.cellText(v, s))
			}
		case "key":
			if s, ok := y.line(v, key); ok {
				if strings.ContainsAny(s, " {}") {
					y.errAt(v, "predict: key is a result key such as momentum.rate, got %q", s)
					return
				}
				pr.Key, pr.keyPos = s, y.at(v)
			}
		case "tolerance":
			t, err := strconv.ParseFloat(strings.TrimSpace(v.Value), 64)
			if v.Kind != yaml.ScalarNode || err != nil || math.IsNaN(t) || t < 0 || t > 1 {
				y.errAt(v, "predict: tolerance is a relative error from 0 to 1 (0.1: within 10 %%), got %q", v.Value)
				return
			}
			pr.Tolerance = t
		}
	})
	if seen == nil {
		return nil
	}
	for _, f := range []string{"ask", "key"} {
		if !seen[f] {
			y.errAt(v, "predict lacks %s", f)
		}
	}
	return pr
}

// checkPredict verifies that a cell's prediction asks for a number its
// result has.
func checkPredict(e *errs, c *Cell, r *experiment.Result) {
	if c.Predict == nil || c.Predict.Key == "" {
		return
	}
	if _, ok := r.Scalar(c.Predict.Key); !ok {
		e.add(c.Predict.keyPos, "predict: %s has no result %q to predict; result keys: %s", c.Experiment.Name, c.Predict.Key, strings.Join(scalarKeys(r), ", "))
	}
}
