//! A browser for page tests: keeps cookies, reads the form token of the
//! last page, and posts forms as the shop's own pages do.

use crate::harness::{TestApp, TestResponse};
use std::collections::BTreeMap;

pub struct Browser<'a> {
    app: &'a TestApp,
    cookies: BTreeMap<String, String>,
    /// The form token of the last page seen.
    csrf: Option<String>,
}

impl<'a> Browser<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Self {
            app,
            cookies: BTreeMap::new(),
            csrf: None,
        }
    }

    /// GETs a page, keeping its cookies and form token.
    pub async fn get(&mut self, path: &str) -> TestResponse {
        let response = self
            .app
            .get(path)
            .header("cookie", &self.cookie_header())
            .send()
            .await;
        self.keep(&response);
        response
    }

    /// GETs a page and follows redirects to the end.
    pub async fn open(&mut self, path: &str) -> TestResponse {
        let mut response = self.get(path).await;
        for _ in 0..5 {
            match location(&response) {
                Some(next) if response.status.is_redirection() => response = self.get(&next).await,
                _ => break,
            }
        }
        response
    }

    /// POSTs a form from this site with the current form token.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        let token = self.csrf.clone().unwrap_or_default();
        let mut all = vec![("csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &all, "same-origin").await
    }

    /// POSTs exactly these fields, with this `Sec-Fetch-Site`.
    pub async fn post_raw(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        fetch_site: &str,
    ) -> TestResponse {
        let body: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let response = self
            .app
            .post(path)
            .raw("application/x-www-form-urlencoded", &body)
            .header("cookie", &self.cookie_header())
            .header("sec-fetch-site", fetch_site)
            .send()
            .await;
        self.keep(&response);
        response
    }

    /// Signs in through the login page.
    pub async fn sign_in(&mut self, email: &str, password: &str) {
        self.get("/login").await;
        let response = self
            .post("/login", &[("email", email), ("password", password)])
            .await;
        assert_eq!(response.status.as_u16(), 303, "{}", response.text);
    }

    /// Registers through the register page.
    pub async fn register(&mut self, email: &str, name: &str) {
        self.get("/register").await;
        let response = self
            .post(
                "/register",
                &[
                    ("email", email),
                    ("password", crate::harness::PASSWORD),
                    ("name", name),
                ],
            )
            .await;
        assert_eq!(response.status.as_u16(), 303, "{}", response.text);
    }

    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.cookies.get(name).map(String::as_str)
    }

    pub fn set_cookie(&mut self, name: &str, value: &str) {
        self.cookies.insert(name.to_owned(), value.to_owned());
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep(&mut self, response: &TestResponse) {
        for value in response.headers.get_all("set-cookie") {
            let text = value.to_str().unwrap_or_default();
            let pair = text.split(';').next().unwrap_or_default();
            if let Some((name, value)) = pair.split_once('=') {
                if value.is_empty() || text.contains("Max-Age=0") {
                    self.cookies.remove(name);
                } else {
                    self.cookies.insert(name.to_owned(), value.to_owned());
                }
            }
        }
        if let Some(token) = hidden_field(&response.text, "csrf") {
            self.csrf = Some(token);
        }
    }
}

/// Where a redirect points.
pub fn location(response: &TestResponse) -> Option<String> {
    response
        .headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// The value of the first hidden input called `name` in a page.
pub fn hidden_field(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_owned())
}
