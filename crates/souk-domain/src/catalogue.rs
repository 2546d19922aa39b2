//! The vocabulary of the catalogue: product status, variant options, stock
//! and the ways a listing can be sorted.

use crate::{Invalid, text};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Whether a product is visible in the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProductStatus {
    /// Being prepared; only staff and its seller see it.
    Draft,
    /// For sale and listed.
    Active,
    /// No longer sold; kept for the orders that refer to it.
    Archived,
}

impl ProductStatus {
    /// Every status.
    pub const ALL: [ProductStatus; 3] = [Self::Draft, Self::Active, Self::Archived];

    /// The stored and serialised name.
    pub fn as_str(&self) -> &'static str {
        match self {
            ProductStatus::Draft => "draft",
            ProductStatus::Active => "active",
            ProductStatus::Archived => "archived",
        }
    }

    /// Parses a stored or user-given status.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        match raw {
            "draft" => Ok(Self::Draft),
            "active" => Ok(Self::Active),
            "archived" => Ok(Self::Archived),
            _ => Err(Invalid::new("must be one of draft, active, archived")),
        }
    }
}

/// The longest product name.
pub const PRODUCT_NAME_MAX: usize = 200;
/// The longest product description.
pub const DESCRIPTION_MAX: usize = 20_000;
/// The longest category name.
pub const CATEGORY_NAME_MAX: usize = 100;
/// The longest category description.
pub const CATEGORY_DESCRIPTION_MAX: usize = 2000;

/// A product's display name.
pub fn parse_product_name(raw: &str) -> Result<String, Invalid> {
    text::bounded(raw, 1, PRODUCT_NAME_MAX)
}

/// A product's or category's description (plain text).
pub fn parse_description(raw: &str) -> Result<String, Invalid> {
    text::bounded(raw, 0, DESCRIPTION_MAX)
}

/// What distinguishes one variant from its siblings, e.g.
/// `{"colour": "Navy", "size": "M"}`. Names are lower-cased; keys are kept
/// sorted so that two equal sets compare and serialise equal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct VariantOptions(BTreeMap<String, String>);

/// The longest option name (`colour`) and value (`Sky Blue`).
pub const OPTION_NAME_MAX: usize = 32;
pub const OPTION_VALUE_MAX: usize = 64;

impl VariantOptions {
    /// At most this many options per variant.
    pub const MAX_OPTIONS: usize = 5;

    /// Validates names (1 to 32 characters, lower-cased) and values (1 to 64).
    pub fn parse(raw: &BTreeMap<String, String>) -> Result<Self, Invalid> {
        if raw.len() > Self::MAX_OPTIONS {
            return Err(Invalid::new(format!(
                "must have at most {} options",
                Self::MAX_OPTIONS
            )));
        }
        let mut options = BTreeMap::new();
        for (name, value) in raw {
            let name = text::bounded(name, 1, OPTION_NAME_MAX)
                .map_err(|e| Invalid::new(format!("option name {e}")))?
                .to_lowercase();
            let value = text::bounded(value, 1, OPTION_VALUE_MAX)
                .map_err(|e| Invalid::new(format!("option '{name}' {e}")))?;
            if options.insert(name.clone(), value).is_some() {
                return Err(Invalid::new(format!("option '{name}' is given twice")));
            }
        }
        Ok(Self(options))
    }

    /// The options by name.
    pub fn as_map(&self) -> &BTreeMap<String, String> {
        &self.0
    }

    /// The options as stored: a JSON object with sorted keys.
    pub fn to_json(&self) -> String {
        serde_json_like(&self.0)
    }
}

/// Writes a string map as a JSON object without pulling a JSON library
/// into the domain crate.
fn serde_json_like(map: &BTreeMap<String, String>) -> String {
    fn quote(out: &mut String, s: &str) {
        out.push('"');
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                c => out.push(c),
            }
        }
        out.push('"');
    }
    let mut out = String::from("{");
    for (i, (k, v)) in map.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        quote(&mut out, k);
        out.push(':');
        quote(&mut out, v);
    }
    out.push('}');
    out
}

/// A count of units on hand: zero or more, at most a billion.
pub fn parse_stock(raw: i64) -> Result<i64, Invalid> {
    if (0..=MAX_STOCK).contains(&raw) {
        Ok(raw)
    } else {
        Err(Invalid::new(format!(
            "must be a whole number from 0 to {MAX_STOCK}"
        )))
    }
}

/// The most units a variant may have on hand.
pub const MAX_STOCK: i64 = 1_000_000_000;

/// How a store listing is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListingSort {
    /// Lowest price first.
    PriceAsc,
    /// Highest price first.
    PriceDesc,
    /// Most recently added first (the default without a search).
    #[default]
    Newest,
    /// Alphabetical by name.
    Name,
    /// Best sellers first.
    Popular,
    /// Highest average rating first; more reviews break ties.
    Rating,
    /// Best text match first (the default with a search).
    Relevance,
}

impl ListingSort {
    /// Every order, by its query name.
    pub const ALL: [ListingSort; 7] = [
        Self::PriceAsc,
        Self::PriceDesc,
        Self::Newest,
        Self::Name,
        Self::Popular,
        Self::Rating,
        Self::Relevance,
    ];

    /// The query name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::PriceAsc => "price_asc",
            Self::PriceDesc => "price_desc",
            Self::Newest => "newest",
            Self::Name => "name",
            Self::Popular => "popular",
            Self::Rating => "rating",
            Self::Relevance => "relevance",
        }
    }

    /// Parses a `sort` query value.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        match raw {
            "price_asc" => Ok(Self::PriceAsc),
            "price_desc" => Ok(Self::PriceDesc),
            "newest" => Ok(Self::Newest),
            "name" => Ok(Self::Name),
            "popular" => Ok(Self::Popular),
            "rating" => Ok(Self::Rating),
            "relevance" => Ok(Self::Relevance),
            _ => Err(Invalid::new(
                "must be one of price_asc, price_desc, newest, name, popular, rating, relevance",
            )),
        }
    }
}

/// The longest reason for a change of stock.
pub const STOCK_REASON_MAX: usize = 200;

/// Why stock changed; recorded with every adjustment.
pub fn parse_stock_reason(raw: &str) -> Result<String, Invalid> {
    text::bounded(raw, 1, STOCK_REASON_MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn options_are_normalised() {
        let options = VariantOptions::parse(&map(&[("Size", " M "), ("colour", "Navy")])).unwrap();
        assert_eq!(options.to_json(), r#"{"colour":"Navy","size":"M"}"#);
        assert!(VariantOptions::parse(&map(&[("size", "")])).is_err());
        assert!(VariantOptions::parse(&map(&[("Size", "M"), ("size", "L")])).is_err());
    }

    #[test]
    fn stock_bounds() {
        assert!(parse_stock(-1).is_err());
        assert!(parse_stock(0).is_ok());
        assert!(parse_stock(MAX_STOCK + 1).is_err());
    }

    proptest! {
        #[test]
        fn option_json_is_valid_json(pairs in proptest::collection::btree_map("[a-z]{1,8}", "\\PC{1,20}", 0..5)) {
            if let Ok(options) = VariantOptions::parse(&pairs) {
                let parsed: BTreeMap<String, String> = serde_json::from_str(&options.to_json()).unwrap();
                prop_assert_eq!(&parsed, options.as_map());
            }
        }
    }
}
