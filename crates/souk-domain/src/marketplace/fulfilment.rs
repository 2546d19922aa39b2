//! Fulfilments: the part of an order one seller ships, and what the whole
//! order has reached when its sellers ship at their own pace.

use crate::Invalid;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Where one seller's part of an order is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FulfilmentStatus {
    /// The order is placed but not paid yet, or the seller has not started.
    Pending,
    /// Being picked and packed by the seller.
    Processing,
    /// Handed to the carrier.
    Shipped,
    /// Arrived.
    Delivered,
    /// Called off before it shipped.
    Cancelled,
}

impl FulfilmentStatus {
    /// Every status, in life-cycle order.
    pub const ALL: [FulfilmentStatus; 5] = [
        Self::Pending,
        Self::Processing,
        Self::Shipped,
        Self::Delivered,
        Self::Cancelled,
    ];

    /// The stored and serialised name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Processing => "processing",
            Self::Shipped => "shipped",
            Self::Delivered => "delivered",
            Self::Cancelled => "cancelled",
        }
    }

    /// Parses a stored or user-given status.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == raw)
            .ok_or_else(|| {
                Invalid::new("must be one of pending, processing, shipped, delivered, cancelled")
            })
    }

    /// Whether a fulfilment in this status may move to `next`. A seller may
    /// ship without marking it processing first; nothing is cancelled once
    /// it has shipped.
    pub fn can_become(self, next: FulfilmentStatus) -> bool {
        use FulfilmentStatus::*;
        matches!(
            (self, next),
            (Pending, Processing | Shipped | Cancelled)
                | (Processing, Shipped | Cancelled)
                | (Shipped, Delivered)
        )
    }

    /// Whether the seller still has to ship it (pending or processing).
    pub fn is_open(self) -> bool {
        matches!(self, Self::Pending | Self::Processing)
    }
}

impl fmt::Display for FulfilmentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a whole order has reached, from the fulfilments of its sellers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Progress {
    /// Some seller has yet to ship.
    Open,
    /// Everything is on its way; something has not arrived.
    Shipped,
    /// Everything arrived.
    Delivered,
    /// Every fulfilment was called off.
    Cancelled,
}

impl Progress {
    /// Every progress, in life-cycle order.
    pub const ALL: [Progress; 4] = [Self::Open, Self::Shipped, Self::Delivered, Self::Cancelled];

    /// The stored and serialised name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Shipped => "shipped",
            Self::Delivered => "delivered",
            Self::Cancelled => "cancelled",
        }
    }

    /// Parses a stored or user-given progress.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|p| p.as_str() == raw)
            .ok_or_else(|| Invalid::new("must be one of open, shipped, delivered, cancelled"))
    }
}

impl fmt::Display for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What an order whose fulfilments are in `statuses` has reached.
/// Cancelled fulfilments do not count: the order is delivered when every
/// other one is delivered, shipped when every other one has at least
/// shipped, and open otherwise. It is cancelled only when every fulfilment
/// is; an order without fulfilments is open.
pub fn order_progress(statuses: &[FulfilmentStatus]) -> Progress {
    let mut live = statuses
        .iter()
        .filter(|s| **s != FulfilmentStatus::Cancelled)
        .peekable();
    if live.peek().is_none() {
        return if statuses.is_empty() {
            Progress::Open
        } else {
            Progress::Cancelled
        };
    }
    let mut all_delivered = true;
    for status in live {
        match status {
            FulfilmentStatus::Delivered => {}
            FulfilmentStatus::Shipped => all_delivered = false,
            _ => return Progress::Open,
        }
    }
    if all_delivered {
        Progress::Delivered
    } else {
        Progress::Shipped
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_life_cycle() {
        use FulfilmentStatus::*;
        assert!(Pending.can_become(Processing));
        assert!(Pending.can_become(Shipped));
        assert!(Pending.can_become(Cancelled));
        assert!(Processing.can_become(Shipped));
        assert!(Processing.can_become(Cancelled));
        assert!(Shipped.can_become(Delivered));
        assert!(!Shipped.can_become(Cancelled));
        assert!(!Pending.can_become(Delivered));
        assert!(!Processing.can_become(Pending));
        for status in FulfilmentStatus::ALL {
            assert!(!status.can_become(status), "{status} to itself");
        }
        for end in [Delivered, Cancelled] {
            assert!(
                FulfilmentStatus::ALL
                    .iter()
                    .all(|next| !end.can_become(*next))
            );
        }
        assert!(Pending.is_open() && Processing.is_open());
        assert!(!Shipped.is_open() && !Delivered.is_open() && !Cancelled.is_open());
    }

    #[test]
    fn names_round_trip_and_match_serde() {
        for status in FulfilmentStatus::ALL {
            assert_eq!(FulfilmentStatus::parse(status.as_str()), Ok(status));
            assert_eq!(status.to_string(), status.as_str());
            assert_eq!(serde_json::to_value(status).unwrap(), status.as_str());
        }
        for progress in Progress::ALL {
            assert_eq!(Progress::parse(progress.as_str()), Ok(progress));
            assert_eq!(progress.to_string(), progress.as_str());
            assert_eq!(serde_json::to_value(progress).unwrap(), progress.as_str());
        }
        assert!(FulfilmentStatus::parse("sent").is_err());
        assert!(Progress::parse("Open").is_err());
    }

    #[test]
    fn what_an_order_has_reached() {
        use FulfilmentStatus::*;
        assert_eq!(order_progress(&[]), Progress::Open);
        assert_eq!(order_progress(&[Pending]), Progress::Open);
        assert_eq!(order_progress(&[Shipped, Processing]), Progress::Open);
        assert_eq!(order_progress(&[Shipped, Delivered]), Progress::Shipped);
        assert_eq!(order_progress(&[Shipped, Cancelled]), Progress::Shipped);
        assert_eq!(order_progress(&[Delivered, Delivered]), Progress::Delivered);
        assert_eq!(order_progress(&[Delivered, Cancelled]), Progress::Delivered);
        assert_eq!(order_progress(&[Cancelled]), Progress::Cancelled);
        assert_eq!(order_progress(&[Cancelled, Cancelled]), Progress::Cancelled);
        assert_eq!(order_progress(&[Cancelled, Pending]), Progress::Open);
    }

    fn any_status() -> impl Strategy<Value = FulfilmentStatus> {
        proptest::sample::select(FulfilmentStatus::ALL.to_vec())
    }

    proptest! {
        #[test]
        fn any_run_of_moves_stays_in_the_known_states(
            steps in proptest::collection::vec(any_status(), 0..20),
        ) {
            let mut status = FulfilmentStatus::Pending;
            for next in steps {
                if status.can_become(next) {
                    prop_assert!(FulfilmentStatus::ALL.contains(&next));
                    prop_assert!(status.is_open() || !next.is_open(), "nothing reopens");
                    status = next;
                }
            }
        }

        #[test]
        fn progress_ignores_order_and_cancelled_fulfilments(
            statuses in proptest::collection::vec(any_status(), 0..10),
        ) {
            let progress = order_progress(&statuses);
            let mut reversed = statuses.clone();
            reversed.reverse();
            prop_assert_eq!(order_progress(&reversed), progress);
            let all_cancelled = !statuses.is_empty()
                && statuses.iter().all(|s| *s == FulfilmentStatus::Cancelled);
            prop_assert_eq!(progress == Progress::Cancelled, all_cancelled);
            if !all_cancelled && !statuses.is_empty() {
                let mut more = statuses.clone();
                more.push(FulfilmentStatus::Cancelled);
                prop_assert_eq!(order_progress(&more), progress);
            }
            if statuses.iter().any(|s| s.is_open()) {
                prop_assert_eq!(progress, Progress::Open);
            }
        }
    }
}
