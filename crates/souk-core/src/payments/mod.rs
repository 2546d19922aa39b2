//! How orders get paid. Each payment method is served by a
//! [`PaymentProvider`]. Bank transfer and cash on delivery start unpaid
//! and staff mark the order paid; cards go through `testpay`, the built-in
//! test gateway, whose signed webhooks mark the order paid.

use crate::auth::Caller;
use crate::orders::checkout::CREATED;
use crate::orders::lifecycle::{Actor, move_order};
use crate::orders::{IdempotencyKey, OrderView, Placed};
use crate::{CoreError, Shop};
use chrono::Utc;
use hmac::{Hmac, Mac};
use secrecy::ExposeSecret;
use serde::Deserialize;
use sha2::Sha256;
use souk_db::WriteTxn;
use souk_db::entity::{order, payment};
use souk_db::repo::payments::{self, NewPayment};
use souk_db::repo::{idempotency, orders};
use souk_domain::orders::{OrderStatus, PaymentMethod, PaymentStatus};

/// A way of taking a customer's money.
pub trait PaymentProvider: Send + Sync {
    /// The provider's name, stored with each payment.
    fn name(&self) -> &'static str;

    /// Whether checkout creates a payment with this provider to be paid
    /// online (`false`: staff record the payment when the money arrives).
    fn pays_online(&self) -> bool;

    /// What the customer is told to do after placing the order.
    fn instructions(&self) -> &'static str;
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

/// The provider that serves a payment method.
pub fn provider_for(method: PaymentMethod) -> Box<dyn PaymentProvider> {
    match method {
        PaymentMethod::Card => Box::new(TestPay),
        other => Box::new(ManualPayment { method: other }),
    }
}

/// A payment as shown with its order.
#[derive(Debug, Clone)]
pub struct PaymentView {
    pub id: String,
    pub provider: String,
    pub status: String,
    pub amount: souk_domain::Money,
    pub refunded: souk_domain::Money,
}

impl PaymentView {
    pub(crate) fn new(p: payment::Model) -> Self {
        let currency =
            souk_domain::Currency::parse(&p.currency).unwrap_or(souk_domain::Currency::USD);
        Self {
            id: p.public_id,
            provider: p.provider,
            status: p.status,
            amount: souk_domain::Money::new(p.amount, currency),
            refunded: souk_domain::Money::new(p.refunded_amount, currency),
        }
    }
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
        status: "pending",
        amount: order.total,
        currency: &order.currency,
        captured_amount: 0,
    };
    Ok(Some(
        payments::insert(txn, new, uuid::Uuid::new_v4().to_string()).await?,
    ))
}

/// Records the money of an order that staff marked paid, so that it can be
/// refunded like any other.
pub(crate) async fn record_manual_payment(
    txn: &WriteTxn,
    order: &order::Model,
) -> Result<(), CoreError> {
    let existing = payments::of_order(txn, order.id).await?;
    if existing.iter().any(|p| p.status == "succeeded") {
        return Ok(());
    }
    let new = NewPayment {
        order_id: order.id,
        provider: "manual",
        status: "succeeded",
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

#[derive(Debug, Deserialize)]
struct TestPayEvent {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    data: TestPayEventData,
}

#[derive(Debug, Deserialize)]
struct TestPayEventData {
    payment_id: String,
    amount: i64,
    currency: String,
}

/// How old a signed webhook may be.
const WEBHOOK_TOLERANCE_SECS: i64 = 300;

/// The `Souk-Signature` header value for `body` at time `t`:
/// `t=<t>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.
pub fn testpay_signature(secret: &str, t: i64, body: &[u8]) -> Result<String, CoreError> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).map_err(anyhow::Error::from)?;
    mac.update(format!("{t}.").as_bytes());
    mac.update(body);
    Ok(format!(
        "t={t},v1={}",
        hex::encode(mac.finalize().into_bytes())
    ))
}

fn bad_request(detail: &'static str) -> CoreError {
    CoreError::BadRequest(detail)
}

impl Shop {
    /// Handles a webhook from testpay: checks the signature (constant time)
    /// and its age, then applies the event once.
    pub async fn handle_testpay_webhook(
        &self,
        signature: Option<&str>,
        body: &[u8],
    ) -> Result<WebhookOutcome, CoreError> {
        let secret = self
            .config
            .testpay_webhook_secret
            .as_ref()
            .ok_or(bad_request(
                "testpay webhooks are not configured (SOUK_TESTPAY_WEBHOOK_SECRET)",
            ))?;
        let signature = signature.ok_or(bad_request("missing Souk-Signature"))?;
        let (mut t, mut v1) = (None, None);
        for part in signature.split(',') {
            match part.trim().split_once('=') {
                Some(("t", value)) => t = value.parse::<i64>().ok(),
                Some(("v1", value)) => v1 = hex::decode(value).ok(),
                _ => {}
            }
        }
        let (Some(t), Some(v1)) = (t, v1) else {
            return Err(bad_request("malformed Souk-Signature"));
        };
        if (Utc::now().timestamp() - t).abs() > WEBHOOK_TOLERANCE_SECS {
            return Err(bad_request("the signature's timestamp is too old"));
        }
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.expose_secret().as_bytes())
            .map_err(anyhow::Error::from)?;
        mac.update(format!("{t}.").as_bytes());
        mac.update(body);
        mac.verify_slice(&v1)
            .map_err(|_| bad_request("the signature does not match"))?;
        let event: TestPayEvent = serde_json::from_slice(body)
            .map_err(|_| bad_request("the event is not valid JSON of the expected shape"))?;

        let txn = self.db.begin_write().await?;
        let payment = payments::find(&txn, &event.data.payment_id)
            .await?
            .ok_or(CoreError::NotFound("payment"))?;
        if payment.provider != TESTPAY {
            return Err(CoreError::NotFound("payment"));
        }
        if event.data.amount != payment.amount
            || !event.data.currency.eq_ignore_ascii_case(&payment.currency)
        {
            return Err(CoreError::invalid(
                "data.amount",
                "does not match the payment",
            ));
        }
        if !payments::record_event(&txn, TESTPAY, &event.id, &event.kind, Some(payment.id)).await? {
            return Ok(WebhookOutcome::AlreadySeen);
        }
        let order = orders::find_by_id(&txn, payment.order_id)
            .await?
            .ok_or(CoreError::NotFound("order"))?;
        match event.kind.as_str() {
            "payment.succeeded" => {
                let captured_now = payments::settle(&txn, payment.id, true).await?;
                if captured_now {
                    self.order_paid(&txn, &order).await?;
                }
            }
            "payment.failed" => {
                payments::settle(&txn, payment.id, false).await?;
            }
            "refund.succeeded" => {
                // A refund made at the provider: counted unless it would
                // exceed what was captured (a refund before its capture is
                // refused, and the provider delivers it again later).
                if !payments::take_refund(&txn, payment.id, event.data.amount).await? {
                    return Err(CoreError::Conflict(
                        "The refund exceeds what this payment captured so far.".into(),
                    ));
                }
                self.update_payment_status(&txn, &order).await?;
            }
            _ => {}
        }
        txn.commit().await?;
        self.cache.catalogue_changed();
        Ok(WebhookOutcome::Applied)
    }

    /// A captured payment arrived: the order becomes paid, or, if it was
    /// called off meanwhile, it keeps its status and its history tells
    /// staff that money arrived and is due back. Nothing is lost.
    async fn order_paid(&self, txn: &WriteTxn, order: &order::Model) -> Result<(), CoreError> {
        if order.status == OrderStatus::PendingPayment.as_str() {
            return move_order(
                txn,
                order,
                OrderStatus::Paid,
                Actor::System,
                Some("paid by card"),
            )
            .await;
        }
        orders::set_payment_status(txn, order.id, PaymentStatus::Paid.as_str()).await?;
        orders::record_event(
            txn,
            order.id,
            &order.status,
            "system",
            None,
            Some("A card payment arrived after the order was closed: refund it."),
            Utc::now(),
        )
        .await?;
        Ok(())
    }

    async fn update_payment_status(
        &self,
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

    /// Staff give money back on an order: never more than was captured
    /// (409). A full refund moves the order to `refunded` when its status
    /// allows.
    pub async fn refund_order(
        &self,
        caller: Caller,
        public_id: &str,
        amount: i64,
        reason: &str,
        key: &IdempotencyKey<'_>,
        render: &(dyn Fn(&OrderView) -> Result<String, CoreError> + Sync),
    ) -> Result<Placed, CoreError> {
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
        let all = payments::of_order(&txn, order.id).await?;
        let Some(payment) = all
            .iter()
            .find(|p| p.captured_amount - p.refunded_amount >= amount)
        else {
            return Err(CoreError::Conflict(
                "The refund exceeds what was captured and not yet refunded.".into(),
            ));
        };
        if !payments::take_refund(&txn, payment.id, amount).await? {
            return Err(CoreError::Conflict(
                "The refund exceeds what was captured and not yet refunded.".into(),
            ));
        }
        payments::insert_refund(
            &txn,
            order.id,
            payment.id,
            amount,
            &reason,
            Some(caller.user_id.0),
        )
        .await?;
        self.update_payment_status(&txn, &order).await?;
        let captured: i64 = all.iter().map(|p| p.captured_amount).sum();
        let refunded: i64 = all.iter().map(|p| p.refunded_amount).sum::<i64>() + amount;
        let current = OrderStatus::parse(&order.status).map_err(|e| anyhow::anyhow!("{e}"))?;
        if refunded >= captured && current.can_become(OrderStatus::Refunded) {
            let fresh = orders::find_by_id(&txn, order.id)
                .await?
                .ok_or(CoreError::NotFound("order"))?;
            move_order(
                &txn,
                &fresh,
                OrderStatus::Refunded,
                Actor::Staff(caller.user_id.0),
                Some(&reason),
            )
            .await?;
        }
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
