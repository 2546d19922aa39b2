use souk_domain::FieldError;

/// Why a use case did not happen. Each variant maps to one HTTP status and
/// one page; `Internal` carries details for the log only.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// The request cannot be read or trusted (400); the message is safe to show.
    #[error("{0}")]
    BadRequest(&'static str),
    /// The input is well-formed but not acceptable (422).
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    /// No such thing, or not the caller's (404).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The current state forbids it (409).
    #[error("{0}")]
    Conflict(String),
    /// Well-formed input that clashes with what exists (409): a SKU or
    /// slug in use, a reference to nothing; each names its field.
    #[error("conflicting input")]
    Clash(Vec<FieldError>),
    /// Some lines cannot be bought as asked (409); each names its line.
    #[error("not enough stock")]
    OutOfStock(Vec<FieldError>),
    /// Missing or bad credentials (401); the message is safe to show.
    #[error("{0}")]
    Unauthenticated(&'static str),
    /// Signed in, but not allowed (403).
    #[error("not allowed")]
    Forbidden,
    /// Signed in, but not allowed, for a reason the caller can act on
    /// (403); the message is safe to show.
    #[error("{0}")]
    NotAllowed(&'static str),
    /// Too many attempts; try again after this many seconds (429).
    #[error("too many attempts")]
    RateLimited { retry_after_secs: u64 },
    /// The upload is larger than the shop takes (413); the message is safe to show.
    #[error("{0}")]
    TooLarge(&'static str),
    /// Anything else: a bug or an outage. Never shown to the client.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl CoreError {
    /// A 422 about one field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError::new(field, message)])
    }

    /// A 409 about one field.
    pub fn clash(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Clash(vec![FieldError::new(field, message)])
    }

    /// `Ok` when nothing clashes, else the clashes (409).
    pub fn unless_clashes(clashes: Vec<FieldError>) -> Result<(), Self> {
        if clashes.is_empty() {
            Ok(())
        } else {
            Err(Self::Clash(clashes))
        }
    }
}

impl From<souk_db::DbErr> for CoreError {
    fn from(err: souk_db::DbErr) -> Self {
        Self::Internal(err.into())
    }
}

impl From<souk_db::DbError> for CoreError {
    fn from(err: souk_db::DbError) -> Self {
        Self::Internal(err.into())
    }
}

impl From<Vec<FieldError>> for CoreError {
    fn from(errors: Vec<FieldError>) -> Self {
        Self::Validation(errors)
    }
}
