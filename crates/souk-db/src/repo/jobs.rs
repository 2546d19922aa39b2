//! The durable job table. Jobs are enqueued in the transaction of the
//! change that causes them, claimed one at a time (PostgreSQL `FOR UPDATE
//! SKIP LOCKED`; SQLite inside its single writer), retried with backoff,
//! and kept as `failed` after their last try.

use super::raw;
use crate::entity::job;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, FromQueryResult,
    QueryFilter, QueryOrder,
};
use souk_domain::paging::{Page, PageRequest};

/// A job to enqueue.
#[derive(Debug, Clone)]
pub struct NewJob<'a> {
    pub kind: &'a str,
    /// JSON arguments.
    pub payload: String,
    pub run_at: DateTime<Utc>,
    pub max_attempts: i32,
    /// A key that makes the job happen once however often it is enqueued.
    pub unique_key: Option<String>,
}

/// Enqueues a job; with a unique key already used, does nothing and
/// answers `false`.
pub async fn enqueue(db: &impl ConnectionTrait, new: NewJob<'_>) -> Result<bool, DbErr> {
    let now = Utc::now();
    let row = job::ActiveModel {
        kind: Set(new.kind.to_owned()),
        payload: Set(new.payload),
        status: Set("queued".to_owned()),
        attempts: Set(0),
        max_attempts: Set(new.max_attempts),
        run_at: Set(new.run_at),
        locked_at: Set(None),
        locked_by: Set(None),
        last_error: Set(None),
        unique_key: Set(new.unique_key),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    let inserted = job::Entity::insert(row)
        .on_conflict_do_nothing_on([job::Column::UniqueKey])
        .exec_without_returning(db)
        .await?;
    Ok(matches!(inserted, sea_orm::TryInsertResult::Inserted(1)))
}

/// Claims the next due job for `worker`, if any, marking it running and
/// counting the attempt.
pub async fn claim(
    db: &impl ConnectionTrait,
    worker: &str,
    now: DateTime<Utc>,
) -> Result<Option<job::Model>, DbErr> {
    let backend = db.get_database_backend();
    let pick = match backend {
        DbBackend::Postgres => {
            "SELECT id FROM jobs WHERE status = 'queued' AND run_at <= ? ORDER BY run_at, id LIMIT 1 FOR UPDATE SKIP LOCKED"
        }
        // SQLite: the caller holds the one write lock, so nobody else picks.
        _ => {
            "SELECT id FROM jobs WHERE status = 'queued' AND run_at <= ? ORDER BY run_at, id LIMIT 1"
        }
    };
    let sql = format!(
        "UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_at = ?, locked_by = ?, updated_at = ? \
         WHERE id = ({pick}) \
         RETURNING id, kind, payload, status, attempts, max_attempts, run_at, locked_at, locked_by, last_error, \
                   unique_key, created_at, updated_at"
    );
    let statement = raw(
        backend,
        &sql,
        vec![now.into(), worker.into(), now.into(), now.into()],
    );
    job::Model::find_by_statement(statement).one(db).await
}

/// Marks a job done.
pub async fn complete(db: &impl ConnectionTrait, id: i64) -> Result<(), DbErr> {
    job::Entity::update_many()
        .col_expr(job::Column::Status, Expr::value("done"))
        .col_expr(
            job::Column::LockedAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(job::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(job::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Records a failed attempt: the job runs again after `retry_in`, or is
/// kept as `failed` after its last attempt, or at once when `retry_in` is
/// `None` (the failure is permanent: trying again cannot help).
pub async fn fail(
    db: &impl ConnectionTrait,
    job: &job::Model,
    error: &str,
    retry_in: Option<Duration>,
) -> Result<(), DbErr> {
    let now = Utc::now();
    let (last, retry_in) = match retry_in {
        Some(wait) => (job.attempts >= job.max_attempts, wait),
        None => (true, Duration::zero()),
    };
    let error: String = error.chars().take(2000).collect();
    job::Entity::update_many()
        .col_expr(
            job::Column::Status,
            Expr::value(if last { "failed" } else { "queued" }),
        )
        .col_expr(
            job::Column::RunAt,
            Expr::value(if last { job.run_at } else { now + retry_in }),
        )
        .col_expr(
            job::Column::LockedAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(job::Column::LastError, Expr::value(error))
        .col_expr(job::Column::UpdatedAt, Expr::value(now))
        .filter(job::Column::Id.eq(job.id))
        .exec(db)
        .await?;
    Ok(())
}

/// Puts back jobs whose worker stopped mid-run (its lease ran out), so
/// that a crash loses nothing. Returns how many.
pub async fn requeue_abandoned(db: &impl ConnectionTrait, lease: Duration) -> Result<u64, DbErr> {
    let result = job::Entity::update_many()
        .col_expr(job::Column::Status, Expr::value("queued"))
        .col_expr(
            job::Column::LockedAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(job::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(job::Column::Status.eq("running"))
        .filter(job::Column::LockedAt.lt(Utc::now() - lease))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// Gives a failed job a fresh set of attempts, to run now; `false` when
/// there is no failed job with this id.
pub async fn retry_failed(db: &impl ConnectionTrait, id: i64) -> Result<bool, DbErr> {
    let now = Utc::now();
    let result = job::Entity::update_many()
        .col_expr(job::Column::Status, Expr::value("queued"))
        .col_expr(job::Column::Attempts, Expr::value(0))
        .col_expr(job::Column::RunAt, Expr::value(now))
        .col_expr(job::Column::UpdatedAt, Expr::value(now))
        .filter(job::Column::Id.eq(id))
        .filter(job::Column::Status.eq("failed"))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Jobs in one status, newest first (for staff).
pub async fn list(
    db: &impl ConnectionTrait,
    status: Option<&str>,
    page: PageRequest,
) -> Result<Page<job::Model>, DbErr> {
    let mut query = job::Entity::find();
    if let Some(status) = status {
        query = query.filter(job::Column::Status.eq(status));
    }
    super::paged(db, query.order_by_desc(job::Column::Id), page).await
}

/// One job.
pub async fn find(db: &impl ConnectionTrait, id: i64) -> Result<Option<job::Model>, DbErr> {
    job::Entity::find_by_id(id).one(db).await
}
