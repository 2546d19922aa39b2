//! A postal address: the one type that a customer's address book, an
//! order's shipping address and every form and API body that carries one
//! agree on. [`AddressInput`] is what someone typed; [`PostalAddress`] is
//! what survived the rules, and the only kind that is stored.

use crate::identity::{parse_country, parse_name, parse_optional_phone};
use crate::text;
use crate::{FieldError, Validator};
use serde::{Deserialize, Serialize};

/// The longest company name, region or city.
pub const SHORT_MAX: usize = 100;
/// The longest street line.
pub const LINE_MAX: usize = 200;
/// The longest postal code.
pub const POSTAL_CODE_MAX: usize = 20;

/// An address as entered, before any rule has looked at it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddressInput {
    pub full_name: String,
    pub company: Option<String>,
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    pub region: Option<String>,
    pub postal_code: String,
    pub country: String,
    /// Empty or blank for none.
    pub phone: Option<String>,
}

/// What stands in for erased personal data.
pub const ERASED: &str = "(erased)";

/// A valid postal address. Its JSON form is the order's stored snapshot,
/// so its field names do not change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostalAddress {
    pub full_name: String,
    pub company: Option<String>,
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    pub region: Option<String>,
    pub postal_code: String,
    /// ISO 3166-1 alpha-2, upper case.
    pub country: String,
    pub phone: Option<String>,
}

impl PostalAddress {
    /// What an order keeps of its address once its customer erased their
    /// account: the country and region the accounts need, nothing that
    /// names or finds a person.
    pub fn anonymised(&self) -> Self {
        Self {
            full_name: ERASED.to_owned(),
            company: None,
            line1: ERASED.to_owned(),
            line2: None,
            city: ERASED.to_owned(),
            region: self.region.clone(),
            postal_code: ERASED.to_owned(),
            country: self.country.clone(),
            phone: None,
        }
    }

    /// Applies every rule of an address; the failures name their fields.
    pub fn parse(input: &AddressInput) -> Result<Self, Vec<FieldError>> {
        Self::parse_at(input, "")
    }

    /// As [`parse`](Self::parse), with the failures' field names under
    /// `prefix` (`shipping_address.` gives `shipping_address.city`).
    pub fn parse_at(input: &AddressInput, prefix: &str) -> Result<Self, Vec<FieldError>> {
        let mut v = Validator::new();
        let at = |field: &str| format!("{prefix}{field}");
        let full_name = v.check(&at("full_name"), parse_name(&input.full_name));
        let company = v.check(
            &at("company"),
            text::optional(input.company.as_deref(), SHORT_MAX),
        );
        let line1 = v.check(&at("line1"), text::bounded(&input.line1, 1, LINE_MAX));
        let line2 = v.check(
            &at("line2"),
            text::optional(input.line2.as_deref(), LINE_MAX),
        );
        let city = v.check(&at("city"), text::bounded(&input.city, 1, SHORT_MAX));
        let region = v.check(
            &at("region"),
            text::optional(input.region.as_deref(), SHORT_MAX),
        );
        let postal_code = v.check(
            &at("postal_code"),
            text::bounded(&input.postal_code, 1, POSTAL_CODE_MAX),
        );
        let country = v.check(&at("country"), parse_country(&input.country));
        let phone = match input.phone.as_deref() {
            None => Some(None),
            Some(phone) => v.check(&at("phone"), parse_optional_phone(phone)),
        };
        v.finish()?;
        match (
            full_name,
            company,
            line1,
            line2,
            city,
            region,
            postal_code,
            country,
            phone,
        ) {
            (
                Some(full_name),
                Some(company),
                Some(line1),
                Some(line2),
                Some(city),
                Some(region),
                Some(postal_code),
                Some(country),
                Some(phone),
            ) => Ok(Self {
                full_name,
                company,
                line1,
                line2,
                city,
                region,
                postal_code,
                country,
                phone,
            }),
            // A field without a value and without a failure cannot happen;
            // say so rather than panic.
            _ => Err(vec![FieldError::new(
                at("full_name"),
                "the address could not be read",
            )]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed() -> AddressInput {
        AddressInput {
            full_name: "Ann Example".into(),
            company: Some("".into()),
            line1: "1 Market Street".into(),
            line2: None,
            city: "Springfield".into(),
            region: None,
            postal_code: "12345".into(),
            country: "us".into(),
            phone: Some("  ".into()),
        }
    }

    #[test]
    fn a_good_address_is_normalised() {
        let address = PostalAddress::parse(&typed()).expect("valid");
        assert_eq!(address.country, "US");
        assert_eq!(address.company, None);
        assert_eq!(address.phone, None);
    }

    #[test]
    fn every_failure_names_its_field_under_the_prefix() {
        let input = AddressInput {
            line1: String::new(),
            postal_code: "x".repeat(POSTAL_CODE_MAX + 1),
            country: "USA".into(),
            ..typed()
        };
        let errors = PostalAddress::parse_at(&input, "shipping_address.").unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "shipping_address.line1",
                "shipping_address.postal_code",
                "shipping_address.country"
            ]
        );
    }

    #[test]
    fn the_snapshot_keeps_its_field_names() {
        let address = PostalAddress::parse(&typed()).expect("valid");
        let json = serde_json::to_value(&address).expect("serialises");
        for field in [
            "full_name",
            "company",
            "line1",
            "line2",
            "city",
            "region",
            "postal_code",
            "country",
            "phone",
        ] {
            assert!(json.get(field).is_some(), "{field} is missing");
        }
    }
}
