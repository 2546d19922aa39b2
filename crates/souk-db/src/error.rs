use sea_orm::{DbErr, SqlErr};

/// A failure of the database layer.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// A setting is wrong: the URL, a path that cannot be created.
    #[error("{0}")]
    Config(String),
    /// The database refused or failed a statement.
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// Whether `err` is a unique-constraint violation, and on which constraint
/// or column set when the driver says.
pub fn is_unique_violation(err: &DbErr) -> bool {
    matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

impl DbError {
    /// Whether this is a unique-constraint violation.
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, DbError::Db(e) if is_unique_violation(e))
    }
}
