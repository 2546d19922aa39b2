//! What an order's life means for its parcels and sellers: a paid order
//! tells each seller what to ship; an order called off cancels the parcels
//! that have not shipped.

use super::fulfilments::fulfilments_by_order;
use crate::CoreError;
use chrono::Utc;
use souk_db::WriteTxn;
use souk_db::entity::order;
use souk_db::repo::{marketplace, orders, sellers};
use souk_domain::marketplace::FulfilmentStatus;

/// E-mails each seller of a just-paid order the lines it ships.
pub(crate) async fn order_paid(txn: &WriteTxn, order: &order::Model) -> Result<(), CoreError> {
    let parcels = fulfilments_by_order(txn, &[order.id])
        .await?
        .remove(&order.id)
        .unwrap_or_default();
    let seller_ids: Vec<i64> = parcels.iter().filter_map(|p| p.seller_id).collect();
    if seller_ids.is_empty() {
        return Ok(());
    }
    let items = orders::items(txn, order.id).await?;
    for seller in sellers::sellers_by_ids(txn, &seller_ids).await? {
        if seller.contact_email.is_empty() {
            continue;
        }
        let lines: String = items
            .iter()
            .filter(|i| i.seller_id == Some(seller.id))
            .map(|i| format!("- {} × {} ({})\n", i.quantity, i.product_name, i.sku))
            .collect();
        crate::mail::enqueue(
            txn,
            &crate::mail::OutgoingEmail {
                to: seller.contact_email.clone(),
                subject: format!("New order {} to ship", order.number),
                text: format!(
                    "Order {} is paid. Please ship these lines and mark the parcel shipped in your seller panel:\n\n{lines}",
                    order.number
                ),
            },
        )
        .await?;
    }
    Ok(())
}

/// Cancels the parcels of an order that was called off before they
/// shipped.
pub(crate) async fn order_called_off(
    txn: &WriteTxn,
    order: &order::Model,
) -> Result<(), CoreError> {
    let open = [
        FulfilmentStatus::Pending.as_str(),
        FulfilmentStatus::Processing.as_str(),
    ];
    let cancelled = FulfilmentStatus::Cancelled.as_str();
    marketplace::cancel_open_fulfilments(txn, order.id, &open, cancelled, Utc::now()).await?;
    Ok(())
}
