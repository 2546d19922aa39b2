//! Forms: reading a posted form into a typed value, and the per-field
//! messages a form shows when it comes back.

use super::PageError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;
use souk_core::CoreError;
use souk_domain::FieldError;
use std::collections::HashMap;

/// A posted `application/x-www-form-urlencoded` form. The page guard has
/// checked its token already.
pub(crate) struct PageForm<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for PageForm<T> {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &S) -> Result<Self, PageError> {
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|_| PageError::BadForm)?;
        serde_urlencoded::from_bytes(&bytes)
            .map(PageForm)
            .map_err(|_| PageError::BadForm)
    }
}

/// Text for a URL query value or a cookie.
pub(crate) fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// `path` if it is a path on this site (`/products?page=2`), never
/// another site's address (`//evil.example`, `/\\evil.example`).
pub(crate) fn local_path(path: &str) -> Option<&str> {
    (path.starts_with('/') && !path.starts_with("//") && !path.starts_with("/\\")).then_some(path)
}

/// What went wrong with a form: a message per field, and one for the form.
#[derive(Debug, Default, Clone)]
pub(crate) struct Errors {
    fields: HashMap<String, String>,
    /// A message about the whole form.
    pub general: Option<String>,
}

impl Errors {
    /// The message for `field`, if it has one.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.fields.get(field).map(String::as_str)
    }

    /// One message for the whole form.
    pub fn general(message: impl Into<String>) -> Self {
        Self {
            general: Some(message.into()),
            ..Self::default()
        }
    }

    /// One field's message, already a whole sentence.
    pub fn for_field(field: &str, message: impl Into<String>) -> Self {
        Self {
            fields: HashMap::from([(field.to_owned(), message.into())]),
            general: Some("Please correct the fields marked below.".into()),
        }
    }

    /// The messages of a refused use case, if it was refused for its
    /// input; any other failure is given back as it is.
    pub fn from_core(err: CoreError) -> Result<Self, PageError> {
        match err {
            CoreError::Validation(errors)
            | CoreError::Clash(errors)
            | CoreError::OutOfStock(errors) => Ok(Self::from_fields(errors)),
            CoreError::Unauthenticated(message) => Ok(Self::general(message)),
            CoreError::Conflict(message) => Ok(Self::general(message)),
            CoreError::NotAllowed(message) => Ok(Self::general(message)),
            CoreError::RateLimited { retry_after_secs } => Ok(Self::general(format!(
                "Too many attempts; try again in {retry_after_secs} seconds."
            ))),
            other => Err(PageError::Core(other)),
        }
    }

    fn from_fields(errors: Vec<FieldError>) -> Self {
        let mut fields = HashMap::new();
        for error in errors {
            let message = sentence(&error.field, &error.message);
            fields.entry(error.field).or_insert(message);
        }
        Self {
            fields,
            general: Some("Please correct the fields marked below.".into()),
        }
    }
}

/// A field's message as a whole sentence. The core says what is wrong with
/// a value without naming it ("must be at most 100 characters"), because an
/// API client shows it beside its own field name; a page names the field:
/// "The city must be at most 100 characters.", "Enter the city."
pub(crate) fn sentence(field: &str, message: &str) -> String {
    let message = message.trim();
    let (article, noun) = field_words(field);
    let text = match message {
        "must not be empty" | "is required" => format!("Enter {article} {noun}"),
        // The pages offer the countries as a list: the one way to get it
        // wrong there is to choose none.
        m if noun == "country" && m.starts_with("must be a two-letter") => {
            "Choose a country".to_owned()
        }
        // A verb, or the value itself ("'WINTER' has expired").
        m if m.starts_with('\'')
            || [
                "must ", "is ", "are ", "cannot ", "can ", "has ", "should ", "already ", "does ",
                "was ", "needs ",
            ]
            .iter()
            .any(|verb| m.starts_with(verb)) =>
        {
            format!("The {noun} {m}")
        }
        m => {
            let mut chars = m.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => format!("Check {article} {noun}"),
            }
        }
    };
    if text.ends_with(['.', '!', '?']) {
        text
    } else {
        format!("{text}.")
    }
}

/// How a sentence names a form's field: its article and noun.
fn field_words(field: &str) -> (&'static str, String) {
    // `variants[2].sku` is named by `sku`, `category_id` by `category`.
    let last = field.rsplit('.').next().unwrap_or(field);
    let last = last.split('[').next().unwrap_or(last);
    let last = last.strip_suffix("_id").unwrap_or(last);
    let known = match last {
        "full_name" => Some(("the", "full name")),
        "name" => Some(("a", "name")),
        "line1" => Some(("the", "address")),
        "line2" => Some(("the", "apartment or suite")),
        "postal_code" => Some(("the", "postal code")),
        "phone" => Some(("the", "phone number")),
        "email" | "contact_email" => Some(("the", "e-mail address")),
        "password" => Some(("a", "password")),
        "voucher_code" => Some(("the", "voucher")),
        "code" => Some(("the", "voucher code")),
        "sku" => Some(("the", "SKU")),
        "slug" => Some(("the", "web address")),
        "description" => Some(("a", "description")),
        "reason" => Some(("a", "reason")),
        "token" => Some(("the", "reset link")),
        "percent" => Some(("the", "percentage")),
        "fixed_per_unit" => Some(("the", "amount per unit")),
        "min_per_line" => Some(("the", "minimum per line")),
        "max_per_line" => Some(("the", "maximum per line")),
        "free_above" => Some(("the", "free-shipping threshold")),
        "min_subtotal" => Some(("the", "minimum subtotal")),
        "usage_limit" => Some(("the", "number of uses in all")),
        "per_customer_limit" => Some(("the", "number of uses per customer")),
        "hold_days" => Some(("the", "hold")),
        "minimum" => Some(("the", "smallest payout")),
        "delta" => Some(("the", "change of stock")),
        "from" => Some(("the", "start date")),
        "to" => Some(("the", "end date")),
        _ => None,
    };
    match known {
        Some((article, noun)) => (article, noun.to_owned()),
        None => ("the", last.replace('_', " ")),
    }
}

/// The fields of a postal address in a form (checkout, address book), as
/// typed; blank optional fields are none.
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub(crate) struct AddressFields {
    pub full_name: String,
    pub company: String,
    pub line1: String,
    pub line2: String,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    pub country: String,
    pub phone: String,
}

impl AddressFields {
    /// The address as the shop's rules read it; the person's own spaces
    /// around what they typed do not count.
    pub fn input(&self) -> souk_domain::address::AddressInput {
        souk_domain::address::AddressInput {
            full_name: self.full_name.clone(),
            company: optional(&self.company),
            line1: self.line1.clone(),
            line2: optional(&self.line2),
            city: self.city.clone(),
            region: optional(&self.region),
            postal_code: self.postal_code.clone(),
            country: self.country.clone(),
            phone: optional(&self.phone),
        }
    }
}

/// What a person typed, trimmed; blank is none.
pub(crate) fn optional(text: &str) -> Option<String> {
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::sentence;

    #[test]
    fn a_field_message_is_a_whole_sentence_naming_its_field() {
        let cases = [
            ("name", "must not be empty", "Enter a name."),
            ("city", "must not be empty", "Enter the city."),
            (
                "full_name",
                "must be at most 100 characters",
                "The full name must be at most 100 characters.",
            ),
            (
                "password",
                "must be at least 10 characters",
                "The password must be at least 10 characters.",
            ),
            (
                "variants[2].sku",
                "is already in use",
                "The SKU is already in use.",
            ),
            (
                "min_subtotal",
                "must not be negative",
                "The minimum subtotal must not be negative.",
            ),
            ("category_id", "no such category", "No such category."),
            (
                "category_id",
                "must be a positive id",
                "The category must be a positive id.",
            ),
            (
                "voucher_code",
                "'NOPE' does not exist",
                "The voucher 'NOPE' does not exist.",
            ),
            (
                "quantity",
                "must be a whole number from 1 to 999",
                "The quantity must be a whole number from 1 to 999.",
            ),
            (
                "shipping_address.country",
                "must be a two-letter ISO 3166 country code",
                "Choose a country.",
            ),
            (
                "scope",
                "already has a rule; change that one",
                "The scope already has a rule; change that one.",
            ),
            ("quantity", "Only 2 are left.", "Only 2 are left."),
            (
                "items[0]",
                "Linen Shirt is no longer for sale",
                "Linen Shirt is no longer for sale.",
            ),
        ];
        for (field, message, expected) in cases {
            assert_eq!(sentence(field, message), expected, "{field}: {message}");
        }
    }
}
