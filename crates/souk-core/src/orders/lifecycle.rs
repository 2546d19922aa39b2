//! Moving an order through its life cycle. Every move is checked against
//! the domain's rules, made by conditional update on the status the caller
//! saw, and recorded in the order's history; moves that call an order off
//! put its units back.

use super::OrderView;
use crate::actor::Actor;
use crate::auth::Caller;
use crate::{CoreError, Shop};
use chrono::Utc;
use souk_db::WriteTxn;
use souk_db::entity::order;
use souk_db::repo::{catalogue, orders, stock, vouchers};
use souk_domain::orders::{OrderStatus, PaymentStatus};
use souk_domain::text;

impl Shop {
    /// The customer calls off an order that is not paid yet; its units go
    /// back on the shelf.
    pub async fn cancel_my_order(
        &self,
        caller: Caller,
        public_id: &str,
    ) -> Result<OrderView, CoreError> {
        let txn = self.db.begin_write().await?;
        let order = orders::find(&txn, public_id)
            .await?
            .filter(|o| o.user_id == Some(caller.user_id.0))
            .ok_or(CoreError::NotFound("order"))?;
        if order.status != OrderStatus::PendingPayment.as_str() {
            return Err(CoreError::Conflict(
                "Only an order that is not paid yet can be cancelled here; contact the shop."
                    .into(),
            ));
        }
        move_order(
            &txn,
            &order,
            OrderStatus::Cancelled,
            &Actor::Customer {
                user_id: caller.user_id,
            },
            None,
        )
        .await?;
        txn.commit().await?;
        self.cache.catalogue_changed();
        self.order_by_public_id(public_id).await
    }

    /// Staff move an order to `status`, with an optional note. An illegal
    /// move is 409.
    pub async fn set_order_status(
        &self,
        actor: &Actor,
        public_id: &str,
        status: &str,
        note: Option<&str>,
    ) -> Result<OrderView, CoreError> {
        actor.require_staff()?;
        let next =
            OrderStatus::parse(status).map_err(|e| CoreError::Validation(vec![e.at("status")]))?;
        let note = text::optional(note, souk_domain::orders::STATUS_NOTE_MAX)
            .map_err(|e| CoreError::Validation(vec![e.at("note")]))?;
        let txn = self.db.begin_write().await?;
        let order = orders::find(&txn, public_id)
            .await?
            .ok_or(CoreError::NotFound("order"))?;
        move_order(&txn, &order, next, actor, note.as_deref()).await?;
        txn.commit().await?;
        self.cache.catalogue_changed();
        self.order_by_public_id(public_id).await
    }
}

/// Writes a note from the system into an order's history, at the status
/// the order has (at most 500 characters, like a staff note).
pub(crate) async fn note_in_history(
    txn: &WriteTxn,
    order: &order::Model,
    note: &str,
) -> Result<(), CoreError> {
    let note: String = note.chars().take(500).collect();
    let now = Utc::now();
    orders::record_event(
        txn,
        order.id,
        &order.status,
        "system",
        None,
        Some(&note),
        now,
    )
    .await?;
    Ok(())
}

pub(crate) async fn move_order(
    txn: &WriteTxn,
    order: &order::Model,
    next: OrderStatus,
    actor: &Actor,
    note: Option<&str>,
) -> Result<(), CoreError> {
    let current = OrderStatus::parse(&order.status)
        .map_err(|e| anyhow::anyhow!("order {} has status {e}", order.id))?;
    if !current.can_become(next) {
        return Err(CoreError::Conflict(format!(
            "An order that is {current} cannot become {next}."
        )));
    }
    let payment_status = match next {
        OrderStatus::Paid => Some(PaymentStatus::Paid.as_str()),
        OrderStatus::Refunded => Some(PaymentStatus::Refunded.as_str()),
        _ => None,
    };
    let now = Utc::now();
    if !orders::transition(
        txn,
        order.id,
        current.as_str(),
        next.as_str(),
        payment_status,
        now,
    )
    .await?
    {
        return Err(CoreError::Conflict(
            "The order changed meanwhile; reload it and try again.".into(),
        ));
    }
    let kind = match actor {
        Actor::Customer { .. } => "customer",
        Actor::Staff { .. } => "staff",
        Actor::Seller { .. } => "seller",
        Actor::Guest => "guest",
        Actor::System => "system",
    };
    let actor_id = actor.user_id().map(|u| u.0);
    orders::record_event(txn, order.id, next.as_str(), kind, actor_id, note, now).await?;
    if next == OrderStatus::Paid {
        crate::payments::record_manual_payment(txn, order).await?;
        crate::marketplace::credit_sellers(txn, order).await?;
        crate::marketplace::order_paid(txn, order).await?;
    }
    if next == OrderStatus::Delivered {
        // Parcels delivered with the order (staff moved it) start their
        // hold now; those delivered before keep theirs.
        let parcels = souk_db::repo::marketplace::fulfilments_of(txn, &[order.id]).await?;
        let ids: Vec<i64> = parcels.iter().map(|p| p.id).collect();
        crate::marketplace::start_hold(txn, &ids, now).await?;
    }
    if next.returns_stock() || next == OrderStatus::Refunded {
        crate::marketplace::order_called_off(txn, order).await?;
    }
    if customer_wants_word(next) {
        let locale = crate::site::shop_locale(txn).await?;
        let message = customer_message(order, next, locale);
        crate::mail::enqueue(txn, &message).await?;
    }
    if next.returns_stock() {
        crate::payments::close_open_payments(txn, order).await?;
        vouchers::give_back(txn, order.id).await?;
        let mut items = orders::items(txn, order.id).await?;
        items.sort_by_key(|i| i.variant_id);
        let reason = format!("order {} {next}", order.number);
        for item in items {
            if let Some(variant_id) = item.variant_id {
                stock::adjust(txn, variant_id, item.quantity, &reason, actor_id).await?;
            }
            if let Some(product_id) = item.product_id {
                catalogue::add_units_sold(txn, product_id, -item.quantity).await?;
                catalogue::refresh_product_summary(txn, product_id).await?;
            }
        }
    }
    Ok(())
}

/// Whether the customer is told when the order reaches `next`.
fn customer_wants_word(next: OrderStatus) -> bool {
    matches!(next, OrderStatus::Paid | OrderStatus::Shipped)
}

/// What the customer is told when the order reaches `next`: paid, else
/// shipped (see [`customer_wants_word`]); the total is written in the
/// shop's `locale`.
fn customer_message(
    order: &order::Model,
    next: OrderStatus,
    locale: souk_domain::Locale,
) -> crate::mail::OutgoingEmail {
    let total = souk_domain::Currency::parse(&order.currency)
        .map(|c| locale.format(souk_domain::Money::new(order.total, c)))
        .unwrap_or_default();
    let (subject, text) = if next == OrderStatus::Paid {
        (
            format!("Order {} confirmed", order.number),
            format!(
                "Thank you! We received the payment for order {} ({total}) and are preparing it.\n",
                order.number
            ),
        )
    } else {
        (
            format!("Order {} is on its way", order.number),
            format!(
                "Order {} has been handed to the carrier ({}).\n",
                order.number, order.shipping_method_name
            ),
        )
    };
    crate::mail::OutgoingEmail {
        to: order.email.clone(),
        subject,
        text,
    }
}
