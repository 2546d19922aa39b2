//! The few calls souk makes to Stripe's API: form-encoded POSTs over
//! HTTPS (rustls, Mozilla's roots from `webpki-roots`) with the secret
//! key, a pinned `Stripe-Version` and an `Idempotency-Key` on every call,
//! so that a retried job never does a thing twice at Stripe.

use super::StripeConfig;
use crate::CoreError;
use crate::jobs::JobError;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Bytes;
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::time::Duration;

/// The API version every request asks for, so that the shapes souk reads
/// do not change when the account's default version does. Webhook
/// endpoints should be created with the same version.
pub const API_VERSION: &str = "2024-06-20";

/// Stripe's API, unless `SOUK_STRIPE_API_BASE` says otherwise.
pub const DEFAULT_API_BASE: &str = "https://api.stripe.com";

/// How long one call may take.
const TIMEOUT: Duration = Duration::from_secs(30);
/// The largest answer read.
const MAX_ANSWER_BYTES: usize = 256 * 1024;

/// Why a call did not succeed.
#[derive(Debug, thiserror::Error)]
pub(crate) enum CallError {
    /// Stripe answered 4xx (not 409 or 429): the request itself is wrong
    /// and sending it again cannot help.
    #[error("Stripe refused the request ({status}): {message}")]
    Refused { status: u16, message: String },
    /// No answer, a 5xx, a 409 (the same idempotency key in use) or a 429:
    /// worth trying again later.
    #[error("Stripe is unavailable: {0}")]
    Unavailable(String),
}

impl From<CallError> for JobError {
    /// A refusal ends the job; anything else is tried again later.
    fn from(err: CallError) -> Self {
        match err {
            CallError::Refused { .. } => JobError::GiveUp(err.to_string()),
            CallError::Unavailable(_) => JobError::Retry(anyhow::Error::from(err).into()),
        }
    }
}

/// A PaymentIntent, as far as souk reads it.
#[derive(Debug, Deserialize)]
pub(crate) struct PaymentIntent {
    pub id: String,
    pub client_secret: Option<String>,
}

/// A Refund, as far as souk reads it.
#[derive(Debug, Deserialize)]
pub(crate) struct Refund {
    pub id: String,
}

#[derive(Debug, Deserialize)]
struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Debug, Deserialize)]
struct ErrorDetail {
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    code: Option<String>,
}

/// A client of Stripe's API; cheap to share, it keeps its connections.
pub(crate) struct StripeApi {
    base: String,
    secret_key: SecretString,
    client: Client<HttpsConnector<HttpConnector>, Full<Bytes>>,
}

impl StripeApi {
    /// A client for the configured account.
    pub(crate) fn new(config: &StripeConfig) -> Result<Self, CoreError> {
        let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_provider_and_webpki_roots(provider)
            .map_err(|e| anyhow::anyhow!("TLS for Stripe: {e}"))?
            // Plain HTTP only reaches a local mock: the settings refuse
            // an http:// API base anywhere but on this machine.
            .https_or_http()
            .enable_http1()
            .build();
        let client = Client::builder(hyper_util::rt::TokioExecutor::new()).build(connector);
        Ok(Self {
            base: config.api_base.trim_end_matches('/').to_owned(),
            secret_key: config.secret_key.clone(),
            client,
        })
    }

    /// `POST /v1/payment_intents`.
    pub(crate) async fn create_payment_intent(
        &self,
        form: &[(&str, &str)],
        idempotency_key: &str,
    ) -> Result<PaymentIntent, CallError> {
        self.post("/v1/payment_intents", form, idempotency_key)
            .await
    }

    /// `POST /v1/payment_intents/{id}/cancel`.
    pub(crate) async fn cancel_payment_intent(
        &self,
        intent_id: &str,
        idempotency_key: &str,
    ) -> Result<PaymentIntent, CallError> {
        // The id came from Stripe, but it goes into a path: keep it to
        // the characters Stripe's ids use.
        if intent_id.is_empty()
            || !intent_id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            return Err(CallError::Refused {
                status: 0,
                message: format!("{intent_id:?} is not a PaymentIntent id"),
            });
        }
        let path = format!("/v1/payment_intents/{intent_id}/cancel");
        let form = [("cancellation_reason", "abandoned")];
        self.post(&path, &form, idempotency_key).await
    }

    /// `POST /v1/refunds`.
    pub(crate) async fn create_refund(
        &self,
        form: &[(&str, &str)],
        idempotency_key: &str,
    ) -> Result<Refund, CallError> {
        self.post("/v1/refunds", form, idempotency_key).await
    }

    async fn post<T: DeserializeOwned>(
        &self,
        path: &str,
        form: &[(&str, &str)],
        idempotency_key: &str,
    ) -> Result<T, CallError> {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        let url = format!("{}{path}", self.base);
        let request = hyper::Request::post(&url)
            .header(
                "authorization",
                format!("Bearer {}", self.secret_key.expose_secret()),
            )
            .header("content-type", "application/x-www-form-urlencoded")
            .header("stripe-version", API_VERSION)
            .header("idempotency-key", idempotency_key)
            .body(Full::new(Bytes::from(body)))
            .map_err(|e| CallError::Unavailable(format!("building the request: {e}")))?;
        let response = tokio::time::timeout(TIMEOUT, self.client.request(request))
            .await
            .map_err(|_| CallError::Unavailable(format!("POST {path} timed out")))?
            .map_err(|e| CallError::Unavailable(format!("POST {path}: {e}")))?;
        let status = response.status();
        let bytes = tokio::time::timeout(
            TIMEOUT,
            Limited::new(response.into_body(), MAX_ANSWER_BYTES).collect(),
        )
        .await
        .map_err(|_| CallError::Unavailable(format!("reading the answer to {path} timed out")))?
        .map_err(|e| CallError::Unavailable(format!("reading the answer to {path}: {e}")))?
        .to_bytes();
        if status.is_success() {
            return serde_json::from_slice(&bytes).map_err(|e| {
                CallError::Unavailable(format!("unexpected answer to POST {path}: {e}"))
            });
        }
        let detail = serde_json::from_slice::<ErrorBody>(&bytes)
            .map(|b| {
                let message = b.error.message.unwrap_or_default();
                match b.error.code {
                    Some(code) => format!("{code}: {message}"),
                    None => message,
                }
            })
            .unwrap_or_else(|_| "no error details".to_owned());
        let code = status.as_u16();
        if status.is_client_error() && code != 409 && code != 429 {
            Err(CallError::Refused {
                status: code,
                message: detail,
            })
        } else {
            Err(CallError::Unavailable(format!(
                "POST {path} answered {code}: {detail}"
            )))
        }
    }
}
