//! The API's own JSON types: what clients send and receive. They are built
//! from the use cases' values, never serialised straight from tables.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use souk_core::records::{address, user};
use souk_domain::Money;
use souk_domain::paging::Page;
use utoipa::{IntoParams, PartialSchema, ToSchema};

/// An amount of money in minor units of a currency.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MoneyDto {
    /// Minor units (cents): 1999 is 19.99.
    #[schema(example = 1999)]
    pub amount: i64,
    /// ISO 4217 code.
    #[schema(example = "USD")]
    pub currency: String,
}

impl From<Money> for MoneyDto {
    fn from(m: Money) -> Self {
        Self {
            amount: m.amount,
            currency: m.currency.to_string(),
        }
    }
}

/// An amount of money a client sends, in the shop's currency.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MoneyInput {
    /// Minor units (cents): 1999 is 19.99.
    #[schema(example = 1999, minimum = 0, maximum = 1_000_000_000)]
    pub amount: i64,
    /// ISO 4217 code of the shop's currency.
    #[schema(example = "USD")]
    pub currency: String,
}

/// A price as a client may send it: a money object, or a bare integer of
/// minor units in the shop's currency.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum PriceInput {
    /// `{"amount": 1999, "currency": "USD"}`
    Money(MoneyInput),
    /// `1999`
    Minor(i64),
}

impl utoipa::PartialSchema for PriceInput {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        rules::price()
    }
}

impl ToSchema for PriceInput {
    fn schemas(
        schemas: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        schemas.push((MoneyInput::name().into(), MoneyInput::schema()));
    }
}

impl PriceInput {
    /// The amount in minor units, whatever the currency.
    pub fn minor_units(&self) -> i64 {
        match self {
            PriceInput::Money(m) => m.amount,
            PriceInput::Minor(amount) => *amount,
        }
    }

    /// The amount in minor units of `currency`, or a 422 at `field` when
    /// the client named another currency.
    pub fn minor_units_in(
        &self,
        field: &str,
        currency: souk_domain::Currency,
    ) -> Result<i64, souk_core::CoreError> {
        self.amount_in(currency)
            .map_err(|message| souk_core::CoreError::invalid(field, message))
    }

    /// The currency, when the client named one.
    pub fn currency(&self) -> Option<&str> {
        match self {
            PriceInput::Money(m) => Some(&m.currency),
            PriceInput::Minor(_) => None,
        }
    }

    /// The amount, if the currency (when given) is the shop's.
    pub fn amount_in(&self, currency: souk_domain::Currency) -> Result<i64, &'static str> {
        match self {
            PriceInput::Minor(amount) => Ok(*amount),
            PriceInput::Money(m) if m.currency.eq_ignore_ascii_case(currency.as_str()) => {
                Ok(m.amount)
            }
            PriceInput::Money(_) => Err("must be in the shop's currency"),
        }
    }
}

/// Which page of a list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// One-based page number (default 1).
    #[param(minimum = 1, maximum = 10000)]
    pub page: Option<i64>,
    /// Items per page (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<i64>,
}

/// The page a list request asks for; a number out of range is 422.
pub(crate) fn page_of(
    page: Option<i64>,
    per_page: Option<i64>,
) -> Result<souk_domain::paging::PageRequest, crate::error::ApiError> {
    souk_domain::paging::PageRequest::parse(page, per_page)
        .map_err(|(field, e)| crate::error::ApiError::invalid(field, e.0))
}

/// A page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListDto<T> {
    pub items: Vec<T>,
    /// One-based page number.
    pub page: u64,
    pub per_page: u64,
    /// Items across all pages.
    pub total: u64,
}

impl<T> ListDto<T> {
    pub fn from_page<U>(page: Page<U>, f: impl FnMut(U) -> T) -> Self {
        let page = page.map(f);
        Self {
            items: page.items,
            page: page.page,
            per_page: page.per_page,
            total: page.total,
        }
    }
}

/// Deserialises a field that may be absent (leave as is), `null` (clear)
/// or a value (set).
pub fn double_option<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    de: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(de).map(Some)
}

/// An account.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserDto {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub phone: Option<String>,
    /// `customer`, `seller` or `admin`.
    pub role: String,
    pub email_verified: bool,
    pub created_at: DateTime<Utc>,
}

impl From<user::Model> for UserDto {
    fn from(u: user::Model) -> Self {
        Self {
            id: u.id,
            email: u.email,
            name: u.name,
            phone: u.phone,
            role: u.role,
            email_verified: u.email_verified_at.is_some(),
            created_at: u.created_at,
        }
    }
}

/// A postal address in the caller's address book.
#[derive(Debug, Serialize, ToSchema)]
pub struct AddressDto {
    pub id: i64,
    #[serde(flatten)]
    pub address: PostalAddressDto,
    pub is_default: bool,
}

impl From<address::Model> for AddressDto {
    fn from(a: address::Model) -> Self {
        Self {
            id: a.id,
            address: a.postal().into(),
            is_default: a.is_default,
        }
    }
}

mod catalogue;
mod orders;
pub mod rules;
mod sellers;

pub use catalogue::*;
pub use orders::*;
pub use sellers::*;
