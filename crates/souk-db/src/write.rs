//! Writing transactions. SQLite has one writer at a time; rather than let
//! writers poll the file lock (its busy handler sleeps in growing steps),
//! they queue here, in the process, and each takes the lock at once.

use sea_orm::{
    ConnectionTrait, DatabaseTransaction, DbBackend, DbErr, ExecResult, QueryResult, Statement,
};
use tokio::sync::OwnedMutexGuard;

/// A transaction that will write, holding this process's turn to write on
/// SQLite. Commit it, or drop it to roll back.
pub struct WriteTxn {
    // Dropped first: the transaction rolls back before the turn passes on.
    txn: DatabaseTransaction,
    _turn: Option<OwnedMutexGuard<()>>,
}

impl WriteTxn {
    pub(crate) fn new(txn: DatabaseTransaction, turn: Option<OwnedMutexGuard<()>>) -> Self {
        Self { txn, _turn: turn }
    }

    /// Makes the changes permanent.
    pub async fn commit(self) -> Result<(), DbErr> {
        self.txn.commit().await
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for WriteTxn {
    fn get_database_backend(&self) -> DbBackend {
        self.txn.get_database_backend()
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.txn.execute_raw(stmt).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.txn.execute_unprepared(sql).await
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.txn.query_one_raw(stmt).await
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.txn.query_all_raw(stmt).await
    }

    fn support_returning(&self) -> bool {
        self.txn.support_returning()
    }
}
