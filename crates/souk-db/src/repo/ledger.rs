//! Sellers' ledgers and payouts. An entry is owed while no payout settled
//! it; it is available once its money is released (`releases_at`: at once
//! for an entry of no parcel, with its parcel otherwise), and pending
//! before. What each seller is owed is also kept as a sum per currency
//! (`seller_balances`), changed here in the transaction that adds or
//! settles entries.

use super::{paged, raw};
use crate::entity::{fulfilment, ledger_entry, payout};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, IntoCondition, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DbErr, EntityTrait, Order, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Value,
};
use souk_domain::paging::{Page, PageRequest};
use std::collections::BTreeMap;

/// Stores ledger entries, each with when its money is released: an entry
/// of no parcel at once, a parcel's entry when its parcel is (copied from
/// the parcel, if it has a release date already).
pub async fn insert_entries(
    db: &impl ConnectionTrait,
    mut rows: Vec<ledger_entry::ActiveModel>,
) -> Result<(), DbErr> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut parcels = Vec::new();
    let mut owed: BTreeMap<(i64, String), i64> = BTreeMap::new();
    for row in &mut rows {
        match (&row.fulfilment_id, &row.created_at) {
            (ActiveValue::Set(Some(parcel)), _) => parcels.push(*parcel),
            (_, ActiveValue::Set(at)) => row.releases_at = Set(Some(*at)),
            _ => {}
        }
        let unsettled = matches!(row.settled_by, ActiveValue::NotSet | ActiveValue::Set(None));
        if let (
            true,
            ActiveValue::Set(seller),
            ActiveValue::Set(currency),
            ActiveValue::Set(amount),
        ) = (unsettled, &row.seller_id, &row.currency, &row.amount)
        {
            *owed.entry((*seller, currency.clone())).or_default() += amount;
        }
    }
    ledger_entry::Entity::insert_many(rows)
        .exec_without_returning(db)
        .await?;
    // In the order of the key, so that two transactions crediting the
    // same sellers on PostgreSQL wait for each other instead of deadlocking.
    for ((seller, currency), amount) in owed {
        add_owed(db, seller, &currency, amount).await?;
    }
    parcels.sort_unstable();
    parcels.dedup();
    if parcels.is_empty() {
        return Ok(());
    }
    ledger_entry::Entity::update_many()
        // The parcels' release dates, for entries made after them.
        .col_expr(
            ledger_entry::Column::ReleasesAt,
            Expr::cust(
                "(SELECT f.funds_release_at FROM fulfilments f \
                 WHERE f.id = seller_ledger.fulfilment_id)",
            ),
        )
        .filter(ledger_entry::Column::FulfilmentId.is_in(parcels))
        .filter(ledger_entry::Column::ReleasesAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// What a parcel's entries add up to, per kind.
pub async fn parcel_sums(
    db: &impl ConnectionTrait,
    fulfilment_id: i64,
) -> Result<Vec<(String, i64)>, DbErr> {
    let sql = "SELECT kind, CAST(COALESCE(SUM(amount), 0) AS BIGINT) AS total \
               FROM seller_ledger WHERE fulfilment_id = ? GROUP BY kind";
    let rows = db
        .query_all_raw(raw(
            db.get_database_backend(),
            sql,
            vec![Value::from(fulfilment_id)],
        ))
        .await?;
    rows.iter()
        .map(|row| Ok((row.try_get("", "kind")?, row.try_get("", "total")?)))
        .collect()
}

/// What a seller is owed in `currency` and may be paid now, oldest first.
pub async fn available_entries(
    db: &impl ConnectionTrait,
    seller_id: i64,
    currency: &str,
    now: DateTime<Utc>,
) -> Result<Vec<ledger_entry::Model>, DbErr> {
    ledger_entry::Entity::find()
        .filter(ledger_entry::Column::SellerId.eq(seller_id))
        .filter(ledger_entry::Column::SettledBy.is_null())
        .filter(ledger_entry::Column::Currency.eq(currency))
        .filter(ledger_entry::Column::ReleasesAt.lte(now))
        .order_by_asc(ledger_entry::Column::Id)
        .all(db)
        .await
}

/// A seller's money in one currency that no payout has settled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owed {
    pub seller_id: i64,
    pub currency: String,
    /// Released: a payout may take it.
    pub available: i64,
    /// Every owed entry, released or not.
    pub owed: i64,
}

/// Read from the index `ix_seller_ledger_released` alone.
const OWED: &str = "SELECT l.seller_id AS seller_id, l.currency AS currency, \
     CAST(COALESCE(SUM(CASE WHEN l.releases_at <= ? THEN l.amount ELSE 0 END), 0) AS BIGINT) AS available, \
     CAST(COALESCE(SUM(l.amount), 0) AS BIGINT) AS owed \
     FROM seller_ledger l WHERE l.settled_by IS NULL";

fn owed_rows(rows: Vec<sea_orm::QueryResult>) -> Result<Vec<Owed>, DbErr> {
    rows.iter()
        .map(|row| {
            Ok(Owed {
                seller_id: row.try_get("", "seller_id")?,
                currency: row.try_get("", "currency")?,
                available: row.try_get("", "available")?,
                owed: row.try_get("", "owed")?,
            })
        })
        .collect()
}

/// What one seller is owed, per currency: the kept sum, and what of it is
/// released, summed from the entries released and not yet paid out (read
/// from `ix_seller_ledger_released`; the daily payout run keeps them few).
pub async fn owed_to(
    db: &impl ConnectionTrait,
    seller_id: i64,
    now: DateTime<Utc>,
) -> Result<Vec<Owed>, DbErr> {
    let sql = "SELECT b.seller_id AS seller_id, b.currency AS currency, b.owed AS owed, \
         CAST(COALESCE((SELECT SUM(l.amount) FROM seller_ledger l \
           WHERE l.seller_id = b.seller_id AND l.settled_by IS NULL \
           AND l.currency = b.currency AND l.releases_at <= ?), 0) AS BIGINT) AS available \
         FROM seller_balances b WHERE b.seller_id = ? ORDER BY b.currency";
    let backend = db.get_database_backend();
    let values = vec![Value::from(now), Value::from(seller_id)];
    owed_rows(db.query_all_raw(raw(backend, sql, values)).await?)
}

/// Every seller and currency whose available money is at least `minimum`
/// and more than nothing.
pub async fn payable(
    db: &impl ConnectionTrait,
    minimum: i64,
    now: DateTime<Utc>,
) -> Result<Vec<Owed>, DbErr> {
    let sql = format!(
        "SELECT * FROM ({OWED} GROUP BY l.seller_id, l.currency) owed \
         WHERE available >= ? AND available > 0 ORDER BY seller_id, currency"
    );
    let backend = db.get_database_backend();
    let values = vec![Value::from(now), Value::from(minimum)];
    owed_rows(db.query_all_raw(raw(backend, &sql, values)).await?)
}

/// Which entries a ledger listing shows.
#[derive(Debug, Clone, Default)]
pub struct LedgerFilter {
    pub seller_id: Option<i64>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

impl LedgerFilter {
    fn condition(&self) -> Condition {
        let mut c = Condition::all();
        if let Some(seller) = self.seller_id {
            c = c.add(ledger_entry::Column::SellerId.eq(seller));
        }
        if let Some(from) = self.from {
            c = c.add(ledger_entry::Column::CreatedAt.gte(from));
        }
        if let Some(to) = self.to {
            c = c.add(ledger_entry::Column::CreatedAt.lt(to));
        }
        c
    }
}

/// A page of entries, newest first. The page is found through the index
/// alone, however deep it is, before any entry is read.
pub async fn entries_page(
    db: &impl ConnectionTrait,
    filter: &LedgerFilter,
    page: PageRequest,
) -> Result<Vec<ledger_entry::Model>, DbErr> {
    let ids = Query::select()
        .column(ledger_entry::Column::Id)
        .from(ledger_entry::Entity)
        .cond_where(filter.condition())
        .order_by(ledger_entry::Column::CreatedAt, Order::Desc)
        .order_by(ledger_entry::Column::Id, Order::Desc)
        .limit(page.per_page)
        .offset(page.offset())
        .to_owned();
    ledger_entry::Entity::find()
        .filter(ledger_entry::Column::Id.in_subquery(ids))
        .order_by_desc(ledger_entry::Column::CreatedAt)
        .order_by_desc(ledger_entry::Column::Id)
        .all(db)
        .await
}

/// How many entries the filter holds.
pub async fn count_entries(db: &impl ConnectionTrait, filter: &LedgerFilter) -> Result<u64, DbErr> {
    ledger_entry::Entity::find()
        .filter(filter.condition())
        .count(db)
        .await
}

/// The id of the newest entry of the seller (of any seller for None), 0
/// for none: it changes whenever the seller's ledger, or its orders, do.
pub async fn latest_entry_id(
    db: &impl ConnectionTrait,
    seller_id: Option<i64>,
) -> Result<i64, DbErr> {
    let mut query = ledger_entry::Entity::find()
        .select_only()
        .column_as(ledger_entry::Column::Id.max(), "latest");
    if let Some(seller) = seller_id {
        query = query.filter(ledger_entry::Column::SellerId.eq(seller));
    }
    let latest: Option<Option<i64>> = query.into_tuple().one(db).await?;
    Ok(latest.flatten().unwrap_or(0))
}

/// Up to `limit` entries after `after_id`, oldest first: a statement read
/// in slices.
pub async fn entries_after(
    db: &impl ConnectionTrait,
    filter: &LedgerFilter,
    after_id: i64,
    limit: u64,
) -> Result<Vec<ledger_entry::Model>, DbErr> {
    ledger_entry::Entity::find()
        .filter(filter.condition())
        .filter(ledger_entry::Column::Id.gt(after_id))
        .order_by_asc(ledger_entry::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// The entries a payout settled, oldest first.
pub async fn settled_by(
    db: &impl ConnectionTrait,
    payout_id: i64,
) -> Result<Vec<ledger_entry::Model>, DbErr> {
    ledger_entry::Entity::find()
        .filter(ledger_entry::Column::SettledBy.eq(payout_id))
        .order_by_asc(ledger_entry::Column::Id)
        .all(db)
        .await
}

/// Marks `entry_ids` of the payout's seller and currency settled by the
/// payout where no payout settled them yet; how many it marked. What the
/// seller is owed goes down by what they add up to.
pub async fn settle(
    db: &impl ConnectionTrait,
    payout: &payout::Model,
    entry_ids: &[i64],
) -> Result<u64, DbErr> {
    let mut marked = 0;
    for ids in entry_ids.chunks(500) {
        let settled = ledger_entry::Entity::update_many()
            .col_expr(ledger_entry::Column::SettledBy, Expr::value(payout.id))
            .filter(ledger_entry::Column::Id.is_in(ids.iter().copied()))
            .filter(ledger_entry::Column::SellerId.eq(payout.seller_id))
            .filter(ledger_entry::Column::Currency.eq(payout.currency.as_str()))
            .filter(ledger_entry::Column::SettledBy.is_null())
            .exec(db)
            .await?
            .rows_affected;
        if settled == 0 {
            continue;
        }
        marked += settled;
        let list = vec!["?"; ids.len()].join(", ");
        let sql = format!(
            "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) AS total FROM seller_ledger \
             WHERE settled_by = ? AND id IN ({list})"
        );
        let mut values = vec![Value::from(payout.id)];
        values.extend(ids.iter().map(|id| Value::from(*id)));
        let sum: i64 = match db
            .query_one_raw(raw(db.get_database_backend(), &sql, values))
            .await?
        {
            Some(row) => row.try_get("", "total")?,
            None => 0,
        };
        add_owed(db, payout.seller_id, &payout.currency, -sum).await?;
    }
    Ok(marked)
}

/// Adds `amount` (less than 0 to take) to what a seller is owed in
/// `currency`.
async fn add_owed(
    db: &impl ConnectionTrait,
    seller_id: i64,
    currency: &str,
    amount: i64,
) -> Result<(), DbErr> {
    let sql = "INSERT INTO seller_balances (seller_id, currency, owed) VALUES (?, ?, ?) \
               ON CONFLICT (seller_id, currency) \
               DO UPDATE SET owed = seller_balances.owed + excluded.owed";
    let values = vec![
        Value::from(seller_id),
        Value::from(currency),
        Value::from(amount),
    ];
    db.execute_raw(raw(db.get_database_backend(), sql, values))
        .await?;
    Ok(())
}

/// Counts what every seller is owed from the ledger again: after entries
/// were written around this module (a bulk load).
pub async fn recount_owed(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    db.execute_unprepared("DELETE FROM seller_balances").await?;
    db.execute_unprepared(
        "INSERT INTO seller_balances (seller_id, currency, owed) \
         SELECT seller_id, currency, SUM(amount) FROM seller_ledger \
         WHERE settled_by IS NULL GROUP BY seller_id, currency",
    )
    .await?;
    Ok(())
}

/// Stores a payout. Fails with a unique violation when the seller already
/// has one of this run in this currency.
pub async fn insert_payout(
    db: &impl ConnectionTrait,
    row: payout::ActiveModel,
) -> Result<payout::Model, DbErr> {
    row.insert(db).await
}

/// A payout by id.
pub async fn find_payout(
    db: &impl ConnectionTrait,
    id: i64,
) -> Result<Option<payout::Model>, DbErr> {
    payout::Entity::find_by_id(id).one(db).await
}

/// Which payouts a listing shows.
#[derive(Debug, Clone, Default)]
pub struct PayoutFilter {
    pub seller_id: Option<i64>,
    pub status: Option<String>,
}

/// A page of payouts, newest first.
pub async fn payouts_page(
    db: &impl ConnectionTrait,
    filter: &PayoutFilter,
    page: PageRequest,
) -> Result<Page<payout::Model>, DbErr> {
    let mut query = payout::Entity::find();
    if let Some(seller) = filter.seller_id {
        query = query.filter(payout::Column::SellerId.eq(seller));
    }
    if let Some(status) = &filter.status {
        query = query.filter(payout::Column::Status.eq(status.as_str()));
    }
    paged(db, query.order_by_desc(payout::Column::Id), page).await
}

/// How a payout was decided.
#[derive(Debug, Clone)]
pub struct PayoutOutcome<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub reference: Option<&'a str>,
    pub failure_reason: Option<&'a str>,
    pub decided_by: Option<i64>,
}

/// Moves a payout from the status it was seen in; false when it had moved.
pub async fn decide_payout(
    db: &impl ConnectionTrait,
    id: i64,
    outcome: PayoutOutcome<'_>,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = payout::Entity::update_many()
        .col_expr(payout::Column::Status, Expr::value(outcome.to))
        .col_expr(payout::Column::Reference, Expr::value(outcome.reference))
        .col_expr(
            payout::Column::FailureReason,
            Expr::value(outcome.failure_reason),
        )
        .col_expr(payout::Column::DecidedBy, Expr::value(outcome.decided_by))
        .col_expr(payout::Column::DecidedAt, Expr::value(now))
        .filter(payout::Column::Id.eq(id))
        .filter(payout::Column::Status.eq(outcome.from))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// A seller's payouts summed per currency and status.
pub async fn payout_totals(
    db: &impl ConnectionTrait,
    seller_id: i64,
) -> Result<Vec<(String, String, i64)>, DbErr> {
    let backend = db.get_database_backend();
    let sql = "SELECT currency, status, CAST(COALESCE(SUM(amount), 0) AS BIGINT) AS total \
               FROM payouts WHERE seller_id = ? GROUP BY currency, status";
    let rows = db
        .query_all_raw(raw(backend, sql, vec![Value::from(seller_id)]))
        .await?;
    rows.iter()
        .map(|row| {
            Ok((
                row.try_get("", "currency")?,
                row.try_get("", "status")?,
                row.try_get("", "total")?,
            ))
        })
        .collect()
}

/// Releases a delivered parcel's money at `at`, unless a release date was
/// set already; its entries carry the date too.
pub async fn release_funds(
    db: &impl ConnectionTrait,
    fulfilment_id: i64,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    let released = fulfilment::Entity::update_many()
        .col_expr(fulfilment::Column::FundsReleaseAt, Expr::value(at))
        .filter(fulfilment::Column::Id.eq(fulfilment_id))
        .filter(fulfilment::Column::FundsReleaseAt.is_null())
        .exec(db)
        .await?;
    if released.rows_affected == 1 {
        ledger_entry::Entity::update_many()
            .col_expr(ledger_entry::Column::ReleasesAt, Expr::value(at))
            .filter(ledger_entry::Column::FulfilmentId.eq(fulfilment_id))
            .filter(ledger_entry::Column::ReleasesAt.is_null())
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Adds `amount` to what was refunded of a parcel, if it stays within
/// `refundable`; false when it would not.
pub async fn take_parcel_refund(
    db: &impl ConnectionTrait,
    fulfilment_id: i64,
    amount: i64,
    refundable: i64,
) -> Result<bool, DbErr> {
    let result = fulfilment::Entity::update_many()
        .col_expr(
            fulfilment::Column::RefundedTotal,
            Expr::col(fulfilment::Column::RefundedTotal).add(amount),
        )
        .filter(fulfilment::Column::Id.eq(fulfilment_id))
        .filter(
            Expr::col(fulfilment::Column::RefundedTotal)
                .add(amount)
                .lte(refundable)
                .into_condition(),
        )
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// A new entry, with the fields every entry has.
pub fn entry(
    seller_id: i64,
    currency: &str,
    kind: &str,
    amount: i64,
    memo: String,
    now: DateTime<Utc>,
) -> ledger_entry::ActiveModel {
    ledger_entry::ActiveModel {
        seller_id: Set(seller_id),
        currency: Set(currency.to_owned()),
        kind: Set(kind.to_owned()),
        amount: Set(amount),
        memo: Set(memo),
        created_at: Set(now),
        ..Default::default()
    }
}

/// A seller's entries of `kind` (its sales) since `from`, per currency:
/// how many orders and their sum, read from `ix_seller_ledger_sales`
/// alone.
pub async fn sums_since(
    db: &impl ConnectionTrait,
    seller_id: i64,
    kind: &str,
    from: DateTime<Utc>,
) -> Result<Vec<(String, i64, i64)>, DbErr> {
    let backend = db.get_database_backend();
    let sql = "SELECT currency, COUNT(DISTINCT order_id) AS orders, \
               CAST(COALESCE(SUM(amount), 0) AS BIGINT) AS sales \
               FROM seller_ledger WHERE seller_id = ? AND kind = ? AND created_at >= ? \
               GROUP BY currency ORDER BY currency";
    let rows = db
        .query_all_raw(raw(
            backend,
            sql,
            vec![Value::from(seller_id), Value::from(kind), Value::from(from)],
        ))
        .await?;
    rows.iter()
        .map(|row| {
            Ok((
                row.try_get("", "currency")?,
                row.try_get("", "orders")?,
                row.try_get("", "sales")?,
            ))
        })
        .collect()
}
