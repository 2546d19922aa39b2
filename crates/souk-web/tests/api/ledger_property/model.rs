//! The independent model: the rules written again, and the shop's
//! state as the model keeps it.

use super::Terms;
use serde_json::Value;
use std::cmp::Reverse;

// ---------------------------------------------------------------------
// The rules, written again.
// ---------------------------------------------------------------------

/// `total` split over `weights` by largest remainder, ties to the earliest
/// part; evenly when every weight is 0.
pub(super) fn allocate(total: i64, weights: &[i64]) -> Vec<i64> {
    if weights.is_empty() {
        assert_eq!(total, 0, "nothing to split {total} over");
        return Vec::new();
    }
    let mut w: Vec<i128> = weights.iter().map(|w| i128::from(*w)).collect();
    if w.iter().all(|w| *w == 0) {
        w = vec![1; w.len()];
    }
    let sum: i128 = w.iter().sum();
    let total = i128::from(total);
    let mut parts: Vec<i128> = w.iter().map(|w| total * w / sum).collect();
    let mut by_remainder: Vec<usize> = (0..w.len()).collect();
    by_remainder.sort_by_key(|&i| (Reverse(total * w[i] % sum), i));
    let left = total - parts.iter().sum::<i128>();
    for &i in by_remainder.iter().take(left as usize) {
        parts[i] += 1;
    }
    parts.into_iter().map(|p| p as i64).collect()
}

/// What goes back of `whole` when `now` of `of_total` is refunded after
/// `before`.
pub(super) fn proportional(whole: i64, of_total: i64, before: i64, now: i64) -> i64 {
    if of_total == 0 {
        return 0;
    }
    let [whole, of_total, before, now] = [whole, of_total, before, now].map(i128::from);
    (whole * (before + now) / of_total - whole * before / of_total) as i64
}

/// The commission on a line of `quantity` units the buyer pays `line` for.
pub(super) fn commission(t: &Terms, line: i64, quantity: i64) -> i64 {
    let line = i128::from(line.max(0));
    let mut c = (line * i128::from(t.bps) + 5_000) / 10_000 + i128::from(t.fixed * quantity);
    if let Some(min) = t.min {
        c = c.max(i128::from(min));
    }
    if let Some(max) = t.max {
        c = c.min(i128::from(max));
    }
    c.clamp(0, line) as i64
}

/// A commission rule as the model keeps it.
#[derive(Debug, Clone)]
pub(super) struct Rule {
    pub(super) id: i64,
    pub(super) seller: Option<i64>,
    pub(super) category: Option<i64>,
    pub(super) terms: Terms,
}

impl Rule {
    pub(super) fn scope(&self) -> &'static str {
        match (self.seller, self.category) {
            (None, None) => "default",
            (None, Some(_)) => "category",
            (Some(_), None) => "seller",
            (Some(_), Some(_)) => "seller_category",
        }
    }
}

/// The rule for a seller's product in `chain` (its category, then its
/// ancestors): the most specific, then the nearest category.
pub(super) fn pick_rule<'a>(rules: &'a [Rule], seller: i64, chain: &[i64]) -> Option<&'a Rule> {
    let mut best: Option<((u8, Reverse<usize>), &Rule)> = None;
    for rule in rules {
        if rule.seller.is_some_and(|s| s != seller) {
            continue;
        }
        let distance = match rule.category {
            None => 0,
            Some(c) => match chain.iter().position(|own| *own == c) {
                Some(d) => d,
                None => continue,
            },
        };
        let specificity = match (rule.seller, rule.category) {
            (None, None) => 0,
            (None, Some(_)) => 1,
            (Some(_), None) => 2,
            (Some(_), Some(_)) => 3,
        };
        let rank = (specificity, Reverse(distance));
        if best.as_ref().is_none_or(|(b, _)| rank > *b) {
            best = Some((rank, rule));
        }
    }
    best.map(|(_, r)| r)
}

// ---------------------------------------------------------------------
// The model of the shop's state.
// ---------------------------------------------------------------------

#[derive(Debug, Clone)]
pub(super) struct Variant {
    pub(super) id: i64,
    pub(super) price: i64,
    pub(super) category: Option<i64>,
    pub(super) seller: Option<i64>,
    pub(super) stock: i64,
}

#[derive(Debug, Clone)]
pub(super) struct Parcel {
    pub(super) id: i64,
    pub(super) seller: Option<i64>,
    pub(super) subtotal: i64,
    pub(super) discount: i64,
    pub(super) shipping: i64,
    /// The part of the discount the seller bears.
    pub(super) seller_discount: i64,
    /// The commission on the seller's lines, as frozen.
    pub(super) commission: i64,
    pub(super) refunded: i64,
    pub(super) status: &'static str,
    /// Its money is released (delivered with no hold, cancelled, or
    /// refunded in full).
    pub(super) released: bool,
}

impl Parcel {
    pub(super) fn paid_for(&self) -> i64 {
        self.subtotal - self.discount + self.shipping
    }

    pub(super) fn credit(&self) -> i64 {
        self.subtotal - self.seller_discount + self.shipping
    }
}

#[derive(Debug, Clone)]
pub(super) struct Order {
    pub(super) public_id: String,
    pub(super) number: String,
    pub(super) paid: bool,
    pub(super) subtotal: i64,
    pub(super) discount: i64,
    pub(super) shipping: i64,
    pub(super) total: i64,
    pub(super) parcels: Vec<Parcel>,
    /// The commission lines as the API showed them at checkout.
    pub(super) commission_lines: Vec<Value>,
}

impl Order {
    pub(super) fn refunded(&self) -> i64 {
        self.parcels.iter().map(|p| p.refunded).sum()
    }
}

/// One entry of a seller's ledger as the model expects it.
#[derive(Debug, Clone)]
pub(super) struct Entry {
    pub(super) kind: &'static str,
    pub(super) parcel: Option<i64>,
    pub(super) amount: i64,
    pub(super) settled_by: Option<i64>,
}

#[derive(Debug, Clone)]
pub(super) struct Payout {
    pub(super) id: i64,
    pub(super) seller: i64,
    pub(super) amount: i64,
    pub(super) status: &'static str,
}
