//! Typed identifiers, so that a product id cannot be passed where a variant
//! id is expected.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta] $name:ident),* $(,)?) => {$(
        #[$doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl From<i64> for $name {
            fn from(raw: i64) -> Self {
                Self(raw)
            }
        }
    )*};
}

id_type!(
    /// A user account: customer, seller or staff.
    UserId,
    /// A marketplace seller (a shop within the shop).
    SellerId,
    /// A saved postal address of a customer.
    AddressId,
    /// A node of the category tree.
    CategoryId,
    /// A product as shown in the catalogue.
    ProductId,
    /// One purchasable variant of a product (a size and colour, say).
    VariantId,
);
