//! Product photos, for staff (`/api/v1/admin/products/{id}/photos`) and
//! for a seller on its own products (`/api/v1/seller/products/{id}/photos`):
//! the same use cases, scoped by the core to the acting party.

use super::types::rules;
use crate::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, Id, Ids, Seller, Staff};
use axum::Json;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{StatusCode, header};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use souk_core::CoreError;
use souk_core::actor::Actor;
use souk_core::photos::{NewPhoto, PhotoPatch, PhotoView};
use souk_domain::photos::PhotoFormat;
use utoipa::ToSchema;

use super::types::double_option;

/// A smaller copy of a photo, for a width the pages use.
#[derive(Debug, Serialize, ToSchema)]
pub struct ThumbnailDto {
    pub width: u32,
    /// In the photo's own format.
    pub url: String,
    /// As WebP.
    pub webp_url: String,
}

/// A photo of a product.
#[derive(Debug, Serialize, ToSchema)]
pub struct PhotoDto {
    pub id: i64,
    pub product_id: i64,
    /// The variant it shows; `null`: the product as a whole.
    pub variant_id: Option<i64>,
    /// Its place among the product's photos, from 0.
    pub position: i32,
    pub alt: String,
    /// `jpeg`, `png` or `webp`.
    pub format: String,
    pub width: u32,
    pub height: u32,
    /// Size of the stored picture in bytes.
    pub byte_size: i64,
    /// The picture, at a content-addressed URL that never changes.
    pub url: String,
    /// Copies for narrower widths (made by a background job; until then
    /// their URLs answer with the picture itself).
    pub thumbnails: Vec<ThumbnailDto>,
    pub created_at: DateTime<Utc>,
}

impl From<PhotoView> for PhotoDto {
    fn from(p: PhotoView) -> Self {
        Self {
            thumbnails: p
                .widths()
                .into_iter()
                .map(|w| ThumbnailDto {
                    width: w,
                    url: p.url(Some(w), p.format),
                    webp_url: p.url(Some(w), PhotoFormat::Webp),
                })
                .collect(),
            url: p.original_url(),
            id: p.id,
            product_id: p.product_id,
            variant_id: p.variant_id,
            position: p.position,
            alt: p.alt,
            format: p.format.as_str().to_owned(),
            width: p.width,
            height: p.height,
            byte_size: p.byte_size,
            created_at: p.created_at,
        }
    }
}

/// The form of an upload (`multipart/form-data`); no other parts.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[expect(
    dead_code,
    reason = "describes the multipart form for the OpenAPI document"
)]
pub struct PhotoUpload {
    /// A JPEG, PNG or WebP picture of at most 10 MiB and 40 megapixels;
    /// judged by its bytes, not its name or declared type.
    #[schema(value_type = String, content_media_type = "application/octet-stream")]
    file: Vec<u8>,
    /// What the photo shows, for those who cannot see it.
    #[schema(schema_with = rules::text::<1, 300>)]
    alt: String,
    /// One of the product's variants that the photo shows.
    #[schema(schema_with = rules::nullable_id)]
    variant_id: Option<i64>,
}

/// Changes to a photo; missing fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PhotoChanges {
    #[schema(schema_with = rules::nullable_text::<1, 300>)]
    pub alt: Option<String>,
    /// The new place, from 0; past the end is last.
    #[schema(minimum = 0, maximum = 2147483647)]
    pub position: Option<i32>,
    /// `null` unties the photo from its variant.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(schema_with = rules::nullable_id)]
    pub variant_id: Option<Option<i64>>,
}

/// An upload read from its multipart form.
pub(crate) struct UploadForm(pub NewPhoto);

impl<S: Send + Sync> FromRequest<S> for UploadForm {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_multipart = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.trim_start()
                    .to_ascii_lowercase()
                    .starts_with("multipart/form-data")
            });
        if !is_multipart {
            return Err(ApiError::UnsupportedMediaType);
        }
        let mut form = Multipart::from_request(req, state).await.map_err(|e| {
            ApiError::Malformed(format!("The form could not be read: {}", e.body_text()))
        })?;
        read_upload(&mut form).await.map(UploadForm)
    }
}

/// Reads `file`, `alt` and `variant_id` from an upload form; other fields
/// are ignored.
pub(crate) async fn read_upload(form: &mut Multipart) -> Result<NewPhoto, ApiError> {
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::Core(CoreError::TooLarge(
                "The file is larger than 10 MiB; upload a smaller photo.",
            ))
        } else {
            ApiError::Malformed(format!("The form could not be read: {}", e.body_text()))
        }
    };
    let (mut file, mut alt, mut variant) = (None, None, None);
    while let Some(field) = form.next_field().await.map_err(unreadable)? {
        match field.name() {
            Some("file") => file = Some(field.bytes().await.map_err(unreadable)?),
            Some("alt") => alt = Some(field.text().await.map_err(unreadable)?),
            Some("variant_id") => variant = Some(field.text().await.map_err(unreadable)?),
            _ => {}
        }
    }
    let mut errors = Vec::new();
    if file.is_none() {
        errors.push(souk_domain::FieldError::new("file", "is required"));
    }
    if alt.is_none() {
        errors.push(souk_domain::FieldError::new("alt", "is required"));
    }
    let variant_id = match variant.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => match raw.parse::<i64>() {
            Ok(id) if id >= 1 => Some(id),
            _ => {
                errors.push(souk_domain::FieldError::new(
                    "variant_id",
                    "must be a whole number of at least 1",
                ));
                None
            }
        },
    };
    if !errors.is_empty() {
        return Err(CoreError::Validation(errors).into());
    }
    Ok(NewPhoto {
        bytes: file.unwrap_or_default(),
        alt: alt.unwrap_or_default(),
        variant_id,
    })
}

async fn list_as(
    state: &AppState,
    actor: &Actor,
    product: i64,
) -> Result<Json<Vec<PhotoDto>>, ApiError> {
    let photos = state.shop.list_photos(actor, product).await?;
    Ok(Json(photos.into_iter().map(Into::into).collect()))
}

async fn upload_as(
    state: &AppState,
    actor: &Actor,
    product: i64,
    input: NewPhoto,
) -> Result<(StatusCode, Json<PhotoDto>), ApiError> {
    let photo = state.shop.add_photo(actor, product, input).await?;
    Ok((StatusCode::CREATED, Json(photo.into())))
}

async fn update_as(
    state: &AppState,
    actor: &Actor,
    (product, photo): (i64, i64),
    body: PhotoChanges,
) -> Result<Json<PhotoDto>, ApiError> {
    let patch = PhotoPatch {
        alt: body.alt,
        position: body.position,
        variant_id: body.variant_id,
    };
    Ok(Json(
        state
            .shop
            .update_photo(actor, product, photo, patch)
            .await?
            .into(),
    ))
}

/// The photos of a product, in order.
#[utoipa::path(get, path = "/api/v1/admin/products/{id}/photos", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 200, body = Vec<PhotoDto>),
        (status = 404, description = "No such product", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_product_photos(
    State(state): State<AppState>,
    Staff(actor): Staff,
    Id(id): Id,
) -> Result<Json<Vec<PhotoDto>>, ApiError> {
    list_as(&state, &actor, id).await
}

/// Upload a photo of a product; it goes last. The file must be a JPEG,
/// PNG or WebP picture by its bytes; it is stored encoded again (without
/// EXIF or anything hidden in it), and its thumbnails are made in the
/// background.
#[utoipa::path(post, path = "/api/v1/admin/products/{id}/photos", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path)),
    request_body(content = PhotoUpload, content_type = "multipart/form-data"),
    responses(
        (status = 201, body = PhotoDto),
        (status = 404, description = "No such product", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The variant is not one of the product's, or the product has 20 photos", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The file is over 10 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a JPEG, PNG or WebP picture by its bytes (SVG, HTML, text, a renamed or cut-short file), over 40 megapixels, or no alt text", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn upload_product_photo(
    State(state): State<AppState>,
    Staff(actor): Staff,
    Id(id): Id,
    UploadForm(input): UploadForm,
) -> Result<(StatusCode, Json<PhotoDto>), ApiError> {
    upload_as(&state, &actor, id, input).await
}

/// Change a photo's alt text, place or variant.
#[utoipa::path(patch, path = "/api/v1/admin/products/{id}/photos/{photo_id}", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path), ("photo_id" = i64, Path)),
    request_body = PhotoChanges,
    responses(
        (status = 200, body = PhotoDto),
        (status = 404, description = "No such product or photo", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The variant is not one of the product's", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_product_photo(
    State(state): State<AppState>,
    Staff(actor): Staff,
    Ids(ids): Ids,
    ApiJson(body): ApiJson<PhotoChanges>,
) -> Result<Json<PhotoDto>, ApiError> {
    update_as(&state, &actor, ids, body).await
}

/// Delete a photo.
#[utoipa::path(delete, path = "/api/v1/admin/products/{id}/photos/{photo_id}", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path), ("photo_id" = i64, Path)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such product or photo", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete_product_photo(
    State(state): State<AppState>,
    Staff(actor): Staff,
    Ids((product, photo)): Ids,
) -> Result<StatusCode, ApiError> {
    state.shop.delete_photo(&actor, product, photo).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The photos of one of the seller's products, in order.
#[utoipa::path(get, path = "/api/v1/seller/products/{id}/photos", tag = "seller", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 200, body = Vec<PhotoDto>),
        (status = 404, description = "No such product of the seller's", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_seller_product_photos(
    State(state): State<AppState>,
    Seller(actor): Seller,
    Id(id): Id,
) -> Result<Json<Vec<PhotoDto>>, ApiError> {
    list_as(&state, &actor, id).await
}

/// Upload a photo of one of the seller's products; judged and stored as
/// staff uploads are.
#[utoipa::path(post, path = "/api/v1/seller/products/{id}/photos", tag = "seller", security(("bearer" = [])),
    params(("id" = i64, Path)),
    request_body(content = PhotoUpload, content_type = "multipart/form-data"),
    responses(
        (status = 201, body = PhotoDto),
        (status = 404, description = "No such product of the seller's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The variant is not one of the product's, or the product has 20 photos", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The file is over 10 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a JPEG, PNG or WebP picture by its bytes (SVG, HTML, text, a renamed or cut-short file), over 40 megapixels, or no alt text", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn upload_seller_product_photo(
    State(state): State<AppState>,
    Seller(actor): Seller,
    Id(id): Id,
    UploadForm(input): UploadForm,
) -> Result<(StatusCode, Json<PhotoDto>), ApiError> {
    upload_as(&state, &actor, id, input).await
}

/// Change a photo of one of the seller's products.
#[utoipa::path(patch, path = "/api/v1/seller/products/{id}/photos/{photo_id}", tag = "seller", security(("bearer" = [])),
    params(("id" = i64, Path), ("photo_id" = i64, Path)),
    request_body = PhotoChanges,
    responses(
        (status = 200, body = PhotoDto),
        (status = 404, description = "No such product of the seller's, or photo", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The variant is not one of the product's", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_seller_product_photo(
    State(state): State<AppState>,
    Seller(actor): Seller,
    Ids(ids): Ids,
    ApiJson(body): ApiJson<PhotoChanges>,
) -> Result<Json<PhotoDto>, ApiError> {
    update_as(&state, &actor, ids, body).await
}

/// Delete a photo of one of the seller's products.
#[utoipa::path(delete, path = "/api/v1/seller/products/{id}/photos/{photo_id}", tag = "seller", security(("bearer" = [])),
    params(("id" = i64, Path), ("photo_id" = i64, Path)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such product of the seller's, or photo", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete_seller_product_photo(
    State(state): State<AppState>,
    Seller(actor): Seller,
    Ids((product, photo)): Ids,
) -> Result<StatusCode, ApiError> {
    state.shop.delete_photo(&actor, product, photo).await?;
    Ok(StatusCode::NO_CONTENT)
}
