package convnet

// The cost model: the CPU time of a run, from the net's Work per image
// alone, checked before anything runs.
//
// The coefficients come from BenchmarkCost (testdata/fit_cost.py): process
// CPU time per step and per evaluated image at 44 corners (every
// architecture, widths 4 to 64, both sizes, batches 2 to 128, with and
// without BN and reductions; 0.2 ms to 0.93 s a step) on the 2-core
// machine nnlab is developed on, loaded by other processes. A least-squares
// fit of the relative error is within −30 % … +30 % of every corner (evaluation:
// −25 % … +34 %); the coefficients are then scaled up until no corner is
// under-estimated, so that the model is an upper envelope: 1.0 to 1.9
// times the measured time of a step. They were measured before max
// pooling's windows were unrolled and the blocks rounded to whole vector
// columns, which made every corner cheaper (the ResNet-20 of
// BenchmarkStep by a fifth, the small GoogLeNet by up to a third): the
// model overestimates those nets a little more, and stays a bound.
const (
	costMAC      = 0.163 * costEnvelope // ns per multiply-accumulate of a forward pass, per step
	costUnfolded = 1.19 * costEnvelope  // ns per unfolded value (im2col)
	costOutput   = 1.84 * costEnvelope  // ns per convolution output (BN, ReLU, joins)
	costPooled   = 8.18 * costEnvelope  // ns per max-pooled input or output value
	costStep     = 28340 * costEnvelope // ns per step: the head, the optimizer, calls
	costEnvelope = 1.43

	evalMAC      = 0.065 * evalEnvelope // ns per multiply-accumulate of an evaluated image
	evalUnfolded = 0.428 * evalEnvelope
	evalPooled   = 4.23 * evalEnvelope
	evalEnvelope = 1.34

	costLoadPixel = 20.0 // ns per pixel read and converted from the data set
)

// StepSeconds is the modelled CPU time of one training step of batch
// images.
func (w Work) StepSeconds(batch int) float64 {
	b := float64(batch)
	return (b*(costMAC*w.MACs+costUnfolded*w.Unfolded+costOutput*w.Outputs+costPooled*w.Pooled) + costStep) / 1e9
}

// EvalSeconds is the modelled CPU time of evaluating images.
func (w Work) EvalSeconds(images int) float64 {
	return float64(images) * (evalMAC*w.MACs + evalUnfolded*w.Unfolded + evalPooled*w.Pooled) / 1e9
}

// RunSeconds is the modelled CPU time of a run of c: reading the images,
// its steps, one more forward and backward pass (the final gradient
// norms) and the evaluation of the training and test images.
func (c Config) RunSeconds(w Work) float64 {
	load := float64((c.Train+c.Test)*28*28) * costLoadPixel / 1e9
	return load + float64(c.Steps+1)*w.StepSeconds(c.Batch) + w.EvalSeconds(c.Train+c.Test)
}

// RunBytes is the memory a run of c holds, in bytes: per image of the
// largest batch it runs (a step's, or an evaluation chunk of at least 32)
// five values per convolution output — the output, its normalized values
// and gradient, a join's output and gradient — two per pooled value, and
// three of the largest layer (the buffers the convolutions share: a
// gradient, its transpose and a copy); the unfolded input of one block, the
// parameters with their gradients, momentum and last good copy, and the
// images. TestRunBytes checks it against the heap.
func (c Config) RunBytes(w Work, params int) float64 {
	n := float64(max(c.Batch, evalChunk))
	perImage := 5*w.Outputs + 2*w.Pooled + 3*w.MaxLayer + float64(c.Size*c.Size)
	return 8 * (n*perImage + 4*float64(blockValues) + 4*float64(params) + float64((c.Train+c.Test)*c.Size*c.Size))
}
