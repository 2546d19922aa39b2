//! The admin panel under `/admin`, for staff only: every handler takes a
//! [`StaffVisitor`], so anyone else is sent to sign in. Like the shop's
//! pages, each handler parses its input, calls one use case and renders.

mod categories;
mod commissions;
mod dashboard;
mod orders;
mod payouts;
mod photos;
pub(crate) mod products;
pub(crate) mod reviews;
mod sellers;
pub(crate) mod shipping;
mod store;

use super::forms::{Errors, sentence};
use super::layout::Layout;
use super::panel::PanelNav;
use super::{PageError, StaffVisitor};
use crate::AppState;
use axum::Router;
use souk_core::CoreError;
use souk_domain::paging::PageRequest;
use souk_domain::{Currency, Money, Validator};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .merge(dashboard::routes())
        .merge(orders::routes())
        .merge(products::routes())
        .merge(reviews::routes())
        .merge(categories::routes())
        .merge(sellers::routes())
        .merge(commissions::routes())
        .merge(payouts::routes())
        .merge(shipping::routes())
        .merge(crate::pages::parcels::routes())
        .merge(store::routes())
}

/// The parts of the admin panel, as its navigation lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Section {
    Dashboard,
    Orders,
    Products,
    Reviews,
    Categories,
    Sellers,
    Commissions,
    Payouts,
    Customers,
    Shipping,
    Vouchers,
    Jobs,
    Settings,
}

impl Section {
    /// Every section, in navigation order.
    const ALL: [Section; 13] = [
        Section::Dashboard,
        Section::Orders,
        Section::Products,
        Section::Reviews,
        Section::Categories,
        Section::Sellers,
        Section::Commissions,
        Section::Payouts,
        Section::Customers,
        Section::Shipping,
        Section::Vouchers,
        Section::Jobs,
        Section::Settings,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Section::Dashboard => "Dashboard",
            Section::Orders => "Orders",
            Section::Products => "Products",
            Section::Reviews => "Reviews",
            Section::Categories => "Categories",
            Section::Sellers => "Sellers",
            Section::Commissions => "Commissions",
            Section::Payouts => "Payouts",
            Section::Customers => "Customers",
            Section::Shipping => "Shipping",
            Section::Vouchers => "Vouchers",
            Section::Jobs => "Jobs",
            Section::Settings => "Settings",
        }
    }

    pub fn href(self) -> &'static str {
        match self {
            Section::Dashboard => "/admin",
            Section::Orders => "/admin/orders",
            Section::Products => "/admin/products",
            Section::Reviews => "/admin/reviews",
            Section::Categories => "/admin/categories",
            Section::Sellers => "/admin/sellers",
            Section::Commissions => "/admin/commissions",
            Section::Payouts => "/admin/payouts",
            Section::Customers => "/admin/customers",
            Section::Shipping => "/admin/shipping",
            Section::Vouchers => "/admin/vouchers",
            Section::Jobs => "/admin/jobs",
            Section::Settings => "/admin/settings",
        }
    }
}

/// The admin navigation of a page, with the open section marked. An
/// admin page's template has it as `admin`, next to its `layout`.
pub(crate) type AdminNav = PanelNav;

/// The admin navigation with the section at `current` (its href) marked.
pub(crate) fn nav(current: &str) -> PanelNav {
    let links: Vec<(&'static str, &'static str)> =
        Section::ALL.iter().map(|s| (s.label(), s.href())).collect();
    PanelNav::new("Admin", &links, current)
}

impl StaffVisitor {
    /// The frame of an admin page in `section`: the shop's frame and the
    /// admin navigation.
    pub async fn admin_frame(
        &self,
        state: &AppState,
        section: Section,
        title: impl Into<String>,
    ) -> Result<(Layout, AdminNav), PageError> {
        let layout = self.visitor.layout(state, title).await?;
        Ok((layout, nav(section.href())))
    }
}

/// Why a change made from a list or a small form was refused, as one line
/// of whole sentences for the page staff go back to; failures that are not
/// refusals go to the error page.
pub(crate) fn refusal(err: CoreError) -> Result<String, PageError> {
    Ok(match err {
        CoreError::Validation(fields)
        | CoreError::Clash(fields)
        | CoreError::OutOfStock(fields) => fields
            .iter()
            .map(|f| sentence(&f.field, &f.message))
            .collect::<Vec<_>>()
            .join(" "),
        other => Errors::from_core(other)?.general.unwrap_or_default(),
    })
}

/// A page number from a query string; anything unusable is page one.
fn page_of(page: Option<i64>, per_page: i64) -> PageRequest {
    PageRequest::parse(page, Some(per_page)).unwrap_or_default()
}

/// An amount typed in major units (`12.50`) as minor units; blank is
/// `None`.
fn optional_money(
    v: &mut Validator,
    field: &str,
    raw: &str,
    currency: Currency,
) -> Option<Option<i64>> {
    if raw.trim().is_empty() {
        return Some(None);
    }
    v.check(field, Money::parse_major(raw, currency))
        .map(|m| Some(m.amount))
}

/// A whole number typed in a form, at most
/// [`WHOLE_NUMBER_INPUT_MAX`](souk_domain::numbers::WHOLE_NUMBER_INPUT_MAX)
/// characters; blank is `None`.
fn optional_int<T: std::str::FromStr>(
    v: &mut Validator,
    field: &str,
    raw: &str,
) -> Option<Option<T>> {
    optional_whole(v, field, raw, souk_domain::numbers::WHOLE_NUMBER_INPUT_MAX)
}

/// A whole number typed in a form, at most `max` characters; blank is
/// `None`.
fn optional_whole<T: std::str::FromStr>(
    v: &mut Validator,
    field: &str,
    raw: &str,
    max: usize,
) -> Option<Option<T>> {
    if raw.trim().is_empty() {
        return Some(None);
    }
    v.check(field, souk_domain::numbers::parse_whole(raw, max))
        .map(Some)
}
