use sea_orm::{DbErr, RuntimeErr, SqlErr};

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

    /// Whether the database was busy or a serialisation conflict happened,
    /// so that retrying the transaction may succeed.
    pub fn is_transient(&self) -> bool {
        match self {
            DbError::Db(DbErr::Conn(RuntimeErr::SqlxError(e)))
            | DbError::Db(DbErr::Exec(RuntimeErr::SqlxError(e)))
            | DbError::Db(DbErr::Query(RuntimeErr::SqlxError(e))) => {
                let text = e.to_string();
                text.contains("database is locked") || text.contains("could not serialize")
            }
            _ => false,
        }
    }
}
