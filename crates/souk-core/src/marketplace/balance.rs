//! What a seller is owed and has been paid: the balance, the ledger, a
//! statement of a period, and the payouts, as views. A seller sees its
//! own; staff see any seller's.

use crate::actor::{Actor, CatalogueScope};
use crate::orders::parse_time;
use crate::{CoreError, Shop};
use chrono::{DateTime, Duration, Utc};
use souk_db::ConnectionTrait;
use souk_db::entity::{ledger_entry, payout};
use souk_db::repo::ledger::{self, LedgerFilter};
use souk_db::repo::sellers;
use souk_domain::marketplace::{LedgerKind, PayoutStatus};
use souk_domain::paging::{Page, PageRequest};
use souk_domain::{Currency, Money, Validator};
use std::collections::{BTreeMap, HashMap};

/// Where an entry's money is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryState {
    /// Its parcel is not delivered, or is in its hold period.
    Pending,
    /// Owed and released: the next payout takes it.
    Available,
    /// A payout settled it.
    Settled,
}

impl EntryState {
    /// The serialised name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Available => "available",
            Self::Settled => "settled",
        }
    }
}

/// One entry of a seller's ledger.
#[derive(Debug, Clone)]
pub struct LedgerEntryView {
    pub id: i64,
    pub seller_id: i64,
    pub kind: LedgerKind,
    /// Signed: a credit is more than 0, a debit less.
    pub amount: Money,
    pub order_id: Option<i64>,
    pub fulfilment_id: Option<i64>,
    pub refund_id: Option<i64>,
    /// The payout this entry is, or whose failure it returns.
    pub payout_ref: Option<i64>,
    /// The payout that settled it.
    pub settled_by: Option<i64>,
    pub state: EntryState,
    /// When a pending entry's money is released, once its parcel is
    /// delivered.
    pub releases_at: Option<DateTime<Utc>>,
    pub memo: String,
    pub created_at: DateTime<Utc>,
}

/// A payout to a seller.
#[derive(Debug, Clone)]
pub struct PayoutView {
    pub id: i64,
    pub seller_id: i64,
    pub seller_name: String,
    pub amount: Money,
    pub status: PayoutStatus,
    pub reference: Option<String>,
    pub failure_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
}

/// A seller's money in one currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BalanceView {
    /// Released and owed: what the next payout pays (less than 0 when
    /// refunds after a payout took more than was left; the next payouts
    /// net it).
    pub available: Money,
    /// Owed but not released yet: parcels not delivered or on hold.
    pub pending: Money,
    /// In payouts that are not marked paid or failed yet.
    pub in_payout: Money,
    /// In payouts marked paid.
    pub paid_out: Money,
}

/// A seller's sales over a period, per currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SalesView {
    pub orders: i64,
    pub sales: Money,
}

fn currency(raw: &str) -> Result<Currency, CoreError> {
    Currency::parse(raw).map_err(|e| anyhow::anyhow!("stored currency {raw}: {}", e.0).into())
}

/// Entries as views, with where each one's money is.
pub(crate) fn entry_views(
    rows: Vec<ledger_entry::Model>,
) -> Result<Vec<LedgerEntryView>, CoreError> {
    let now = Utc::now();
    rows.into_iter()
        .map(|row| {
            let kind = LedgerKind::parse(&row.kind)
                .map_err(|e| anyhow::anyhow!("ledger entry {}: {}", row.id, e.0))?;
            let state = if row.settled_by.is_some() {
                EntryState::Settled
            } else if row.releases_at.is_some_and(|at| at <= now) {
                EntryState::Available
            } else {
                EntryState::Pending
            };
            Ok(LedgerEntryView {
                id: row.id,
                seller_id: row.seller_id,
                kind,
                amount: Money::new(row.amount, currency(&row.currency)?),
                order_id: row.order_id,
                fulfilment_id: row.fulfilment_id,
                refund_id: row.refund_id,
                payout_ref: row.payout_ref,
                settled_by: row.settled_by,
                state,
                releases_at: row.fulfilment_id.and(row.releases_at),
                memo: row.memo,
                created_at: row.created_at,
            })
        })
        .collect()
}

/// Payouts as views, with their sellers' names.
pub(crate) async fn payout_views(
    db: &impl ConnectionTrait,
    rows: Vec<payout::Model>,
) -> Result<Vec<PayoutView>, CoreError> {
    let mut ids: Vec<i64> = rows.iter().map(|p| p.seller_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let names: HashMap<i64, String> = sellers::sellers_by_ids(db, &ids)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    rows.into_iter()
        .map(|row| {
            let status = PayoutStatus::parse(&row.status)
                .map_err(|e| anyhow::anyhow!("payout {}: {}", row.id, e.0))?;
            Ok(PayoutView {
                id: row.id,
                seller_id: row.seller_id,
                seller_name: names.get(&row.seller_id).cloned().unwrap_or_default(),
                amount: Money::new(row.amount, currency(&row.currency)?),
                status,
                reference: row.reference,
                failure_reason: row.failure_reason,
                created_at: row.created_at,
                decided_at: row.decided_at,
            })
        })
        .collect()
}

/// Which of a seller's entries to list: a date (`2026-11-01`) or an RFC
/// 3339 time for each end of the period, `to` up to the end of its day.
#[derive(Debug, Clone, Default)]
pub struct LedgerQuery {
    /// Staff name the seller; a seller's own is used for a seller.
    pub seller_id: Option<i64>,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// The ends of a period, each optional.
type Period = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

impl LedgerQuery {
    fn period(&self) -> Result<Period, CoreError> {
        let mut v = Validator::new();
        let from = parse_time(&mut v, "from", self.from.as_deref(), false);
        let to = parse_time(&mut v, "to", self.to.as_deref(), true);
        v.finish()?;
        Ok((from, to))
    }
}

/// The longest period of sales figures, in days.
pub const SALES_DAYS_MAX: i64 = 366;

impl Shop {
    /// The seller whose money a use case reads: a seller's own (another
    /// seller named is 404), or for staff the one named.
    async fn ledger_seller(&self, actor: &Actor, named: Option<i64>) -> Result<i64, CoreError> {
        match actor.catalogue_scope()? {
            CatalogueScope::Seller(own) if named.is_none_or(|n| n == own.0) => Ok(own.0),
            CatalogueScope::Seller(_) => Err(CoreError::NotFound("seller")),
            CatalogueScope::All => {
                let id = named.ok_or_else(|| CoreError::invalid("seller_id", "is required"))?;
                sellers::sellers_by_ids(self.db.conn(), &[id])
                    .await?
                    .pop()
                    .map(|s| s.id)
                    .ok_or(CoreError::NotFound("seller"))
            }
        }
    }

    /// A seller's balance per currency (the shop's currency when it has
    /// none yet).
    pub async fn seller_balance(
        &self,
        actor: &Actor,
        seller_id: Option<i64>,
    ) -> Result<Vec<BalanceView>, CoreError> {
        let seller_id = self.ledger_seller(actor, seller_id).await?;
        let db = self.db.conn();
        let zero = |c: Currency| BalanceView {
            available: Money::new(0, c),
            pending: Money::new(0, c),
            in_payout: Money::new(0, c),
            paid_out: Money::new(0, c),
        };
        let mut by_currency: BTreeMap<String, BalanceView> = BTreeMap::new();
        for owed in ledger::owed_to(db, seller_id, Utc::now()).await? {
            let c = currency(&owed.currency)?;
            let b = by_currency.entry(owed.currency).or_insert_with(|| zero(c));
            b.available = Money::new(owed.available, c);
            b.pending = Money::new(owed.owed - owed.available, c);
        }
        for (code, status, total) in ledger::payout_totals(db, seller_id).await? {
            let c = currency(&code)?;
            let b = by_currency.entry(code).or_insert_with(|| zero(c));
            match PayoutStatus::parse(&status) {
                Ok(PayoutStatus::Pending) => b.in_payout = Money::new(total, c),
                Ok(PayoutStatus::Paid) => b.paid_out = Money::new(total, c),
                _ => {}
            }
        }
        if by_currency.is_empty() {
            return Ok(vec![zero(self.config.currency)]);
        }
        Ok(by_currency.into_values().collect())
    }

    /// A page of a seller's ledger, newest first, optionally within
    /// `[from, to)`.
    pub async fn seller_ledger(
        &self,
        actor: &Actor,
        query: &LedgerQuery,
        page: PageRequest,
    ) -> Result<Page<LedgerEntryView>, CoreError> {
        let (from, to) = query.period()?;
        let filter = LedgerFilter {
            seller_id: Some(self.ledger_seller(actor, query.seller_id).await?),
            from,
            to,
        };
        let db = self.db.conn();
        let list = format!("ledger:{:?}:{from:?}:{to:?}", filter.seller_id);
        let total = self
            .list_total(list, filter.seller_id, || {
                ledger::count_entries(db, &filter)
            })
            .await?;
        let rows = ledger::entries_page(db, &filter, page).await?;
        let items = entry_views(rows)?;
        Ok(Page {
            items,
            page: page.page,
            per_page: page.per_page,
            total,
        })
    }

    /// Every entry of a seller's ledger in the query's period, oldest
    /// first: a statement, read in slices. A missing end is open; a
    /// period that ends before it starts holds nothing.
    pub async fn ledger_statement(
        &self,
        actor: &Actor,
        query: &LedgerQuery,
    ) -> Result<Vec<LedgerEntryView>, CoreError> {
        let (from, to) = query.period()?;
        let from = from.unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
        let to = to.unwrap_or_else(|| Utc::now() + Duration::days(1));
        if to <= from {
            return Ok(Vec::new());
        }
        let filter = LedgerFilter {
            seller_id: Some(self.ledger_seller(actor, query.seller_id).await?),
            from: Some(from),
            to: Some(to),
        };
        let db = self.db.conn();
        let mut entries = Vec::new();
        let mut after = 0;
        loop {
            let slice = ledger::entries_after(db, &filter, after, 2000).await?;
            let Some(last) = slice.last() else { break };
            after = last.id;
            entries.extend(entry_views(slice)?);
        }
        Ok(entries)
    }

    /// A seller's sales over the last `days` days, per currency.
    pub async fn seller_sales(
        &self,
        actor: &Actor,
        days: i64,
    ) -> Result<Vec<SalesView>, CoreError> {
        let seller_id = self.ledger_seller(actor, None).await?;
        let from = Utc::now() - Duration::days(days.clamp(1, SALES_DAYS_MAX));
        let rows =
            ledger::sums_since(self.db.conn(), seller_id, LedgerKind::Sale.as_str(), from).await?;
        if rows.is_empty() {
            return Ok(vec![SalesView {
                orders: 0,
                sales: Money::new(0, self.config.currency),
            }]);
        }
        rows.into_iter()
            .map(|(code, orders, sales)| {
                Ok(SalesView {
                    orders,
                    sales: Money::new(sales, currency(&code)?),
                })
            })
            .collect()
    }
}
