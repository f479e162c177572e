// Package quiz generates parameter-count questions from layer specifications,
// grades typed answers and explains wrong ones.
package quiz
