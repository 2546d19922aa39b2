//! Page requests for every list: `?page=1&per_page=20`, at most 100.

use crate::Invalid;

/// A validated page of a list: `page` from 1, `per_page` from 1 to 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    /// One-based page number.
    pub page: u64,
    /// Items per page.
    pub per_page: u64,
}

impl PageRequest {
    /// Items per page when the client does not say.
    pub const DEFAULT_PER_PAGE: u64 = 20;
    /// The most items one page may hold.
    pub const MAX_PER_PAGE: u64 = 100;
    /// Pages beyond this are refused: deep offsets are a denial-of-service
    /// vector and no shopper pages that far.
    pub const MAX_PAGE: u64 = 10_000;

    /// Validates the two query values, applying the defaults.
    pub fn parse(
        page: Option<i64>,
        per_page: Option<i64>,
    ) -> Result<Self, (&'static str, Invalid)> {
        let page = page.unwrap_or(1);
        if !(1..=Self::MAX_PAGE as i64).contains(&page) {
            return Err((
                "page",
                Invalid::new(format!("must be from 1 to {}", Self::MAX_PAGE)),
            ));
        }
        let per_page = per_page.unwrap_or(Self::DEFAULT_PER_PAGE as i64);
        if !(1..=Self::MAX_PER_PAGE as i64).contains(&per_page) {
            return Err((
                "per_page",
                Invalid::new(format!("must be from 1 to {}", Self::MAX_PER_PAGE)),
            ));
        }
        Ok(Self {
            page: page as u64,
            per_page: per_page as u64,
        })
    }

    /// How many items precede this page.
    pub fn offset(&self) -> u64 {
        (self.page - 1) * self.per_page
    }
}

impl Default for PageRequest {
    fn default() -> Self {
        Self {
            page: 1,
            per_page: Self::DEFAULT_PER_PAGE,
        }
    }
}

/// One page of results and the total across all pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// Which page this is.
    pub page: u64,
    /// The page size asked for.
    pub per_page: u64,
    /// Items across all pages.
    pub total: u64,
}

impl<T> Page<T> {
    /// How many pages there are; at least one.
    pub fn pages(&self) -> u64 {
        self.total.div_ceil(self.per_page.max(1)).max(1)
    }

    /// The same page with every item converted.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            page: self.page,
            per_page: self.per_page,
            total: self.total,
        }
    }

    /// The same page with every item converted, or the first failure.
    pub fn try_map<U, E>(self, f: impl FnMut(T) -> Result<U, E>) -> Result<Page<U>, E> {
        Ok(Page {
            items: self.items.into_iter().map(f).collect::<Result<_, _>>()?,
            page: self.page,
            per_page: self.per_page,
            total: self.total,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn only_sane_pages_parse(page in any::<i64>(), per_page in any::<i64>()) {
            let parsed = PageRequest::parse(Some(page), Some(per_page));
            let sane = (1..=10_000).contains(&page) && (1..=100).contains(&per_page);
            prop_assert_eq!(parsed.is_ok(), sane);
            if let Ok(request) = parsed {
                prop_assert!(request.offset() < 10_000 * 100);
            }
        }
    }

    #[test]
    fn defaults() {
        assert_eq!(
            PageRequest::parse(None, None).unwrap(),
            PageRequest::default()
        );
    }
}
