//! Shipping methods: staff manage the shop's, a seller its own (a seller
//! without any ships with the shop's); shoppers choose at checkout.

use crate::actor::Actor;
use crate::{CoreError, Shop};
use souk_db::entity::shipping_method;
use souk_db::repo::shipping::{self, ShippingFields};
use souk_domain::orders::ShippingRate;
use souk_domain::{Currency, FieldError, Money, Validator, text};

/// The longest name of a shipping method.
pub const METHOD_NAME_MAX: usize = 100;

/// A shipping method as shown and priced.
#[derive(Debug, Clone)]
pub struct ShippingMethodView {
    pub id: i64,
    /// Whose: a seller's, or `None` for the shop's.
    pub seller_id: Option<i64>,
    pub name: String,
    pub price: Money,
    pub free_above: Option<Money>,
    pub active: bool,
    pub position: i32,
}

impl ShippingMethodView {
    pub(crate) fn new(m: shipping_method::Model) -> Self {
        let currency = Currency::parse(&m.currency).unwrap_or(Currency::USD);
        Self {
            id: m.id,
            seller_id: m.seller_id,
            name: m.name,
            price: Money::new(m.price, currency),
            free_above: m.free_above.map(|a| Money::new(a, currency)),
            active: m.active,
            position: m.position,
        }
    }

    /// The price rule.
    pub fn rate(&self) -> ShippingRate {
        ShippingRate {
            price: self.price,
            free_above: self.free_above,
        }
    }
}

/// A shipping method as staff enter it; on update, missing fields stay.
#[derive(Debug, Clone, Default)]
pub struct ShippingMethodInput {
    pub name: Option<String>,
    pub price: Option<i64>,
    /// `Some(None)` removes the free-shipping threshold.
    pub free_above: Option<Option<i64>>,
    pub active: Option<bool>,
    pub position: Option<i32>,
}

/// Whose methods an actor manages: staff the shop's, a seller its own.
fn owner(actor: &Actor) -> Result<Option<i64>, CoreError> {
    Ok(actor.catalogue_scope()?.seller().map(|s| s.0))
}

impl Shop {
    /// The shop's shipping methods; shoppers see the active ones only.
    pub async fn list_shipping_methods(
        &self,
        active_only: bool,
    ) -> Result<Vec<ShippingMethodView>, CoreError> {
        Ok(shipping::list(self.db.conn(), None, active_only)
            .await?
            .into_iter()
            .map(ShippingMethodView::new)
            .collect())
    }

    /// The methods the actor manages, inactive ones too: the shop's for
    /// staff, a seller's own for a seller.
    pub async fn managed_shipping_methods(
        &self,
        actor: &Actor,
    ) -> Result<Vec<ShippingMethodView>, CoreError> {
        let owner = owner(actor)?;
        Ok(shipping::list(self.db.conn(), owner, false)
            .await?
            .into_iter()
            .map(ShippingMethodView::new)
            .collect())
    }

    /// Creates a shipping method: the shop's for staff, a seller's own for
    /// a seller.
    pub async fn create_shipping_method(
        &self,
        actor: &Actor,
        input: ShippingMethodInput,
    ) -> Result<ShippingMethodView, CoreError> {
        let owner = owner(actor)?;
        let mut fields = self.shipping_fields(input, None)?;
        fields.seller_id = owner;
        let txn = self.db.begin_write().await?;
        let created = shipping::insert(&txn, fields).await?;
        txn.commit().await?;
        Ok(ShippingMethodView::new(created))
    }

    /// Changes a shipping method.
    pub async fn update_shipping_method(
        &self,
        actor: &Actor,
        id: i64,
        input: ShippingMethodInput,
    ) -> Result<ShippingMethodView, CoreError> {
        let owner = owner(actor)?;
        let txn = self.db.begin_write().await?;
        let current = shipping::get(&txn, id)
            .await?
            .filter(|m| m.seller_id == owner)
            .ok_or(CoreError::NotFound("shipping method"))?;
        let fields = self.shipping_fields(input, Some(current))?;
        let updated = shipping::update(&txn, id, fields)
            .await?
            .ok_or(CoreError::NotFound("shipping method"))?;
        txn.commit().await?;
        Ok(ShippingMethodView::new(updated))
    }

    /// Deletes a shipping method; orders keep its name. Another owner's
    /// method is 404.
    pub async fn delete_shipping_method(&self, actor: &Actor, id: i64) -> Result<(), CoreError> {
        let owner = owner(actor)?;
        let txn = self.db.begin_write().await?;
        let mine = shipping::get(&txn, id)
            .await?
            .is_some_and(|m| m.seller_id == owner);
        if !mine || !shipping::delete(&txn, id).await? {
            return Err(CoreError::NotFound("shipping method"));
        }
        txn.commit().await?;
        Ok(())
    }

    fn shipping_fields(
        &self,
        input: ShippingMethodInput,
        current: Option<shipping_method::Model>,
    ) -> Result<ShippingFields, CoreError> {
        let currency = self.config.currency;
        let mut v = Validator::new();
        let name = match (&input.name, &current) {
            (Some(name), _) => v.check("name", text::bounded(name, 1, METHOD_NAME_MAX)),
            (None, Some(c)) => Some(c.name.clone()),
            (None, None) => {
                v.push(FieldError::new("name", "must not be empty"));
                None
            }
        };
        let price = match (input.price, &current) {
            (Some(p), _) => v
                .check("price", Money::price(p, currency))
                .map(|m| m.amount),
            (None, Some(c)) => Some(c.price),
            (None, None) => {
                v.push(FieldError::new("price", "is required"));
                None
            }
        };
        let free_above = match (input.free_above, &current) {
            (Some(Some(t)), _) => v
                .check("free_above", Money::price(t, currency))
                .map(|m| Some(m.amount)),
            (Some(None), _) => Some(None),
            (None, Some(c)) => Some(c.free_above),
            (None, None) => Some(None),
        };
        v.finish()?;
        let (Some(name), Some(price), Some(free_above)) = (name, price, free_above) else {
            return Err(anyhow::anyhow!("validated shipping method is incomplete").into());
        };
        Ok(ShippingFields {
            seller_id: current.as_ref().and_then(|c| c.seller_id),
            name,
            price,
            currency: currency.to_string(),
            free_above,
            active: input
                .active
                .or(current.as_ref().map(|c| c.active))
                .unwrap_or(true),
            position: input
                .position
                .or(current.as_ref().map(|c| c.position))
                .unwrap_or(0),
        })
    }
}
