//! Persistence for souk: SeaORM entities, one migration set for SQLite and
//! PostgreSQL, and repositories per aggregate.
//!
//! Everything that differs between the two backends (connection pragmas,
//! full-text search, job claiming) lives in this crate, behind small types
//! chosen by [`Db::backend`].

pub mod entity;
mod error;
pub mod migration;
pub mod repo;
mod search;
mod write;

pub use error::{DbError, is_unique_violation};
use sea_orm::TransactionTrait;
pub use sea_orm::{ActiveValue, ConnectionTrait, DbBackend, DbErr, EntityTrait};
pub use write::WriteTxn;

use sea_orm::{ConnectOptions, DatabaseConnection, SqliteTransactionMode, TransactionOptions};
use std::path::Path;
use std::time::Duration;

/// How to reach the database.
#[derive(Clone)]
pub struct DbConfig {
    /// `sqlite://path/to/file.db`, `sqlite:///abs/path.db` or `postgres://...`.
    pub url: String,
    /// Most connections in the pool.
    pub max_connections: u32,
}

/// A connection pool to SQLite or PostgreSQL.
#[derive(Clone, Debug)]
pub struct Db {
    conn: DatabaseConnection,
    /// On SQLite, whose turn it is to write.
    write_turn: std::sync::Arc<tokio::sync::Mutex<()>>,
}

impl Db {
    /// Connects, creating the SQLite file (and its folder) if missing and
    /// setting the pragmas every SQLite connection needs.
    pub async fn connect(config: &DbConfig) -> Result<Self, DbError> {
        let url = config.url.trim();
        let mut options = if let Some(path) = sqlite_path(url) {
            if let Some(parent) = Path::new(&path)
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
            {
                std::fs::create_dir_all(parent).map_err(|e| {
                    DbError::Config(format!("cannot create {}: {e}", parent.display()))
                })?;
            }
            let mut options = ConnectOptions::new(url.to_owned());
            options.map_sqlx_sqlite_opts(move |opts| {
                use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
                opts.filename(&path)
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(10))
                    .pragma("cache_size", "-32000")
                    .pragma("temp_store", "memory")
            });
            options
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            ConnectOptions::new(url.to_owned())
        } else {
            return Err(DbError::Config(
                "database URL must start with sqlite:// or postgres://".into(),
            ));
        };
        options
            .max_connections(config.max_connections.max(1))
            .min_connections(1)
            // Also bounds the first connection: an unreachable server is a
            // clear error at start within ten seconds.
            .acquire_timeout(Duration::from_secs(10))
            .sqlx_logging(false);
        let conn = sea_orm::Database::connect(options)
            .await
            .map_err(|e| DbError::Config(format!("cannot connect to the database: {e}")))?;
        Ok(Self {
            conn,
            write_turn: Default::default(),
        })
    }

    /// The pool, for reads and single statements.
    pub fn conn(&self) -> &DatabaseConnection {
        &self.conn
    }

    /// Which database this is.
    pub fn backend(&self) -> DbBackend {
        self.conn.get_database_backend()
    }

    /// Starts a transaction that will write. On SQLite it takes the write
    /// lock at once (`BEGIN IMMEDIATE`) so that two writers queue on the
    /// busy timeout instead of failing on lock upgrade.
    pub async fn begin_write(&self) -> Result<WriteTxn, DbError> {
        let sqlite = self.backend() == DbBackend::Sqlite;
        let turn = if sqlite {
            Some(self.write_turn.clone().lock_owned().await)
        } else {
            None
        };
        let options = TransactionOptions {
            sqlite_transaction_mode: sqlite.then_some(SqliteTransactionMode::Immediate),
            ..Default::default()
        };
        let txn = self.conn.begin_with_options(options).await?;
        Ok(WriteTxn::new(txn, turn))
    }

    /// Refreshes the query planner's statistics where they are missing or
    /// stale (SQLite `PRAGMA optimize`, PostgreSQL `ANALYZE`). Without them
    /// SQLite may join the full-text index in the slowest order.
    pub async fn optimize(&self) -> Result<(), DbError> {
        use sea_orm::ConnectionTrait;
        let statement = match self.backend() {
            DbBackend::Sqlite => "PRAGMA optimize=0x10002",
            _ => "ANALYZE",
        };
        self.conn.execute_unprepared(statement).await?;
        Ok(())
    }

    /// Gathers the query planner's statistics afresh (after bulk loads).
    pub async fn analyze(&self) -> Result<(), DbError> {
        use sea_orm::ConnectionTrait;
        self.conn.execute_unprepared("ANALYZE").await?;
        Ok(())
    }

    /// Whether the database answers a trivial query.
    pub async fn ping(&self) -> Result<(), DbError> {
        Ok(self.conn.ping().await?)
    }

    /// Closes the pool.
    pub async fn close(self) -> Result<(), DbError> {
        Ok(self.conn.close().await?)
    }
}

/// The file path of a `sqlite:` URL, without query parameters; `None` for
/// other URLs and for in-memory databases.
fn sqlite_path(url: &str) -> Option<String> {
    let rest = url.strip_prefix("sqlite:")?;
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && path != ":memory:").then(|| path.to_owned())
}

#[cfg(test)]
mod tests {
    use super::sqlite_path;

    #[test]
    fn sqlite_urls() {
        assert_eq!(
            sqlite_path("sqlite://data/souk.db").as_deref(),
            Some("data/souk.db")
        );
        assert_eq!(
            sqlite_path("sqlite:///abs/souk.db").as_deref(),
            Some("/abs/souk.db")
        );
        assert_eq!(
            sqlite_path("sqlite://x.db?mode=rwc").as_deref(),
            Some("x.db")
        );
        assert_eq!(sqlite_path("postgres://localhost/souk"), None);
    }
}
