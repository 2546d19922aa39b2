//! Template filters of the pages.

/// A stored name (`pending_payment`) as words (`pending payment`).
#[askama::filter_fn]
pub fn humanize(value: impl std::fmt::Display, _: &dyn askama::Values) -> askama::Result<String> {
    Ok(value.to_string().replace('_', " "))
}
