// Package dockerfile parses Dockerfiles into a model the rest of distill can
// use without touching BuildKit types.
//
// It is the only package that imports BuildKit's frontend/dockerfile parser,
// instructions, shell lexer and linter. Wrapping them here keeps BuildKit's
// lousy-by-its-own-admission Node tree from spreading through the code base,
// and gives every instruction its exact start and end line (heredoc bodies and
// continuation lines included) and original text, which review suggestions
// need.
//
// The model:
//
//   - File: the whole Dockerfile, its parser directives (# syntax, # escape,
//     # check), global ARGs, stages and every instruction in source order.
//   - Stage: one FROM block with its base image reference (registry,
//     repository, tag, digest split; ARGs in FROM expanded with their
//     defaults), platform, name, and the stages it depends on.
//   - Instruction: one instruction with line span, original text, flags and
//     a typed payload (Run, Copy, KeyValues, Exec, …).
//
// Parse never panics on bad input: a Dockerfile BuildKit cannot parse yields a
// *SyntaxError with the line and BuildKit's message, and inputs over the size
// limit yield ErrTooLarge.
package dockerfile
