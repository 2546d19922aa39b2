//! What makes a checkout safe to send twice: the `Idempotency-Key`,
//! claimed inside the checkout's transaction (a replay gets the first
//! response), and an order number that no other order has.

use super::OrderView;
use crate::{CoreError, Shop};
use rand::Rng;
use sha2::{Digest, Sha256};
use souk_db::repo::{idempotency, orders};

/// An `Idempotency-Key` as the client sent it, with whose it is and the
/// request body it came with.
#[derive(Debug, Clone)]
pub struct IdempotencyKey<'a> {
    /// Whose key: a user (`user:7`) or a guest cart.
    pub scope: String,
    pub key: &'a str,
    pub body: &'a [u8],
}

/// What a checkout produced.
#[derive(Debug)]
pub enum Placed {
    /// A new order, and the response stored for replays.
    Created { order: Box<OrderView>, body: String },
    /// The key was used before with the same body: its first response.
    Replay { status: u16, body: String },
}

/// The status a new order (or refund) is answered with.
pub(crate) const CREATED: u16 = 201;

/// Characters of order numbers: no 0/O or 1/I to misread.
const NUMBER_ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

impl Shop {
    /// Claims the key inside the checkout's transaction, or answers with
    /// what its first use produced.
    pub(crate) async fn claim_key(
        &self,
        txn: &souk_db::WriteTxn,
        key: &IdempotencyKey<'_>,
    ) -> Result<Option<Placed>, CoreError> {
        let raw = key.key.trim();
        if raw.is_empty() || raw.len() > 255 || raw.chars().any(|c| c.is_control()) {
            return Err(CoreError::invalid(
                "Idempotency-Key",
                "must be 1 to 255 visible characters",
            ));
        }
        let hash = hex::encode(Sha256::digest(key.body));
        if idempotency::claim_in(txn, &key.scope, key.key, &hash).await? {
            return Ok(None);
        }
        let existing = idempotency::find(txn, &key.scope, key.key)
            .await?
            .ok_or_else(|| {
                CoreError::Conflict(
                    "The request with this Idempotency-Key is still running.".into(),
                )
            })?;
        if existing.request_hash != hash {
            return Err(CoreError::invalid(
                "Idempotency-Key",
                "was used before with a different request body",
            ));
        }
        match (existing.response_status, existing.response_body) {
            (Some(status), Some(body)) => Ok(Some(Placed::Replay {
                status: status as u16,
                body,
            })),
            _ => Err(CoreError::Conflict(
                "The request with this Idempotency-Key is still running.".into(),
            )),
        }
    }

    /// A short random order number such as `SK-7Q4M29XD`, unique.
    pub(crate) async fn new_order_number(
        &self,
        txn: &souk_db::WriteTxn,
    ) -> Result<String, CoreError> {
        for _ in 0..10 {
            let number: String = {
                let mut rng = rand::rng();
                let code: String = (0..8)
                    .map(|_| NUMBER_ALPHABET[rng.random_range(0..NUMBER_ALPHABET.len())] as char)
                    .collect();
                format!("SK-{code}")
            };
            if !orders::number_taken(txn, &number).await? {
                return Ok(number);
            }
        }
        Err(anyhow::anyhow!("no free order number after ten tries").into())
    }
}
