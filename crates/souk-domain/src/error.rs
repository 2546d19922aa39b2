//! Validation failures, reported per field so that a form or an API client
//! can show each message beside its input.

use std::fmt;

/// One field that failed validation and why, in words a shopper understands.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    /// The input's name as the client sent it, e.g. `email` or `variants[2].sku`.
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

impl FieldError {
    /// A failure of `field` with `message`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// A value that could not be parsed: the message says why, without a field
/// name, because the same type is parsed under many field names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Invalid(pub String);

impl Invalid {
    /// An invalid value with `message`.
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }

    /// Names the field this failure belongs to.
    pub fn at(self, field: impl Into<String>) -> FieldError {
        FieldError::new(field, self.0)
    }
}

/// Collects field errors while a request is parsed, so that a client learns
/// about every bad field at once rather than one per round trip.
#[derive(Debug, Default)]
pub struct Validator {
    errors: Vec<FieldError>,
}

impl Validator {
    /// An empty collector.
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps the parsed value, or records the failure under `field`.
    pub fn check<T>(&mut self, field: &str, parsed: Result<T, Invalid>) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(invalid) => {
                self.errors.push(invalid.at(field));
                None
            }
        }
    }

    /// Records a failure that is not the result of a parse.
    pub fn push(&mut self, error: FieldError) {
        self.errors.push(error);
    }

    /// Whether nothing failed so far.
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }

    /// The failures, or `Ok` when there are none.
    pub fn finish(self) -> Result<(), Vec<FieldError>> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(self.errors)
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}
