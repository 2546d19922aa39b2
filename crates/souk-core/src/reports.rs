//! What staff see at a glance: the dashboard (sales today and over the
//! last days, orders by status, variants running out of stock) and the
//! customer list with what each customer has ordered.

use crate::actor::Actor;
use crate::{CoreError, Shop};
use chrono::{DateTime, Days, NaiveDate, Utc};
use souk_db::repo::{accounts, reports};
use souk_domain::orders::OrderStatus;
use souk_domain::paging::{Page, PageRequest};
use souk_domain::{Currency, Money};

pub use souk_db::repo::reports::LowStock;

/// How many days the sales series covers, today included.
pub const SALES_DAYS: u64 = 30;

/// At most this many units available counts as running out.
pub const LOW_STOCK_THRESHOLD: i64 = 5;

/// One day of the sales series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DaySales {
    pub day: NaiveDate,
    pub orders: i64,
    pub revenue: Money,
}

/// The dashboard's figures.
#[derive(Debug, Clone)]
pub struct Dashboard {
    pub currency: Currency,
    /// One entry per day of the last [`SALES_DAYS`] days (UTC), oldest
    /// first, today last; days without sales are zero.
    pub sales: Vec<DaySales>,
    /// Orders in each status, most first.
    pub orders_by_status: Vec<(String, i64)>,
    /// Variants of products on sale with at most [`LOW_STOCK_THRESHOLD`]
    /// units available, fewest first.
    pub low_stock: Vec<LowStock>,
}

impl Dashboard {
    /// Today's sales.
    pub fn today(&self) -> Option<&DaySales> {
        self.sales.last()
    }

    /// The sales of the whole series.
    pub fn period_revenue(&self) -> Money {
        let amount = self.sales.iter().map(|d| d.revenue.amount).sum();
        Money::new(amount, self.currency)
    }
}

impl Shop {
    /// The staff dashboard. Sales count orders placed, less those
    /// cancelled, expired or refunded.
    pub async fn dashboard(&self, actor: &Actor) -> Result<Dashboard, CoreError> {
        actor.require_staff()?;
        let db = self.db.conn();
        let today = Utc::now().date_naive();
        let first = today
            .checked_sub_days(Days::new(SALES_DAYS - 1))
            .unwrap_or(today);
        let from = first.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
        let found = reports::sales_by_day(db, from, &sale_statuses()).await?;
        let currency = self.config.currency;
        let sales = first
            .iter_days()
            .take(SALES_DAYS as usize)
            .map(|day| {
                let key = day.format("%Y-%m-%d").to_string();
                let row = found.iter().find(|r| r.day == key);
                DaySales {
                    day,
                    orders: row.map_or(0, |r| r.orders),
                    revenue: Money::new(row.map_or(0, |r| r.revenue), currency),
                }
            })
            .collect();
        Ok(Dashboard {
            currency,
            sales,
            orders_by_status: reports::orders_by_status(db).await?,
            low_stock: reports::low_stock(db, None, LOW_STOCK_THRESHOLD, 10).await?,
        })
    }
}

/// An account as staff see it in the customer list.
#[derive(Debug, Clone)]
pub struct CustomerSummary {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: String,
    pub joined_at: DateTime<Utc>,
    pub disabled: bool,
    pub orders: i64,
    /// What the customer's orders came to, less cancelled, expired and
    /// refunded ones.
    pub spent: Money,
}

impl Shop {
    /// Accounts, newest first, with what each has ordered; `search`
    /// matches part of the e-mail or name.
    pub async fn list_customers(
        &self,
        actor: &Actor,
        search: Option<&str>,
        page: PageRequest,
    ) -> Result<Page<CustomerSummary>, CoreError> {
        actor.require_staff()?;
        let db = self.db.conn();
        let search = search.map(str::trim).filter(|s| !s.is_empty());
        let users = accounts::list_users(db, search, None, page).await?;
        let ids: Vec<i64> = users.items.iter().map(|u| u.id).collect();
        let ordered = reports::customer_orders(db, &ids, &sale_statuses()).await?;
        let currency = self.config.currency;
        Ok(users.map(|u| {
            let figures = ordered
                .iter()
                .find(|(id, _)| *id == u.id)
                .map(|(_, f)| *f)
                .unwrap_or_default();
            CustomerSummary {
                id: u.id,
                name: u.name,
                email: u.email,
                role: u.role,
                joined_at: u.created_at,
                disabled: u.disabled_at.is_some(),
                orders: figures.orders,
                spent: Money::new(figures.spent, currency),
            }
        }))
    }
}

/// The order statuses that count as sales, as stored.
fn sale_statuses() -> Vec<&'static str> {
    OrderStatus::ALL
        .iter()
        .filter(|s| s.counts_as_sale())
        .map(|s| s.as_str())
        .collect()
}
