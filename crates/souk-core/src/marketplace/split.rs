//! Placing an order splits it, in the checkout's transaction: one
//! fulfilment per seller whose lines it holds (and one for the shop's own
//! lines), each charged its shipping as the checkout planned it, the goods discount spread
//! over the lines, and a frozen commission line for every seller's line.
//! Every split is in whole minor units and adds up to the whole.

use super::commissions::{CommissionRuleView, category_chain};
use crate::CoreError;
use crate::orders::ShippingPlan;
use chrono::{DateTime, Utc};
use souk_db::ActiveValue::Set;
use souk_db::WriteTxn;
use souk_db::entity::{category, commission_line, fulfilment, order, order_item};
use souk_db::repo::marketplace;
use souk_domain::Invalid;
use souk_domain::marketplace::{
    CommissionRate, CommissionScope, FulfilmentStatus, allocate, pick_rule,
};
use std::collections::{BTreeMap, HashMap};

/// A line of a placed order, as the split reads it.
#[derive(Debug, Clone)]
pub(crate) struct SplitLine {
    pub item_id: i64,
    pub seller_id: Option<i64>,
    pub line_total: i64,
    pub quantity: i64,
    /// The product's category and its parent, nearest first.
    pub categories: Vec<i64>,
}

/// One parcel: a seller's lines (None: the shop's own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PlannedParcel {
    pub seller_id: Option<i64>,
    pub subtotal: i64,
    pub shipping: i64,
    /// The parcel's lines' shares of the goods discount.
    pub discount: i64,
}

/// What one line is sold for and, for a seller's line, what is taken.
#[derive(Debug, Clone)]
pub(crate) struct PlannedLine {
    pub item_id: i64,
    pub seller_id: Option<i64>,
    pub discount_share: i64,
    /// What the buyer pays for the line.
    pub line_amount: i64,
    /// The rule that applied, for a seller's line.
    pub rule: Option<(i64, &'static str, CommissionRate)>,
    pub commission: i64,
}

/// How an order splits.
#[derive(Debug, Clone)]
pub(crate) struct SplitPlan {
    pub parcels: Vec<PlannedParcel>,
    pub lines: Vec<PlannedLine>,
}

/// Splits `lines`: parcels by seller, each charged its `shipping` (by
/// seller; `None` is the shop's own), `goods_discount` spread over the
/// lines in proportion to their totals, and each seller's line given the
/// commission of the most specific rule that applies.
pub(crate) fn plan_split(
    lines: &[SplitLine],
    shipping: &BTreeMap<Option<i64>, i64>,
    goods_discount: i64,
    rules: &[(CommissionScope, CommissionRuleView)],
) -> Result<SplitPlan, Invalid> {
    let mut groups: BTreeMap<Option<i64>, i64> = BTreeMap::new();
    for line in lines {
        *groups.entry(line.seller_id).or_default() += line.line_total;
    }
    let parcels = groups
        .into_iter()
        .map(|(seller_id, subtotal)| PlannedParcel {
            seller_id,
            subtotal,
            shipping: shipping.get(&seller_id).copied().unwrap_or(0),
            discount: 0,
        })
        .collect::<Vec<_>>();
    let totals: Vec<i64> = lines.iter().map(|l| l.line_total).collect();
    let discounts = allocate(goods_discount.min(totals.iter().sum()), &totals)?;
    let lines = lines
        .iter()
        .zip(discounts)
        .map(|(line, discount_share)| {
            let line_amount = line.line_total - discount_share;
            let rule = line
                .seller_id
                .and_then(|seller| pick_rule(rules, Some(seller), &line.categories))
                .map(|r| (r.id, r.scope.as_str(), r.rate));
            let commission = rule.map_or(0, |(_, _, rate)| {
                rate.commission(line_amount, line.quantity)
            });
            PlannedLine {
                item_id: line.item_id,
                seller_id: line.seller_id,
                discount_share,
                line_amount,
                rule,
                commission,
            }
        })
        .collect::<Vec<PlannedLine>>();
    let mut parcels = parcels;
    for parcel in &mut parcels {
        parcel.discount = lines
            .iter()
            .filter(|l| l.seller_id == parcel.seller_id)
            .map(|l| l.discount_share)
            .sum();
    }
    Ok(SplitPlan { parcels, lines })
}

/// Splits a placed `order` whose lines are `items` and stores the parcels
/// and commission lines. `goods_discount` is the part of the order's
/// discount that came off the goods (a free shipping voucher takes nothing
/// off them); `category_of` gives each line's product category by variant.
/// When `sellers_pay_vouchers`, each seller bears its parcel's share of
/// that discount; otherwise the marketplace does. Each parcel ships as
/// `shipping` planned; each line's commission comes from `rules`.
/// Returns the parcels as stored.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn split_order(
    txn: &WriteTxn,
    order: &order::Model,
    items: &[order_item::Model],
    shipping: &ShippingPlan,
    goods_discount: i64,
    sellers_pay_vouchers: bool,
    category_of: &HashMap<i64, Option<i64>>,
    categories: &[category::Model],
    rules: &[(CommissionScope, CommissionRuleView)],
    now: DateTime<Utc>,
) -> Result<Vec<fulfilment::Model>, CoreError> {
    let lines: Vec<SplitLine> = items
        .iter()
        .map(|item| SplitLine {
            item_id: item.id,
            seller_id: item.seller_id,
            line_total: item.line_total,
            quantity: item.quantity,
            categories: category_chain(
                categories,
                item.variant_id
                    .and_then(|v| category_of.get(&v).copied().flatten()),
            ),
        })
        .collect();
    let plan = plan_split(&lines, &shipping.charges(), goods_discount, rules)
        .map_err(|e| anyhow::anyhow!("order {}: {}", order.number, e.0))?;
    let parcels = plan
        .parcels
        .iter()
        .map(|p| fulfilment::ActiveModel {
            order_id: Set(order.id),
            seller_id: Set(p.seller_id),
            status: Set(FulfilmentStatus::Pending.as_str().to_owned()),
            shipping_method_name: Set(shipping.method_name(p.seller_id)),
            shipping_total: Set(p.shipping),
            subtotal: Set(p.subtotal),
            discount: Set(p.discount),
            seller_discount: Set(if sellers_pay_vouchers && p.seller_id.is_some() {
                p.discount
            } else {
                0
            }),
            currency: Set(order.currency.clone()),
            carrier: Set(None),
            tracking_number: Set(None),
            shipped_at: Set(None),
            delivered_at: Set(None),
            cancelled_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .collect();
    let stored = marketplace::insert_fulfilments(txn, parcels).await?;
    let commission_lines = plan
        .lines
        .iter()
        .filter_map(|line| {
            let seller_id = line.seller_id?;
            let (rule_id, scope, rate) = match line.rule {
                Some((id, scope, rate)) => (Some(id), scope, rate),
                None => (None, "none", CommissionRate::default()),
            };
            Some(commission_line::ActiveModel {
                order_id: Set(order.id),
                order_item_id: Set(line.item_id),
                seller_id: Set(seller_id),
                rule_id: Set(rule_id),
                rule_scope: Set(scope.to_owned()),
                basis_points: Set(i32::try_from(rate.basis_points()).unwrap_or(i32::MAX)),
                fixed_per_unit: Set(rate.fixed_per_unit()),
                min_per_line: Set(rate.min_per_line()),
                max_per_line: Set(rate.max_per_line()),
                line_amount: Set(line.line_amount),
                discount_share: Set(line.discount_share),
                amount: Set(line.commission),
                currency: Set(order.currency.clone()),
                created_at: Set(now),
                ..Default::default()
            })
        })
        .collect();
    marketplace::insert_commission_lines(txn, commission_lines).await?;
    Ok(stored)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rule(
        id: i64,
        scope: CommissionScope,
        bps: u32,
        fixed: i64,
    ) -> (CommissionScope, CommissionRuleView) {
        let rate = CommissionRate::new(bps, fixed, None, None).expect("a valid rate");
        let view = CommissionRuleView {
            id,
            scope,
            rate,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        };
        (scope, view)
    }

    fn line(item_id: i64, seller_id: Option<i64>, line_total: i64, quantity: i64) -> SplitLine {
        SplitLine {
            item_id,
            seller_id,
            line_total,
            quantity,
            categories: vec![11, 1],
        }
    }

    #[test]
    fn a_cart_of_the_shop_and_two_sellers_makes_three_parcels() {
        let rules = [
            rule(1, CommissionScope::Default, 1000, 0),
            rule(2, CommissionScope::Seller(7), 500, 10),
            rule(3, CommissionScope::Category(1), 1500, 0),
        ];
        let lines = [
            line(1, None, 3000, 1),
            line(2, Some(7), 2000, 2),
            line(3, Some(8), 1000, 1),
        ];
        let shipping = BTreeMap::from([(None, 300), (Some(7), 200), (Some(8), 100)]);
        let plan = plan_split(&lines, &shipping, 600, &rules).unwrap();
        assert_eq!(
            plan.parcels,
            vec![
                PlannedParcel {
                    seller_id: None,
                    subtotal: 3000,
                    shipping: 300,
                    discount: 300
                },
                PlannedParcel {
                    seller_id: Some(7),
                    subtotal: 2000,
                    shipping: 200,
                    discount: 200
                },
                PlannedParcel {
                    seller_id: Some(8),
                    subtotal: 1000,
                    shipping: 100,
                    discount: 100
                },
            ]
        );
        let shares: Vec<i64> = plan.lines.iter().map(|l| l.discount_share).collect();
        assert_eq!(shares, [300, 200, 100]);
        // Seller 7's own rule (5 % + 10 per unit) beats the category's.
        assert_eq!(plan.lines[1].commission, 90 + 20);
        assert_eq!(plan.lines[1].rule.map(|r| r.0), Some(2));
        // Seller 8 falls to the parent category's rule: 15 % of 900.
        assert_eq!(plan.lines[2].commission, 135);
        // The shop's own line pays no commission.
        assert_eq!(plan.lines[0].commission, 0);
        assert!(plan.lines[0].rule.is_none());
    }

    proptest! {
        #[test]
        fn every_split_adds_up_to_the_order(
            raw in proptest::collection::vec((0i64..4, 1i64..100_000, 1i64..20), 1..12),
            shipping in 0i64..10_000,
            discount in 0i64..200_000,
            bps in 0u32..=10_000,
            fixed in 0i64..500,
        ) {
            let lines: Vec<SplitLine> = raw
                .iter()
                .enumerate()
                .map(|(i, (seller, total, qty))| {
                    line(i as i64, (*seller > 0).then_some(*seller), *total, *qty)
                })
                .collect();
            let rules = [
                rule(1, CommissionScope::Default, bps, fixed),
                rule(2, CommissionScope::Seller(2), bps / 2, 0),
            ];
            // The shipping charged, spread over the parcels as the shop's
            // one method does.
            let mut groups: BTreeMap<Option<i64>, i64> = BTreeMap::new();
            for l in &lines {
                *groups.entry(l.seller_id).or_default() += l.line_total;
            }
            let weights: Vec<i64> = groups.values().copied().collect();
            let charges: BTreeMap<Option<i64>, i64> = groups
                .keys()
                .copied()
                .zip(allocate(shipping, &weights).unwrap())
                .collect();
            let plan = plan_split(&lines, &charges, discount, &rules).unwrap();
            let subtotal: i64 = lines.iter().map(|l| l.line_total).sum();
            prop_assert_eq!(plan.parcels.iter().map(|p| p.shipping).sum::<i64>(), shipping);
            prop_assert_eq!(plan.parcels.iter().map(|p| p.subtotal).sum::<i64>(), subtotal);
            prop_assert_eq!(
                plan.lines.iter().map(|l| l.discount_share).sum::<i64>(),
                discount.min(subtotal)
            );
            for l in &plan.lines {
                prop_assert!(l.line_amount >= 0);
                prop_assert!(l.commission >= 0 && l.commission <= l.line_amount);
                if l.seller_id.is_none() {
                    prop_assert_eq!(l.commission, 0);
                }
            }
            // What the buyer pays for the goods is what the sellers and the
            // shop are owed before commission.
            let paid: i64 = plan.lines.iter().map(|l| l.line_amount).sum();
            prop_assert_eq!(paid, subtotal - discount.min(subtotal));
            prop_assert_eq!(
                plan.parcels.iter().map(|p| p.discount).sum::<i64>(),
                discount.min(subtotal)
            );
        }
    }
}
