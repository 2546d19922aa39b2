//! Validated text values used across the shop.

use crate::Invalid;
use serde::Serialize;
use std::fmt;

/// The control characters that text may not hold (all but tab and line
/// breaks), as a regular-expression character range.
pub const CONTROL_CHARACTERS: &str = r"\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F";

/// The characters that trimming removes (Unicode `White_Space`), as a
/// regular-expression character range.
pub const WHITESPACE: &str =
    r"\t\n\u000B\u000C\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000";

/// The regular expression (ECMA-262 and Python alike) that text accepted
/// by [`bounded`] matches: no control characters and, when `required`,
/// something besides whitespace. The length is a separate rule.
pub fn pattern(required: bool) -> String {
    let c = CONTROL_CHARACTERS;
    if required {
        format!("^[^{c}]*[^{c}{WHITESPACE}][^{c}]*$")
    } else {
        format!("^[^{c}]*$")
    }
}

/// Checks that `raw` has at most `max` characters as sent, no control
/// characters but tab and line breaks, and at least `min` once trimmed;
/// gives it back trimmed.
pub fn bounded(raw: &str, min: usize, max: usize) -> Result<String, Invalid> {
    if raw.chars().count() > max {
        return Err(Invalid::new(format!("must be at most {max} characters")));
    }
    if raw
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(Invalid::new("must not contain control characters"));
    }
    let value = raw.trim();
    if value.chars().count() < min {
        return Err(if min == 1 {
            Invalid::new("must not be empty")
        } else {
            Invalid::new(format!("must be at least {min} characters"))
        });
    }
    Ok(value.to_owned())
}

/// Like [`bounded`] for an optional field: missing or blank is `None`.
pub fn optional(raw: Option<&str>, max: usize) -> Result<Option<String>, Invalid> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(value) => bounded(value, 1, max).map(Some),
    }
}

macro_rules! text_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// The value as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The value as an owned string.
            pub fn into_inner(self) -> String {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

/// The longest email address.
pub const EMAIL_MAX: usize = 254;

text_type!(
    /// An email address, trimmed and lower-cased, so that one mailbox is
    /// one account whatever the capitalisation.
    Email
);

impl Email {
    /// Parses an address: one `@`, a non-empty local part, a domain with a
    /// dot, no spaces, at most 254 characters.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let value = raw.trim().to_lowercase();
        let invalid = || Invalid::new("must be a valid email address");
        if value.len() > EMAIL_MAX || value.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid());
        }
        let (local, domain) = value.split_once('@').ok_or_else(invalid)?;
        let domain_ok = !domain.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
        if local.is_empty() || local.len() > 64 || !domain_ok {
            return Err(invalid());
        }
        Ok(Self(value))
    }
}

/// The longest slug.
pub const SLUG_MAX: usize = 120;
/// The longest SKU.
pub const SKU_MAX: usize = 64;

text_type!(
    /// A URL-safe name: lower-case ASCII letters, digits and single hyphens.
    Slug
);

impl Slug {
    /// Parses an existing slug, refusing anything that [`Slug::from_name`]
    /// would not produce.
    pub fn parse(value: &str) -> Result<Self, Invalid> {
        let well_formed = !value.is_empty()
            && value.len() <= SLUG_MAX
            && !value.starts_with('-')
            && !value.ends_with('-')
            && !value.contains("--")
            && value
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !well_formed {
            return Err(Invalid::new(
                "must be 1 to 120 lower-case letters, digits and single hyphens",
            ));
        }
        if !value.bytes().any(|b| b.is_ascii_lowercase()) {
            return Err(Invalid::new(
                "must contain a letter, so that it cannot be mistaken for an id",
            ));
        }
        Ok(Self(value.to_owned()))
    }

    /// Makes a slug from a display name: `"Cast Iron Skillet, 26 cm"`
    /// becomes `cast-iron-skillet-26-cm`. Names without an ASCII letter
    /// give `None` (a slug of digits would read as an id).
    pub fn from_name(name: &str) -> Option<Self> {
        let mut slug = String::with_capacity(name.len());
        for c in name.chars() {
            if c.is_ascii_alphanumeric() {
                slug.push(c.to_ascii_lowercase());
            } else if !slug.is_empty() && !slug.ends_with('-') {
                slug.push('-');
            }
            if slug.len() >= 100 {
                break;
            }
        }
        let slug = slug.trim_end_matches('-');
        slug.bytes()
            .any(|b| b.is_ascii_lowercase())
            .then(|| Self(slug.to_owned()))
    }

    /// [`Slug::from_name`], or `fallback` (a slug itself, such as
    /// `product`) for a name without an ASCII letter; uniqueness is the
    /// caller's, with [`Slug::with_suffix`].
    pub fn from_name_or(name: &str, fallback: &'static str) -> Self {
        Self::from_name(name).unwrap_or_else(|| Self(fallback.to_owned()))
    }

    /// This slug with a numeric suffix, to make it unique: `mug` → `mug-2`.
    pub fn with_suffix(&self, n: u32) -> Self {
        Self(format!("{}-{n}", self.0))
    }
}

text_type!(
    /// A stock keeping unit: the code a warehouse knows a variant by.
    Sku
);

impl Sku {
    /// Parses a SKU: 1 to 64 characters of upper-case letters, digits,
    /// `-`, `_` and `.`; lower case is upper-cased.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let value = raw.to_ascii_uppercase();
        let well_formed = !value.is_empty()
            && value.len() <= SKU_MAX
            && value
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b"-_.".contains(&b));
        if !well_formed {
            return Err(Invalid::new(
                "must be 1 to 64 letters, digits, '-', '_' or '.'",
            ));
        }
        Ok(Self(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn emails_are_normalised() {
        assert_eq!(
            Email::parse("  Ann@Example.COM ").unwrap().as_str(),
            "ann@example.com"
        );
        for bad in [
            "",
            "ann",
            "ann@",
            "@example.com",
            "ann@example",
            "a b@example.com",
            "ann@@example.com",
            "ann@example..com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn slugs_come_from_names() {
        assert_eq!(
            Slug::from_name("Cast Iron Skillet, 26 cm")
                .unwrap()
                .as_str(),
            "cast-iron-skillet-26-cm"
        );
        assert_eq!(
            Slug::from_name("  --Tea & Co.-- ").unwrap().as_str(),
            "tea-co"
        );
        assert!(Slug::from_name("日本").is_none());
        assert!(Slug::parse("Bad Slug").is_err());
        assert!(Slug::parse("a--b").is_err());
        assert!(Slug::parse("1984").is_err(), "digits alone read as an id");
        assert!(Slug::from_name("1984").is_none());
        assert_eq!(
            Slug::from_name("1984 Edition").unwrap().as_str(),
            "1984-edition"
        );
    }

    #[test]
    fn skus_are_upper_cased() {
        assert_eq!(Sku::parse("tee-blk-m").unwrap().as_str(), "TEE-BLK-M");
        assert!(Sku::parse("tee blk").is_err());
        assert!(Sku::parse("").is_err());
        assert!(Sku::parse(" TEE").is_err(), "spaces are not part of a SKU");
        assert!(
            Slug::parse("mug ").is_err(),
            "spaces are not part of a slug"
        );
    }

    #[test]
    fn bounded_text_refuses_control_characters() {
        assert!(bounded("a\u{0}b", 1, 10).is_err());
        assert_eq!(bounded("  ok ", 1, 10).unwrap(), "ok");
        assert!(bounded("   ", 1, 10).is_err());
        assert_eq!(optional(Some("  "), 10).unwrap(), None);
    }

    proptest! {
        #[test]
        fn every_generated_slug_parses(name in ".{0,200}") {
            if let Some(slug) = Slug::from_name(&name) {
                prop_assert!(Slug::parse(slug.as_str()).is_ok(), "{slug} from {name:?}");
            }
        }

        #[test]
        fn parsed_emails_are_stable(local in "[a-zA-Z0-9._+-]{1,30}", domain in "[a-z0-9-]{1,20}\\.[a-z]{2,6}") {
            let email = Email::parse(&format!("{local}@{domain}")).unwrap();
            prop_assert_eq!(Email::parse(email.as_str()).unwrap(), email.clone());
            prop_assert_eq!(email.as_str(), email.as_str().to_lowercase());
        }

        /// The documented rule of a text field is the rule `bounded` checks.
        #[test]
        fn the_text_pattern_is_the_rule_of_bounded(
            raw in proptest::collection::vec(
                prop_oneof![
                    Just(' '), Just('\t'), Just('\n'), Just('\u{0}'), Just('\u{1f}'),
                    Just('\u{7f}'), Just('\u{85}'), Just('\u{a0}'), Just('\u{3000}'),
                    Just('\u{feff}'), Just('é'), Just('a'), any::<char>(),
                ],
                0..12,
            ).prop_map(|chars| chars.into_iter().collect::<String>()),
        ) {
            for (required, min) in [(true, 1), (false, 0)] {
                let documented = regex::Regex::new(&pattern(required)).unwrap().is_match(&raw)
                    && raw.chars().count() <= 10;
                prop_assert_eq!(documented, bounded(&raw, min, 10).is_ok(), "{:?}", raw);
            }
        }

        #[test]
        fn sku_parse_is_idempotent(raw in "\\PC{0,80}") {
            if let Ok(sku) = Sku::parse(&raw) {
                prop_assert_eq!(Sku::parse(sku.as_str()).unwrap(), sku);
            }
        }
    }
}
