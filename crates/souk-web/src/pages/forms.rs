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
