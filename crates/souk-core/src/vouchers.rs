//! Vouchers: staff manage them; shoppers preview one on the cart and
//! apply it at checkout. A voucher that cannot apply is refused with the
//! reason, never silently dropped.

use crate::actor::Actor;
use crate::cart::CartOwner;
use crate::{CoreError, Shop};
use chrono::{DateTime, Utc};
use souk_db::entity::voucher;
use souk_db::repo::vouchers::{self, VoucherFields};
use souk_domain::paging::{Page, PageRequest};
use souk_domain::vouchers::{VoucherKind, parse_code};
use souk_domain::{Currency, FieldError, Money, Validator};

/// A voucher as staff see it.
#[derive(Debug, Clone)]
pub struct VoucherView {
    pub id: i64,
    pub code: String,
    pub kind: String,
    pub value: i64,
    pub min_subtotal: Option<Money>,
    pub usage_limit: Option<i32>,
    pub per_customer_limit: Option<i32>,
    pub used_count: i32,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub active: bool,
}

impl VoucherView {
    fn new(v: voucher::Model, currency: Currency) -> Self {
        Self {
            id: v.id,
            code: v.code,
            kind: v.kind,
            value: v.value,
            min_subtotal: v.min_subtotal.map(|m| Money::new(m, currency)),
            usage_limit: v.usage_limit,
            per_customer_limit: v.per_customer_limit,
            used_count: v.used_count,
            starts_at: v.starts_at,
            ends_at: v.ends_at,
            active: v.active,
        }
    }
}

/// A voucher as staff enter it; on update, missing fields stay and
/// `Some(None)` clears an optional one.
#[derive(Debug, Clone, Default)]
pub struct VoucherInput {
    pub code: Option<String>,
    pub kind: Option<String>,
    pub value: Option<i64>,
    pub min_subtotal: Option<Option<i64>>,
    pub usage_limit: Option<Option<i32>>,
    pub per_customer_limit: Option<Option<i32>>,
    pub starts_at: Option<Option<DateTime<Utc>>>,
    pub ends_at: Option<Option<DateTime<Utc>>>,
    pub active: Option<bool>,
}

/// What a voucher would take off the cart now.
#[derive(Debug, Clone)]
pub struct VoucherPreview {
    pub code: String,
    pub subtotal: Money,
    pub discount: Money,
    /// Subtotal minus discount, before shipping and tax.
    pub total: Money,
}

impl Shop {
    /// Vouchers, newest first.
    pub async fn list_vouchers(
        &self,
        actor: &Actor,
        page: PageRequest,
    ) -> Result<Page<VoucherView>, CoreError> {
        actor.require_staff()?;
        let currency = self.config.currency;
        Ok(vouchers::list(self.db.conn(), page)
            .await?
            .map(|v| VoucherView::new(v, currency)))
    }

    /// Creates a voucher.
    pub async fn create_voucher(
        &self,
        actor: &Actor,
        input: VoucherInput,
    ) -> Result<VoucherView, CoreError> {
        actor.require_staff()?;
        let fields = voucher_fields(input, None)?;
        let txn = self.db.begin_write().await?;
        let created = vouchers::insert(&txn, fields).await.map_err(taken_code)?;
        txn.commit().await?;
        Ok(VoucherView::new(created, self.config.currency))
    }

    /// Changes a voucher.
    pub async fn update_voucher(
        &self,
        actor: &Actor,
        id: i64,
        input: VoucherInput,
    ) -> Result<VoucherView, CoreError> {
        actor.require_staff()?;
        let txn = self.db.begin_write().await?;
        let current = vouchers::find(&txn, id)
            .await?
            .ok_or(CoreError::NotFound("voucher"))?;
        let fields = voucher_fields(input, Some(current))?;
        let updated = vouchers::update(&txn, id, fields)
            .await
            .map_err(taken_code)?
            .ok_or(CoreError::NotFound("voucher"))?;
        txn.commit().await?;
        Ok(VoucherView::new(updated, self.config.currency))
    }

    /// What a voucher would take off the caller's cart now (before
    /// shipping: a free-shipping voucher shows its effect at checkout).
    pub async fn preview_voucher(
        &self,
        owner: &CartOwner,
        code: &str,
    ) -> Result<VoucherPreview, CoreError> {
        let cart = self.get_cart(owner).await?;
        let user = match owner {
            CartOwner::Customer(caller) => Some(caller.user_id.0),
            CartOwner::Guest(_) => None,
        };
        let zero = Money::zero(self.config.currency);
        let (voucher, discount) = self
            .applicable_voucher(self.db.conn(), code, cart.subtotal, zero, user)
            .await?;
        Ok(VoucherPreview {
            code: voucher.code,
            subtotal: cart.subtotal,
            discount,
            total: Money::new(
                cart.subtotal.amount - discount.amount,
                cart.subtotal.currency,
            ),
        })
    }

    /// The voucher with this code and what it takes off, or a 409 naming
    /// why it cannot apply now (a 422 for a code that cannot exist). Does
    /// not count a use.
    pub(crate) async fn applicable_voucher(
        &self,
        db: &impl souk_db::ConnectionTrait,
        code: &str,
        subtotal: Money,
        shipping: Money,
        user_id: Option<i64>,
    ) -> Result<(voucher::Model, Money), CoreError> {
        let refuse = |why: String| CoreError::clash("voucher_code", why);
        let code = parse_code(code).map_err(|e| CoreError::invalid("voucher_code", e.0))?;
        let voucher = vouchers::find_by_code(db, &code)
            .await?
            .ok_or_else(|| refuse(format!("'{code}' does not exist")))?;
        let now = Utc::now();
        if !voucher.active {
            return Err(refuse(format!("'{code}' is no longer valid")));
        }
        if voucher.starts_at.is_some_and(|t| t > now) {
            return Err(refuse(format!("'{code}' is not valid yet")));
        }
        if voucher.ends_at.is_some_and(|t| t <= now) {
            return Err(refuse(format!("'{code}' has expired")));
        }
        if let Some(min) = voucher.min_subtotal
            && subtotal.amount < min
        {
            let locale = self.site_settings().await?.locale;
            let min = locale.format(Money::new(min, subtotal.currency));
            return Err(refuse(format!("'{code}' needs goods worth at least {min}")));
        }
        if voucher
            .usage_limit
            .is_some_and(|limit| voucher.used_count >= limit)
        {
            return Err(refuse(format!("'{code}' has been used up")));
        }
        if let (Some(limit), Some(user)) = (voucher.per_customer_limit, user_id)
            && vouchers::uses_by(db, voucher.id, user).await? >= limit.max(0) as u64
        {
            return Err(refuse(format!(
                "you have already used '{code}' as often as it allows"
            )));
        }
        let kind = VoucherKind::parse(&voucher.kind)
            .map_err(|e| anyhow::anyhow!("voucher {}: {e}", voucher.id))?;
        let discount = kind.discount(voucher.value, subtotal, shipping);
        Ok((voucher, discount))
    }
}

fn taken_code(err: souk_db::DbErr) -> CoreError {
    if souk_db::is_unique_violation(&err) {
        CoreError::clash("code", "is already in use")
    } else {
        err.into()
    }
}

fn voucher_fields(
    input: VoucherInput,
    current: Option<voucher::Model>,
) -> Result<VoucherFields, CoreError> {
    let mut v = Validator::new();
    let code = match (&input.code, &current) {
        (Some(raw), _) => v.check("code", parse_code(raw)),
        (None, Some(c)) => Some(c.code.clone()),
        (None, None) => {
            v.push(FieldError::new("code", "is required"));
            None
        }
    };
    let kind = match (&input.kind, &current) {
        (Some(raw), _) => v.check("kind", VoucherKind::parse(raw)),
        (None, Some(c)) => VoucherKind::parse(&c.kind).ok(),
        (None, None) => {
            v.push(FieldError::new("kind", "is required"));
            None
        }
    };
    let mut clashes = Vec::new();
    if input
        .value
        .is_some_and(|value| !(1..=souk_domain::money::MAX_PRICE_MINOR).contains(&value))
    {
        v.push(FieldError::new(
            "value",
            format!("must be from 1 to {}", souk_domain::money::MAX_PRICE_MINOR),
        ));
    }
    let value = match (kind, input.value.or(current.as_ref().map(|c| c.value))) {
        (Some(kind), Some(value)) => match kind.check_value(value) {
            Ok(value) => Some(value),
            // A value and kind sent together that do not suit each other are
            // invalid; one sent against the other as stored clashes with it.
            Err(invalid) if input.kind.is_some() && input.value.is_some() => {
                v.push(invalid.at("value"));
                None
            }
            Err(invalid) => {
                clashes.push(invalid.at("value"));
                None
            }
        },
        (Some(VoucherKind::FreeShipping), None) => Some(0),
        (Some(_), None) => {
            v.push(FieldError::new("value", "is required"));
            None
        }
        (None, _) => None,
    };
    let pick = |given: Option<Option<i64>>, stored: Option<i64>| given.unwrap_or(stored);
    let min_subtotal = pick(
        input.min_subtotal,
        current.as_ref().and_then(|c| c.min_subtotal),
    );
    if min_subtotal.is_some_and(|m| !(0..=souk_domain::money::MAX_PRICE_MINOR).contains(&m)) {
        v.push(FieldError::new(
            "min_subtotal",
            format!(
                "must be from 0 to {} minor units",
                souk_domain::money::MAX_PRICE_MINOR
            ),
        ));
    }
    let usage_limit = input
        .usage_limit
        .unwrap_or(current.as_ref().and_then(|c| c.usage_limit));
    if usage_limit.is_some_and(|l| l < 1) {
        v.push(FieldError::new("usage_limit", "must be at least 1"));
    }
    let per_customer_limit = input
        .per_customer_limit
        .unwrap_or(current.as_ref().and_then(|c| c.per_customer_limit));
    if per_customer_limit.is_some_and(|l| l < 1) {
        v.push(FieldError::new("per_customer_limit", "must be at least 1"));
    }
    let starts_at = input
        .starts_at
        .unwrap_or(current.as_ref().and_then(|c| c.starts_at));
    let ends_at = input
        .ends_at
        .unwrap_or(current.as_ref().and_then(|c| c.ends_at));
    if let (Some(start), Some(end)) = (starts_at, ends_at)
        && end <= start
    {
        clashes.push(FieldError::new("ends_at", "must be after starts_at"));
    }
    v.finish()?;
    CoreError::unless_clashes(clashes)?;
    let (Some(code), Some(kind), Some(value)) = (code, kind, value) else {
        return Err(anyhow::anyhow!("validated voucher is incomplete").into());
    };
    Ok(VoucherFields {
        code,
        kind: kind.as_str().to_owned(),
        value,
        min_subtotal,
        usage_limit,
        per_customer_limit,
        starts_at,
        ends_at,
        active: input
            .active
            .or(current.as_ref().map(|c| c.active))
            .unwrap_or(true),
    })
}
