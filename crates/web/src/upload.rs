//! Reading an image upload: a multipart form of the site with its CSRF token, one file and at
//! most one line of text beside it (an alternative text). The city's logo, an event's image and
//! a provider's logo are read by this one function; what the file may be is the caller's check
//! (`domain::branding`, `domain::image`), and so is the token (`Ctx::check_csrf`).

use crate::error::AppError;
use axum::extract::multipart::{Multipart, MultipartRejection};

/// The fields of an upload form as sent.
#[derive(Default)]
pub(crate) struct Upload {
    pub csrf: String,
    /// The text field (empty when the form has none).
    pub text: String,
    /// The file (empty when none was chosen). Reading stops once it is longer than the limit,
    /// so a file just over it is still known to be too large without being held whole.
    pub file: Vec<u8>,
}

/// Reads the form: `csrf`, the file field `file_field` (up to `max` bytes and a chunk) and
/// the text field `text_field`; other fields are ignored. Without a readable form there is no
/// token either (403); a form that breaks off is `broken`.
pub(crate) async fn read(
    form: Result<Multipart, MultipartRejection>,
    file_field: &str,
    text_field: &str,
    max: usize,
    broken: impl Fn() -> AppError,
) -> Result<Upload, AppError> {
    let mut form = form.map_err(|_| AppError::Forbidden)?;
    let mut up = Upload::default();
    while let Some(mut field) = form.next_field().await.map_err(|_| broken())? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "csrf" {
            up.csrf = field.text().await.map_err(|_| broken())?;
        } else if name == text_field {
            up.text = field.text().await.map_err(|_| broken())?;
        } else if name == file_field {
            while let Some(chunk) = field.chunk().await.map_err(|_| broken())? {
                up.file.extend_from_slice(&chunk);
                if up.file.len() > max {
                    break;
                }
            }
        }
    }
    Ok(up)
}
