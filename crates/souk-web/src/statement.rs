//! A seller's statement as CSV, for the API and the seller panel alike.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use souk_core::CoreError;
use souk_core::marketplace::{LedgerEntryView, LedgerQuery};

/// The header row.
const COLUMNS: [&str; 11] = [
    "date",
    "entry",
    "kind",
    "order_id",
    "fulfilment_id",
    "amount_minor",
    "amount",
    "currency",
    "state",
    "payout",
    "memo",
];

/// The entries as CSV, one row each after the header.
fn to_csv(entries: &[LedgerEntryView]) -> Result<String, CoreError> {
    let broken = |e: csv::Error| CoreError::from(anyhow::anyhow!("statement: {e}"));
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(COLUMNS).map_err(broken)?;
    let id = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    for e in entries {
        out.write_record([
            e.created_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            e.id.to_string(),
            e.kind.as_str().to_owned(),
            id(e.order_id),
            id(e.fulfilment_id),
            e.amount.amount.to_string(),
            e.amount.major(),
            e.amount.currency.as_str().to_owned(),
            e.state.as_str().to_owned(),
            id(e.settled_by.or(e.payout_ref)),
            inert(&e.memo),
        ])
        .map_err(broken)?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| CoreError::from(anyhow::anyhow!("statement: {e}")))?;
    String::from_utf8(bytes).map_err(|e| CoreError::from(anyhow::anyhow!("statement: {e}")))
}

/// The statement of `query`'s period as a CSV download, named after it.
pub(crate) fn download(
    entries: &[LedgerEntryView],
    query: &LedgerQuery,
) -> Result<Response, CoreError> {
    let end =
        |e: &Option<String>| file_part(e.as_deref().filter(|e| !e.is_empty()).unwrap_or("all"));
    let name = format!("statement-{}-{}.csv", end(&query.from), end(&query.to));
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        to_csv(entries)?,
    )
        .into_response())
}

/// A date or time as a file name may hold it.
fn file_part(raw: &str) -> String {
    raw.chars()
        .take(25)
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

/// Text a spreadsheet will not take for a formula.
fn inert(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::inert;

    #[test]
    fn formulas_are_kept_as_text() {
        assert_eq!(inert("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(inert("Order SO-1"), "Order SO-1");
    }
}
