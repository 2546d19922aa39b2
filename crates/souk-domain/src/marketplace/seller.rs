//! Sellers: where an application to sell stands, and the decisions staff
//! take on it.

use crate::Invalid;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a seller stands with the marketplace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SellerStatus {
    /// Applied; waiting for staff to review the application.
    Pending,
    /// May list products and sell them.
    Approved,
    /// The application was turned down; it may still be approved later.
    Rejected,
    /// Barred from selling for now; still ships the orders it has open.
    Suspended,
}

impl SellerStatus {
    /// Every status, in the order an application goes through them.
    pub const ALL: [SellerStatus; 4] = [
        Self::Pending,
        Self::Approved,
        Self::Rejected,
        Self::Suspended,
    ];

    /// The stored and serialised name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Suspended => "suspended",
        }
    }

    /// Parses a stored or user-given status.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == raw)
            .ok_or_else(|| Invalid::new("must be one of pending, approved, rejected, suspended"))
    }

    /// The status after staff take `decision`, or `None` when the decision
    /// makes no sense in this status (suspending a pending applicant,
    /// approving an approved seller).
    pub fn after(self, decision: SellerDecision) -> Option<SellerStatus> {
        use SellerDecision::*;
        use SellerStatus::*;
        match (self, decision) {
            (Pending | Rejected, Approve) => Some(Approved),
            (Pending, Reject) => Some(Rejected),
            (Approved, Suspend) => Some(Suspended),
            (Suspended, Reinstate) => Some(Approved),
            _ => None,
        }
    }

    /// Whether the seller's products may be listed and bought.
    pub fn can_sell(self) -> bool {
        matches!(self, Self::Approved)
    }

    /// Whether the seller may use the seller panel: a suspended seller
    /// cannot sell but still ships its open orders.
    pub fn can_use_panel(self) -> bool {
        matches!(self, Self::Approved | Self::Suspended)
    }
}

impl fmt::Display for SellerStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What staff decide about a seller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SellerDecision {
    /// Let an applicant sell.
    Approve,
    /// Turn an application down.
    Reject,
    /// Stop an approved seller from selling.
    Suspend,
    /// Let a suspended seller sell again.
    Reinstate,
}

impl SellerDecision {
    /// Every decision.
    pub const ALL: [SellerDecision; 4] =
        [Self::Approve, Self::Reject, Self::Suspend, Self::Reinstate];

    /// The stored and serialised name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Approve => "approve",
            Self::Reject => "reject",
            Self::Suspend => "suspend",
            Self::Reinstate => "reinstate",
        }
    }

    /// Parses a decision a client names.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|d| d.as_str() == raw)
            .ok_or_else(|| Invalid::new("must be one of approve, reject, suspend, reinstate"))
    }
}

impl fmt::Display for SellerDecision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The longest shop name a seller may give.
pub const SHOP_NAME_MAX: usize = 80;
/// The longest shop description.
pub const SHOP_DESCRIPTION_MAX: usize = 2000;
/// The longest payout details (where the seller is paid to).
pub const PAYOUT_DETAILS_MAX: usize = 500;
/// The longest reason staff give for a decision.
pub const DECISION_REASON_MAX: usize = 500;

/// A shop's name: 2 to [`SHOP_NAME_MAX`] characters.
pub fn parse_shop_name(raw: &str) -> Result<String, Invalid> {
    crate::text::bounded(raw, 2, SHOP_NAME_MAX)
}

/// A shop's description: at most [`SHOP_DESCRIPTION_MAX`] characters, may
/// be empty.
pub fn parse_shop_description(raw: &str) -> Result<String, Invalid> {
    crate::text::bounded(raw, 0, SHOP_DESCRIPTION_MAX)
}

/// Where the seller is paid to: 1 to [`PAYOUT_DETAILS_MAX`] characters.
pub fn parse_payout_details(raw: &str) -> Result<String, Invalid> {
    crate::text::bounded(raw, 1, PAYOUT_DETAILS_MAX)
}

impl SellerDecision {
    /// Whether staff must say why (a refusal and a suspension are told to
    /// the seller with their reason).
    pub fn needs_reason(self) -> bool {
        matches!(self, Self::Reject | Self::Suspend)
    }
}

/// Whether a product can be seen in the shop and bought: it is active,
/// and it is the shop's own (`seller` is None) or its seller may sell. A
/// stored status that cannot be read counts as not for sale.
pub fn for_sale(product_status: &str, seller: Option<&str>) -> bool {
    let seller_sells = match seller {
        None => true,
        Some(raw) => SellerStatus::parse(raw).is_ok_and(SellerStatus::can_sell),
    };
    seller_sells && product_status == crate::catalogue::ProductStatus::Active.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_decisions_staff_can_take() {
        use SellerDecision::*;
        use SellerStatus::*;
        let allowed = [
            (Pending, Approve, Approved),
            (Pending, Reject, Rejected),
            (Approved, Suspend, Suspended),
            (Suspended, Reinstate, Approved),
            (Rejected, Approve, Approved),
        ];
        for status in SellerStatus::ALL {
            for decision in SellerDecision::ALL {
                let expected = allowed
                    .iter()
                    .find(|(from, by, _)| *from == status && *by == decision)
                    .map(|(_, _, to)| *to);
                assert_eq!(status.after(decision), expected, "{status} + {decision}");
            }
        }
    }

    #[test]
    fn only_approved_sellers_sell_and_suspended_ones_still_ship() {
        use SellerStatus::*;
        assert!(Approved.can_sell());
        assert!(!Pending.can_sell() && !Rejected.can_sell() && !Suspended.can_sell());
        assert!(Approved.can_use_panel() && Suspended.can_use_panel());
        assert!(!Pending.can_use_panel() && !Rejected.can_use_panel());
    }

    #[test]
    fn names_round_trip_and_match_serde() {
        for status in SellerStatus::ALL {
            assert_eq!(SellerStatus::parse(status.as_str()), Ok(status));
            assert_eq!(status.to_string(), status.as_str());
            assert_eq!(serde_json::to_value(status).unwrap(), status.as_str());
        }
        for decision in SellerDecision::ALL {
            assert_eq!(SellerDecision::parse(decision.as_str()), Ok(decision));
            assert_eq!(decision.to_string(), decision.as_str());
            assert_eq!(serde_json::to_value(decision).unwrap(), decision.as_str());
        }
        let err = SellerStatus::parse("Approved").unwrap_err();
        assert_eq!(
            err.0,
            "must be one of pending, approved, rejected, suspended"
        );
        assert!(SellerDecision::parse("").is_err());
    }

    proptest! {
        #[test]
        fn any_run_of_decisions_stays_in_the_known_states(
            decisions in proptest::collection::vec(proptest::sample::select(SellerDecision::ALL.to_vec()), 0..30),
        ) {
            let mut status = SellerStatus::Pending;
            for decision in decisions {
                if let Some(next) = status.after(decision) {
                    prop_assert!(SellerStatus::ALL.contains(&next));
                    prop_assert_ne!(next, status, "a decision always changes the status");
                    prop_assert_ne!(next, SellerStatus::Pending, "nothing goes back to pending");
                    status = next;
                }
                prop_assert!(!status.can_sell() || status.can_use_panel());
            }
        }
    }

    #[test]
    fn only_active_products_of_sellers_that_may_sell_are_for_sale() {
        assert!(for_sale("active", None));
        assert!(for_sale("active", Some("approved")));
        assert!(!for_sale("active", Some("suspended")));
        assert!(!for_sale("active", Some("pending")));
        assert!(!for_sale("draft", Some("approved")));
        assert!(!for_sale("archived", None));
        assert!(!for_sale("active", Some("nonsense")));
    }
}
