//! Recent listing totals. Counting every matching product for each page of
//! a large catalogue costs more than the page itself; a total that is a
//! few seconds old is good enough for "page 3 of 120".

use souk_db::repo::catalogue::ProductFilter;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a total is reused.
const FRESH_FOR: Duration = Duration::from_secs(10);
/// Beyond this many different filters, the oldest knowledge is dropped.
const CAPACITY: usize = 10_000;

/// Totals by filter, kept for a few seconds.
#[derive(Default)]
pub(crate) struct ListingTotals {
    entries: Mutex<HashMap<String, (u64, Instant)>>,
}

impl ListingTotals {
    fn key(filter: &ProductFilter) -> String {
        // The order does not change how many there are.
        let unordered = ProductFilter {
            sort: None,
            ..filter.clone()
        };
        format!("{unordered:?}")
    }

    /// The total for `filter`, if counted recently.
    pub fn get(&self, filter: &ProductFilter) -> Option<u64> {
        let entries = self.entries.lock().ok()?;
        entries
            .get(&Self::key(filter))
            .filter(|(_, at)| at.elapsed() < FRESH_FOR)
            .map(|(total, _)| *total)
    }

    /// Remembers the total for `filter`.
    pub fn put(&self, filter: &ProductFilter, total: u64) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= CAPACITY {
                entries.clear();
            }
            entries.insert(Self::key(filter), (total, Instant::now()));
        }
    }

    /// Forgets everything (after this process changed the catalogue).
    pub fn clear(&self) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.clear();
        }
    }
}
