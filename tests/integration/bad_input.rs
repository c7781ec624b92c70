//! filled by a helper
