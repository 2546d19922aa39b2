//! A seller that cannot ship calls its parcel off before it ships: the
//! parcel is cancelled, its lines' stock goes back, what the buyer paid for
//! it is refunded, and the rest of the order goes on.

use super::fulfilments::{FulfilmentView, fulfilments_by_order};
use crate::actor::Actor;
use crate::orders::lifecycle::note_in_history;
use crate::{CoreError, Shop};
use chrono::Utc;
use souk_db::entity::fulfilment;
use souk_db::repo::marketplace::{self, FulfilmentMove};
use souk_db::repo::{catalogue, orders, stock};
use souk_domain::marketplace::{FulfilmentStatus, order_progress};
use souk_domain::text;

/// The longest reason for calling a parcel off (the order's history keeps
/// it whole with the refund's amount).
pub const CANCEL_REASON_MAX: usize = 300;

impl Shop {
    /// Cancels parcel `id`, which has not shipped, with the reason the
    /// buyer is told. Another seller's parcel is 404; a parcel that has
    /// shipped, or of an order that is not paid, is 409.
    pub async fn cancel_fulfilment(
        &self,
        actor: &Actor,
        id: i64,
        reason: &str,
    ) -> Result<FulfilmentView, CoreError> {
        actor.catalogue_scope()?;
        let reason = text::bounded(reason, 1, CANCEL_REASON_MAX)
            .map_err(|e| CoreError::Validation(vec![e.at("reason")]))?;
        let txn = self.db.begin_write().await?;
        let (parcel, current, order) =
            super::parcels::parcel_of_paid_order(&txn, actor, id).await?;
        if !current.can_become(FulfilmentStatus::Cancelled) {
            return Err(CoreError::Conflict(format!(
                "A parcel that is {current} cannot be cancelled; only one that has not shipped."
            )));
        }
        let step = FulfilmentMove {
            from: current.as_str(),
            to: FulfilmentStatus::Cancelled.as_str(),
            carrier: None,
            tracking_number: None,
            stamp: Some(fulfilment::Column::CancelledAt),
        };
        let now = Utc::now();
        if !marketplace::move_fulfilment(&txn, id, step, now).await? {
            return Err(CoreError::Conflict(
                "The parcel changed meanwhile; reload it and try again.".into(),
            ));
        }
        let mut lines: Vec<_> = orders::items(&txn, order.id)
            .await?
            .into_iter()
            .filter(|line| line.seller_id == parcel.seller_id)
            .collect();
        lines.sort_by_key(|line| line.variant_id);
        let why = format!("order {} parcel cancelled", order.number);
        let actor_id = actor.user_id().map(|u| u.0);
        for line in &lines {
            if let Some(variant_id) = line.variant_id {
                stock::adjust(&txn, variant_id, line.quantity, &why, actor_id).await?;
            }
            if let Some(product_id) = line.product_id {
                catalogue::add_units_sold(&txn, product_id, -line.quantity).await?;
                catalogue::refresh_product_summary(&txn, product_id).await?;
            }
        }
        let before = fulfilments_by_order(&txn, &[order.id])
            .await?
            .remove(&order.id)
            .unwrap_or_default();
        let owed = before
            .iter()
            .find(|p| p.id == id)
            .map(FulfilmentView::refundable)
            .ok_or(CoreError::NotFound("fulfilment"))?;
        let from = before
            .iter()
            .find(|p| p.id == id)
            .and_then(|p| p.seller_name.clone())
            .unwrap_or_else(|| "the shop".into());
        let mut note = format!("The parcel from {from} is cancelled: {reason}");
        if owed.amount > 0 {
            let owed_text = crate::site::shop_locale(&txn).await?.format(owed);
            note.push_str(&format!(" {owed_text} is refunded."));
            crate::payments::give_back(&txn, &order, owed.amount, Some(id), &reason, actor).await?;
        }
        let memo = format!("Parcel of order {} cancelled: {reason}", order.number);
        super::close_cancelled_parcels(&txn, std::slice::from_ref(&parcel), &memo).await?;
        note_in_history(&txn, &order, &note).await?;
        crate::mail::enqueue(&txn, &parcel_cancelled(&order, &note)).await?;
        let after = fulfilments_by_order(&txn, &[order.id])
            .await?
            .remove(&order.id)
            .unwrap_or_default();
        let statuses: Vec<FulfilmentStatus> = after.iter().map(|p| p.status).collect();
        let fresh = orders::find_by_id(&txn, order.id)
            .await?
            .ok_or(CoreError::NotFound("order"))?;
        self.order_follows(
            &txn,
            &fresh,
            FulfilmentStatus::Cancelled,
            order_progress(&statuses),
            actor,
        )
        .await?;
        txn.commit().await?;
        self.cache.catalogue_changed();
        after
            .into_iter()
            .find(|p| p.id == id)
            .ok_or(CoreError::NotFound("fulfilment"))
    }
}

fn parcel_cancelled(
    order: &souk_db::entity::order::Model,
    note: &str,
) -> crate::mail::OutgoingEmail {
    crate::mail::OutgoingEmail {
        to: order.email.clone(),
        subject: format!("A parcel of order {} is cancelled", order.number),
        text: format!(
            "{note}\nThe rest of order {} goes on in its own parcels.\n",
            order.number
        ),
    }
}
