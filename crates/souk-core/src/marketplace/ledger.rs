//! Entries of the sellers' ledgers, written in the transaction of what
//! they record: a paid order credits each seller its goods and shipping
//! and debits the commission; a delivered parcel starts its hold; a refund
//! reverses a parcel's credit and commission in proportion.

use super::settings::payout_settings_in;
use crate::CoreError;
use chrono::{DateTime, Duration, Utc};
use souk_db::ActiveValue::Set;
use souk_db::WriteTxn;
use souk_db::entity::{fulfilment, order, refund};
use souk_db::repo::{ledger, marketplace};
use souk_domain::marketplace::{LedgerKind, allocate, check_ledger_amount, parcel_refund};
use std::collections::HashMap;

/// What the buyer paid for a parcel: its goods less their discount, and
/// its shipping.
fn paid_for(parcel: &fulfilment::Model) -> i64 {
    parcel.subtotal - parcel.discount + parcel.shipping_total
}

/// What the seller is credited for a parcel: its goods less the discount
/// it bears, and its shipping.
fn credited_for(parcel: &fulfilment::Model) -> i64 {
    parcel.subtotal - parcel.seller_discount + parcel.shipping_total
}

/// One entry of a seller's parcel; None when the amount is nothing.
fn parcel_entry(
    parcel: &fulfilment::Model,
    seller_id: i64,
    kind: LedgerKind,
    amount: i64,
    memo: &str,
    now: DateTime<Utc>,
) -> Result<Option<souk_db::entity::ledger_entry::ActiveModel>, CoreError> {
    if amount == 0 {
        return Ok(None);
    }
    let amount = check_ledger_amount(kind, amount)
        .map_err(|e| anyhow::anyhow!("parcel {} {kind}: {}", parcel.id, e.0))?;
    let mut row = ledger::entry(
        seller_id,
        &parcel.currency,
        kind.as_str(),
        amount,
        memo.to_owned(),
        now,
    );
    row.order_id = Set(Some(parcel.order_id));
    row.fulfilment_id = Set(Some(parcel.id));
    Ok(Some(row))
}

/// The commission taken on each seller's lines of an order.
async fn commission_by_seller(
    txn: &WriteTxn,
    order_id: i64,
) -> Result<HashMap<i64, i64>, CoreError> {
    let mut by_seller = HashMap::new();
    for line in marketplace::commission_lines_of(txn, order_id).await? {
        *by_seller.entry(line.seller_id).or_insert(0) += line.amount;
    }
    Ok(by_seller)
}

/// Credits each seller of a just-paid order its sale and shipping and
/// debits the commission, pending until its parcel is delivered.
pub(crate) async fn credit_sellers(txn: &WriteTxn, order: &order::Model) -> Result<(), CoreError> {
    let now = Utc::now();
    let memo = format!("Order {}", order.number);
    let commissions = commission_by_seller(txn, order.id).await?;
    let mut rows = Vec::new();
    for parcel in marketplace::fulfilments_of(txn, &[order.id]).await? {
        let Some(seller_id) = parcel.seller_id else {
            continue;
        };
        let commission = commissions.get(&seller_id).copied().unwrap_or(0);
        let sale = parcel.subtotal - parcel.seller_discount;
        for (kind, amount) in [
            (LedgerKind::Sale, sale),
            (LedgerKind::Shipping, parcel.shipping_total),
            (LedgerKind::Commission, -commission),
        ] {
            rows.extend(parcel_entry(&parcel, seller_id, kind, amount, &memo, now)?);
        }
    }
    ledger::insert_entries(txn, rows).await?;
    Ok(())
}

/// Closes the ledger of cancelled parcels: whatever refunds
/// did not already take back of the seller's credit and commission is
/// reversed, so that the parcel's entries add up to nothing even when the
/// buyer paid nothing for it (a voucher the marketplace pays for covered
/// it all) and no refund reversed anything; and the entries are released,
/// so that the next payout settles them instead of leaving them pending.
pub(crate) async fn close_cancelled_parcels(
    txn: &WriteTxn,
    parcels: &[fulfilment::Model],
    memo: &str,
) -> Result<(), CoreError> {
    let now = Utc::now();
    let mut rows = Vec::new();
    for parcel in parcels {
        ledger::release_funds(txn, parcel.id, now).await?;
        let Some(seller_id) = parcel.seller_id else {
            continue;
        };
        let (mut credit, mut commission) = (0, 0);
        for (kind, total) in ledger::parcel_sums(txn, parcel.id).await? {
            match LedgerKind::parse(&kind) {
                Ok(LedgerKind::Commission | LedgerKind::CommissionRefund) => commission += total,
                _ => credit += total,
            }
        }
        // Commission is a debit: what is left of it is negative.
        for (kind, amount) in [
            (LedgerKind::Refund, -credit.max(0)),
            (LedgerKind::CommissionRefund, -commission.min(0)),
        ] {
            rows.extend(parcel_entry(parcel, seller_id, kind, amount, memo, now)?);
        }
    }
    ledger::insert_entries(txn, rows).await?;
    Ok(())
}

/// Starts the hold of a parcel delivered at `delivered_at` (once: a parcel
/// released already keeps its date).
pub(crate) async fn start_hold(
    txn: &WriteTxn,
    parcel_ids: &[i64],
    delivered_at: DateTime<Utc>,
) -> Result<(), CoreError> {
    let terms = payout_settings_in(txn).await?;
    let release = delivered_at + Duration::days(i64::from(terms.hold_days));
    for id in parcel_ids {
        ledger::release_funds(txn, *id, release).await?;
    }
    Ok(())
}

/// Spreads `refund` over the order's parcels (or puts it on the one it
/// names), records what each parcel has had refunded, and reverses each
/// seller's credit and commission in proportion; a parcel refunded in
/// full has its entries released. More than a parcel, or the parcels, can
/// take back is 409.
pub(crate) async fn refund_parcels(
    txn: &WriteTxn,
    order: &order::Model,
    refund: &refund::Model,
) -> Result<(), CoreError> {
    let parcels = marketplace::fulfilments_of(txn, &[order.id]).await?;
    if parcels.is_empty() {
        return Ok(());
    }
    let open: Vec<i64> = parcels
        .iter()
        .map(|p| (paid_for(p) - p.refunded_total).max(0))
        .collect();
    let too_much =
        || CoreError::Conflict("The refund exceeds what is left to refund of the parcel.".into());
    let shares = match refund.fulfilment_id {
        Some(id) => {
            let at = parcels.iter().position(|p| p.id == id).ok_or_else(|| {
                CoreError::invalid("fulfilment_id", "is not a parcel of this order")
            })?;
            if refund.amount > open[at] {
                return Err(too_much());
            }
            let mut shares = vec![0; parcels.len()];
            shares[at] = refund.amount;
            shares
        }
        None => {
            if refund.amount > open.iter().sum::<i64>() {
                return Err(too_much());
            }
            allocate(refund.amount, &open).map_err(|e| anyhow::anyhow!("{}", e.0))?
        }
    };
    let now = Utc::now();
    let memo = format!("Refund on order {}: {}", order.number, refund.reason);
    let commissions = commission_by_seller(txn, order.id).await?;
    let mut rows = Vec::new();
    for (parcel, share) in parcels.iter().zip(shares) {
        if share == 0 {
            continue;
        }
        if !ledger::take_parcel_refund(txn, parcel.id, share, paid_for(parcel)).await? {
            return Err(too_much());
        }
        if parcel.refunded_total + share >= paid_for(parcel) {
            // Refunded in full, the parcel's entries add up to nothing:
            // released now, the next payout settles them rather than
            // leaving them pending for a delivery that may never come.
            ledger::release_funds(txn, parcel.id, now).await?;
        }
        let Some(seller_id) = parcel.seller_id else {
            continue;
        };
        let commission = commissions.get(&seller_id).copied().unwrap_or(0);
        let back = parcel_refund(
            credited_for(parcel),
            commission,
            paid_for(parcel),
            parcel.refunded_total,
            share,
        )
        .map_err(|e| anyhow::anyhow!("parcel {}: {}", parcel.id, e.0))?;
        for (kind, amount) in [
            (LedgerKind::Refund, -back.reversed),
            (LedgerKind::CommissionRefund, back.commission_back),
        ] {
            let row = parcel_entry(parcel, seller_id, kind, amount, &memo, now)?;
            rows.extend(row.map(|mut r| {
                r.refund_id = Set(Some(refund.id));
                r
            }));
        }
    }
    ledger::insert_entries(txn, rows).await?;
    Ok(())
}
