//! Stripe, the card provider when `SOUK_STRIPE_SECRET_KEY` is set.
//!
//! Checkout opens a `pending` payment and, in the same transaction, a job
//! that creates its PaymentIntent (`Idempotency-Key` = the payment's id,
//! so a retried job finds the same intent). The job stores the intent's id
//! and client secret; the payment page mounts Stripe.js with them; Stripe
//! reports the outcome by signed webhook (`webhook.rs`). A staff refund of
//! a Stripe payment enqueues, in its transaction, a job that creates the
//! refund at Stripe.

mod api;
mod webhook;

pub(crate) use api::StripeApi;
pub use api::{API_VERSION, DEFAULT_API_BASE};

use super::PaymentProvider;
use crate::Shop;
use crate::jobs::JobError;
use crate::orders::lifecycle::note_in_history;
use api::CallError;
use chrono::Utc;
use secrecy::SecretString;
use serde::Deserialize;
use souk_db::WriteTxn;
use souk_db::repo::jobs::{self, NewJob};
use souk_db::repo::{orders, payments};
use souk_domain::payments::AttemptStatus;

/// The provider name of Stripe payments.
pub const STRIPE: &str = "stripe";
/// The job kind that creates a payment's PaymentIntent.
pub const CREATE_PAYMENT_INTENT: &str = "stripe_create_payment_intent";
/// The job kind that cancels the PaymentIntent of an order called off
/// before it was paid.
pub const CANCEL_PAYMENT_INTENT: &str = "stripe_cancel_payment_intent";
/// The job kind that creates a refund at Stripe.
pub const CREATE_REFUND: &str = "stripe_create_refund";

/// How souk reaches a Stripe account.
#[derive(Clone, Debug)]
pub struct StripeConfig {
    /// `sk_...` (or a restricted `rk_...` key allowed to write
    /// PaymentIntents and Refunds).
    pub secret_key: SecretString,
    /// `whsec_...`: the signing secret of the webhook endpoint.
    pub webhook_secret: Option<SecretString>,
    /// `pk_...`: Stripe.js on the payment page needs it.
    pub publishable_key: Option<String>,
    /// Where the API is: [`DEFAULT_API_BASE`], or a local mock in tests.
    pub api_base: String,
}

/// Card payments through Stripe.
pub struct Stripe;

impl PaymentProvider for Stripe {
    fn name(&self) -> &'static str {
        STRIPE
    }

    fn pays_online(&self) -> bool {
        true
    }

    fn instructions(&self) -> &'static str {
        "Pay by card on the payment page."
    }

    fn open_job(&self) -> Option<&'static str> {
        Some(CREATE_PAYMENT_INTENT)
    }
}

/// What Stripe.js needs on the payment page.
#[derive(Debug, Clone)]
pub struct StripeCheckout {
    /// `None`: the shop has no publishable key, so it cannot take the card.
    pub publishable_key: Option<String>,
    /// `None` until the job has created the PaymentIntent.
    pub client_secret: Option<String>,
}

/// Stripe's amount for an amount in souk's minor units. They agree except
/// for the Icelandic króna, which has no minor unit but which Stripe takes
/// as if it had two decimals (500 ISK is sent as 50000).
pub(crate) fn to_stripe_amount(amount: i64, currency: &str) -> i64 {
    if currency.eq_ignore_ascii_case("ISK") {
        amount.saturating_mul(100)
    } else {
        amount
    }
}

/// souk's minor units for an amount from Stripe; `None` for an ISK amount
/// that is not whole krónur.
pub(crate) fn from_stripe_amount(amount: i64, currency: &str) -> Option<i64> {
    if currency.eq_ignore_ascii_case("ISK") {
        (amount % 100 == 0).then_some(amount / 100)
    } else {
        Some(amount)
    }
}

#[derive(Debug, Deserialize)]
struct IntentJob {
    payment_id: String,
}

#[derive(Debug, Deserialize)]
struct RefundJob {
    refund_id: i64,
}

/// Enqueues the job that cancels the PaymentIntent of payment
/// `payment_id` (its public id), so that an order that expired or was
/// cancelled can no longer be paid.
pub(crate) async fn enqueue_cancel(
    txn: &WriteTxn,
    payment_id: &str,
) -> Result<(), crate::CoreError> {
    jobs::enqueue(
        txn,
        NewJob {
            kind: CANCEL_PAYMENT_INTENT,
            payload: serde_json::json!({ "payment_id": payment_id }).to_string(),
            run_at: Utc::now(),
            max_attempts: 10,
            unique_key: Some(format!("{CANCEL_PAYMENT_INTENT}:{payment_id}")),
        },
    )
    .await?;
    Ok(())
}

/// Enqueues the job that makes refund `refund_id` at Stripe.
pub(crate) async fn enqueue_refund(txn: &WriteTxn, refund_id: i64) -> Result<(), crate::CoreError> {
    jobs::enqueue(
        txn,
        NewJob {
            kind: CREATE_REFUND,
            payload: serde_json::json!({ "refund_id": refund_id }).to_string(),
            run_at: Utc::now(),
            max_attempts: 10,
            unique_key: Some(format!("{CREATE_REFUND}:{refund_id}")),
        },
    )
    .await?;
    Ok(())
}

fn give_up(what: &str, detail: impl std::fmt::Display) -> JobError {
    JobError::GiveUp(format!("{what}: {detail}"))
}

impl Shop {
    fn stripe_api(&self) -> Result<&StripeApi, JobError> {
        self.stripe
            .as_deref()
            .ok_or_else(|| anyhow::anyhow!("Stripe is not configured (SOUK_STRIPE_SECRET_KEY)"))
            .map_err(|e| JobError::Retry(e.into()))
    }

    /// The job that creates a payment's PaymentIntent. Run twice, it asks
    /// Stripe twice with the same idempotency key and gets the same
    /// intent; the id is stored once.
    pub(crate) async fn create_stripe_intent(&self, payload: &str) -> Result<(), JobError> {
        let job: IntentJob =
            serde_json::from_str(payload).map_err(|e| give_up("unreadable job", e))?;
        let db = self.db.conn();
        let payment = payments::find(db, &job.payment_id)
            .await?
            .filter(|p| p.provider == STRIPE)
            .ok_or_else(|| give_up("no Stripe payment", &job.payment_id))?;
        if payment.provider_ref.is_some() || payment.status != AttemptStatus::Pending.as_str() {
            return Ok(());
        }
        let order = orders::find_by_id(db, payment.order_id)
            .await?
            .ok_or_else(|| give_up("no order for payment", &payment.public_id))?;
        let amount = to_stripe_amount(payment.amount, &payment.currency).to_string();
        let currency = payment.currency.to_ascii_lowercase();
        let description = format!("Order {}", order.number);
        let form = [
            ("amount", amount.as_str()),
            ("currency", currency.as_str()),
            ("automatic_payment_methods[enabled]", "true"),
            ("description", description.as_str()),
            ("metadata[payment_id]", payment.public_id.as_str()),
            ("metadata[order_number]", order.number.as_str()),
        ];
        let answer = self
            .stripe_api()?
            .create_payment_intent(&form, &payment.public_id)
            .await;
        let txn = self.db.begin_write().await?;
        match answer {
            Ok(intent) => {
                payments::set_provider_ref(
                    &txn,
                    payment.id,
                    &intent.id,
                    intent.client_secret.as_deref(),
                )
                .await?;
                txn.commit().await?;
                Ok(())
            }
            Err(CallError::Refused { status, message }) => {
                // The payment cannot be opened at all: it fails, the order
                // stays unpaid (and expires), and staff see why.
                payments::settle(&txn, payment.id, false).await?;
                let note = format!("Stripe refused to open the card payment: {message}");
                let now = orders::find_by_id(&txn, order.id).await?.unwrap_or(order);
                note_in_history(&txn, &now, &note).await?;
                txn.commit().await?;
                Err(give_up(
                    "Stripe refused the PaymentIntent",
                    format!("{status}: {message}"),
                ))
            }
            Err(unavailable) => Err(unavailable.into()),
        }
    }

    /// The job that cancels the PaymentIntent of an order that expired or
    /// was cancelled while unpaid. The payment fails; if the shopper paid
    /// just before, Stripe refuses the cancel and the payment's webhook
    /// records the money (and tells staff to refund it).
    pub(crate) async fn cancel_stripe_intent(&self, payload: &str) -> Result<(), JobError> {
        let job: IntentJob =
            serde_json::from_str(payload).map_err(|e| give_up("unreadable job", e))?;
        let payment = payments::find(self.db.conn(), &job.payment_id)
            .await?
            .filter(|p| p.provider == STRIPE)
            .ok_or_else(|| give_up("no Stripe payment", &job.payment_id))?;
        if payment.status != AttemptStatus::Pending.as_str() {
            return Ok(());
        }
        let Some(intent) = payment.provider_ref.as_deref() else {
            // No intent yet: failing the payment stops its job from
            // opening one.
            let txn = self.db.begin_write().await?;
            payments::settle(&txn, payment.id, false).await?;
            txn.commit().await?;
            return Ok(());
        };
        let key = format!("{}-cancel", payment.public_id);
        match self.stripe_api()?.cancel_payment_intent(intent, &key).await {
            Ok(_) => {
                let txn = self.db.begin_write().await?;
                payments::settle(&txn, payment.id, false).await?;
                txn.commit().await?;
                Ok(())
            }
            Err(CallError::Refused { message, .. })
                if message.starts_with("payment_intent_unexpected_state") =>
            {
                tracing::info!(payment = %payment.public_id, "the PaymentIntent was not open any more: {message}");
                Ok(())
            }
            Err(CallError::Refused { status, message }) => Err(give_up(
                "Stripe refused to cancel the PaymentIntent",
                format!("{status}: {message}"),
            )),
            Err(unavailable) => Err(unavailable.into()),
        }
    }

    /// The job that gives money back at Stripe for a refund recorded in
    /// souk. Its idempotency key names the payment and the refund, so a
    /// retry never refunds twice.
    pub(crate) async fn create_stripe_refund(&self, payload: &str) -> Result<(), JobError> {
        let job: RefundJob =
            serde_json::from_str(payload).map_err(|e| give_up("unreadable job", e))?;
        let db = self.db.conn();
        let refund = payments::find_refund(db, job.refund_id)
            .await?
            .ok_or_else(|| give_up("no refund", job.refund_id))?;
        if refund.provider_ref.is_some() {
            return Ok(());
        }
        let payment = payments::find_by_id(db, refund.payment_id)
            .await?
            .ok_or_else(|| give_up("no payment for refund", refund.id))?;
        let intent = payment
            .provider_ref
            .as_deref()
            .ok_or_else(|| give_up("the payment has no PaymentIntent", &payment.public_id))?;
        let amount = to_stripe_amount(refund.amount, &payment.currency).to_string();
        let refund_id = refund.id.to_string();
        let form = [
            ("payment_intent", intent),
            ("amount", amount.as_str()),
            ("metadata[refund_id]", refund_id.as_str()),
            ("metadata[payment_id]", payment.public_id.as_str()),
            ("metadata[reason]", refund.reason.as_str()),
        ];
        // The payment's id is random and the refund's is unique within
        // this shop, so no other shop on the account can share the key.
        let key = format!("{}-refund-{}", payment.public_id, refund.id);
        match self.stripe_api()?.create_refund(&form, &key).await {
            Ok(made) => {
                let txn = self.db.begin_write().await?;
                payments::set_refund_ref(&txn, refund.id, &made.id).await?;
                txn.commit().await?;
                Ok(())
            }
            Err(CallError::Refused { status, message }) => {
                // The refund is counted in souk but no money went back:
                // the order's history says so where staff look first.
                let txn = self.db.begin_write().await?;
                if let Some(order) = orders::find_by_id(&txn, refund.order_id).await? {
                    let note = format!(
                        "Stripe refused the refund of {} (minor units): {message}. \
                         No money went back; give it back another way.",
                        refund.amount
                    );
                    note_in_history(&txn, &order, &note).await?;
                }
                txn.commit().await?;
                Err(give_up(
                    "Stripe refused the refund; give the money back another way",
                    format!("{status}: {message}"),
                ))
            }
            Err(unavailable) => Err(unavailable.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{from_stripe_amount, to_stripe_amount};

    #[test]
    fn amounts_are_stripes_units_both_ways() {
        assert_eq!(to_stripe_amount(1999, "USD"), 1999);
        assert_eq!(to_stripe_amount(500, "JPY"), 500);
        assert_eq!(to_stripe_amount(500, "ISK"), 50_000);
        assert_eq!(from_stripe_amount(50_000, "isk"), Some(500));
        assert_eq!(from_stripe_amount(50_050, "ISK"), None);
        assert_eq!(from_stripe_amount(1999, "usd"), Some(1999));
    }
}
