//! Turning an upload into a picture the shop can serve: its format from its
//! bytes, its declared size checked before it is decoded, decoded under
//! limits, and encoded again, which drops EXIF and anything hidden after
//! or inside it. Thumbnails are made from the stored picture. CPU-bound:
//! callers run these on the blocking pool.

use crate::CoreError;
use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::codecs::webp::WebPEncoder;
use image::{DynamicImage, ImageDecoder, ImageEncoder, ImageFormat, ImageReader, Limits};
use sha2::{Digest, Sha256};
use souk_domain::photos::{self, PhotoFormat};
use std::io::Cursor;

/// The quality JPEGs are written at.
const JPEG_QUALITY: u8 = 88;

/// An upload that is a picture, encoded again.
#[derive(Debug, Clone)]
pub struct CleanPicture {
    pub format: PhotoFormat,
    pub width: u32,
    pub height: u32,
    /// The re-encoded picture.
    pub bytes: Vec<u8>,
    /// SHA-256 (hex) of `bytes`: its key in the store.
    pub hash: String,
}

fn image_format(format: PhotoFormat) -> ImageFormat {
    match format {
        PhotoFormat::Jpeg => ImageFormat::Jpeg,
        PhotoFormat::Png => ImageFormat::Png,
        PhotoFormat::Webp => ImageFormat::WebP,
    }
}

fn refused(message: impl Into<String>) -> CoreError {
    CoreError::invalid("file", message)
}

/// Takes an upload apart and puts it together again, or says why not:
/// 413 past the size limit; 422 for anything not a JPEG, PNG or WebP by
/// its bytes, declaring too many pixels, or damaged or cut short.
pub fn clean(upload: &[u8]) -> Result<CleanPicture, CoreError> {
    if upload.len() > photos::MAX_UPLOAD_BYTES {
        return Err(CoreError::TooLarge(
            "The file is larger than 10 MiB; upload a smaller photo.",
        ));
    }
    let format = PhotoFormat::sniff(upload).map_err(|e| refused(e.0))?;
    if format == PhotoFormat::Jpeg && !has_end_marker(upload) {
        return Err(refused("is cut short: the JPEG has no end"));
    }
    let damaged = |_| refused("is damaged or cut short and cannot be read as a picture");
    let (width, height) = ImageReader::with_format(Cursor::new(upload), image_format(format))
        .into_dimensions()
        .map_err(damaged)?;
    photos::check_dimensions(width, height).map_err(|e| refused(e.0))?;
    let mut reader = ImageReader::with_format(Cursor::new(upload), image_format(format));
    reader.limits(limits());
    let mut decoder = reader.into_decoder().map_err(damaged)?;
    let orientation = decoder.orientation().ok();
    let mut picture = DynamicImage::from_decoder(decoder).map_err(damaged)?;
    if let Some(orientation) = orientation {
        picture.apply_orientation(orientation);
    }
    let bytes = encode(&picture, format)?;
    let hash = hex::encode(Sha256::digest(&bytes));
    Ok(CleanPicture {
        format,
        width: picture.width(),
        height: picture.height(),
        bytes,
        hash,
    })
}

/// What the decoder may take: the declared limits, and memory for the
/// largest picture allowed at 16 bits and four channels.
fn limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(photos::MAX_SIDE);
    limits.max_image_height = Some(photos::MAX_SIDE);
    limits.max_alloc = Some(photos::MAX_PIXELS * 8 + 64 * 1024 * 1024);
    limits
}

/// Whether a JPEG ends (an end-of-image marker after the data); the
/// decoder would fill a cut-off picture with grey.
fn has_end_marker(bytes: &[u8]) -> bool {
    bytes
        .windows(2)
        .rev()
        .take(64 * 1024)
        .any(|w| w == [0xFF, 0xD9])
}

/// Encodes a picture in `format`: 8 bits a channel; JPEG without alpha.
pub fn encode(picture: &DynamicImage, format: PhotoFormat) -> Result<Vec<u8>, CoreError> {
    let mut out = Vec::new();
    let alpha = picture.color().has_alpha() && format != PhotoFormat::Jpeg;
    let (raw, color) = if alpha {
        (
            picture.to_rgba8().into_raw(),
            image::ExtendedColorType::Rgba8,
        )
    } else {
        (picture.to_rgb8().into_raw(), image::ExtendedColorType::Rgb8)
    };
    let (w, h) = (picture.width(), picture.height());
    let written = match format {
        PhotoFormat::Jpeg => {
            JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY).write_image(&raw, w, h, color)
        }
        PhotoFormat::Png => PngEncoder::new(&mut out).write_image(&raw, w, h, color),
        PhotoFormat::Webp => WebPEncoder::new_lossless(&mut out).write_image(&raw, w, h, color),
    };
    written.map_err(|e| anyhow::anyhow!("cannot encode a {} picture: {e}", format.as_str()))?;
    Ok(out)
}

/// A thumbnail: its width and format, and its bytes.
pub struct Thumbnail {
    pub width: u32,
    pub format: PhotoFormat,
    pub bytes: Vec<u8>,
}

/// The thumbnails of a stored picture: each width the pages use that is
/// narrower than the picture, in its own format and as WebP.
pub fn thumbnails(stored: &[u8], format: PhotoFormat) -> Result<Vec<Thumbnail>, CoreError> {
    let mut reader = ImageReader::with_format(Cursor::new(stored), image_format(format));
    reader.limits(limits());
    let source = reader
        .decode()
        .map_err(|e| anyhow::anyhow!("a stored picture cannot be read: {e}"))?;
    let source = if source.color().has_alpha() {
        DynamicImage::ImageRgba8(source.to_rgba8())
    } else {
        DynamicImage::ImageRgb8(source.to_rgb8())
    };
    let mut resizer = Resizer::new();
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    let mut made = Vec::new();
    for width in photos::thumbnail_widths(source.width()) {
        let height = ((u64::from(source.height()) * u64::from(width)) / u64::from(source.width()))
            .max(1) as u32;
        let mut target = match &source {
            DynamicImage::ImageRgba8(_) => DynamicImage::new_rgba8(width, height),
            _ => DynamicImage::new_rgb8(width, height),
        };
        resizer
            .resize(&source, &mut target, &options)
            .map_err(|e| anyhow::anyhow!("cannot resize a picture: {e}"))?;
        for out in [format, PhotoFormat::Webp] {
            if out == PhotoFormat::Webp
                && format == PhotoFormat::Webp
                && made.iter().any(|t: &Thumbnail| t.width == width)
            {
                continue;
            }
            made.push(Thumbnail {
                width,
                format: out,
                bytes: encode(&target, out)?,
            });
        }
    }
    Ok(made)
}
