//! Maintainer tasks for the gong-flows workspace.
//!
//! The binary (`cargo xtask …`) is a thin command-line front; everything it
//! does lives here so that the drift checks also run as ordinary tests.

pub mod codegen;

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
