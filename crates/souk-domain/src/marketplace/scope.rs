//! Commission scopes: whom a commission rule is for, and which of the
//! marketplace's rules applies to a seller's product.

use crate::Invalid;
use std::cmp::Reverse;

/// Whom a commission rule is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CommissionScope {
    /// Every line no other rule covers.
    Default,
    /// Products in this category or below it.
    Category(i64),
    /// Everything this seller sells.
    Seller(i64),
    /// This seller's products in this category or below it.
    SellerCategory {
        /// The seller.
        seller_id: i64,
        /// The category.
        category_id: i64,
    },
}

impl CommissionScope {
    /// Every kind of scope, from the least to the most specific.
    pub const KINDS: [&'static str; 4] = ["default", "category", "seller", "seller_category"];

    /// The stored name of the scope's kind.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Default => "default",
            Self::Category(_) => "category",
            Self::Seller(_) => "seller",
            Self::SellerCategory { .. } => "seller_category",
        }
    }

    /// The scope a rule has when it names this seller and this category:
    /// neither is the default, one of them is that one's, both is the
    /// seller's in that category.
    pub fn naming(seller_id: Option<i64>, category_id: Option<i64>) -> Self {
        match (seller_id, category_id) {
            (None, None) => Self::Default,
            (None, Some(category_id)) => Self::Category(category_id),
            (Some(seller_id), None) => Self::Seller(seller_id),
            (Some(seller_id), Some(category_id)) => Self::SellerCategory {
                seller_id,
                category_id,
            },
        }
    }

    /// A scope from its stored kind and the ids it names; a kind takes
    /// exactly the ids it needs.
    pub fn from_parts(
        kind: &str,
        seller_id: Option<i64>,
        category_id: Option<i64>,
    ) -> Result<Self, Invalid> {
        match (kind, seller_id, category_id) {
            ("default", None, None) => Ok(Self::Default),
            ("category", None, Some(category_id)) => Ok(Self::Category(category_id)),
            ("seller", Some(seller_id), None) => Ok(Self::Seller(seller_id)),
            ("seller_category", Some(seller_id), Some(category_id)) => Ok(Self::SellerCategory {
                seller_id,
                category_id,
            }),
            ("default" | "category" | "seller" | "seller_category", _, _) => Err(Invalid::new(
                format!("a {kind} rule names {}", Self::needs(kind)),
            )),
            _ => Err(Invalid::new(
                "must be one of default, category, seller, seller_category",
            )),
        }
    }

    /// What a rule of `kind` names, in words.
    fn needs(kind: &str) -> &'static str {
        match kind {
            "category" => "a category and no seller",
            "seller" => "a seller and no category",
            "seller_category" => "a seller and a category",
            _ => "no seller and no category",
        }
    }

    /// The seller the scope names, if any.
    pub fn seller_id(&self) -> Option<i64> {
        match self {
            Self::Seller(seller_id) | Self::SellerCategory { seller_id, .. } => Some(*seller_id),
            Self::Default | Self::Category(_) => None,
        }
    }

    /// The category the scope names, if any.
    pub fn category_id(&self) -> Option<i64> {
        match self {
            Self::Category(category_id) | Self::SellerCategory { category_id, .. } => {
                Some(*category_id)
            }
            Self::Default | Self::Seller(_) => None,
        }
    }

    /// How specific the scope is: a rule for a seller's category beats one
    /// for the seller, which beats one for a category, which beats the
    /// default.
    pub fn specificity(&self) -> u8 {
        match self {
            Self::Default => 0,
            Self::Category(_) => 1,
            Self::Seller(_) => 2,
            Self::SellerCategory { .. } => 3,
        }
    }

    /// Whether a rule with this scope covers a product sold by `seller_id`
    /// (`None`: the marketplace itself) in `categories`: the product's
    /// category followed by its ancestors, nearest first.
    pub fn applies_to(&self, seller_id: Option<i64>, categories: &[i64]) -> bool {
        let seller_matches = self.seller_id().is_none_or(|s| seller_id == Some(s));
        let category_matches = self.category_id().is_none_or(|c| categories.contains(&c));
        seller_matches && category_matches
    }

    /// How far up `categories` the scope's category is (0: the product's own
    /// category); 0 for a scope without a category.
    fn distance(&self, categories: &[i64]) -> usize {
        self.category_id()
            .and_then(|c| categories.iter().position(|own| *own == c))
            .unwrap_or(0)
    }
}

/// The rule of `rules` for a product sold by `seller_id` in `categories`
/// (its category, then its ancestors, nearest first): the most specific
/// one that applies and, between rules of the same kind, the one for the
/// nearest category. When two rules tie, the first in `rules` wins.
pub fn pick_rule<'a, T>(
    rules: &'a [(CommissionScope, T)],
    seller_id: Option<i64>,
    categories: &[i64],
) -> Option<&'a T> {
    let mut best: Option<((u8, Reverse<usize>), &'a T)> = None;
    for (scope, rule) in rules {
        if !scope.applies_to(seller_id, categories) {
            continue;
        }
        let rank = (scope.specificity(), Reverse(scope.distance(categories)));
        if best.as_ref().is_none_or(|(best_rank, _)| rank > *best_rank) {
            best = Some((rank, rule));
        }
    }
    best.map(|(_, rule)| rule)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_nearest_most_specific_rule_wins() {
        let (child, parent, other) = (11, 10, 99);
        let rules = [
            (CommissionScope::Default, "default"),
            (CommissionScope::Category(parent), "parent"),
            (CommissionScope::Category(child), "child"),
            (CommissionScope::Seller(7), "seller"),
            (
                CommissionScope::SellerCategory {
                    seller_id: 7,
                    category_id: parent,
                },
                "seller parent",
            ),
        ];
        let chain = [child, parent];
        assert_eq!(pick_rule(&rules, Some(7), &chain), Some(&"seller parent"));
        assert_eq!(pick_rule(&rules, Some(8), &chain), Some(&"child"));
        assert_eq!(pick_rule(&rules, Some(8), &[parent]), Some(&"parent"));
        assert_eq!(pick_rule(&rules, None, &[]), Some(&"default"));
        assert_eq!(pick_rule(&rules, Some(7), &[other]), Some(&"seller"));
        let mut reversed = rules;
        reversed.reverse();
        assert_eq!(pick_rule(&reversed, Some(8), &chain), Some(&"child"));
        assert_eq!(pick_rule(&rules[1..], Some(8), &[other]), None);
    }

    #[test]
    fn scopes_round_trip_through_their_parts() {
        let scopes = [
            CommissionScope::Default,
            CommissionScope::Category(3),
            CommissionScope::Seller(4),
            CommissionScope::SellerCategory {
                seller_id: 4,
                category_id: 3,
            },
        ];
        for (scope, kind) in scopes.iter().zip(CommissionScope::KINDS) {
            assert_eq!(scope.as_str(), kind);
            let parsed = CommissionScope::from_parts(kind, scope.seller_id(), scope.category_id());
            assert_eq!(parsed, Ok(*scope));
        }
        assert!(CommissionScope::from_parts("category", Some(1), Some(2)).is_err());
        assert!(CommissionScope::from_parts("seller_category", Some(1), None).is_err());
        assert!(CommissionScope::from_parts("default", None, Some(2)).is_err());
        assert!(CommissionScope::from_parts("global", None, None).is_err());
    }

    fn any_scope() -> impl Strategy<Value = CommissionScope> {
        prop_oneof![
            Just(CommissionScope::Default),
            (1i64..=6).prop_map(CommissionScope::Category),
            (1i64..=3).prop_map(CommissionScope::Seller),
            (1i64..=3, 1i64..=6).prop_map(|(seller_id, category_id)| {
                CommissionScope::SellerCategory {
                    seller_id,
                    category_id,
                }
            }),
        ]
    }

    proptest! {
        #[test]
        fn the_picked_rule_applies_and_none_beats_it(
            rules in proptest::collection::vec(any_scope(), 0..12),
            seller_id in proptest::option::of(1i64..=3),
            categories in proptest::sample::subsequence(vec![1i64, 2, 3, 4, 5, 6], 0..=4).prop_shuffle(),
        ) {
            let indexed: Vec<(CommissionScope, usize)> = rules.iter().copied().zip(0..).collect();
            let distance = |scope: &CommissionScope| {
                scope.category_id().and_then(|c| categories.iter().position(|own| *own == c)).unwrap_or(0)
            };
            let applicable: Vec<&(CommissionScope, usize)> =
                indexed.iter().filter(|(s, _)| s.applies_to(seller_id, &categories)).collect();
            match pick_rule(&indexed, seller_id, &categories) {
                None => prop_assert!(applicable.is_empty()),
                Some(&chosen) => {
                    let scope = rules[chosen];
                    prop_assert!(scope.applies_to(seller_id, &categories));
                    for (other, index) in applicable {
                        prop_assert!(other.specificity() <= scope.specificity());
                        if other.specificity() == scope.specificity() {
                            prop_assert!(distance(other) >= distance(&scope));
                            if distance(other) == distance(&scope) {
                                prop_assert!(*index >= chosen, "ties go to the first rule");
                            }
                        }
                    }
                }
            }
        }
    }
}
