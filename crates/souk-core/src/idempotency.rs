//! `Idempotency-Key` on requests that create money-relevant state: a
//! replay gets the first response, a different body with the same key is
//! refused, and a key still in use is a conflict.

use crate::{CoreError, Shop};
use chrono::Utc;
use sha2::{Digest, Sha256};
use souk_db::repo::{idempotency, orders};

/// A claim on a key that this request now owns.
#[derive(Debug, Clone)]
pub struct IdempotencyClaim {
    pub(crate) id: i64,
}

/// What to do with a request that carries a key.
#[derive(Debug)]
pub enum Claimed {
    /// First time: go ahead, then complete or release the claim.
    Fresh(IdempotencyClaim),
    /// Seen before and finished: answer exactly this.
    Replay { status: u16, body: String },
    /// Seen before; it made this order but its response was not stored
    /// (the process stopped in between): answer with the order.
    ReplayOrder(String),
}

/// A claim left unfinished this long without an order is taken over.
const STALE_AFTER: chrono::Duration = chrono::Duration::seconds(60);

impl Shop {
    /// Claims `key` within `scope` (whose key it is) for a request with
    /// this body.
    pub async fn claim_idempotency_key(
        &self,
        scope: &str,
        key: &str,
        body: &[u8],
    ) -> Result<Claimed, CoreError> {
        let key = key.trim();
        if key.is_empty() || key.len() > 255 || key.chars().any(|c| c.is_control()) {
            return Err(CoreError::invalid(
                "Idempotency-Key",
                "must be 1 to 255 visible characters",
            ));
        }
        let hash = hex::encode(Sha256::digest(body));
        match idempotency::claim(self.db.conn(), scope, key, &hash).await {
            Ok(row) => return Ok(Claimed::Fresh(IdempotencyClaim { id: row.id })),
            Err(e) if souk_db::is_unique_violation(&e) => {}
            Err(e) => return Err(e.into()),
        }
        let existing = idempotency::find(self.db.conn(), scope, key)
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
        if let (Some(status), Some(body)) = (existing.response_status, existing.response_body) {
            return Ok(Claimed::Replay {
                status: status as u16,
                body,
            });
        }
        if let Some(order_id) = existing.order_id {
            let order = orders::find_by_id(self.db.conn(), order_id)
                .await?
                .ok_or(CoreError::NotFound("order"))?;
            return Ok(Claimed::ReplayOrder(order.public_id));
        }
        if Utc::now() - existing.created_at > STALE_AFTER
            && idempotency::take_over(self.db.conn(), existing.id, existing.created_at).await?
        {
            return Ok(Claimed::Fresh(IdempotencyClaim { id: existing.id }));
        }
        Err(CoreError::Conflict(
            "The request with this Idempotency-Key is still running.".into(),
        ))
    }

    /// Stores the response of a claimed request for replays.
    pub async fn complete_idempotency_key(
        &self,
        claim: &IdempotencyClaim,
        status: u16,
        body: &str,
    ) -> Result<(), CoreError> {
        Ok(idempotency::complete(self.db.conn(), claim.id, status, body).await?)
    }

    /// Gives a claim back after the request failed, so that the client can
    /// retry with the same key.
    pub async fn release_idempotency_key(&self, claim: &IdempotencyClaim) -> Result<(), CoreError> {
        Ok(idempotency::release(self.db.conn(), claim.id).await?)
    }
}
