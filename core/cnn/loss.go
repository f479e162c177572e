package cnn

import (
	"fmt"
	"math"
)

// CrossEntropy is torch.nn.functional.cross_entropy(logits, labels) with
// the mean over the batch: L = −(1/N)·Σ_n log softmax(z_n)[y_n], the log
// of the softmax taken as z − max z − log Σ exp(z − max z). It returns L
// and dL/dz = (softmax(z_n) − onehot(y_n))/N, in logits' shape (N×K×1×1).
func CrossEntropy(logits *Tensor, labels []int) (float64, *Tensor, error) {
	if logits == nil || logits.H != 1 || logits.W != 1 || len(logits.Data) != logits.Len() {
		return 0, nil, fmt.Errorf("cross_entropy: logits must be N×K×1×1")
	}
	n, k := logits.N, logits.C
	if len(labels) != n {
		return 0, nil, fmt.Errorf("cross_entropy: need %d labels, got %d", n, len(labels))
	}
	grad := &Tensor{N: n, C: k, H: 1, W: 1, Data: make([]float64, n*k)}
	var loss float64
	for i := 0; i < n; i++ {
		y := labels[i]
		if y < 0 || y >= k {
			return 0, nil, fmt.Errorf("cross_entropy: label %d of sample %d is not a class 0…%d", y, i, k-1)
		}
		z := logits.Data[i*k : (i+1)*k]
		zmax := math.Inf(-1)
		for _, v := range z {
			zmax = max(zmax, v)
		}
		var s float64
		for _, v := range z {
			s += math.Exp(v - zmax)
		}
		lse := math.Log(s)
		loss -= z[y] - zmax - lse
		g := grad.Data[i*k : (i+1)*k]
		for j, v := range z {
			g[j] = math.Exp(v-zmax-lse) / float64(n)
		}
		g[y] -= 1 / float64(n)
	}
	return loss / float64(n), grad, nil
}
