//! The rules of the shop that need no I/O: money, identifiers, validated
//! values and the vocabulary that every other crate speaks.
//!
//! Values here are parsed once at the edge (`parse` constructors) so that an
//! invalid email, slug or price cannot exist further in.

pub mod address;
pub mod catalogue;
pub mod countries;
pub mod error;
pub mod identity;
pub mod ids;
pub mod locale;
pub mod marketplace;
pub mod money;
pub mod numbers;
pub mod orders;
pub mod paging;
pub mod payments;
pub mod photos;
pub mod reviews;
pub mod text;
pub mod vouchers;

pub use error::{FieldError, Invalid, Validator};
pub use locale::Locale;
pub use money::{Currency, Money};
