//go:build race

package lessons

// raceOn: the race detector slows everything about tenfold; statistical and
// timing tests that need many runs skip under it (the run without -race
// covers them).
const raceOn = true
