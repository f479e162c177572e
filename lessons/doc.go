// Package lessons reads nnlab's lessons — markdown notebooks whose fenced
// `nnlab` cells run core experiments — checks them, and resolves the values
// their prose and their cells' texts take from core.
//
// The format is specified in README.md next to this file. Parse turns one
// file into a Lesson: front matter, prose blocks with their inline values
// ({{ … }}), cells (an experiment, its parameter values, what the learner may
// tweak, what to show, an optional exercise; their texts may hold values
// too) and reserved quiz blocks. Every problem is an *Error with a file,
// line and column. Load reads the built-in lessons embedded from ko/ and en/
// plus an optional folder of the user's own; a broken file never stops the
// others. A Runner runs experiments with a cache, resolves inline values
// (ResolveProse, ResolveText) and, through Check, runs every cell once to
// catch what only a result can show (show keys, goal names, value keys).
//
// Nothing here draws: views (the TUI, `nnlab render`) take the parsed lesson,
// the results and the resolved prose and texts and lay them out.
package lessons
