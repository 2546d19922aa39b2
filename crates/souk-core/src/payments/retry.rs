//! Paying again: a declined or abandoned card does not end the sale. While
//! an order waits for its card payment, its buyer pays through the attempt
//! that is open, or opens a new one once none is (the provider gave the
//! last one up). An order has at most one open attempt, held by a unique
//! index (`ux_payments_one_open`), so two attempts can never both take its
//! money.

use super::{open_payment, provider_for};
use crate::ShopConfig;
use crate::auth::Caller;
use crate::orders::idempotent::CREATED;
use crate::orders::{IdempotencyKey, OrderView, Placed};
use crate::{CoreError, Shop};
use souk_db::WriteTxn;
use souk_db::entity::{order, payment};
use souk_db::repo::{idempotency, orders, payments};
use souk_domain::orders::{OrderStatus, PaymentMethod};
use souk_domain::payments::AttemptStatus;

impl Shop {
    /// The caller's order with an open card payment to pay through: the
    /// one that is open, or a new one with the shop's card provider. Only
    /// an order that waits for its payment by card (409 otherwise); the
    /// order expires when it would have, however often it is tried.
    pub async fn pay_my_order_again(
        &self,
        caller: Caller,
        public_id: &str,
        key: &IdempotencyKey<'_>,
        render: &(dyn Fn(&OrderView) -> Result<String, CoreError> + Sync),
    ) -> Result<Placed, CoreError> {
        let txn = self.db.begin_write().await?;
        if let Some(replay) = self.claim_key(&txn, key).await? {
            return Ok(replay);
        }
        let order = orders::find(&txn, public_id)
            .await?
            .filter(|o| o.user_id == Some(caller.user_id.0))
            .ok_or(CoreError::NotFound("order"))?;
        pay_through(&txn, &self.config, &order).await?;
        let view = self.order_view_in(&txn, order.id).await?;
        let body = render(&view)?;
        idempotency::finish_in(&txn, &key.scope, key.key, order.id, CREATED, &body).await?;
        txn.commit().await?;
        Ok(Placed::Created {
            order: Box::new(view),
            body,
        })
    }

    /// From the payment page of an attempt that failed: the attempt to pay
    /// the same order through now (its public id), opened as for
    /// [`Shop::pay_my_order_again`]. Whoever holds a payment's link may pay
    /// its order, as with the link itself.
    pub async fn pay_again_after(&self, payment_id: &str) -> Result<String, CoreError> {
        let txn = self.db.begin_write().await?;
        let failed = payments::find(&txn, payment_id)
            .await?
            .ok_or(CoreError::NotFound("payment"))?;
        let order = orders::find_by_id(&txn, failed.order_id)
            .await?
            .ok_or(CoreError::NotFound("payment"))?;
        let open = pay_through(&txn, &self.config, &order).await?;
        txn.commit().await?;
        Ok(open.public_id)
    }
}

/// The open attempt of an order waiting for its card payment, opened now
/// if none is: 409 for an order that waits for no payment or is not paid
/// by card, or when another request opened one at the same moment.
async fn pay_through(
    txn: &WriteTxn,
    config: &ShopConfig,
    order: &order::Model,
) -> Result<payment::Model, CoreError> {
    if order.status != OrderStatus::PendingPayment.as_str() {
        return Err(CoreError::Conflict(
            "This order does not wait for a payment.".into(),
        ));
    }
    let method = PaymentMethod::parse(&order.payment_method)
        .map_err(|e| anyhow::anyhow!("order {}: {}", order.number, e.0))?;
    let provider = provider_for(method, config);
    if !provider.pays_online() {
        return Err(CoreError::Conflict(
            "This order is not paid by card: follow the payment instructions on the order.".into(),
        ));
    }
    if let Some(open) = payments::of_order(txn, order.id)
        .await?
        .into_iter()
        .find(|p| p.status == AttemptStatus::Pending.as_str())
    {
        return Ok(open);
    }
    let opened = open_payment(txn, order, provider.as_ref())
        .await
        .map_err(|err| match err {
            CoreError::Internal(e)
                if e.downcast_ref::<souk_db::DbErr>()
                    .is_some_and(souk_db::is_unique_violation) =>
            {
                CoreError::Conflict(
                    "A payment of this order was opened at the same moment: reload the order."
                        .into(),
                )
            }
            other => other,
        })?;
    opened.ok_or_else(|| anyhow::anyhow!("a card provider opened no payment").into())
}
