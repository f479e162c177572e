// Package tui is nnlab's notebook: a Bubble Tea program that lists the
// lessons, shows one as prose and live cells, lets the learner tweak a cell's
// parameters and rerun it, and draws the results. Slow work — glamour
// rendering, experiments, chart drawing — runs in tea.Cmds and comes back as
// messages tagged with the cell and run that asked for it; View only joins
// strings prepared earlier.
package tui
