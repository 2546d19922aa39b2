//! testpay, the built-in test card gateway. Its hosted page takes a test
//! card number; the outcome is delivered to souk as a signed webhook over
//! HTTP, from a job, exactly as a real payment service would deliver it.

use crate::payments::{PaymentPage, TESTPAY, WebhookOutcome, signature};
use crate::{CoreError, Shop};
use http_body_util::Full;
use hyper::body::Bytes;
use secrecy::ExposeSecret;
use serde::Deserialize;
use souk_db::repo::jobs::{self, NewJob};
use souk_db::repo::{orders, payments};
use souk_domain::payments::AttemptStatus;

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

/// The `Souk-Signature` header value for `body` at time `t`:
/// `t=<t>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.
pub fn testpay_signature(secret: &str, t: i64, body: &[u8]) -> String {
    signature::sign(secret, t, body)
}

impl Shop {
    /// The testpay payment behind `/pay/{id}`.
    pub async fn testpay_page(&self, public_id: &str) -> Result<PaymentPage, CoreError> {
        let page = self.payment_page(public_id).await?;
        if page.payment.provider != TESTPAY {
            return Err(CoreError::NotFound("payment"));
        }
        Ok(page)
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
        if payment.status != AttemptStatus::Pending.as_str() {
            return Err(CoreError::Conflict(format!(
                "This payment is already {}.",
                payment.status
            )));
        }
        let kind = match outcome {
            CardOutcome::Succeeded => "payment.succeeded",
            CardOutcome::Declined => {
                // The gateway knows at once that this attempt failed: it
                // takes no other card, so that a good card after a bad one
                // is paid through a new attempt and never lost to the
                // decline's webhook arriving after it.
                payments::settle(&txn, payment.id, false).await?;
                "payment.failed"
            }
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
        );
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
            .ok_or(CoreError::BadRequest(
                "testpay webhooks are not configured (SOUK_TESTPAY_WEBHOOK_SECRET)",
            ))?;
        signature::check_delivery(secret, signature, "missing Souk-Signature", body)?;
        let event: TestPayEvent = serde_json::from_slice(body).map_err(|_| {
            CoreError::BadRequest("the event is not valid JSON of the expected shape")
        })?;

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
                crate::payments::update_payment_status(&txn, &order).await?;
            }
            _ => {}
        }
        txn.commit().await?;
        self.cache.catalogue_changed();
        Ok(WebhookOutcome::Applied)
    }
}
