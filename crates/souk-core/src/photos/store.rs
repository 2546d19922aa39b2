//! Where pictures are kept: a port with put, get and delete by key over
//! `object_store`, a folder on this machine by default or an
//! S3-compatible bucket by setting.

use crate::CoreError;
use anyhow::Context;
use bytes::Bytes;
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path as StoreKey;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use secrecy::{ExposeSecret, SecretString};
use std::path::PathBuf;
use std::sync::Arc;

/// Which store holds the pictures.
#[derive(Clone, Debug)]
pub enum StorageConfig {
    /// A folder on this machine (created if missing).
    Local { root: PathBuf },
    /// An S3-compatible bucket.
    S3(S3Config),
}

impl Default for StorageConfig {
    fn default() -> Self {
        Self::Local {
            root: PathBuf::from("data/files"),
        }
    }
}

/// An S3-compatible bucket and how to reach it.
#[derive(Clone, Debug)]
pub struct S3Config {
    pub bucket: String,
    /// `None`: Amazon's own endpoint for the region.
    pub endpoint: Option<String>,
    pub region: String,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<SecretString>,
}

/// The file store: put, get and delete by key.
#[derive(Clone, Debug)]
pub struct FileStore {
    inner: Arc<dyn ObjectStore>,
}

impl FileStore {
    /// Opens the store the settings name.
    pub fn open(config: &StorageConfig) -> Result<Self, CoreError> {
        let inner: Arc<dyn ObjectStore> = match config {
            StorageConfig::Local { root } => {
                std::fs::create_dir_all(root)
                    .with_context(|| format!("cannot create the file folder {}", root.display()))?;
                Arc::new(
                    LocalFileSystem::new_with_prefix(root)
                        .context("cannot open the file folder")?,
                )
            }
            StorageConfig::S3(s3) => {
                // The S3 client's TLS uses ring, as the rest of the shop does.
                let _ = rustls::crypto::ring::default_provider().install_default();
                let mut builder = AmazonS3Builder::new()
                    .with_bucket_name(&s3.bucket)
                    .with_region(&s3.region);
                if let Some(endpoint) = &s3.endpoint {
                    builder = builder
                        .with_endpoint(endpoint)
                        .with_allow_http(endpoint.starts_with("http://"));
                }
                if let Some(key) = &s3.access_key_id {
                    builder = builder.with_access_key_id(key);
                }
                if let Some(secret) = &s3.secret_access_key {
                    builder = builder.with_secret_access_key(secret.expose_secret());
                }
                Arc::new(builder.build().context("cannot set up the S3 bucket")?)
            }
        };
        Ok(Self { inner })
    }

    /// Stores `bytes` under `key`, replacing what was there.
    pub async fn put(&self, key: &str, bytes: Bytes) -> Result<(), CoreError> {
        self.inner
            .put(&StoreKey::from(key), PutPayload::from_bytes(bytes))
            .await
            .with_context(|| format!("cannot store {key}"))?;
        Ok(())
    }

    /// The bytes under `key`, or `None` if there are none.
    pub async fn get(&self, key: &str) -> Result<Option<Bytes>, CoreError> {
        let found = match self.inner.get(&StoreKey::from(key)).await {
            Ok(found) => found,
            Err(object_store::Error::NotFound { .. }) => return Ok(None),
            Err(err) => {
                return Err(anyhow::Error::new(err)
                    .context(format!("cannot read {key}"))
                    .into());
            }
        };
        let bytes = found
            .bytes()
            .await
            .with_context(|| format!("cannot read {key}"))?;
        Ok(Some(bytes))
    }

    /// Removes what is under `key`; nothing there is not an error.
    pub async fn delete(&self, key: &str) -> Result<(), CoreError> {
        match self.inner.delete(&StoreKey::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(err) => Err(anyhow::Error::new(err)
                .context(format!("cannot delete {key}"))
                .into()),
        }
    }
}
