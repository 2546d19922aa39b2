//! E-mail. Messages are rendered inside the transaction of the change that
//! causes them and enqueued as `send_email` jobs; only the job worker
//! sends. With SMTP configured they go out by SMTP; otherwise each is
//! written as an `.eml` file, which is what development and the tests read.

use crate::CoreError;
use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use souk_db::repo::jobs::{self, NewJob};
use std::path::PathBuf;

/// The job kind that sends one message.
pub const SEND_EMAIL: &str = "send_email";

/// How mail leaves the shop.
#[derive(Clone, Debug)]
pub struct MailConfig {
    /// The sender, e.g. `Souk <shop@example.com>`.
    pub from: String,
    /// `smtp://user:pass@host:587` (STARTTLS) or `smtps://...` (TLS); when
    /// missing, messages are written to `dir`.
    pub smtp_url: Option<SecretString>,
    /// Where `.eml` files go without SMTP.
    pub dir: PathBuf,
}

impl Default for MailConfig {
    fn default() -> Self {
        Self {
            from: "Souk <shop@example.com>".into(),
            smtp_url: None,
            dir: PathBuf::from("data/mail"),
        }
    }
}

/// A plain-text message to one recipient.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OutgoingEmail {
    pub to: String,
    pub subject: String,
    pub text: String,
}

/// Enqueues a message in the caller's transaction.
pub(crate) async fn enqueue(
    db: &impl souk_db::ConnectionTrait,
    email: &OutgoingEmail,
) -> Result<(), CoreError> {
    let payload = serde_json::to_string(email).map_err(anyhow::Error::from)?;
    jobs::enqueue(
        db,
        NewJob {
            kind: SEND_EMAIL,
            payload,
            run_at: chrono::Utc::now(),
            max_attempts: 8,
            unique_key: None,
        },
    )
    .await?;
    Ok(())
}

/// Sends (or writes) one message.
pub(crate) async fn deliver(config: &MailConfig, payload: &str) -> Result<(), CoreError> {
    let email: OutgoingEmail =
        serde_json::from_str(payload).map_err(|e| anyhow::anyhow!("unreadable e-mail job: {e}"))?;
    let from: Mailbox = config
        .from
        .parse()
        .map_err(|e| anyhow::anyhow!("SOUK_MAIL_FROM: {e}"))?;
    let to: Mailbox = email
        .to
        .parse()
        .map_err(|e| anyhow::anyhow!("recipient {}: {e}", email.to))?;
    let message = Message::builder()
        .from(from)
        .to(to)
        .subject(email.subject)
        .header(ContentType::TEXT_PLAIN)
        .body(email.text)
        .map_err(|e| anyhow::anyhow!("building an e-mail: {e}"))?;
    match &config.smtp_url {
        Some(url) => {
            let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose_secret())
                .map_err(|e| anyhow::anyhow!("SOUK_SMTP_URL: {e}"))?
                .build();
            transport
                .send(message)
                .await
                .map_err(|e| anyhow::anyhow!("sending an e-mail: {e}"))?;
        }
        None => {
            tokio::fs::create_dir_all(&config.dir)
                .await
                .map_err(|e| anyhow::anyhow!("creating {}: {e}", config.dir.display()))?;
            let name = format!(
                "{}-{}.eml",
                chrono::Utc::now().format("%Y%m%dT%H%M%S%.6f"),
                uuid::Uuid::new_v4().simple()
            );
            let path = config.dir.join(name);
            tokio::fs::write(&path, message.formatted())
                .await
                .map_err(|e| anyhow::anyhow!("writing {}: {e}", path.display()))?;
        }
    }
    Ok(())
}
