//! Years of orders for one seller, for the seller panel's benchmark: the
//! demo orders that hold the seller's lines, copied over and over into the
//! past, with every part of them (lines, history, parcels, commission lines
//! and ledger entries) under new ids. As in a shop that has run that long,
//! every parcel of all but the last month was delivered, and the daily
//! payout run paid the sellers' money out the day after it was released:
//! one paid payout per seller and batch settles that seller's entries of
//! its orders released before yesterday.

use crate::{CoreError, Shop};
use chrono::{DateTime, Duration, Utc};
use souk_db::entity::{ledger_entry, payout};
use souk_db::repo::bulk::{self, OrderRows};
use souk_db::repo::{demo, ledger, sellers};
use souk_domain::marketplace::{FulfilmentStatus, LedgerKind, PayoutStatus};
use souk_domain::orders::{OrderStatus, PaymentStatus};
use std::collections::{BTreeMap, HashMap};

/// Orders written per transaction.
const BATCH: usize = 2_000;
/// How far apart in time the copies are placed.
const SPACING_MINUTES: i64 = 7;
/// Paid orders older than this were delivered.
const DELIVERED_AFTER_DAYS: i64 = 30;
/// Money released longer ago than this was paid out (the payout run is
/// daily).
const PAID_OUT_AFTER: Duration = Duration::days(1);

impl Shop {
    /// Adds `count` orders holding lines of the seller with this slug,
    /// seeding the demo shop and its orders first if the shop is empty.
    /// Returns how many orders were written.
    pub async fn seed_seller_orders(&self, slug: &str, count: usize) -> Result<usize, CoreError> {
        if self.catalogue_is_empty().await? {
            self.seed_demo().await?;
            self.seed_demo_orders().await?;
        }
        let conn = self.db.conn();
        let seller = sellers::find_seller(conn, slug)
            .await?
            .ok_or(CoreError::NotFound("seller"))?;
        let mut templates = Vec::new();
        for id in demo::orders_with_lines_of(conn, seller.id).await? {
            templates.extend(bulk::order_rows(conn, id).await?);
        }
        if templates.is_empty() {
            return Err(CoreError::Conflict(format!(
                "{} has no orders to copy; seed the demo orders first",
                seller.name
            )));
        }
        let mut written = 0;
        while written < count {
            let n = BATCH.min(count - written);
            let txn = self.db.begin_write().await?;
            let mut ids = NextIds::read(&txn).await?;
            let mut copies: Vec<OrderRows> = (written..written + n)
                .map(|k| {
                    let back = Duration::minutes(SPACING_MINUTES * (k as i64 + 1));
                    ids.copy(&templates[k % templates.len()], back)
                })
                .collect();
            let first = bulk::next_id(&txn, "payouts").await?;
            let paid_before = Utc::now() - PAID_OUT_AFTER;
            let (payouts, debits) = pay_out(&mut copies, first, &mut ids, paid_before);
            // The payouts first: the entries they settle refer to them.
            bulk::insert_payouts(&txn, payouts, debits).await?;
            bulk::insert_orders(&txn, copies).await?;
            txn.commit().await?;
            bulk::analyse_order_tables(conn).await?;
            written += n;
        }
        bulk::reset_id_sequences(conn).await?;
        ledger::recount_owed(conn).await?;
        bulk::vacuum_order_tables(conn).await?;
        Ok(written)
    }
}

/// Settles every seller's entries of these orders released before
/// `paid_before`, one payout per seller and currency (ids from `first_id`
/// on), paid the day after the last of them was released: the payouts and
/// their debits. A seller whose entries add up to nothing or less keeps
/// them unsettled.
fn pay_out(
    copies: &mut [OrderRows],
    first_id: i64,
    ids: &mut NextIds,
    paid_before: DateTime<Utc>,
) -> (Vec<payout::Model>, Vec<ledger_entry::Model>) {
    let paid = |entry: &ledger_entry::Model| entry.releases_at.is_some_and(|at| at < paid_before);
    let mut owed: BTreeMap<(i64, String), (i64, DateTime<Utc>)> = BTreeMap::new();
    for entry in copies.iter().flat_map(|c| c.ledger_entries.iter()) {
        let Some(released) = entry.releases_at.filter(|_| paid(entry)) else {
            continue;
        };
        let (amount, newest) = owed
            .entry((entry.seller_id, entry.currency.clone()))
            .or_insert((0, DateTime::<Utc>::UNIX_EPOCH));
        *amount += entry.amount;
        *newest = (*newest).max(released);
    }
    let mut payout_of = HashMap::new();
    let (mut payouts, mut debits) = (Vec::new(), Vec::new());
    for ((seller_id, currency), (amount, newest)) in owed {
        if amount <= 0 {
            continue;
        }
        let id = first_id + payouts.len() as i64;
        payout_of.insert((seller_id, currency.clone()), id);
        let paid_at = newest + PAID_OUT_AFTER;
        payouts.push(payout::Model {
            id,
            seller_id,
            currency: currency.clone(),
            amount,
            status: PayoutStatus::Paid.as_str().to_owned(),
            run_key: format!("volume-{id}"),
            reference: Some(format!("VOLUME-TRANSFER-{id}")),
            failure_reason: None,
            decided_by: None,
            created_at: paid_at,
            decided_at: Some(paid_at),
        });
        debits.push(ledger_entry::Model {
            id: take(&mut ids.entry),
            seller_id,
            currency,
            kind: LedgerKind::Payout.as_str().to_owned(),
            amount: -amount,
            order_id: None,
            fulfilment_id: None,
            refund_id: None,
            payout_ref: Some(id),
            settled_by: Some(id),
            releases_at: Some(paid_at),
            memo: format!("Payout #{id}"),
            created_at: paid_at,
        });
    }
    for entry in copies.iter_mut().flat_map(|c| c.ledger_entries.iter_mut()) {
        if paid(entry) {
            entry.settled_by = payout_of
                .get(&(entry.seller_id, entry.currency.clone()))
                .copied();
        }
    }
    (payouts, debits)
}

/// The next free id of each table that an order's copy writes to.
struct NextIds {
    order: i64,
    item: i64,
    event: i64,
    parcel: i64,
    commission: i64,
    entry: i64,
}

impl NextIds {
    async fn read(txn: &souk_db::WriteTxn) -> Result<Self, CoreError> {
        Ok(Self {
            order: bulk::next_id(txn, "orders").await?,
            item: bulk::next_id(txn, "order_items").await?,
            event: bulk::next_id(txn, "order_events").await?,
            parcel: bulk::next_id(txn, "fulfilments").await?,
            commission: bulk::next_id(txn, "commission_lines").await?,
            entry: bulk::next_id(txn, "seller_ledger").await?,
        })
    }

    /// A copy of the order `back` earlier, under fresh ids. Refunds and
    /// payouts are not copied: the copy's ledger entries (refund entries
    /// among them, so its balance is the template's) are unsettled.
    fn copy(&mut self, t: &OrderRows, back: Duration) -> OrderRows {
        let earlier = |at: Option<chrono::DateTime<chrono::Utc>>| at.map(|at| at - back);
        let order_id = take(&mut self.order);
        let mut order = t.order.clone();
        order.id = order_id;
        order.public_id = uuid::Uuid::new_v4().to_string();
        order.number = format!("V{order_id:07}");
        order.cart_id = None;
        order.cart_generation = None;
        order.placed_at -= back;
        order.updated_at -= back;
        let mut item_ids = HashMap::new();
        let items = t
            .items
            .iter()
            .map(|i| {
                let mut i = i.clone();
                let id = take(&mut self.item);
                item_ids.insert(i.id, id);
                i.id = id;
                i.order_id = order_id;
                i
            })
            .collect();
        let events = t
            .events
            .iter()
            .map(|e| {
                let mut e = e.clone();
                e.id = take(&mut self.event);
                e.order_id = order_id;
                e.created_at -= back;
                e
            })
            .collect();
        let mut parcel_ids = HashMap::new();
        let mut releases = HashMap::new();
        // Paid orders of long ago were delivered.
        let settled = back > Duration::days(DELIVERED_AFTER_DAYS)
            && order.payment_status == PaymentStatus::Paid.as_str()
            && order.status != OrderStatus::Cancelled.as_str();
        if settled {
            order.status = OrderStatus::Delivered.as_str().to_owned();
        }
        let fulfilments = t
            .fulfilments
            .iter()
            .map(|f| {
                let mut f = f.clone();
                if settled && f.status != FulfilmentStatus::Cancelled.as_str() {
                    delivered(&mut f);
                }
                let id = take(&mut self.parcel);
                parcel_ids.insert(f.id, id);
                f.id = id;
                f.order_id = order_id;
                f.shipped_at = earlier(f.shipped_at);
                f.delivered_at = earlier(f.delivered_at);
                f.cancelled_at = earlier(f.cancelled_at);
                f.funds_release_at = earlier(f.funds_release_at);
                releases.insert(id, f.funds_release_at);
                f.created_at -= back;
                f.updated_at -= back;
                f
            })
            .collect();
        let commission_lines = t
            .commission_lines
            .iter()
            .filter_map(|c| {
                let mut c = c.clone();
                c.id = take(&mut self.commission);
                c.order_id = order_id;
                c.order_item_id = *item_ids.get(&c.order_item_id)?;
                c.created_at -= back;
                Some(c)
            })
            .collect();
        let ledger_entries = t
            .ledger_entries
            .iter()
            .map(|e| {
                let mut e = e.clone();
                e.id = take(&mut self.entry);
                e.order_id = Some(order_id);
                e.fulfilment_id = e.fulfilment_id.and_then(|f| parcel_ids.get(&f).copied());
                e.refund_id = None;
                e.settled_by = None;
                e.payout_ref = None;
                e.created_at -= back;
                // With its parcel, which may have been delivered since.
                e.releases_at = match e.fulfilment_id {
                    Some(parcel) => releases.get(&parcel).copied().flatten(),
                    None => Some(e.created_at),
                };
                e
            })
            .collect();
        OrderRows {
            order,
            items,
            events,
            fulfilments,
            commission_lines,
            ledger_entries,
        }
    }
}

/// A parcel of long ago, as it ended: shipped the day after the order
/// and delivered two days later, its money released after the hold.
fn delivered(f: &mut souk_db::entity::fulfilment::Model) {
    let placed = f.created_at;
    f.status = FulfilmentStatus::Delivered.as_str().to_owned();
    f.shipped_at = Some(placed + Duration::days(1));
    f.delivered_at = Some(placed + Duration::days(3));
    f.funds_release_at = Some(placed + Duration::days(17));
    f.updated_at = placed + Duration::days(3);
}

/// The id to use now, moving the counter on.
fn take(next: &mut i64) -> i64 {
    let id = *next;
    *next += 1;
    id
}
