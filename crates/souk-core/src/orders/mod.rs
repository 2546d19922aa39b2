//! Orders: placing one from the cart, reading them (customer, staff,
//! seller), and moving them through their life cycle.

pub(crate) mod checkout;
pub(crate) mod idempotent;
pub(crate) mod lifecycle;
mod quote;
mod shipping_plan;
mod views;

pub use checkout::{AddressChoice, CheckoutInput};
pub use idempotent::{IdempotencyKey, Placed};
pub use quote::Quote;
pub use shipping_plan::{ParcelShippingView, ShippingChoice, ShippingPlan};
pub use views::{OrderEventView, OrderLineView, OrderView, SellerOrderView};

use crate::actor::Actor;
use crate::auth::Caller;
use crate::marketplace::FulfilmentView;
use crate::{CoreError, Shop};
use chrono::{DateTime, NaiveDate, Utc};
use souk_db::entity::order;
use souk_db::repo::orders;
use souk_db::repo::orders::OrderFilter;
use souk_domain::orders::OrderStatus;
use souk_domain::paging::{Page, PageRequest};
use souk_domain::{FieldError, Validator};
use std::collections::HashMap;

/// Staff's order search, as sent.
#[derive(Debug, Clone, Default)]
pub struct OrderQuery {
    pub status: Option<String>,
    /// RFC 3339 time or a date (`2026-11-01`), inclusive.
    pub from: Option<String>,
    /// RFC 3339 time or a date, exclusive (a date means up to its end).
    pub to: Option<String>,
    pub email: Option<String>,
    pub number: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

impl Shop {
    /// The caller's orders, newest first.
    pub async fn list_my_orders(
        &self,
        caller: Caller,
        page: PageRequest,
    ) -> Result<Page<OrderView>, CoreError> {
        let filter = OrderFilter {
            user_id: Some(caller.user_id.0),
            ..Default::default()
        };
        let found = orders::list(self.db.conn(), &filter, page).await?;
        self.order_views(found).await
    }

    /// One of the caller's orders; another customer's is not found.
    pub async fn get_my_order(
        &self,
        caller: Caller,
        public_id: &str,
    ) -> Result<OrderView, CoreError> {
        let order = orders::find(self.db.conn(), public_id)
            .await?
            .filter(|o| o.user_id == Some(caller.user_id.0))
            .ok_or(CoreError::NotFound("order"))?;
        self.order_view(order).await
    }

    /// Any order, for staff.
    pub async fn get_order(&self, actor: &Actor, public_id: &str) -> Result<OrderView, CoreError> {
        actor.require_staff()?;
        self.order_by_public_id(public_id).await
    }

    /// An order by its public id, for a use case that has checked who asks.
    pub(crate) async fn order_by_public_id(&self, public_id: &str) -> Result<OrderView, CoreError> {
        let order = orders::find(self.db.conn(), public_id)
            .await?
            .ok_or(CoreError::NotFound("order"))?;
        self.order_view(order).await
    }

    /// Orders for staff, filtered and paged.
    pub async fn list_orders(
        &self,
        actor: &Actor,
        query: OrderQuery,
    ) -> Result<Page<OrderView>, CoreError> {
        actor.require_staff()?;
        let mut v = Validator::new();
        let page = match PageRequest::parse(query.page, query.per_page) {
            Ok(page) => page,
            Err((field, e)) => {
                v.push(e.at(field));
                PageRequest::default()
            }
        };
        let status = match query.status.as_deref().filter(|s| !s.is_empty()) {
            Some(raw) => v
                .check("status", OrderStatus::parse(raw))
                .map(|s| s.as_str().to_owned()),
            None => None,
        };
        let placed_from = parse_time(&mut v, "from", query.from.as_deref(), false);
        let placed_to = parse_time(&mut v, "to", query.to.as_deref(), true);
        v.finish()?;
        let filter = OrderFilter {
            status,
            placed_from,
            placed_to,
            email: query
                .email
                .map(|e| e.trim().to_lowercase())
                .filter(|e| !e.is_empty()),
            number: query
                .number
                .map(|n| n.trim().to_uppercase())
                .filter(|n| !n.is_empty()),
            ..Default::default()
        };
        let found = orders::list(self.db.conn(), &filter, page).await?;
        self.order_views(found).await
    }

    /// The orders that hold the calling seller's lines, with only those
    /// lines.
    pub async fn list_seller_orders(
        &self,
        actor: &Actor,
        page: PageRequest,
    ) -> Result<Page<SellerOrderView>, CoreError> {
        let seller_id = actor.require_seller()?.0;
        let db = self.db.conn();
        let (name, version) = souk_db::repo::sellers::name_and_latest_entry(db, seller_id)
            .await?
            .ok_or(CoreError::NotFound("seller"))?;
        let total = self
            .list_total_at(format!("orders:{seller_id}"), version, || {
                orders::count_seller_orders(db, seller_id)
            })
            .await?;
        let found = orders::seller_orders(db, seller_id, page).await?;
        let ids: Vec<i64> = found.iter().map(|(o, _)| o.id).collect();
        let mut items: HashMap<i64, Vec<_>> = HashMap::new();
        for item in orders::items_of(db, &ids, Some(seller_id)).await? {
            items.entry(item.order_id).or_default().push(item);
        }
        let mut views = Vec::with_capacity(found.len());
        for (order, parcel) in found {
            let mut view =
                SellerOrderView::new(&order, items.remove(&order.id).unwrap_or_default())?;
            view.fulfilment = Some(FulfilmentView::new(parcel, Some(name.clone()))?);
            views.push(view);
        }
        Ok(Page {
            items: views,
            page: page.page,
            per_page: page.per_page,
            total,
        })
    }

    /// An order as it stands inside a transaction that changed it.
    pub(crate) async fn order_view_in(
        &self,
        txn: &souk_db::WriteTxn,
        order_id: i64,
    ) -> Result<OrderView, CoreError> {
        let order = orders::find_by_id(txn, order_id)
            .await?
            .ok_or(CoreError::NotFound("order"))?;
        self.order_view_on(txn, order).await
    }

    async fn order_view(&self, order: order::Model) -> Result<OrderView, CoreError> {
        self.order_view_on(self.db.conn(), order).await
    }

    async fn order_view_on(
        &self,
        db: &impl souk_db::ConnectionTrait,
        order: order::Model,
    ) -> Result<OrderView, CoreError> {
        let items = orders::items(db, order.id).await?;
        let events = orders::events(db, order.id).await?;
        let payments = souk_db::repo::payments::of_order(db, order.id).await?;
        let mut fulfilments = crate::marketplace::fulfilments_by_order(db, &[order.id]).await?;
        let order_id = order.id;
        let mut view = OrderView::new(order, items, events)?;
        view.fulfilments = fulfilments.remove(&order_id).unwrap_or_default();
        view.payments = payments
            .into_iter()
            .map(crate::payments::PaymentView::new)
            .collect::<Result<_, _>>()?;
        Ok(view)
    }

    async fn order_views(&self, page: Page<order::Model>) -> Result<Page<OrderView>, CoreError> {
        let db = self.db.conn();
        let ids: Vec<i64> = page.items.iter().map(|o| o.id).collect();
        let mut items: HashMap<i64, Vec<_>> = HashMap::new();
        for item in orders::items_of(db, &ids, None).await? {
            items.entry(item.order_id).or_default().push(item);
        }
        let mut fulfilments = crate::marketplace::fulfilments_by_order(db, &ids).await?;
        let mut views = Vec::with_capacity(page.items.len());
        for order in page.items {
            let id = order.id;
            // Lists carry lines but not the history; the detail has both.
            let mut view =
                OrderView::new(order, items.remove(&id).unwrap_or_default(), Vec::new())?;
            view.fulfilments = fulfilments.remove(&id).unwrap_or_default();
            views.push(view);
        }
        Ok(Page {
            items: views,
            page: page.page,
            per_page: page.per_page,
            total: page.total,
        })
    }
}

pub(crate) fn parse_time(
    v: &mut Validator,
    field: &str,
    raw: Option<&str>,
    end_of_day: bool,
) -> Option<DateTime<Utc>> {
    let raw = raw.map(str::trim).filter(|r| !r.is_empty())?;
    if let Ok(time) = DateTime::parse_from_rfc3339(raw) {
        return Some(time.with_timezone(&Utc));
    }
    match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        Ok(date) => {
            let date = if end_of_day {
                date.succ_opt().unwrap_or(date)
            } else {
                date
            };
            date.and_hms_opt(0, 0, 0).map(|t| t.and_utc())
        }
        Err(_) => {
            v.push(FieldError::new(
                field,
                "must be a date (2026-11-01) or an RFC 3339 time",
            ));
            None
        }
    }
}
