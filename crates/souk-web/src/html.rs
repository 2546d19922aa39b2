//! The page shell of the hosted payment page, with its security headers,
//! and HTML escaping.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Escapes text for HTML.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The policy of the payment pages: nothing but their own form.
pub(crate) const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The policy of a Stripe payment page: Stripe.js and its frames, which
/// talk to Stripe's API, and this shop's small script that mounts them.
pub(crate) const STRIPE_CSP: &str = "default-src 'none'; script-src 'self' https://js.stripe.com; frame-src https://js.stripe.com https://hooks.stripe.com; connect-src https://api.stripe.com; img-src https://*.stripe.com; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// A payment page with the usual policy.
pub(crate) fn page(status: StatusCode, title: &str, body: &str) -> Response {
    shell(status, title, "", body, CSP)
}

/// A payment page with extra `head` markup (trusted, not user text) and
/// its own content security policy.
pub(crate) fn shell(
    status: StatusCode,
    title: &str,
    head: &str,
    body: &str,
    csp: &'static str,
) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">{head}\
         <title>{title}</title><style>\
         body{{font-family:system-ui,sans-serif;background:#f4f5f7;color:#1c1e21;margin:0;display:flex;justify-content:center;padding:3rem 1rem}}\
         main{{background:#fff;border-radius:12px;box-shadow:0 2px 12px rgba(0,0,0,.08);padding:2rem;max-width:26rem;width:100%}}\
         h1{{font-size:1.3rem;margin-top:0}} label{{display:block;font-weight:600;margin:1rem 0 .3rem}}\
         input{{width:100%;box-sizing:border-box;padding:.6rem;font-size:1rem;border:1px solid #c4c8cf;border-radius:6px}}\
         button{{margin-top:1rem;width:100%;padding:.7rem;font-size:1rem;background:#3550e8;color:#fff;border:0;border-radius:6px}}\
         .error{{color:#b42318}} .hint{{color:#5f6672;font-size:.9rem}} #payment-element{{margin:1rem 0;min-height:3rem}}\
         @media (prefers-color-scheme: dark){{body{{background:#15171a;color:#e8eaed}} main{{background:#1f2226}} input{{background:#15171a;color:#e8eaed;border-color:#3a3f46}}}}\
         </style></head><body><main><h1>{title}</h1>{body}</main></body></html>",
        title = escape(title),
    );
    let mut response = (status, html).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(csp),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
