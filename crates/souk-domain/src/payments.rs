//! Payments: one attempt to take an order's money through a provider.

use crate::Invalid;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Where one payment attempt is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttemptStatus {
    /// Opened; the shopper has not paid it yet.
    Pending,
    /// The money was taken.
    Succeeded,
    /// Declined, abandoned or cancelled: it takes no money any more.
    Failed,
}

impl AttemptStatus {
    /// Every status.
    pub const ALL: [AttemptStatus; 3] = [Self::Pending, Self::Succeeded, Self::Failed];

    /// The status stored as `raw`.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == raw)
            .ok_or_else(|| Invalid::new("must be one of pending, succeeded, failed"))
    }

    /// The stored and serialised name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
        }
    }

    /// Whether it may still take money.
    pub fn is_open(&self) -> bool {
        *self == Self::Pending
    }
}

impl fmt::Display for AttemptStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_reads_back_from_its_name() {
        for status in AttemptStatus::ALL {
            assert_eq!(AttemptStatus::parse(status.as_str()), Ok(status));
        }
        assert!(AttemptStatus::parse("canceled").is_err());
    }
}
