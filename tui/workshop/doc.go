// Package workshop is a workshop's data as every part of nnlab shares it —
// the learners, what they did (events), what the instructor sends the room
// (notices) — and the class those events add up to: Aggregate, a pure fold
// over events that a server keeps up to date as they arrive. It knows no
// terminal and no database; the app (tui), the stores (tui/store) and the
// server (tui/serve) all import it.
package workshop
