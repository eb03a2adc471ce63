//! Cross-crate integration tests live in `tests/`; this library only
//! compiles the README's examples as doc-tests, so they cannot rot.

#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeExamples;
