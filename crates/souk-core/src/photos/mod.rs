//! Product photos: staff and sellers upload, order, describe and remove
//! them (a seller only on its own products, through the same use cases);
//! a job makes the thumbnails; the shop serves every file under its
//! content hash.

pub mod picture;
pub mod store;

use crate::actor::{Actor, CatalogueScope};
use crate::{CoreError, Shop};
use bytes::Bytes;
use souk_db::entity::product_photo;
use souk_db::repo::catalogue;
use souk_db::repo::jobs::{self, NewJob};
use souk_db::repo::photos::{self as repo, NewPhotoRow};
use souk_domain::FieldError;
use souk_domain::photos::{self, PhotoFile, PhotoFormat};
use std::collections::HashMap;

/// Makes the thumbnails of one stored picture.
pub const MAKE_THUMBNAILS: &str = "make_thumbnails";

/// A photo as the panels, the API and the pages show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhotoView {
    pub id: i64,
    pub product_id: i64,
    pub variant_id: Option<i64>,
    pub position: i32,
    pub alt: String,
    pub hash: String,
    pub format: PhotoFormat,
    pub width: u32,
    pub height: u32,
    pub byte_size: i64,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl PhotoView {
    fn of(row: product_photo::Model) -> Self {
        Self {
            format: PhotoFormat::parse(&row.format).unwrap_or(PhotoFormat::Jpeg),
            id: row.id,
            product_id: row.product_id,
            variant_id: row.variant_id,
            position: row.position,
            alt: row.alt,
            hash: row.hash,
            width: u32::try_from(row.width).unwrap_or(0),
            height: u32::try_from(row.height).unwrap_or(0),
            byte_size: row.byte_size,
            created_at: row.created_at,
        }
    }

    /// The path of the picture itself.
    pub fn original_url(&self) -> String {
        self.url(None, self.format)
    }

    /// The path of one of its files: a thumbnail `width` wide (or the
    /// picture itself), in `format`.
    pub fn url(&self, width: Option<u32>, format: PhotoFormat) -> String {
        format!(
            "/images/{}/{}",
            self.hash,
            PhotoFile { width, format }.name()
        )
    }

    /// The thumbnail widths this photo has (those narrower than it).
    pub fn widths(&self) -> Vec<u32> {
        photos::thumbnail_widths(self.width).collect()
    }

    /// The path of the smallest file at least `width` wide in `format`
    /// (the picture itself when it is narrower).
    pub fn fitting(&self, width: u32, format: PhotoFormat) -> String {
        match self.widths().into_iter().find(|w| *w >= width) {
            Some(w) => self.url(Some(w), format),
            None if format == PhotoFormat::Webp && self.format != PhotoFormat::Webp => {
                // No WebP of the picture itself is made; its largest
                // thumbnail is the closest.
                match self.widths().last() {
                    Some(w) => self.url(Some(*w), format),
                    None => self.original_url(),
                }
            }
            None => self.original_url(),
        }
    }

    /// `srcset` in `format`: every thumbnail with its width, and the
    /// picture itself when it is in that format.
    pub fn srcset(&self, format: PhotoFormat) -> String {
        let mut parts: Vec<String> = self
            .widths()
            .into_iter()
            .map(|w| format!("{} {w}w", self.url(Some(w), format)))
            .collect();
        if format == self.format {
            parts.push(format!("{} {}w", self.original_url(), self.width));
        }
        parts.join(", ")
    }

    /// `srcset` of the WebP thumbnails, for a `<source type="image/webp">`.
    pub fn webp_srcset(&self) -> String {
        self.srcset(PhotoFormat::Webp)
    }

    /// `srcset` in the picture's own format, for the `<img>`.
    pub fn own_srcset(&self) -> String {
        self.srcset(self.format)
    }

    /// The picture's own format at about `width` pixels, for `src`.
    pub fn src_at(&self, width: impl std::borrow::Borrow<u32>) -> String {
        self.fitting(*width.borrow(), self.format)
    }

    /// The height at `width`, keeping the proportions.
    pub fn height_at(&self, width: impl std::borrow::Borrow<u32>) -> u32 {
        let width = *width.borrow();
        if self.width == 0 {
            return width;
        }
        ((u64::from(self.height) * u64::from(width)) / u64::from(self.width)).max(1) as u32
    }
}

/// A new photo: the uploaded bytes and what they show.
#[derive(Debug, Clone)]
pub struct NewPhoto {
    pub bytes: Bytes,
    pub alt: String,
    pub variant_id: Option<i64>,
}

/// Changes to a photo; missing fields stay as they are.
#[derive(Debug, Clone, Default)]
pub struct PhotoPatch {
    pub alt: Option<String>,
    /// Its new place among the product's photos, from 0 (past the end: last).
    pub position: Option<i32>,
    /// `Some(None)` unties it from its variant.
    pub variant_id: Option<Option<i64>>,
}

/// A file of a picture, ready to serve.
#[derive(Debug, Clone)]
pub struct ImageFile {
    pub bytes: Bytes,
    pub format: PhotoFormat,
    /// `false`: the thumbnail asked for is not made yet and this is the
    /// picture itself, to be kept only briefly.
    pub exact: bool,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct ThumbnailJob {
    hash: String,
    format: String,
}

impl Shop {
    /// The product `product_id` if the actor manages it.
    async fn photo_product(&self, actor: &Actor, product_id: i64) -> Result<(), CoreError> {
        let scope: CatalogueScope = actor.catalogue_scope()?;
        catalogue::find_product(self.db.conn(), &product_id.to_string())
            .await?
            .filter(|p| p.id == product_id && scope.covers(p.seller_id))
            .map(|_| ())
            .ok_or(CoreError::NotFound("product"))
    }

    /// A variant must be one of the product's own.
    async fn check_photo_variant(
        &self,
        product_id: i64,
        variant_id: Option<i64>,
    ) -> Result<(), CoreError> {
        let Some(id) = variant_id else { return Ok(()) };
        let found = catalogue::find_variant(self.db.conn(), id).await?;
        if found.is_none_or(|v| v.product_id != product_id) {
            return Err(CoreError::Clash(vec![FieldError::new(
                "variant_id",
                "names no variant of this product",
            )]));
        }
        Ok(())
    }

    /// The photos of a product the actor manages, in order.
    pub async fn list_photos(
        &self,
        actor: &Actor,
        product_id: i64,
    ) -> Result<Vec<PhotoView>, CoreError> {
        self.photo_product(actor, product_id).await?;
        self.product_photos(product_id).await
    }

    /// The photos of a product, in order, as shoppers see them.
    pub async fn product_photos(&self, product_id: i64) -> Result<Vec<PhotoView>, CoreError> {
        Ok(repo::of_products(self.db.conn(), &[product_id])
            .await?
            .into_iter()
            .map(PhotoView::of)
            .collect())
    }

    /// The first photo of each of these products that has one.
    pub async fn cover_photos(
        &self,
        product_ids: &[i64],
    ) -> Result<HashMap<i64, PhotoView>, CoreError> {
        Ok(repo::covers(self.db.conn(), product_ids)
            .await?
            .into_iter()
            .map(|p| (p.product_id, PhotoView::of(p)))
            .collect())
    }

    /// Adds a photo at the end of a product's photos: the upload must be a
    /// JPEG, PNG or WebP picture by its bytes; it is stored encoded again,
    /// under its content hash, and a job makes its thumbnails.
    pub async fn add_photo(
        &self,
        actor: &Actor,
        product_id: i64,
        input: NewPhoto,
    ) -> Result<PhotoView, CoreError> {
        self.photo_product(actor, product_id).await?;
        let mut errors = Vec::new();
        let alt = photos::parse_alt(&input.alt)
            .map_err(|e| errors.push(e.at("alt")))
            .ok();
        let upload = input.bytes;
        let cleaned = tokio::task::spawn_blocking(move || picture::clean(&upload))
            .await
            .map_err(|e| anyhow::anyhow!("cleaning a picture stopped: {e}"))?;
        let cleaned = match cleaned {
            Ok(c) => Some(c),
            Err(CoreError::Validation(mut file)) => {
                errors.append(&mut file);
                None
            }
            Err(other) => return Err(other),
        };
        let (Some(alt), Some(cleaned)) = (alt, cleaned) else {
            return Err(CoreError::Validation(errors));
        };
        self.check_photo_variant(product_id, input.variant_id)
            .await?;
        let existing = repo::of_products(self.db.conn(), &[product_id]).await?;
        if existing.len() >= photos::MAX_PHOTOS {
            return Err(CoreError::Conflict(format!(
                "A product has at most {} photos.",
                photos::MAX_PHOTOS
            )));
        }
        let original = PhotoFile {
            width: None,
            format: cleaned.format,
        };
        self.files
            .put(
                &original.key(&cleaned.hash),
                Bytes::from(cleaned.bytes.clone()),
            )
            .await?;
        let txn = self.db.begin_write().await?;
        let position = repo::of_products(&txn, &[product_id])
            .await?
            .last()
            .map_or(0, |p| p.position + 1);
        let row = repo::insert(
            &txn,
            NewPhotoRow {
                product_id,
                variant_id: input.variant_id,
                position,
                alt,
                hash: cleaned.hash.clone(),
                format: cleaned.format.as_str().to_owned(),
                width: cleaned.width as i32,
                height: cleaned.height as i32,
                byte_size: cleaned.bytes.len() as i64,
            },
        )
        .await?;
        enqueue_thumbnails(&txn, row.id, &cleaned.hash, cleaned.format).await?;
        txn.commit().await?;
        self.cache.catalogue_changed();
        Ok(PhotoView::of(row))
    }

    /// Changes a photo's alt text, place or variant.
    pub async fn update_photo(
        &self,
        actor: &Actor,
        product_id: i64,
        photo_id: i64,
        patch: PhotoPatch,
    ) -> Result<PhotoView, CoreError> {
        self.photo_product(actor, product_id).await?;
        let alt = match &patch.alt {
            Some(raw) => {
                Some(photos::parse_alt(raw).map_err(|e| CoreError::Validation(vec![e.at("alt")]))?)
            }
            None => None,
        };
        if let Some(Some(variant)) = patch.variant_id {
            self.check_photo_variant(product_id, Some(variant)).await?;
        }
        let txn = self.db.begin_write().await?;
        let mut all = repo::of_products(&txn, &[product_id]).await?;
        let Some(index) = all.iter().position(|p| p.id == photo_id) else {
            return Err(CoreError::NotFound("photo"));
        };
        let current = all[index].clone();
        let variant_id = patch.variant_id.unwrap_or(current.variant_id);
        let mut updated = current.clone();
        if alt.is_some() || patch.variant_id.is_some() {
            updated = repo::update(
                &txn,
                current.clone(),
                alt.unwrap_or(current.alt.clone()),
                variant_id,
            )
            .await?;
        }
        if let Some(position) = patch.position {
            let moved = all.remove(index);
            let to = usize::try_from(position.max(0)).unwrap_or(0).min(all.len());
            all.insert(to, moved);
            let order: Vec<i64> = all.iter().map(|p| p.id).collect();
            repo::set_order(&txn, &order).await?;
            updated.position = to as i32;
        }
        txn.commit().await?;
        self.cache.catalogue_changed();
        Ok(PhotoView::of(updated))
    }

    /// Removes a photo; its files go too when no other photo shows the
    /// same picture.
    pub async fn delete_photo(
        &self,
        actor: &Actor,
        product_id: i64,
        photo_id: i64,
    ) -> Result<(), CoreError> {
        self.photo_product(actor, product_id).await?;
        let txn = self.db.begin_write().await?;
        let mut all = repo::of_products(&txn, &[product_id]).await?;
        let Some(index) = all.iter().position(|p| p.id == photo_id) else {
            return Err(CoreError::NotFound("photo"));
        };
        let gone = all.remove(index);
        repo::delete(&txn, gone.id).await?;
        let order: Vec<i64> = all.iter().map(|p| p.id).collect();
        repo::set_order(&txn, &order).await?;
        let still_used = repo::count_with_hash(&txn, &gone.hash).await? > 0;
        txn.commit().await?;
        self.cache.catalogue_changed();
        if !still_used && let Some(format) = PhotoFormat::parse(&gone.format) {
            self.delete_picture_files(&gone.hash, format).await;
        }
        Ok(())
    }

    /// Removes every file of a picture; a failure is logged, not fatal (a
    /// stray file costs space, not correctness).
    async fn delete_picture_files(&self, hash: &str, format: PhotoFormat) {
        let mut files = vec![PhotoFile {
            width: None,
            format,
        }];
        for width in photos::THUMBNAIL_WIDTHS {
            for f in [format, PhotoFormat::Webp] {
                files.push(PhotoFile {
                    width: Some(width),
                    format: f,
                });
            }
        }
        for file in files {
            if let Err(err) = self.files.delete(&file.key(hash)).await {
                tracing::warn!(error = %err, hash, "a picture's file could not be deleted");
            }
        }
    }

    /// A file of a picture by its hash and name: the thumbnail asked for,
    /// or the picture itself while the thumbnail is not made yet; `None`
    /// for a picture or name the shop does not have.
    pub async fn image_file(&self, hash: &str, name: &str) -> Result<Option<ImageFile>, CoreError> {
        if !photos::is_content_hash(hash) {
            return Ok(None);
        }
        let Some(file) = PhotoFile::parse(name) else {
            return Ok(None);
        };
        if let Some(bytes) = self.files.get(&file.key(hash)).await? {
            return Ok(Some(ImageFile {
                bytes,
                format: file.format,
                exact: true,
            }));
        }
        if file.width.is_none() {
            return Ok(None);
        }
        let Some(photo) = repo::any_with_hash(self.db.conn(), hash).await? else {
            return Ok(None);
        };
        let Some(format) = PhotoFormat::parse(&photo.format) else {
            return Ok(None);
        };
        let original = PhotoFile {
            width: None,
            format,
        };
        Ok(self
            .files
            .get(&original.key(hash))
            .await?
            .map(|bytes| ImageFile {
                bytes,
                format,
                exact: false,
            }))
    }

    /// The job: makes and stores the thumbnails of one picture. Run twice,
    /// it writes the same files again.
    pub(crate) async fn make_thumbnails(&self, payload: &str) -> Result<(), crate::jobs::JobError> {
        let job: ThumbnailJob = serde_json::from_str(payload)
            .map_err(|e| crate::jobs::JobError::GiveUp(format!("unreadable thumbnail job: {e}")))?;
        let Some(format) = PhotoFormat::parse(&job.format) else {
            return Err(crate::jobs::JobError::GiveUp(format!(
                "unknown picture format {}",
                job.format
            )));
        };
        let original = PhotoFile {
            width: None,
            format,
        };
        let Some(stored) = self.files.get(&original.key(&job.hash)).await? else {
            // Deleted meanwhile: nothing to make.
            return Ok(());
        };
        let made = tokio::task::spawn_blocking(move || picture::thumbnails(&stored, format))
            .await
            .map_err(|e| CoreError::from(anyhow::anyhow!("making thumbnails stopped: {e}")))??;
        for thumbnail in made {
            let file = PhotoFile {
                width: Some(thumbnail.width),
                format: thumbnail.format,
            };
            self.files
                .put(&file.key(&job.hash), Bytes::from(thumbnail.bytes))
                .await?;
        }
        Ok(())
    }

    /// Stores a picture the shop made itself (the demo's), as an upload
    /// by the system.
    pub async fn add_demo_photo(
        &self,
        product_id: i64,
        bytes: Vec<u8>,
        alt: &str,
    ) -> Result<PhotoView, CoreError> {
        self.add_photo(
            &Actor::System,
            product_id,
            NewPhoto {
                bytes: Bytes::from(bytes),
                alt: alt.to_owned(),
                variant_id: None,
            },
        )
        .await
    }
}

/// Queues the thumbnails of a new photo's picture.
async fn enqueue_thumbnails(
    txn: &impl souk_db::ConnectionTrait,
    photo_id: i64,
    hash: &str,
    format: PhotoFormat,
) -> Result<(), CoreError> {
    jobs::enqueue(
        txn,
        NewJob {
            kind: MAKE_THUMBNAILS,
            payload: serde_json::to_string(&ThumbnailJob {
                hash: hash.to_owned(),
                format: format.as_str().to_owned(),
            })
            .map_err(anyhow::Error::from)?,
            run_at: chrono::Utc::now(),
            max_attempts: 5,
            unique_key: Some(format!("{MAKE_THUMBNAILS}:{photo_id}")),
        },
    )
    .await?;
    Ok(())
}
