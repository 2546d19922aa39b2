//! What an order's life means for its parcels and sellers: a paid order
//! tells each seller what to ship; a sale that leaves a seller's variant
//! low on stock tells the seller; an order called off cancels the parcels
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

/// A seller's variant that a sale took down to the low-stock threshold.
#[derive(Debug, Clone)]
pub(crate) struct RunningLow {
    pub seller_id: i64,
    pub product_name: String,
    pub sku: String,
    /// What is left to sell.
    pub available: i64,
}

/// Whether a sale of `sold` that leaves `available` to sell crossed the
/// low-stock threshold: above it before, at or below it after. A seller
/// hears once per crossing, not once per sale below it.
pub(crate) fn crossed_low(available: i64, sold: i64) -> bool {
    let threshold = crate::reports::LOW_STOCK_THRESHOLD;
    available <= threshold && available + sold > threshold
}

/// E-mails each seller the variants a sale took low, in one message.
pub(crate) async fn running_low(txn: &WriteTxn, low: &[RunningLow]) -> Result<(), CoreError> {
    let mut seller_ids: Vec<i64> = low.iter().map(|l| l.seller_id).collect();
    seller_ids.sort_unstable();
    seller_ids.dedup();
    if seller_ids.is_empty() {
        return Ok(());
    }
    for seller in sellers::sellers_by_ids(txn, &seller_ids).await? {
        if seller.contact_email.is_empty() {
            continue;
        }
        let lines: String = low
            .iter()
            .filter(|l| l.seller_id == seller.id)
            .map(|l| format!("- {} ({}): {} left\n", l.product_name, l.sku, l.available))
            .collect();
        crate::mail::enqueue(
            txn,
            &crate::mail::OutgoingEmail {
                to: seller.contact_email.clone(),
                subject: "Running low on stock".to_owned(),
                text: format!(
                    "A sale has just left these of your products low on stock. Add stock in your seller panel before they sell out:\n\n{lines}"
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
    let closing: Vec<_> = marketplace::fulfilments_of(txn, &[order.id])
        .await?
        .into_iter()
        .filter(|p| open.contains(&p.status.as_str()))
        .collect();
    marketplace::cancel_open_fulfilments(txn, order.id, &open, cancelled, Utc::now()).await?;
    let memo = format!("Order {} called off", order.number);
    super::close_cancelled_parcels(txn, &closing, &memo).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::crossed_low;

    #[test]
    fn a_seller_hears_when_a_sale_crosses_the_threshold_only() {
        let t = crate::reports::LOW_STOCK_THRESHOLD;
        assert!(crossed_low(t, 1), "from one above to the threshold");
        assert!(crossed_low(0, t + 10), "from plenty to none");
        assert!(!crossed_low(t - 1, 1), "already low before");
        assert!(!crossed_low(t + 1, 3), "still above");
    }
}
