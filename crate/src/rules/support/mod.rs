//! Pieces several rules share: fix builders that are not rules themselves.

pub(crate) mod mask;
pub(crate) mod names;
pub(crate) mod routes;
pub(crate) mod sinks;
