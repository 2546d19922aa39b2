//! testpay, the built-in test card gateway. Its hosted page takes a test
//! card number; the outcome is delivered to souk as a signed webhook over
//! HTTP, from a job, exactly as a real payment service would deliver it.

use crate::payments::{PaymentView, TESTPAY, testpay_signature};
use crate::{CoreError, Shop};
use http_body_util::Full;
use hyper::body::Bytes;
use secrecy::ExposeSecret;
use souk_db::repo::jobs::{self, NewJob};
use souk_db::repo::{orders, payments};

/// The job kind that delivers one webhook.
pub const DELIVER_TESTPAY_WEBHOOK: &str = "deliver_testpay_webhook";

/// A card that is always accepted.
pub const CARD_SUCCEEDS: &str = "4242424242424242";
/// A card that is always declined.
pub const CARD_DECLINED: &str = "4000000000000002";

/// What the test card did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardOutcome {
    Succeeded,
    Declined,
}

/// A payment as its hosted page shows it.
#[derive(Debug, Clone)]
pub struct PaymentPage {
    pub payment: PaymentView,
    pub order_number: String,
    /// The order's public id, for the way back to the shop.
    pub order_id: String,
}

impl Shop {
    /// The payment behind `/pay/{id}`.
    pub async fn testpay_page(&self, public_id: &str) -> Result<PaymentPage, CoreError> {
        let db = self.db.conn();
        let payment = payments::find(db, public_id)
            .await?
            .filter(|p| p.provider == TESTPAY)
            .ok_or(CoreError::NotFound("payment"))?;
        let order = orders::find_by_id(db, payment.order_id)
            .await?
            .ok_or(CoreError::NotFound("payment"))?;
        Ok(PaymentPage {
            payment: PaymentView::new(payment),
            order_number: order.number,
            order_id: order.public_id,
        })
    }

    /// Pays with a test card: the outcome is sent to souk's webhook by a
    /// job, signed, as the real service would.
    pub async fn testpay_pay(
        &self,
        public_id: &str,
        card_number: &str,
    ) -> Result<CardOutcome, CoreError> {
        let digits: String = card_number.chars().filter(|c| !c.is_whitespace()).collect();
        let outcome = match digits.as_str() {
            CARD_SUCCEEDS => CardOutcome::Succeeded,
            CARD_DECLINED => CardOutcome::Declined,
            _ => {
                return Err(CoreError::invalid(
                    "card_number",
                    format!(
                        "use the test card {CARD_SUCCEEDS} (paid) or {CARD_DECLINED} (declined)"
                    ),
                ));
            }
        };
        let txn = self.db.begin_write().await?;
        let payment = payments::find(&txn, public_id)
            .await?
            .filter(|p| p.provider == TESTPAY)
            .ok_or(CoreError::NotFound("payment"))?;
        if payment.status != "pending" {
            return Err(CoreError::Conflict(format!(
                "This payment is already {}.",
                payment.status
            )));
        }
        let kind = match outcome {
            CardOutcome::Succeeded => "payment.succeeded",
            CardOutcome::Declined => "payment.failed",
        };
        let event = serde_json::json!({
            "id": format!("evt_{}", uuid::Uuid::new_v4().simple()),
            "type": kind,
            "data": {"payment_id": payment.public_id, "amount": payment.amount, "currency": payment.currency},
        });
        jobs::enqueue(
            &txn,
            NewJob {
                kind: DELIVER_TESTPAY_WEBHOOK,
                payload: event.to_string(),
                run_at: chrono::Utc::now(),
                max_attempts: 10,
                unique_key: None,
            },
        )
        .await?;
        txn.commit().await?;
        Ok(outcome)
    }

    /// Delivers one webhook to this shop's public address.
    pub(crate) async fn deliver_testpay_webhook(&self, body: &str) -> Result<(), CoreError> {
        let secret = self
            .config
            .testpay_webhook_secret
            .as_ref()
            .ok_or_else(|| anyhow::anyhow!("SOUK_TESTPAY_WEBHOOK_SECRET is not set"))?;
        let signature = testpay_signature(
            secret.expose_secret(),
            chrono::Utc::now().timestamp(),
            body.as_bytes(),
        )?;
        let url = format!(
            "{}/api/v1/payments/webhooks/testpay",
            self.config.public_url.trim_end_matches('/')
        );
        let request = hyper::Request::post(&url)
            .header("content-type", "application/json")
            .header("souk-signature", signature)
            .body(Full::new(Bytes::from(body.to_owned())))
            .map_err(|e| anyhow::anyhow!("building the webhook request: {e}"))?;
        let client =
            hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
                .build_http();
        let response =
            tokio::time::timeout(std::time::Duration::from_secs(10), client.request(request))
                .await
                .map_err(|_| anyhow::anyhow!("webhook to {url} timed out"))?
                .map_err(|e| anyhow::anyhow!("webhook to {url}: {e}"))?;
        if response.status().is_success() {
            Ok(())
        } else {
            Err(anyhow::anyhow!("webhook to {url} answered {}", response.status()).into())
        }
    }
}
