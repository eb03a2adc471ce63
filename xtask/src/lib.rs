//! Maintainer tasks for the gong-flows workspace.
//!
//! The binary (`cargo xtask …`) is a thin command-line front; everything it
//! does lives here so that the drift and spec checks also run as ordinary
//! tests:
//! - [`codegen`]: the generated client and mocks, and their drift check;
//! - [`spec_check`]: the house rules of `openapi/flows.yaml`;
//! - [`spec_diff`]: drift between our spec and Gong's published document;
//! - [`document`]: loading OpenAPI documents as JSON values, and `$ref`s;
//! - [`bench`](mod@bench): benchmarks of the SDK against the simulator;
//! - [`conformance`]: schemathesis against the simulator with the spec.

pub mod bench;
pub mod codegen;
pub mod conformance;
pub mod document;
pub mod spec_check;
pub mod spec_diff;

use std::path::{Path, PathBuf};

/// The workspace root (the parent of this crate's directory).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// Path of the hand-transcribed OpenAPI document.
pub fn spec_path() -> PathBuf {
    workspace_root().join("openapi").join("flows.yaml")
}
