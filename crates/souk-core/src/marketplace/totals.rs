//! The totals of a seller's long lists (its orders, its ledger): counting a
//! seller's hundred thousand orders for each page costs more than the page.
//! A total is counted again as soon as the seller's newest ledger entry is
//! another (every order of the seller and every change to its money writes
//! one), and after a short while in any case, which bounds what a count
//! taken while another node's older transaction was still committing can
//! miss. One request at a time counts; while it does, the others answer
//! with the total counted before, so that a count that expired does not
//! set every waiting request counting at once.

use crate::{CoreError, Shop};
use souk_db::DbErr;
use souk_db::repo::ledger;
use std::collections::HashMap;
use std::future::Future;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A total is reused at most this long.
const FRESH_FOR: Duration = Duration::from_secs(10);
/// Beyond this many totals the map starts again empty.
const CAPACITY: usize = 20_000;

/// Totals by list, with the ledger entry they were counted at.
#[derive(Default)]
pub(crate) struct ListTotals {
    counted: Mutex<HashMap<String, (i64, u64, Instant)>>,
    /// Held by the request that counts.
    counting: tokio::sync::Mutex<()>,
}

impl ListTotals {
    /// The total of `list` counted when the newest entry was `version`, if
    /// it is recent.
    pub(crate) fn get(&self, list: &str, version: i64) -> Option<u64> {
        let counted = self.counted.lock().ok()?;
        counted
            .get(list)
            .filter(|(at_version, _, at)| *at_version == version && at.elapsed() < FRESH_FOR)
            .map(|(_, total, _)| *total)
    }

    /// The last total of `list` counted, however old.
    fn last(&self, list: &str) -> Option<u64> {
        let counted = self.counted.lock().ok()?;
        counted.get(list).map(|(_, total, _)| *total)
    }

    /// Keeps a total of `list` counted at `version`.
    pub(crate) fn put(&self, list: String, version: i64, total: u64) {
        if let Ok(mut counted) = self.counted.lock() {
            if counted.len() >= CAPACITY {
                counted.clear();
            }
            counted.insert(list, (version, total, Instant::now()));
        }
    }
}

impl Shop {
    /// The total of `list`, one of the seller's (every seller's for
    /// None): reused while the seller's newest ledger entry is the same,
    /// counted by `count` otherwise.
    pub(crate) async fn list_total<F, Fut>(
        &self,
        list: String,
        seller_id: Option<i64>,
        count: F,
    ) -> Result<u64, CoreError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<u64, DbErr>>,
    {
        let version = ledger::latest_entry_id(self.db.conn(), seller_id).await?;
        self.list_total_at(list, version, count).await
    }

    /// The total of `list` when the seller's newest ledger entry is
    /// `version` (read by the caller): reused, or counted by `count`.
    pub(crate) async fn list_total_at<F, Fut>(
        &self,
        list: String,
        version: i64,
        count: F,
    ) -> Result<u64, CoreError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<u64, DbErr>>,
    {
        let totals = &self.list_totals;
        if let Some(total) = totals.get(&list, version) {
            return Ok(total);
        }
        let _counting = match totals.counting.try_lock() {
            Ok(guard) => guard,
            Err(_) => match totals.last(&list) {
                Some(total) => return Ok(total),
                None => totals.counting.lock().await,
            },
        };
        if let Some(total) = totals.get(&list, version) {
            return Ok(total);
        }
        let total = count().await?;
        totals.put(list, version, total);
        Ok(total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_total_is_reused_only_at_the_same_version() {
        let totals = ListTotals::default();
        totals.put("orders:1".into(), 7, 100);
        assert_eq!(totals.get("orders:1", 7), Some(100));
        assert_eq!(totals.get("orders:1", 8), None);
        assert_eq!(totals.get("orders:2", 7), None);
    }
}
