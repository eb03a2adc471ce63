//! How a job stops: the first fatal error, shared by its chunks and seen by
//! the call loop before each attempt.

use crate::error::Error;
use std::sync::{Arc, OnceLock};

/// The error that stopped a job, shared by its chunks.
#[derive(Debug, Clone, Default)]
pub(crate) struct Stop(Arc<OnceLock<Arc<Error>>>);

impl Stop {
    /// Records the first fatal error.
    pub fn set(&self, error: Arc<Error>) {
        let _ = self.0.set(error);
    }

    /// The error that stopped the job, if any.
    pub fn get(&self) -> Option<Arc<Error>> {
        self.0.get().cloned()
    }
}
