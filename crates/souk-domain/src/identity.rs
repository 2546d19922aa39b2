//! Who someone is to the shop: roles, passwords, names and phone numbers.

use crate::{Invalid, text};
use serde::{Deserialize, Serialize};
use std::fmt;

/// What an account may do. Staff are `Admin`; a seller manages its own
/// catalogue and sales; everyone else is a `Customer`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A shopper.
    Customer,
    /// A marketplace seller.
    Seller,
    /// Shop staff with access to the admin API.
    Admin,
}

impl Role {
    /// The stored and serialised name.
    pub fn as_str(&self) -> &'static str {
        match self {
            Role::Customer => "customer",
            Role::Seller => "seller",
            Role::Admin => "admin",
        }
    }

    /// Parses a stored or user-given role name.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        match raw {
            "customer" => Ok(Role::Customer),
            "seller" => Ok(Role::Seller),
            "admin" => Ok(Role::Admin),
            _ => Err(Invalid::new("must be one of customer, seller, admin")),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A new password that meets the shop's policy. Its `Debug` hides it.
#[derive(Clone)]
pub struct NewPassword(String);

impl NewPassword {
    /// The fewest characters a password may have.
    pub const MIN_CHARS: usize = 10;
    /// The most characters a password may have; bounds the hashing work
    /// one request can cause.
    pub const MAX_CHARS: usize = 128;

    /// Checks length; whitespace is kept because it is part of the secret.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        if raw.chars().count() < Self::MIN_CHARS {
            return Err(Invalid::new(format!(
                "must be at least {} characters",
                Self::MIN_CHARS
            )));
        }
        if raw.chars().count() > Self::MAX_CHARS {
            return Err(Invalid::new(format!(
                "must be at most {} characters",
                Self::MAX_CHARS
            )));
        }
        Ok(Self(raw.to_owned()))
    }

    /// The secret itself, for hashing.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(..)")
    }
}

/// The longest display name of a person or a business.
pub const NAME_MAX: usize = 100;

/// A person's or a business's display name.
pub fn parse_name(raw: &str) -> Result<String, Invalid> {
    text::bounded(raw, 1, NAME_MAX)
}

/// A phone number: digits with optional `+`, spaces, hyphens, dots and
/// parentheses; 5 to 20 digits, at most 32 characters.
pub fn parse_phone(raw: &str) -> Result<String, Invalid> {
    let digits = raw.chars().filter(char::is_ascii_digit).count();
    let allowed = raw
        .chars()
        .all(|c| c.is_ascii_digit() || PHONE_PUNCTUATION.contains(c));
    if !allowed || !(5..=20).contains(&digits) || raw.len() > PHONE_MAX_CHARS {
        return Err(Invalid::new("must be a phone number of 5 to 20 digits"));
    }
    Ok(raw.trim().to_owned())
}

/// A phone number that may be left out: empty or only spaces is none.
pub fn parse_optional_phone(raw: &str) -> Result<Option<String>, Invalid> {
    if raw.len() <= PHONE_MAX_CHARS && raw.bytes().all(|b| b == b' ') {
        return Ok(None);
    }
    parse_phone(raw).map(Some)
}

/// What may stand between the digits of a phone number.
const PHONE_PUNCTUATION: &str = " +-.()";
/// The longest phone number, punctuation included.
pub const PHONE_MAX_CHARS: usize = 32;
/// The rule of [`parse_optional_phone`] as a regular expression.
pub const OPTIONAL_PHONE_PATTERN: &str = r"^( *|[ +\-.()]*([0-9][ +\-.()]*){5,20})$";

/// An ISO 3166-1 alpha-2 country code, upper-cased.
pub fn parse_country(raw: &str) -> Result<String, Invalid> {
    let value = raw.to_ascii_uppercase();
    if value.len() == 2 && value.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(value)
    } else {
        Err(Invalid::new("must be a two-letter ISO 3166 country code"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip() {
        for role in [Role::Customer, Role::Seller, Role::Admin] {
            assert_eq!(Role::parse(role.as_str()).unwrap(), role);
        }
        assert!(Role::parse("root").is_err());
    }

    #[test]
    fn password_policy() {
        assert!(NewPassword::parse("short").is_err());
        assert!(NewPassword::parse(&"x".repeat(129)).is_err());
        assert!(NewPassword::parse(&"é".repeat(128)).is_ok());
        let password = NewPassword::parse("correct horse battery").unwrap();
        assert_eq!(format!("{password:?}"), "NewPassword(..)");
    }

    #[test]
    fn phones_and_countries() {
        assert!(parse_phone("+1 (555) 010-2030").is_ok());
        assert!(parse_phone("call me").is_err());
        assert!(parse_phone("123").is_err());
        assert_eq!(parse_country("de").unwrap(), "DE");
        assert!(parse_country("DEU").is_err());
    }
}
