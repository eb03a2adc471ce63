//! The operations, one module per kind of work.

pub mod assign;
pub(crate) mod assign_job;
pub mod bulk;
pub(crate) mod bulk_job;
pub mod check;
pub mod lists;
pub mod overrides;
pub mod prospects;
pub mod steps;
pub mod unassign;
pub(crate) mod unassign_job;
