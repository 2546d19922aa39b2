//! How an order's parcels ship. The shop's own lines, and the lines of
//! every seller with no active shipping method of its own, ship with one
//! of the shop's methods: one charge on their goods together, spread over
//! their parcels. A seller with methods of its own ships its lines with
//! the one the shopper picks (its first by default): a charge on its
//! goods alone.

use crate::CoreError;
use crate::shipping::ShippingMethodView;
use souk_db::ConnectionTrait;
use souk_db::repo::{sellers, shipping};
use souk_domain::{Currency, FieldError, Money};
use std::collections::{BTreeMap, HashMap};

/// The shopper's picks: one of the shop's methods, and one of each
/// seller's own (by seller id). Missing picks are the first listed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShippingChoice {
    pub shop: Option<i64>,
    pub sellers: BTreeMap<i64, i64>,
}

/// How one group of a cart's lines ships, as the checkout shows it.
#[derive(Debug, Clone)]
pub struct ParcelShippingView {
    /// `None`: the shop's own lines.
    pub seller_id: Option<i64>,
    /// Set by [`ShippingPlan::name_sellers`].
    pub seller_name: Option<String>,
    /// The worth of its lines.
    pub subtotal: Money,
    /// Whether the seller ships with methods of its own (picked for it
    /// alone) rather than the shop's (picked once for all such lines).
    pub own: bool,
    /// What the shopper picks from: the seller's own methods, or the
    /// shop's.
    pub options: Vec<ShippingMethodView>,
    pub chosen: Option<ShippingMethodView>,
    /// What it costs; for lines shipping with the shop's method, their
    /// share of the one charge.
    pub charge: Money,
}

/// The shipping of a whole cart or order.
#[derive(Debug, Clone)]
pub struct ShippingPlan {
    /// The shop's method for the lines that ship with it, if any do.
    pub shop: Option<ShippingMethodView>,
    pub groups: Vec<ParcelShippingView>,
    /// What all of it costs.
    pub total: Money,
}

impl ParcelShippingView {
    /// The form field of a seller's own pick: `seller_shipping.{id}`.
    pub fn field(&self) -> String {
        format!("seller_shipping.{}", self.seller_id.unwrap_or(0))
    }

    /// The id of the method it ships with; 0 when none.
    pub fn chosen_id(&self) -> i64 {
        self.chosen.as_ref().map_or(0, |m| m.id)
    }
}

impl ShippingPlan {
    /// The groups that ship with the shop's method.
    pub fn shared(&self) -> Vec<&ParcelShippingView> {
        self.groups.iter().filter(|g| !g.own).collect()
    }

    /// The shop's methods to pick from, for the groups that ship with one.
    pub fn shop_options(&self) -> &[ShippingMethodView] {
        self.groups
            .iter()
            .find(|g| !g.own)
            .map_or(&[], |g| g.options.as_slice())
    }

    /// The id of the shop's method picked; 0 when none.
    pub fn shop_id(&self) -> i64 {
        self.shop.as_ref().map_or(0, |m| m.id)
    }

    /// What each group's parcel is charged, by seller.
    pub(crate) fn charges(&self) -> BTreeMap<Option<i64>, i64> {
        self.groups
            .iter()
            .map(|g| (g.seller_id, g.charge.amount))
            .collect()
    }

    /// The order's shipping as one name: the one method every parcel ships
    /// with, or "Per parcel" when they differ.
    pub(crate) fn order_method_name(&self) -> String {
        let mut names: Vec<&str> = self
            .groups
            .iter()
            .filter_map(|g| g.chosen.as_ref().map(|m| m.name.as_str()))
            .collect();
        names.sort_unstable();
        names.dedup();
        match names.as_slice() {
            [] => "No shipping".to_owned(),
            [one] => (*one).to_owned(),
            _ => "Per parcel".to_owned(),
        }
    }

    /// Names each seller's group, for a page or a client to show (the
    /// checkout itself does without).
    pub(crate) async fn name_sellers(
        &mut self,
        db: &impl ConnectionTrait,
    ) -> Result<(), CoreError> {
        let ids: Vec<i64> = self.groups.iter().filter_map(|g| g.seller_id).collect();
        let names: HashMap<i64, String> = sellers::sellers_by_ids(db, &ids)
            .await?
            .into_iter()
            .map(|s| (s.id, s.name))
            .collect();
        for group in &mut self.groups {
            group.seller_name = group.seller_id.and_then(|id| names.get(&id).cloned());
        }
        Ok(())
    }

    /// The name of the method a group's parcel ships with.
    pub(crate) fn method_name(&self, seller_id: Option<i64>) -> String {
        self.groups
            .iter()
            .find(|g| g.seller_id == seller_id)
            .and_then(|g| g.chosen.as_ref())
            .map_or_else(|| "No shipping".to_owned(), |m| m.name.clone())
    }
}

/// Plans the shipping of lines worth `subtotals` (by seller; `None`: the
/// shop's own) with the shopper's `choice`. A pick that is not one of the
/// methods it is for is refused (409) when `strict`; otherwise it falls
/// back to the first listed.
pub(crate) async fn plan_shipping(
    db: &impl ConnectionTrait,
    subtotals: &BTreeMap<Option<i64>, i64>,
    choice: &ShippingChoice,
    currency: Currency,
    strict: bool,
) -> Result<ShippingPlan, CoreError> {
    let seller_ids: Vec<i64> = subtotals.keys().filter_map(|s| *s).collect();
    let mut own: HashMap<i64, Vec<ShippingMethodView>> = HashMap::new();
    let mut shop_methods = Vec::new();
    for row in shipping::active_of_shop_and(db, &seller_ids).await? {
        match row.seller_id {
            Some(seller) => own
                .entry(seller)
                .or_default()
                .push(ShippingMethodView::new(row)),
            None => shop_methods.push(ShippingMethodView::new(row)),
        }
    }
    let mut problems = Vec::new();
    let shared_groups: Vec<Option<i64>> = subtotals
        .keys()
        .filter(|s| s.is_none_or(|id| !own.contains_key(&id)))
        .copied()
        .collect();
    let shop = pick(
        &shop_methods,
        choice.shop,
        "shipping_method",
        strict,
        &mut problems,
    );
    let shared_subtotal: i64 = shared_groups.iter().map(|s| subtotals[s]).sum();
    let shared_charge = match (&shop, shared_groups.is_empty()) {
        (Some(m), false) => {
            m.rate()
                .cost_for(Money::new(shared_subtotal, currency))
                .amount
        }
        _ => 0,
    };
    let shared_weights: Vec<i64> = shared_groups.iter().map(|s| subtotals[s]).collect();
    let shares = souk_domain::marketplace::allocate(shared_charge, &shared_weights)
        .map_err(|e| anyhow::anyhow!("shipping split: {}", e.0))?;
    let shared_share: HashMap<Option<i64>, i64> =
        shared_groups.iter().copied().zip(shares).collect();
    let mut groups = Vec::with_capacity(subtotals.len());
    for (&seller_id, &subtotal) in subtotals {
        let subtotal = Money::new(subtotal, currency);
        let group = match seller_id.and_then(|id| own.get(&id).map(|m| (id, m))) {
            Some((id, methods)) => {
                let field = format!("seller_shipping.{id}");
                let picked = choice.sellers.get(&id).copied();
                let chosen = pick(methods, picked, &field, strict, &mut problems);
                let charge = chosen
                    .as_ref()
                    .map_or(Money::zero(currency), |m| m.rate().cost_for(subtotal));
                ParcelShippingView {
                    seller_id,
                    seller_name: None,
                    subtotal,
                    own: true,
                    options: methods.clone(),
                    chosen,
                    charge,
                }
            }
            None => ParcelShippingView {
                seller_id,
                seller_name: None,
                subtotal,
                own: false,
                options: shop_methods.clone(),
                chosen: shop.clone(),
                charge: Money::new(shared_share.get(&seller_id).copied().unwrap_or(0), currency),
            },
        };
        groups.push(group);
    }
    if !problems.is_empty() {
        return Err(CoreError::Clash(problems));
    }
    let total = groups.iter().map(|g| g.charge.amount).sum();
    Ok(ShippingPlan {
        shop: shop.filter(|_| !shared_groups.is_empty()),
        groups,
        total: Money::new(total, currency),
    })
}

/// The method `picked` of `methods`, or the first when none is picked. A
/// pick that is not there is a problem when `strict`, else the first.
fn pick(
    methods: &[ShippingMethodView],
    picked: Option<i64>,
    field: &str,
    strict: bool,
    problems: &mut Vec<FieldError>,
) -> Option<ShippingMethodView> {
    let first = methods.first().cloned();
    let Some(id) = picked else { return first };
    match methods.iter().find(|m| m.id == id) {
        Some(m) => Some(m.clone()),
        None if strict => {
            problems.push(FieldError::new(field, "no such shipping method"));
            None
        }
        None => first,
    }
}
