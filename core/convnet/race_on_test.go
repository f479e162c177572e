//go:build race

package convnet

// raceOn reports whether the race detector is on (training runs are then
// many times slower).
const raceOn = true
