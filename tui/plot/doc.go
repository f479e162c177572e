// Package plot draws an experiment's charts for the terminal UI — line charts
// with braille lines, a heat map of a loss surface with trajectories over it,
// horizontal bar charts — using ntcharts' canvas, in the colours of a theme.
// Drawing costs milliseconds: callers cache the strings and redraw only when
// the data, the size or the theme changes.
package plot
