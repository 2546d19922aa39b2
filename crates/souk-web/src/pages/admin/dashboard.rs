//! The dashboard: today's sales, orders by status, variants running out,
//! and the last 30 days of sales as a bar chart drawn on the server.

use super::{AdminNav, Section};
use crate::AppState;
use crate::pages::filters;
use crate::pages::layout::Layout;
use crate::pages::{PageError, StaffVisitor, ok};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use souk_core::reports::{Dashboard, DaySales, LOW_STOCK_THRESHOLD, LowStock};
use souk_domain::{Locale, Money};

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/", get(dashboard))
}

#[derive(Template)]
#[template(path = "admin/dashboard.html")]
struct DashboardPage {
    layout: Layout,
    admin: AdminNav,
    today_revenue: Money,
    today_orders: i64,
    period_revenue: Money,
    period_orders: i64,
    orders_by_status: Vec<(String, i64)>,
    low_stock: Vec<LowStock>,
    threshold: i64,
    chart: Chart,
}

async fn dashboard(
    State(state): State<AppState>,
    staff: StaffVisitor,
) -> Result<Response, PageError> {
    let (layout, admin) = staff
        .admin_frame(&state, Section::Dashboard, "Dashboard")
        .await?;
    let figures: Dashboard = state.shop.dashboard(&staff.actor).await?;
    let today = figures.today();
    let chart = Chart::of(&figures.sales, layout.locale);
    ok(&DashboardPage {
        layout,
        admin,
        today_revenue: today.map_or(Money::zero(figures.currency), |d| d.revenue),
        today_orders: today.map_or(0, |d| d.orders),
        period_revenue: figures.period_revenue(),
        period_orders: figures.sales.iter().map(|d| d.orders).sum(),
        chart,
        orders_by_status: figures.orders_by_status,
        low_stock: figures.low_stock,
        threshold: LOW_STOCK_THRESHOLD,
    })
}

/// A bar chart of sales per day, laid out in SVG user units; its labels
/// are HTML around the SVG, so they keep their size when it scales.
struct Chart {
    width: u32,
    height: u32,
    bars: Vec<Bar>,
    /// The top of the scale, e.g. "$1,200.00".
    top_label: String,
    first_day: String,
    last_day: String,
}

/// One day's bar.
struct Bar {
    x: u32,
    y: u32,
    width: u32,
    height: u32,
    /// What a pointer over the bar shows, and what a screen reader reads.
    title: String,
}

impl Chart {
    const WIDTH: u32 = 600;
    const HEIGHT: u32 = 160;

    fn of(days: &[DaySales], locale: Locale) -> Self {
        let room = Self::HEIGHT;
        let most = days
            .iter()
            .map(|d| d.revenue.amount)
            .max()
            .unwrap_or(0)
            .max(1);
        let slot = Self::WIDTH / (days.len().max(1) as u32);
        let bars = days
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let amount = d.revenue.amount.max(0);
                // Any sale at all shows as at least one unit tall.
                let height = match amount {
                    0 => 0,
                    _ => ((amount as f64 / most as f64) * room as f64)
                        .round()
                        .max(1.0) as u32,
                };
                Bar {
                    x: i as u32 * slot + 2,
                    y: Self::HEIGHT - height,
                    width: slot.saturating_sub(4).max(1),
                    height,
                    title: format!(
                        "{}: {} from {} order{}",
                        d.day.format("%b %-d"),
                        locale.format(d.revenue),
                        d.orders,
                        if d.orders == 1 { "" } else { "s" }
                    ),
                }
            })
            .collect();
        let currency = days.first().map(|d| d.revenue.currency);
        Self {
            width: Self::WIDTH,
            height: Self::HEIGHT,
            bars,
            top_label: currency
                .map(|c| locale.format(Money::new(most, c)))
                .unwrap_or_default(),
            first_day: days
                .first()
                .map(|d| d.day.format("%b %-d").to_string())
                .unwrap_or_default(),
            last_day: days
                .last()
                .map(|d| d.day.format("%b %-d").to_string())
                .unwrap_or_default(),
        }
    }
}
