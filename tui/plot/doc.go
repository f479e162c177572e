// Package plot draws an experiment's charts for the terminal UI — line charts
// with braille lines, a heat map of a loss surface with trajectories over it,
// horizontal bar charts — using ntcharts' canvas, in the colours of a theme.
// The drawings are meant not to mislead at a glance: every y axis has at
// least three labelled ticks, each series shows its marker even under
// another, a series that diverges is cut at the top with a note rather than
// flattening the rest, a path that leaves a surface's window ends in an
// arrow and a note of where it ended, and bars can be drawn on a scale kept
// from an earlier drawing (BarScale) so lengths compare run to run.
// Drawing costs milliseconds: callers cache the strings and redraw only when
// the data, the size or the theme changes.
package plot
