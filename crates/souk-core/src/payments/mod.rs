//! How orders get paid. Each payment method is served by a
//! [`PaymentProvider`]. Bank transfer and cash on delivery start unpaid
//! and staff mark the order paid; cards go through Stripe when it is
//! configured, otherwise through `testpay`, the built-in test gateway.
//! Either way a signed webhook marks the order paid.

mod retry;
pub mod signature;
pub mod stripe;

use crate::ShopConfig;
use crate::actor::Actor;
use crate::orders::idempotent::CREATED;
use crate::orders::lifecycle::{move_order, note_in_history};
use crate::orders::{IdempotencyKey, OrderView, Placed};
use crate::{CoreError, Shop};
use chrono::Utc;
use souk_db::WriteTxn;
use souk_db::entity::{order, payment};
use souk_db::repo::jobs::{self, NewJob};
use souk_db::repo::payments::{self, NewPayment};
use souk_db::repo::{idempotency, orders};
use souk_domain::orders::{OrderStatus, PaymentMethod, PaymentStatus};
use souk_domain::payments::AttemptStatus;

/// A way of taking a customer's money.
pub trait PaymentProvider: Send + Sync {
    /// The provider's name, stored with each payment.
    fn name(&self) -> &'static str;

    /// Whether checkout creates a payment with this provider to be paid
    /// online (`false`: staff record the payment when the money arrives).
    fn pays_online(&self) -> bool;

    /// What the customer is told to do after placing the order.
    fn instructions(&self) -> &'static str;

    /// The job that checkout enqueues, with the new payment, to open it
    /// at the provider (its payload is `{"payment_id": ...}`), if any.
    fn open_job(&self) -> Option<&'static str> {
        None
    }
}

/// Bank transfer and cash on delivery: nothing happens online.
pub struct ManualPayment {
    method: PaymentMethod,
}

impl PaymentProvider for ManualPayment {
    fn name(&self) -> &'static str {
        self.method.as_str()
    }

    fn pays_online(&self) -> bool {
        false
    }

    fn instructions(&self) -> &'static str {
        match self.method {
            PaymentMethod::CashOnDelivery => "Pay the carrier when the parcel arrives.",
            _ => "Transfer the total quoting the order number; we ship once it arrives.",
        }
    }
}

/// The built-in test card gateway.
pub struct TestPay;

/// The provider name of [`TestPay`].
pub const TESTPAY: &str = "testpay";

impl PaymentProvider for TestPay {
    fn name(&self) -> &'static str {
        TESTPAY
    }

    fn pays_online(&self) -> bool {
        true
    }

    fn instructions(&self) -> &'static str {
        "Pay by card on the payment page."
    }
}

/// The provider that serves a payment method: cards go to Stripe when
/// its secret key is configured, otherwise to testpay.
pub fn provider_for(method: PaymentMethod, config: &ShopConfig) -> Box<dyn PaymentProvider> {
    match method {
        PaymentMethod::Card if config.stripe.is_some() => Box::new(stripe::Stripe),
        PaymentMethod::Card => Box::new(TestPay),
        other => Box::new(ManualPayment { method: other }),
    }
}

/// A payment as shown with its order.
#[derive(Debug, Clone)]
pub struct PaymentView {
    pub id: String,
    pub provider: String,
    pub status: AttemptStatus,
    pub amount: souk_domain::Money,
    pub refunded: souk_domain::Money,
    /// The provider's id of the payment (Stripe: `pi_...`), once it has one.
    pub reference: Option<String>,
}

impl PaymentView {
    pub(crate) fn new(p: payment::Model) -> Result<Self, CoreError> {
        let broken = |e: souk_domain::Invalid| anyhow::anyhow!("payment {}: {}", p.id, e.0);
        let currency = souk_domain::Currency::parse(&p.currency).map_err(broken)?;
        let status = AttemptStatus::parse(&p.status).map_err(broken)?;
        Ok(Self {
            id: p.public_id,
            provider: p.provider,
            status,
            amount: souk_domain::Money::new(p.amount, currency),
            refunded: souk_domain::Money::new(p.refunded_amount, currency),
            reference: p.provider_ref,
        })
    }
}

/// A payment as its hosted page `/pay/{id}` shows it.
#[derive(Debug, Clone)]
pub struct PaymentPage {
    pub payment: PaymentView,
    pub order_number: String,
    /// The order's public id, for the way back to the shop.
    pub order_id: String,
    /// Whether the order still waits for its payment (it may be tried
    /// again after a declined card).
    pub order_unpaid: bool,
    /// For a Stripe payment: what Stripe.js needs in the browser.
    pub stripe: Option<stripe::StripeCheckout>,
}

/// Creates the payment that checkout opens for an online method.
pub(crate) async fn open_payment(
    txn: &WriteTxn,
    order: &order::Model,
    provider: &dyn PaymentProvider,
) -> Result<Option<payment::Model>, CoreError> {
    if !provider.pays_online() {
        return Ok(None);
    }
    let new = NewPayment {
        order_id: order.id,
        provider: provider.name(),
        status: AttemptStatus::Pending,
        amount: order.total,
        currency: &order.currency,
        captured_amount: 0,
    };
    let payment = payments::insert(txn, new, uuid::Uuid::new_v4().to_string()).await?;
    if let Some(kind) = provider.open_job() {
        // In the checkout's transaction: the provider hears of every
        // payment that exists, and of none that was rolled back.
        let payload = serde_json::json!({ "payment_id": payment.public_id });
        jobs::enqueue(
            txn,
            NewJob {
                kind,
                payload: payload.to_string(),
                run_at: Utc::now(),
                max_attempts: 10,
                unique_key: None,
            },
        )
        .await?;
    }
    Ok(Some(payment))
}

/// Closes the payments still open on an order that was called off before
/// it was paid: a Stripe PaymentIntent is cancelled by a job, so that it
/// can no longer take money. A testpay payment stays open: its page is a
/// test, and paying it after the order closed shows how a late payment is
/// kept and flagged.
pub(crate) async fn close_open_payments(
    txn: &WriteTxn,
    order: &order::Model,
) -> Result<(), CoreError> {
    for payment in payments::of_order(txn, order.id).await? {
        if payment.provider == stripe::STRIPE && payment.status == AttemptStatus::Pending.as_str() {
            stripe::enqueue_cancel(txn, &payment.public_id).await?;
        }
    }
    Ok(())
}

/// Records the money of an order that staff marked paid, so that it can be
/// refunded like any other.
pub(crate) async fn record_manual_payment(
    txn: &WriteTxn,
    order: &order::Model,
) -> Result<(), CoreError> {
    let existing = payments::of_order(txn, order.id).await?;
    if existing
        .iter()
        .any(|p| p.status == AttemptStatus::Succeeded.as_str())
    {
        return Ok(());
    }
    let new = NewPayment {
        order_id: order.id,
        provider: "manual",
        status: AttemptStatus::Succeeded,
        amount: order.total,
        currency: &order.currency,
        captured_amount: order.total,
    };
    payments::insert(txn, new, uuid::Uuid::new_v4().to_string()).await?;
    Ok(())
}

/// What a webhook delivery did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookOutcome {
    /// The event took effect now.
    Applied,
    /// The event had taken effect before (a redelivery), or needs none.
    AlreadySeen,
}

/// Money staff give back on an order.
#[derive(Debug, Clone, Copy)]
pub struct RefundInput<'a> {
    /// Minor units.
    pub amount: i64,
    /// The currency the client named, if any; it must be the order's.
    pub currency: Option<&'a str>,
    /// Why, for the order's history.
    pub reason: &'a str,
    /// The parcel it is for; None spreads it over the order's parcels in
    /// proportion to what is left to refund of each.
    pub fulfilment_id: Option<i64>,
}

impl Shop {
    /// The payment behind `/pay/{id}`: a testpay or Stripe payment (other
    /// payments have no page: 404).
    pub async fn payment_page(&self, public_id: &str) -> Result<PaymentPage, CoreError> {
        let db = self.db.conn();
        let payment = payments::find(db, public_id)
            .await?
            .filter(|p| p.provider == TESTPAY || p.provider == stripe::STRIPE)
            .ok_or(CoreError::NotFound("payment"))?;
        let order = orders::find_by_id(db, payment.order_id)
            .await?
            .ok_or(CoreError::NotFound("payment"))?;
        let stripe = (payment.provider == stripe::STRIPE).then(|| stripe::StripeCheckout {
            publishable_key: self
                .config
                .stripe
                .as_ref()
                .and_then(|s| s.publishable_key.clone()),
            client_secret: payment.client_secret.clone(),
        });
        Ok(PaymentPage {
            payment: PaymentView::new(payment)?,
            order_unpaid: order.status == OrderStatus::PendingPayment.as_str(),
            order_number: order.number,
            order_id: order.public_id,
            stripe,
        })
    }

    /// A captured payment arrived: the order becomes paid, or, if it was
    /// called off meanwhile, it keeps its status and its history tells
    /// staff that money arrived and is due back. Nothing is lost.
    pub(crate) async fn order_paid(
        &self,
        txn: &WriteTxn,
        order: &order::Model,
    ) -> Result<(), CoreError> {
        if order.status == OrderStatus::PendingPayment.as_str() {
            return move_order(
                txn,
                order,
                OrderStatus::Paid,
                &Actor::System,
                Some("paid by card"),
            )
            .await;
        }
        orders::set_payment_status(txn, order.id, PaymentStatus::Paid.as_str()).await?;
        note_in_history(
            txn,
            order,
            "A card payment arrived after the order was closed: refund it.",
        )
        .await
    }

    /// Staff give money back on an order: never more than was captured
    /// (409). A full refund moves the order to `refunded` when its status
    /// allows.
    pub async fn refund_order(
        &self,
        actor: &Actor,
        public_id: &str,
        refund: RefundInput<'_>,
        key: &IdempotencyKey<'_>,
        render: &(dyn Fn(&OrderView) -> Result<String, CoreError> + Sync),
    ) -> Result<Placed, CoreError> {
        actor.require_staff()?;
        let RefundInput {
            amount,
            currency,
            reason,
            fulfilment_id,
        } = refund;
        let reason = souk_domain::text::bounded(reason, 1, 500)
            .map_err(|e| CoreError::Validation(vec![e.at("reason")]))?;
        if amount <= 0 {
            return Err(CoreError::invalid(
                "amount",
                "must be a positive number of minor units",
            ));
        }
        let txn = self.db.begin_write().await?;
        if let Some(replay) = self.claim_key(&txn, key).await? {
            return Ok(replay);
        }
        let order = orders::find(&txn, public_id)
            .await?
            .ok_or(CoreError::NotFound("order"))?;
        if currency.is_some_and(|c| !c.eq_ignore_ascii_case(&order.currency)) {
            return Err(CoreError::invalid(
                "amount.currency",
                format!("must be the order's currency, {}", order.currency),
            ));
        }
        give_back(&txn, &order, amount, fulfilment_id, &reason, actor).await?;
        let view = self.order_view_in(&txn, order.id).await?;
        let body = render(&view)?;
        idempotency::finish_in(&txn, &key.scope, key.key, order.id, CREATED, &body).await?;
        txn.commit().await?;
        Ok(Placed::Created {
            order: Box::new(view),
            body,
        })
    }
}

/// Gives `amount` of an order's captured money back, in the caller's
/// transaction: from a payment that holds that much, through its provider,
/// reversed in the sellers' ledgers (for `fulfilment_id`'s parcel, or
/// spread over the parcels), and the order moved to `refunded` once all
/// of it is back and its status allows. More than a payment holds is 409.
pub(crate) async fn give_back(
    txn: &WriteTxn,
    order: &order::Model,
    amount: i64,
    fulfilment_id: Option<i64>,
    reason: &str,
    actor: &Actor,
) -> Result<(), CoreError> {
    let all = payments::of_order(txn, order.id).await?;
    let too_much =
        || CoreError::Conflict("The refund exceeds what was captured and not yet refunded.".into());
    let Some(payment) = all
        .iter()
        .find(|p| p.captured_amount - p.refunded_amount >= amount)
    else {
        return Err(too_much());
    };
    if !payments::take_refund(txn, payment.id, amount).await? {
        return Err(too_much());
    }
    let refund = payments::insert_refund(
        txn,
        order.id,
        payment.id,
        fulfilment_id,
        amount,
        reason,
        actor.user_id().map(|u| u.0),
    )
    .await?;
    if payment.provider == stripe::STRIPE {
        // The money goes back at Stripe from a job of this same
        // transaction: the refund exists there iff it exists here.
        stripe::enqueue_refund(txn, refund.id).await?;
    }
    crate::marketplace::refund_parcels(txn, order, &refund).await?;
    update_payment_status(txn, order).await?;
    let captured: i64 = all.iter().map(|p| p.captured_amount).sum();
    let refunded: i64 = all.iter().map(|p| p.refunded_amount).sum::<i64>() + amount;
    let fresh = orders::find_by_id(txn, order.id)
        .await?
        .ok_or(CoreError::NotFound("order"))?;
    let current = OrderStatus::parse(&fresh.status).map_err(|e| anyhow::anyhow!("{e}"))?;
    if refunded >= captured && current.can_become(OrderStatus::Refunded) {
        move_order(txn, &fresh, OrderStatus::Refunded, actor, Some(reason)).await?;
    }
    Ok(())
}

/// Sets the order's payment status from what its payments captured and
/// gave back.
pub(crate) async fn update_payment_status(
    txn: &WriteTxn,
    order: &order::Model,
) -> Result<(), CoreError> {
    let all = payments::of_order(txn, order.id).await?;
    let captured: i64 = all.iter().map(|p| p.captured_amount).sum();
    let refunded: i64 = all.iter().map(|p| p.refunded_amount).sum();
    let status = if refunded == 0 {
        PaymentStatus::Paid
    } else if refunded >= captured {
        PaymentStatus::Refunded
    } else {
        PaymentStatus::PartiallyRefunded
    };
    orders::set_payment_status(txn, order.id, status.as_str()).await?;
    Ok(())
}
