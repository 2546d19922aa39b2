//! The reviews part of a product page: the rating summary, a page of
//! reviews in the order chosen, and the form with which a verified buyer
//! writes or edits its review (`POST /products/{slug}/reviews`). It works
//! without JavaScript: the form posts and the page comes back.

use super::forms::{Errors, PageForm};
use super::{PageError, Visitor, redirect, redirect_with};
use crate::AppState;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use serde::Deserialize;
use souk_core::CoreError;
use souk_core::catalogue::ProductDetail;
use souk_core::reviews::{ReviewInput, ReviewStanding, ReviewView};
use souk_domain::paging::PageRequest;
use souk_domain::reviews::{
    BODY_MAX, RatingSummary, ReviewSort, ReviewStatus, TITLE_MAX, parse_rating,
};

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/products/{slug}/reviews", post(write))
}

/// Reviews shown per page.
const PER_PAGE: u64 = 10;

/// The order and page of reviews asked for in the product page's query;
/// anything unreadable is the default.
#[derive(Debug, Default)]
pub(super) struct ReviewsQuery {
    reviews_sort: String,
    reviews_page: String,
}

impl ReviewsQuery {
    /// Reads the query string leniently: the first value of each key
    /// counts, anything else is ignored.
    pub fn parse(raw: Option<&str>) -> Self {
        let mut query = Self::default();
        for (key, value) in form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
            match key.as_ref() {
                "reviews_sort" if query.reviews_sort.is_empty() => {
                    query.reviews_sort = value.chars().take(20).collect();
                }
                "reviews_page" if query.reviews_page.is_empty() => {
                    query.reviews_page = value.chars().take(20).collect();
                }
                _ => {}
            }
        }
        query
    }
}

/// One bar of the distribution.
pub(super) struct Bar {
    pub stars: u8,
    pub count: u64,
    pub percent: u64,
}

/// An order offered for the reviews.
pub(super) struct SortChoice {
    pub value: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

/// The review form as typed.
#[derive(Debug, Default, Deserialize)]
pub(super) struct ReviewFields {
    #[serde(default)]
    rating: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
}

/// The form: what it holds and why it was refused.
pub(super) struct ReviewForm {
    pub rating: String,
    pub title: String,
    pub body: String,
    pub errors: Errors,
    /// Editing the visitor's review (rather than writing one).
    pub editing: bool,
}

impl ReviewForm {
    fn of(mine: Option<&ReviewView>) -> Self {
        match mine {
            Some(r) => Self {
                rating: r.rating.to_string(),
                title: r.title.clone(),
                body: r.body.clone(),
                errors: Errors::default(),
                editing: true,
            },
            None => Self {
                rating: String::new(),
                title: String::new(),
                body: String::new(),
                errors: Errors::default(),
                editing: false,
            },
        }
    }

    /// The star choices, five first, with the one typed checked.
    pub fn choices(&self) -> Vec<(u8, bool)> {
        (1..=5u8)
            .rev()
            .map(|stars| (stars, self.rating == stars.to_string()))
            .collect()
    }
}

/// What the product page shows of reviews.
pub(super) struct ReviewsPart {
    pub summary: RatingSummary,
    pub bars: Vec<Bar>,
    pub items: Vec<ReviewView>,
    pub sorts: Vec<SortChoice>,
    pub page: u64,
    pub pages: u64,
    pub prev: Option<String>,
    pub next: Option<String>,
    /// The visitor's own review, shown with its status when not published.
    pub mine: Option<ReviewView>,
    /// The form, for a verified buyer.
    pub form: Option<ReviewForm>,
    /// Why there is no form ("Sign in to review").
    pub note: Option<&'static str>,
}

impl ReviewsPart {
    /// Whether the visitor's review waits for staff or was taken down.
    pub fn mine_status(&self) -> Option<&'static str> {
        match self.mine.as_ref().map(|r| r.status) {
            Some(ReviewStatus::Pending) => {
                Some("Your review is waiting for approval before shoppers see it.")
            }
            Some(ReviewStatus::Hidden) => Some("Your review has been hidden by the shop."),
            _ => None,
        }
    }
}

/// The reviews part of `product`'s page; `refused` is a form sent back
/// with its errors.
pub(super) async fn part(
    state: &AppState,
    visitor: &Visitor,
    product: &ProductDetail,
    query: &ReviewsQuery,
    refused: Option<ReviewForm>,
) -> Result<ReviewsPart, PageError> {
    let sort = ReviewSort::parse(&query.reviews_sort).unwrap_or_default();
    let page = query
        .reviews_page
        .parse::<i64>()
        .ok()
        .and_then(|n| PageRequest::parse(Some(n), Some(PER_PAGE as i64)).ok())
        .unwrap_or(PageRequest {
            page: 1,
            per_page: PER_PAGE,
        });
    let found = state
        .shop
        .product_reviews(&product.id.to_string(), sort, page)
        .await?;
    let standing = state
        .shop
        .review_standing(&visitor.actor(), product.id)
        .await?;
    let (mine, form, note) = match standing {
        ReviewStanding::SignedOut => (None, None, Some("Sign in to review this product.")),
        ReviewStanding::NotReceived => (
            None,
            None,
            Some("Shoppers who received this product can review it."),
        ),
        ReviewStanding::MayWrite => (None, Some(ReviewForm::of(None)), None),
        ReviewStanding::Written(mine) => {
            let form = ReviewForm::of(Some(&mine));
            (Some(mine), Some(form), None)
        }
    };
    let form = match (refused, form) {
        (Some(refused), Some(_)) => Some(refused),
        (_, form) => form,
    };
    let summary = found.summary;
    let pages = found.page.pages();
    let link = |n: u64| {
        format!(
            "/products/{}?reviews_sort={}&reviews_page={n}#reviews",
            product.slug,
            sort.as_str()
        )
    };
    Ok(ReviewsPart {
        bars: (1..=5u8)
            .rev()
            .map(|stars| Bar {
                stars,
                count: summary.counts[usize::from(stars) - 1],
                percent: summary.percent(stars),
            })
            .collect(),
        sorts: ReviewSort::ALL
            .into_iter()
            .map(|s| SortChoice {
                value: s.as_str(),
                label: s.label(),
                selected: s == sort,
            })
            .collect(),
        page: found.page.page,
        prev: (found.page.page > 1).then(|| link(found.page.page - 1)),
        next: (found.page.page < pages).then(|| link(found.page.page + 1)),
        pages,
        items: found.page.items,
        summary,
        mine,
        form,
        note,
    })
}

/// A verified buyer writes its review, or edits the one it wrote.
async fn write(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
    PageForm(fields): PageForm<ReviewFields>,
) -> Result<Response, PageError> {
    let back = format!("/products/{slug}");
    if !visitor.is_signed_in() {
        return Ok(redirect(&format!(
            "/login?next={}",
            super::forms::encode(&back)
        )));
    }
    let product = state.shop.get_product(&slug).await?;
    let actor = visitor.actor();
    let rating = match parse_rating_field(&fields.rating) {
        Ok(rating) => rating,
        Err(message) => {
            let form = ReviewForm {
                errors: Errors::for_field("rating", message),
                ..refused_form(fields, false)
            };
            return super::product::with_review_form(&state, &visitor, &slug, form).await;
        }
    };
    let input = ReviewInput {
        rating,
        title: fields.title.clone(),
        body: fields.body.clone(),
    };
    let standing = state.shop.review_standing(&actor, product.id).await?;
    let result = match &standing {
        ReviewStanding::Written(mine) => state.shop.edit_review(&actor, mine.id, input).await,
        _ => state.shop.write_review(&actor, &slug, input).await,
    };
    match result {
        Ok(review) => {
            let message = match review.status {
                ReviewStatus::Published => "Thank you: your review is published.",
                ReviewStatus::Pending => {
                    "Thank you: your review will appear once the shop has approved it."
                }
                ReviewStatus::Hidden => "Your review is saved; the shop has hidden it.",
            };
            Ok(redirect_with(&format!("{back}#reviews"), message, &visitor))
        }
        Err(CoreError::NotFound(what)) => Err(CoreError::NotFound(what).into()),
        Err(err) => {
            let editing = matches!(standing, ReviewStanding::Written(_));
            let form = ReviewForm {
                errors: Errors::from_core(err)?,
                ..refused_form(fields, editing)
            };
            super::product::with_review_form(&state, &visitor, &slug, form).await
        }
    }
}

fn refused_form(fields: ReviewFields, editing: bool) -> ReviewForm {
    ReviewForm {
        rating: fields.rating.chars().take(2).collect(),
        title: fields.title.chars().take(TITLE_MAX + 20).collect(),
        body: fields.body.chars().take(BODY_MAX + 20).collect(),
        errors: Errors::default(),
        editing,
    }
}

/// The chosen number of stars.
fn parse_rating_field(raw: &str) -> Result<i64, &'static str> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| parse_rating(*n).is_ok())
        .ok_or("Choose a rating from one to five stars.")
}
