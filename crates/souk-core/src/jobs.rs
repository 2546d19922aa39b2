//! Work that happens outside requests: a worker runs durable jobs from the
//! job table, and a scheduler enqueues periodic ones. Both run inside
//! `souk serve` by default, or alone in `souk worker`.

use crate::actor::Actor;
use crate::orders::lifecycle::move_order;
use crate::payments::stripe;
use crate::{CoreError, Shop};
use chrono::{Duration, Utc};
use souk_db::entity::job;
use souk_db::repo::jobs::{self, NewJob};
use souk_db::repo::orders;
use souk_db::repo::orders::OrderFilter;
use souk_domain::orders::OrderStatus;
use souk_domain::paging::{Page, PageRequest};
use std::future::Future;

/// Moves unpaid orders past the payment timeout to `expired`.
pub const EXPIRE_UNPAID_ORDERS: &str = "expire_unpaid_orders";

/// How long a running job may go without finishing before it is taken for
/// abandoned (its worker died) and queued again.
const LEASE: Duration = Duration::minutes(10);
/// Orders expired per run; the next tick takes the rest.
const EXPIRE_BATCH: u64 = 100;

/// Why a job did not finish.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// A failure that may pass (an outage, a timeout): the job is tried
    /// again later, until its attempts run out.
    #[error(transparent)]
    Retry(#[from] CoreError),
    /// A failure that trying again cannot cure (the provider refused the
    /// request as invalid): the job is kept as `failed` at once, for staff.
    #[error("{0}")]
    GiveUp(String),
}

impl From<souk_db::DbErr> for JobError {
    fn from(err: souk_db::DbErr) -> Self {
        Self::Retry(err.into())
    }
}

impl From<souk_db::DbError> for JobError {
    fn from(err: souk_db::DbError) -> Self {
        Self::Retry(err.into())
    }
}

/// How often the scheduler fires and how long an order may stay unpaid.
#[derive(Debug, Clone, Copy)]
pub struct Schedule {
    pub tick: std::time::Duration,
}

/// The payload of a payout run: its key, the day it was scheduled for.
#[derive(serde::Deserialize)]
struct PayoutRun {
    run: String,
}

/// Where a job can be: waiting, being run, finished, or given up on.
pub const JOB_STATUSES: [&str; 4] = ["queued", "running", "done", "failed"];

impl Shop {
    /// Runs one due job, if there is one; `false` when none was due.
    pub async fn run_next_job(&self, worker: &str) -> Result<bool, CoreError> {
        let txn = self.db.begin_write().await?;
        let claimed = jobs::claim(&txn, worker, Utc::now()).await?;
        txn.commit().await?;
        let Some(job) = claimed else { return Ok(false) };
        let outcome = self.perform(&job).await;
        let txn = self.db.begin_write().await?;
        match outcome {
            Ok(()) => jobs::complete(&txn, job.id).await?,
            Err(JobError::Retry(err)) => {
                tracing::warn!(job = job.id, kind = %job.kind, attempt = job.attempts, error = %err, "job failed");
                jobs::fail(&txn, &job, &err.to_string(), Some(backoff(job.attempts))).await?;
            }
            Err(JobError::GiveUp(reason)) => {
                tracing::error!(job = job.id, kind = %job.kind, attempt = job.attempts, error = %reason, "job failed for good");
                jobs::fail(&txn, &job, &reason, None).await?;
            }
        }
        txn.commit().await?;
        Ok(true)
    }

    async fn perform(&self, job: &job::Model) -> Result<(), JobError> {
        match job.kind.as_str() {
            EXPIRE_UNPAID_ORDERS => Ok(self.expire_unpaid_orders().await.map(|_| ())?),
            crate::marketplace::MAKE_PAYOUTS => {
                let day: PayoutRun = serde_json::from_str(&job.payload)
                    .map_err(|e| JobError::GiveUp(format!("unreadable payout run: {e}")))?;
                Ok(self.make_payouts(&day.run).await.map(|_| ())?)
            }
            crate::wishlist::NOTIFY_RESTOCKS => Ok(self.notify_restocks().await.map(|_| ())?),
            crate::mail::SEND_EMAIL => {
                Ok(crate::mail::deliver(&self.config.mail, &job.payload).await?)
            }
            crate::testpay::DELIVER_TESTPAY_WEBHOOK => {
                Ok(self.deliver_testpay_webhook(&job.payload).await?)
            }
            stripe::CREATE_PAYMENT_INTENT => self.create_stripe_intent(&job.payload).await,
            stripe::CREATE_REFUND => self.create_stripe_refund(&job.payload).await,
            stripe::CANCEL_PAYMENT_INTENT => self.cancel_stripe_intent(&job.payload).await,
            crate::photos::MAKE_THUMBNAILS => self.make_thumbnails(&job.payload).await,
            // Perhaps a newer node's job: another worker may know it.
            other => Err(CoreError::from(anyhow::anyhow!("unknown job kind {other}")).into()),
        }
    }

    /// One scheduler tick: puts back abandoned jobs and enqueues the
    /// periodic ones. The tick's number is part of each job's unique key,
    /// so however many nodes fire, each tick's jobs run once.
    pub async fn schedule_tick(&self, schedule: Schedule) -> Result<(), CoreError> {
        let now = Utc::now();
        let tick = now.timestamp() / schedule.tick.as_secs().max(1) as i64;
        let txn = self.db.begin_write().await?;
        let requeued = jobs::requeue_abandoned(&txn, LEASE).await?;
        if requeued > 0 {
            tracing::warn!(requeued, "jobs of a stopped worker queued again");
        }
        jobs::enqueue(
            &txn,
            NewJob {
                kind: EXPIRE_UNPAID_ORDERS,
                payload: "{}".to_owned(),
                run_at: now,
                max_attempts: 3,
                unique_key: Some(format!("{EXPIRE_UNPAID_ORDERS}:{tick}")),
            },
        )
        .await?;
        jobs::enqueue(
            &txn,
            NewJob {
                kind: crate::wishlist::NOTIFY_RESTOCKS,
                payload: "{}".to_owned(),
                run_at: now,
                max_attempts: 3,
                unique_key: Some(format!("{}:{tick}", crate::wishlist::NOTIFY_RESTOCKS)),
            },
        )
        .await?;
        // Once a day, whichever node's tick comes first.
        let day = now.format("%Y-%m-%d").to_string();
        jobs::enqueue(
            &txn,
            NewJob {
                kind: crate::marketplace::MAKE_PAYOUTS,
                payload: serde_json::json!({ "run": day }).to_string(),
                run_at: now,
                max_attempts: 5,
                unique_key: Some(format!("{}:{day}", crate::marketplace::MAKE_PAYOUTS)),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Expires orders still unpaid after the payment timeout: each in its
    /// own transaction, returning its stock and voucher use. Safe to run
    /// twice: an order already moved is left alone.
    pub async fn expire_unpaid_orders(&self) -> Result<u64, CoreError> {
        let cutoff = Utc::now() - self.config.payment_timeout;
        let filter = OrderFilter {
            status: Some(OrderStatus::PendingPayment.as_str().to_owned()),
            placed_to: Some(cutoff),
            ..Default::default()
        };
        let page = PageRequest {
            page: 1,
            per_page: EXPIRE_BATCH,
        };
        let due = orders::list(self.db.conn(), &filter, page).await?;
        let mut expired = 0;
        for order in due.items {
            let txn = self.db.begin_write().await?;
            let Some(current) = orders::find_by_id(&txn, order.id).await? else {
                continue;
            };
            match move_order(
                &txn,
                &current,
                OrderStatus::Expired,
                &Actor::System,
                Some("not paid in time"),
            )
            .await
            {
                Ok(()) => {
                    txn.commit().await?;
                    expired += 1;
                }
                // Paid or cancelled meanwhile: nothing to do.
                Err(CoreError::Conflict(_)) => {}
                Err(err) => return Err(err),
            }
        }
        if expired > 0 {
            self.cache.catalogue_changed();
            tracing::info!(expired, "unpaid orders expired");
        }
        Ok(expired)
    }

    /// Runs a failed job again, with a fresh set of attempts (staff, after
    /// fixing what made it fail).
    pub async fn retry_job(&self, actor: &Actor, id: i64) -> Result<(), CoreError> {
        actor.require_staff()?;
        let txn = self.db.begin_write().await?;
        if !jobs::retry_failed(&txn, id).await? {
            return Err(CoreError::NotFound("failed job"));
        }
        txn.commit().await?;
        Ok(())
    }

    /// Jobs for staff, newest first; `status` such as `failed`.
    /// An unknown `status` is 422; missing or empty is every status.
    pub async fn list_jobs(
        &self,
        actor: &Actor,
        status: Option<&str>,
        page: PageRequest,
    ) -> Result<Page<job::Model>, CoreError> {
        actor.require_staff()?;
        let status = status.filter(|s| !s.is_empty());
        if let Some(status) = status
            && !JOB_STATUSES.contains(&status)
        {
            return Err(CoreError::invalid(
                "status",
                format!("must be one of {}", JOB_STATUSES.join(", ")),
            ));
        }
        Ok(jobs::list(self.db.conn(), status, page).await?)
    }

    /// Runs jobs until `stop` resolves: one after another while any is
    /// due, polling every second when none is.
    pub async fn run_worker(&self, name: String, stop: impl Future<Output = ()>) {
        tokio::pin!(stop);
        loop {
            let ran = match self.run_next_job(&name).await {
                Ok(ran) => ran,
                Err(err) => {
                    tracing::error!(error = %err, "the job worker could not reach the database");
                    false
                }
            };
            if ran {
                continue;
            }
            tokio::select! {
                () = &mut stop => return,
                () = tokio::time::sleep(std::time::Duration::from_secs(1)) => {}
            }
        }
    }

    /// Fires the scheduler every tick until `stop` resolves.
    pub async fn run_scheduler(&self, schedule: Schedule, stop: impl Future<Output = ()>) {
        tokio::pin!(stop);
        let mut ticks = tokio::time::interval(schedule.tick);
        loop {
            tokio::select! {
                () = &mut stop => return,
                _ = ticks.tick() => {
                    if let Err(err) = self.schedule_tick(schedule).await {
                        tracing::error!(error = %err, "the scheduler could not reach the database");
                    }
                }
            }
        }
    }
}

/// Waits 30 s, 2 min, 8 min... between attempts, at most an hour.
fn backoff(attempts: i32) -> Duration {
    let exponent = attempts.clamp(1, 6) as u32 - 1;
    Duration::seconds((30 * 4i64.pow(exponent)).min(3600))
}

#[cfg(test)]
mod tests {
    use super::backoff;

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(backoff(1).num_seconds(), 30);
        assert_eq!(backoff(2).num_seconds(), 120);
        assert_eq!(backoff(10).num_seconds(), 3600);
    }
}
