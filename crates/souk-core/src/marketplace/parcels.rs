//! A seller (or staff, for the shop's own parcels and any other) moves a
//! parcel on: processing, then shipped with its carrier and tracking
//! number, then delivered. The order follows its parcels: it is shipped
//! when every parcel has shipped and delivered when every one is.

use super::fulfilments::{FulfilmentView, fulfilments_by_order};
use crate::actor::Actor;
use crate::orders::lifecycle::{move_order, note_in_history};
use crate::{CoreError, Shop};
use chrono::Utc;
use souk_db::WriteTxn;
use souk_db::entity::{fulfilment, order};
use souk_db::repo::marketplace::{self, FulfilmentMove};
use souk_db::repo::orders;
use souk_domain::marketplace::{FulfilmentStatus, Progress, order_progress};
use souk_domain::orders::OrderStatus;
use souk_domain::{FieldError, Validator, text};

/// The longest carrier name or tracking number.
pub const TRACKING_MAX: usize = 100;

/// A move of a parcel as asked.
#[derive(Debug, Clone, Default)]
pub struct ParcelMove {
    /// `processing`, `shipped` or `delivered`.
    pub status: String,
    /// Required to ship.
    pub carrier: Option<String>,
    pub tracking_number: Option<String>,
}

/// The statuses a parcel may be moved to by its seller here.
pub const PARCEL_MOVES: [FulfilmentStatus; 3] = [
    FulfilmentStatus::Processing,
    FulfilmentStatus::Shipped,
    FulfilmentStatus::Delivered,
];

impl Shop {
    /// Moves parcel `id` on. Another seller's parcel is 404; a move its
    /// status does not allow, or of an order not paid yet, is 409.
    pub async fn move_fulfilment(
        &self,
        actor: &Actor,
        id: i64,
        input: ParcelMove,
    ) -> Result<FulfilmentView, CoreError> {
        actor.catalogue_scope()?;
        let mut v = Validator::new();
        let next = v.check(
            "status",
            FulfilmentStatus::parse(&input.status).and_then(|s| {
                if PARCEL_MOVES.contains(&s) {
                    Ok(s)
                } else {
                    Err(souk_domain::Invalid::new(
                        "must be one of processing, shipped, delivered",
                    ))
                }
            }),
        );
        let carrier = v
            .check(
                "carrier",
                text::optional(input.carrier.as_deref(), TRACKING_MAX),
            )
            .flatten();
        let tracking = v
            .check(
                "tracking_number",
                text::optional(input.tracking_number.as_deref(), TRACKING_MAX),
            )
            .flatten();
        if next == Some(FulfilmentStatus::Shipped) && carrier.is_none() {
            v.push(FieldError::new("carrier", "is required to ship a parcel"));
        }
        v.finish()?;
        let Some(next) = next else {
            return Err(anyhow::anyhow!("validated status is missing").into());
        };
        let txn = self.db.begin_write().await?;
        let (_, current, order) = parcel_of_paid_order(&txn, actor, id).await?;
        if !current.can_become(next) {
            return Err(CoreError::Conflict(format!(
                "A parcel that is {current} cannot become {next}."
            )));
        }
        let stamp = match next {
            FulfilmentStatus::Shipped => Some(fulfilment::Column::ShippedAt),
            FulfilmentStatus::Delivered => Some(fulfilment::Column::DeliveredAt),
            _ => None,
        };
        let step = FulfilmentMove {
            from: current.as_str(),
            to: next.as_str(),
            carrier: carrier.as_deref(),
            tracking_number: tracking.as_deref(),
            stamp,
        };
        let now = Utc::now();
        if !marketplace::move_fulfilment(&txn, id, step, now).await? {
            return Err(CoreError::Conflict(
                "The parcel changed meanwhile; reload it and try again.".into(),
            ));
        }
        if next == FulfilmentStatus::Delivered {
            super::start_hold(&txn, &[id], now).await?;
        }
        let mut parcels = fulfilments_by_order(&txn, &[order.id])
            .await?
            .remove(&order.id)
            .unwrap_or_default();
        let moved = parcels
            .iter()
            .find(|p| p.id == id)
            .cloned()
            .ok_or(CoreError::NotFound("fulfilment"))?;
        let from = moved
            .seller_name
            .clone()
            .unwrap_or_else(|| "the shop".into());
        let mut note = format!("The parcel from {from} is {next}");
        if let Some(carrier) = &carrier {
            note.push_str(&format!(" with {carrier}"));
        }
        if let Some(tracking) = &tracking {
            note.push_str(&format!(", tracking {tracking}"));
        }
        note.push('.');
        note_in_history(&txn, &order, &note).await?;
        let statuses: Vec<FulfilmentStatus> = parcels.drain(..).map(|p| p.status).collect();
        let whole = order_progress(&statuses);
        if next == FulfilmentStatus::Shipped && whole != Progress::Shipped {
            crate::mail::enqueue(&txn, &parcel_shipped(&order, &note)).await?;
        }
        self.order_follows(&txn, &order, next, whole, actor).await?;
        txn.commit().await?;
        Ok(moved)
    }

    /// Moves the order to what its parcels have reached, step by step.
    pub(super) async fn order_follows(
        &self,
        txn: &WriteTxn,
        order: &order::Model,
        moved: FulfilmentStatus,
        whole: Progress,
        actor: &Actor,
    ) -> Result<(), CoreError> {
        let target = match (moved, whole) {
            (_, Progress::Delivered) => OrderStatus::Delivered,
            (_, Progress::Shipped) => OrderStatus::Shipped,
            (FulfilmentStatus::Processing | FulfilmentStatus::Shipped, _) => {
                OrderStatus::Processing
            }
            _ => return Ok(()),
        };
        let path = [
            OrderStatus::Processing,
            OrderStatus::Shipped,
            OrderStatus::Delivered,
        ];
        let upto = path.iter().position(|s| *s == target).unwrap_or(0);
        for step in path.into_iter().take(upto + 1) {
            let current = orders::find_by_id(txn, order.id)
                .await?
                .ok_or(CoreError::NotFound("order"))?;
            if OrderStatus::parse(&current.status).is_ok_and(|now| now.can_become(step)) {
                move_order(txn, &current, step, actor, None).await?;
            }
        }
        Ok(())
    }
}

/// The parcel `id` the actor may handle, its status, and its order, which
/// must be paid and not delivered yet. Another seller's parcel is 404; a
/// parcel of an order that is not being shipped is 409.
pub(super) async fn parcel_of_paid_order(
    txn: &WriteTxn,
    actor: &Actor,
    id: i64,
) -> Result<(fulfilment::Model, FulfilmentStatus, order::Model), CoreError> {
    let scope = actor.catalogue_scope()?;
    let parcel = marketplace::find_fulfilment(txn, id)
        .await?
        .filter(|f| scope.covers(f.seller_id))
        .ok_or(CoreError::NotFound("fulfilment"))?;
    let status = FulfilmentStatus::parse(&parcel.status)
        .map_err(|e| anyhow::anyhow!("fulfilment {id}: {}", e.0))?;
    let order = orders::find_by_id(txn, parcel.order_id)
        .await?
        .ok_or(CoreError::NotFound("order"))?;
    if !OrderStatus::parse(&order.status).is_ok_and(OrderStatus::ships) {
        return Err(CoreError::Conflict(format!(
            "Order {} is {}; only a paid order's parcels are shipped or cancelled.",
            order.number,
            order.status.replace('_', " ")
        )));
    }
    Ok((parcel, status, order))
}

fn parcel_shipped(order: &order::Model, note: &str) -> crate::mail::OutgoingEmail {
    crate::mail::OutgoingEmail {
        to: order.email.clone(),
        subject: format!("A parcel of order {} is on its way", order.number),
        text: format!(
            "{note}\nThe rest of order {} follows in its own parcels.\n",
            order.number
        ),
    }
}
