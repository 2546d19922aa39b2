//! Stripe's webhooks: `Stripe-Signature` checked with the endpoint's
//! signing secret, then each event applied once (its id is recorded under
//! a unique constraint in the same transaction as its effect).
//!
//! - `payment_intent.succeeded`: the payment is captured and the order
//!   paid, by the same path as testpay.
//! - `payment_intent.payment_failed`: an attempt was declined; the intent
//!   stays open and the shopper may try another card, so the payment stays
//!   pending and the order's history notes the decline.
//! - `payment_intent.canceled`: the payment failed for good.
//! - `charge.refunded`: Stripe's running total of refunds. A refund made
//!   through souk is already counted; one made in Stripe's dashboard raises
//!   the count to Stripe's total and is recorded as a refund. A total above
//!   what was captured (a refund before its capture) is refused with 409,
//!   and Stripe delivers it again later.
//!
//! Other event types are acknowledged and ignored, and so are events
//! about payments that are not souk's (no `metadata.payment_id`), which
//! other systems on the same Stripe account may cause.

use super::{STRIPE, from_stripe_amount, to_stripe_amount};
use crate::orders::lifecycle::note_in_history;
use crate::payments::{WebhookOutcome, signature};
use crate::{CoreError, Shop};
use serde::Deserialize;
use souk_db::WriteTxn;
use souk_db::entity::payment;
use souk_db::repo::{orders, payments};
use std::collections::HashMap;

#[derive(Debug, Deserialize)]
struct Event {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    data: EventData,
}

#[derive(Debug, Deserialize)]
struct EventData {
    object: serde_json::Value,
}

#[derive(Debug, Deserialize)]
struct IntentObject {
    id: String,
    amount: i64,
    currency: String,
    #[serde(default)]
    metadata: HashMap<String, String>,
    #[serde(default)]
    last_payment_error: Option<PaymentError>,
}

#[derive(Debug, Deserialize)]
struct PaymentError {
    #[serde(default)]
    message: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ChargeObject {
    currency: String,
    amount_refunded: i64,
    #[serde(default)]
    payment_intent: Option<String>,
    /// A charge of a PaymentIntent carries the intent's metadata.
    #[serde(default)]
    metadata: HashMap<String, String>,
}

fn unreadable() -> CoreError {
    CoreError::BadRequest("the event is not valid JSON of the expected shape")
}

/// An event about a payment souk does not have. If the object names a
/// souk payment (`metadata.payment_id`), something is wrong: 404, and
/// Stripe delivers it again. Otherwise it belongs to something else on the
/// same Stripe account: acknowledged and ignored, so that Stripe stops
/// sending it.
fn not_ours(names_a_souk_payment: bool) -> Result<WebhookOutcome, CoreError> {
    if names_a_souk_payment {
        Err(CoreError::NotFound("payment"))
    } else {
        Ok(WebhookOutcome::AlreadySeen)
    }
}

fn mismatch() -> CoreError {
    CoreError::invalid("data.object.amount", "does not match the payment")
}

impl Shop {
    /// Handles a webhook from Stripe: checks `Stripe-Signature` (constant
    /// time, 300 s tolerance), then applies the event once.
    pub async fn handle_stripe_webhook(
        &self,
        signature: Option<&str>,
        body: &[u8],
    ) -> Result<WebhookOutcome, CoreError> {
        let secret = self
            .config
            .stripe
            .as_ref()
            .and_then(|s| s.webhook_secret.as_ref())
            .ok_or(CoreError::BadRequest(
                "Stripe webhooks are not configured (SOUK_STRIPE_WEBHOOK_SECRET)",
            ))?;
        signature::check_delivery(secret, signature, "missing Stripe-Signature", body)?;
        let event: Event = serde_json::from_slice(body).map_err(|_| unreadable())?;
        match event.kind.as_str() {
            "payment_intent.succeeded"
            | "payment_intent.payment_failed"
            | "payment_intent.canceled" => self.apply_intent_event(&event).await,
            "charge.refunded" => self.apply_charge_refunded(&event).await,
            _ => Ok(WebhookOutcome::AlreadySeen),
        }
    }

    async fn apply_intent_event(&self, event: &Event) -> Result<WebhookOutcome, CoreError> {
        let intent: IntentObject =
            serde_json::from_value(event.data.object.clone()).map_err(|_| unreadable())?;
        let txn = self.db.begin_write().await?;
        let souk_payment = intent.metadata.get("payment_id");
        let Some(payment) = find_payment(&txn, &intent.id, souk_payment).await? else {
            return not_ours(souk_payment.is_some());
        };
        if intent.amount != to_stripe_amount(payment.amount, &payment.currency)
            || !intent.currency.eq_ignore_ascii_case(&payment.currency)
        {
            return Err(mismatch());
        }
        if !payments::record_event(&txn, STRIPE, &event.id, &event.kind, Some(payment.id)).await? {
            return Ok(WebhookOutcome::AlreadySeen);
        }
        let order = orders::find_by_id(&txn, payment.order_id)
            .await?
            .ok_or(CoreError::NotFound("order"))?;
        match event.kind.as_str() {
            "payment_intent.succeeded" => {
                if payments::settle(&txn, payment.id, true).await? {
                    self.order_paid(&txn, &order).await?;
                }
            }
            "payment_intent.canceled" => {
                payments::settle(&txn, payment.id, false).await?;
            }
            _ => {
                let reason = intent
                    .last_payment_error
                    .and_then(|e| e.message)
                    .unwrap_or_else(|| "no reason given".to_owned());
                let note = format!("A card was declined ({reason}); the shopper may try again.");
                note_in_history(&txn, &order, &note).await?;
            }
        }
        txn.commit().await?;
        self.cache.catalogue_changed();
        Ok(WebhookOutcome::Applied)
    }

    async fn apply_charge_refunded(&self, event: &Event) -> Result<WebhookOutcome, CoreError> {
        let charge: ChargeObject =
            serde_json::from_value(event.data.object.clone()).map_err(|_| unreadable())?;
        let souk_charge = charge.metadata.contains_key("payment_id");
        let Some(intent) = charge.payment_intent.as_deref() else {
            return not_ours(souk_charge);
        };
        let txn = self.db.begin_write().await?;
        let Some(payment) = payments::find_by_ref(&txn, STRIPE, intent).await? else {
            return not_ours(souk_charge);
        };
        let refunded = from_stripe_amount(charge.amount_refunded, &payment.currency)
            .filter(|total| *total >= 0);
        let Some(total) =
            refunded.filter(|_| charge.currency.eq_ignore_ascii_case(&payment.currency))
        else {
            return Err(mismatch());
        };
        if !payments::record_event(&txn, STRIPE, &event.id, &event.kind, Some(payment.id)).await? {
            return Ok(WebhookOutcome::AlreadySeen);
        }
        if total > payment.refunded_amount {
            if !payments::raise_refunded(&txn, payment.id, payment.refunded_amount, total).await? {
                return Err(CoreError::Conflict(
                    "The refund exceeds what this payment captured so far.".into(),
                ));
            }
            let refund = payments::insert_refund(
                &txn,
                payment.order_id,
                payment.id,
                None,
                total - payment.refunded_amount,
                "refunded in Stripe's dashboard",
                None,
            )
            .await?;
            let order = orders::find_by_id(&txn, payment.order_id)
                .await?
                .ok_or(CoreError::NotFound("order"))?;
            crate::marketplace::refund_parcels(&txn, &order, &refund).await?;
            crate::payments::update_payment_status(&txn, &order).await?;
        }
        txn.commit().await?;
        Ok(WebhookOutcome::Applied)
    }
}

/// The Stripe payment of an intent: by the stored intent id, or else by
/// the souk payment id the intent carries in its metadata (when the job
/// that stores the id has not finished yet).
async fn find_payment(
    txn: &WriteTxn,
    intent_id: &str,
    payment_id: Option<&String>,
) -> Result<Option<payment::Model>, CoreError> {
    if let Some(found) = payments::find_by_ref(txn, STRIPE, intent_id).await? {
        return Ok(Some(found));
    }
    let Some(payment_id) = payment_id else {
        return Ok(None);
    };
    Ok(payments::find(txn, payment_id).await?.filter(|p| {
        p.provider == STRIPE && p.provider_ref.as_deref().is_none_or(|r| r == intent_id)
    }))
}
