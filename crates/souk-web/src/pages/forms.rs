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

    /// The messages of a refused use case, if it was refused for its
    /// input; any other failure is given back as it is.
    pub fn from_core(err: CoreError) -> Result<Self, PageError> {
        match err {
            CoreError::Validation(errors)
            | CoreError::Clash(errors)
            | CoreError::OutOfStock(errors) => Ok(Self::from_fields(errors)),
            CoreError::Unauthenticated(message) => Ok(Self::general(message)),
            CoreError::Conflict(message) => Ok(Self::general(message)),
            CoreError::RateLimited { retry_after_secs } => Ok(Self::general(format!(
                "Too many attempts; try again in {retry_after_secs} seconds."
            ))),
            other => Err(PageError::Core(other)),
        }
    }

    fn from_fields(errors: Vec<FieldError>) -> Self {
        let mut fields = HashMap::new();
        for error in errors {
            fields.entry(error.field).or_insert(error.message);
        }
        Self {
            fields,
            general: Some("Please correct the fields marked below.".into()),
        }
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
