//! The operations, one module per kind of work.

pub mod assign;
pub mod bulk;
pub mod lists;
pub mod overrides;
pub mod prospects;
pub mod steps;
pub mod unassign;
