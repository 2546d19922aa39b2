//! Commission rules: a default, per category, per seller and per seller
//! and category; the most specific one that applies to a line wins.

use crate::actor::Actor;
use crate::{CoreError, Shop};
use chrono::{DateTime, Utc};
use souk_db::entity::commission_rule;
use souk_db::repo::marketplace::{self, RuleFields};
use souk_db::repo::{catalogue, sellers};
use souk_domain::marketplace::{CommissionRate, CommissionScope, pick_rule};
use souk_domain::{FieldError, Money, Validator};

/// A rule as staff send it. Its scope is what it names: neither a seller
/// nor a category is the default rule, one of them is that seller's or
/// that category's rule, both is the rule for that seller in that category.
#[derive(Debug, Clone, Default)]
pub struct CommissionRuleInput {
    pub seller_id: Option<i64>,
    pub category_id: Option<i64>,
    /// Hundredths of a percent: 1250 is 12.5 %.
    pub basis_points: i64,
    /// Minor units taken per unit sold, on top of the percentage.
    pub fixed_per_unit: i64,
    pub min_per_line: Option<i64>,
    pub max_per_line: Option<i64>,
}

/// A stored rule.
#[derive(Debug, Clone)]
pub struct CommissionRuleView {
    pub id: i64,
    pub scope: CommissionScope,
    pub rate: CommissionRate,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl CommissionRuleView {
    pub(crate) fn new(row: &commission_rule::Model) -> Result<Self, CoreError> {
        let broken = |e: String| anyhow::anyhow!("commission rule {}: {e}", row.id);
        let scope = CommissionScope::from_parts(&row.scope, row.seller_id, row.category_id)
            .map_err(|e| broken(e.0))?;
        let rate = CommissionRate::new(
            u32::try_from(row.basis_points).map_err(|e| broken(e.to_string()))?,
            row.fixed_per_unit,
            row.min_per_line,
            row.max_per_line,
        )
        .map_err(|e| broken(format!("{e:?}")))?;
        Ok(Self {
            id: row.id,
            scope,
            rate,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

/// What a price would pay in commission, and under which rule.
#[derive(Debug, Clone)]
pub struct CommissionPreview {
    /// The rule that wins; `None` when no rule applies (nothing is taken).
    pub rule: Option<CommissionRuleView>,
    pub line_amount: Money,
    pub commission: Money,
}

/// The key that makes a scope unique among the rules.
fn scope_key(scope: &CommissionScope) -> String {
    match scope {
        CommissionScope::Default => "default".into(),
        CommissionScope::Category(c) => format!("category:{c}"),
        CommissionScope::Seller(s) => format!("seller:{s}"),
        CommissionScope::SellerCategory {
            seller_id,
            category_id,
        } => format!("seller:{seller_id}:category:{category_id}"),
    }
}

/// Every stored rule with its scope, for picking.
pub(crate) async fn all_rules(
    db: &impl souk_db::ConnectionTrait,
) -> Result<Vec<(CommissionScope, CommissionRuleView)>, CoreError> {
    let mut rules = Vec::new();
    for row in marketplace::rules(db).await? {
        let view = CommissionRuleView::new(&row)?;
        rules.push((view.scope, view));
    }
    Ok(rules)
}

/// The product's category and its parent, nearest first.
pub(crate) fn category_chain(
    all: &[souk_db::entity::category::Model],
    category_id: Option<i64>,
) -> Vec<i64> {
    let mut chain = Vec::new();
    let mut next = category_id;
    while let Some(id) = next {
        if chain.contains(&id) {
            break;
        }
        chain.push(id);
        next = all.iter().find(|c| c.id == id).and_then(|c| c.parent_id);
    }
    chain
}

fn parse_rule(input: &CommissionRuleInput) -> Result<(CommissionScope, CommissionRate), CoreError> {
    let mut v = Validator::new();
    let scope = CommissionScope::naming(input.seller_id, input.category_id);
    let basis_points = match u32::try_from(input.basis_points) {
        Ok(bps) => Some(bps),
        Err(_) => {
            v.push(FieldError::new(
                "basis_points",
                "must be between 0 and 10000",
            ));
            None
        }
    };
    // Each bound on its own first (422); a minimum above the maximum
    // clashes with it (409), as no schema can say.
    let bps = basis_points.unwrap_or(0);
    let checks = [
        CommissionRate::new(bps, input.fixed_per_unit, input.min_per_line, None),
        CommissionRate::new(bps, input.fixed_per_unit, None, input.max_per_line),
    ];
    let mut seen = std::collections::HashSet::new();
    for errors in checks.into_iter().filter_map(Result::err) {
        for error in errors {
            if seen.insert(error.field.clone()) {
                v.push(error);
            }
        }
    }
    v.finish()?;
    if let (Some(min), Some(max)) = (input.min_per_line, input.max_per_line)
        && min > max
    {
        return Err(CoreError::clash(
            "max_per_line",
            "must not be below the minimum per line",
        ));
    }
    let rate = CommissionRate::new(
        bps,
        input.fixed_per_unit,
        input.min_per_line,
        input.max_per_line,
    )
    .map_err(CoreError::Validation)?;
    Ok((scope, rate))
}

/// The stored form of a rule.
pub(crate) fn rule_fields(scope: &CommissionScope, rate: &CommissionRate) -> RuleFields {
    RuleFields {
        scope: scope.as_str(),
        seller_id: scope.seller_id(),
        category_id: scope.category_id(),
        scope_key: scope_key(scope),
        basis_points: i32::try_from(rate.basis_points()).unwrap_or(i32::MAX),
        fixed_per_unit: rate.fixed_per_unit(),
        min_per_line: rate.min_per_line(),
        max_per_line: rate.max_per_line(),
    }
}

impl Shop {
    /// Every commission rule, for staff.
    pub async fn list_commission_rules(
        &self,
        actor: &Actor,
    ) -> Result<Vec<CommissionRuleView>, CoreError> {
        actor.require_staff()?;
        Ok(all_rules(self.db.conn())
            .await?
            .into_iter()
            .map(|(_, rule)| rule)
            .collect())
    }

    /// Staff add a rule: one per scope (a second is 409), for a seller and
    /// category that exist (409 otherwise). Placed orders keep the
    /// commission they were given.
    pub async fn create_commission_rule(
        &self,
        actor: &Actor,
        input: CommissionRuleInput,
    ) -> Result<CommissionRuleView, CoreError> {
        actor.require_staff()?;
        let (scope, rate) = parse_rule(&input)?;
        let txn = self.db.begin_write().await?;
        let mut clashes = Vec::new();
        if let Some(id) = scope.seller_id()
            && sellers::find_seller(&txn, &id.to_string())
                .await?
                .filter(|s| s.id == id)
                .is_none()
        {
            clashes.push(FieldError::new("seller_id", "no such seller"));
        }
        if let Some(id) = scope.category_id()
            && catalogue::find_category(&txn, &id.to_string())
                .await?
                .filter(|c| c.id == id)
                .is_none()
        {
            clashes.push(FieldError::new("category_id", "no such category"));
        }
        CoreError::unless_clashes(clashes)?;
        let row = marketplace::insert_rule(&txn, rule_fields(&scope, &rate), Utc::now())
            .await
            .map_err(|e| {
                if souk_db::is_unique_violation(&e) {
                    CoreError::clash("scope", "already has a rule; change that one")
                } else {
                    e.into()
                }
            })?;
        txn.commit().await?;
        CommissionRuleView::new(&row)
    }

    /// Staff change a rule's terms; its scope stays. Placed orders keep
    /// the commission they were given.
    pub async fn update_commission_rule(
        &self,
        actor: &Actor,
        id: i64,
        input: CommissionRuleInput,
    ) -> Result<CommissionRuleView, CoreError> {
        actor.require_staff()?;
        let txn = self.db.begin_write().await?;
        let current = marketplace::rule(&txn, id)
            .await?
            .ok_or(CoreError::NotFound("commission rule"))?;
        let input = CommissionRuleInput {
            seller_id: current.seller_id,
            category_id: current.category_id,
            ..input
        };
        let (scope, rate) = parse_rule(&input)?;
        marketplace::update_rule_terms(&txn, id, &rule_fields(&scope, &rate), Utc::now()).await?;
        let row = marketplace::rule(&txn, id)
            .await?
            .ok_or(CoreError::NotFound("commission rule"))?;
        txn.commit().await?;
        CommissionRuleView::new(&row)
    }

    /// Staff delete a rule.
    pub async fn delete_commission_rule(&self, actor: &Actor, id: i64) -> Result<(), CoreError> {
        actor.require_staff()?;
        let txn = self.db.begin_write().await?;
        if !marketplace::delete_rule(&txn, id).await? {
            return Err(CoreError::NotFound("commission rule"));
        }
        txn.commit().await?;
        Ok(())
    }

    /// What a line of `quantity` units for `line_amount` (minor units) of a
    /// seller's product in a category would pay, and under which rule.
    pub async fn preview_commission(
        &self,
        actor: &Actor,
        seller_id: Option<i64>,
        category_id: Option<i64>,
        line_amount: i64,
        quantity: i64,
    ) -> Result<CommissionPreview, CoreError> {
        actor.require_staff()?;
        let mut v = Validator::new();
        let amount = v.check(
            "line_amount",
            Money::price(line_amount, self.config.currency),
        );
        for (field, id) in [("seller_id", seller_id), ("category_id", category_id)] {
            if id.is_some_and(|id| id < 1) {
                v.push(FieldError::new(field, "must be a positive id"));
            }
        }
        if !(1..=souk_domain::orders::MAX_LINE_QUANTITY).contains(&quantity) {
            v.push(FieldError::new(
                "quantity",
                format!(
                    "must be between 1 and {}",
                    souk_domain::orders::MAX_LINE_QUANTITY
                ),
            ));
        }
        v.finish()?;
        let amount = amount.unwrap_or(Money::zero(self.config.currency));
        let rules = all_rules(self.db.conn()).await?;
        let categories = self.all_categories().await?;
        let chain = category_chain(&categories, category_id);
        let rule = pick_rule(&rules, seller_id, &chain).cloned();
        let commission = rule
            .as_ref()
            .map_or(0, |r| r.rate.commission(amount.amount, quantity));
        Ok(CommissionPreview {
            rule,
            line_amount: amount,
            commission: Money::new(commission, self.config.currency),
        })
    }
}

/// The commission frozen on one seller's line of a placed order.
#[derive(Debug, Clone)]
pub struct CommissionLineView {
    pub order_item_id: i64,
    pub seller_id: i64,
    /// The rule that applied (`None` if it was deleted since, or none did).
    pub rule_id: Option<i64>,
    /// The scope of that rule when the order was placed, or `none`.
    pub rule_scope: String,
    pub basis_points: i32,
    pub fixed_per_unit: Money,
    /// What the buyer pays for the line: its total less its discount share.
    pub line_amount: Money,
    pub discount_share: Money,
    pub commission: Money,
}

impl Shop {
    /// The commission lines of an order, for staff.
    pub async fn order_commissions(
        &self,
        actor: &Actor,
        public_id: &str,
    ) -> Result<Vec<CommissionLineView>, CoreError> {
        actor.require_staff()?;
        let db = self.db.conn();
        let order = souk_db::repo::orders::find(db, public_id)
            .await?
            .ok_or(CoreError::NotFound("order"))?;
        let currency = souk_domain::Currency::parse(&order.currency)
            .map_err(|e| anyhow::anyhow!("order {}: {}", order.id, e.0))?;
        let money = |amount| Money::new(amount, currency);
        Ok(marketplace::commission_lines_of(db, order.id)
            .await?
            .into_iter()
            .map(|l| CommissionLineView {
                order_item_id: l.order_item_id,
                seller_id: l.seller_id,
                rule_id: l.rule_id,
                rule_scope: l.rule_scope,
                basis_points: l.basis_points,
                fixed_per_unit: money(l.fixed_per_unit),
                line_amount: money(l.line_amount),
                discount_share: money(l.discount_share),
                commission: money(l.amount),
            })
            .collect())
    }
}
