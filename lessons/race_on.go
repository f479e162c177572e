//go:build race

package lessons

// raceSlowdown is how much slower code runs under the race detector; the
// time budgets of Check scale by it so that a race-enabled test run judges
// lessons as a normal one does.
const raceSlowdown = 10
