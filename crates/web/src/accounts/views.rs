//! Template structs of the account pages.

use crate::layout::*;
use askama::Template;

#[derive(Template)]
#[template(path = "accounts/login.html")]
pub struct LoginPage {
    pub c: Chrome,
    pub title: String,
    pub email: String,
    pub error: Option<String>,
    pub notice: Option<String>,
}

#[derive(Template)]
#[template(path = "accounts/account.html")]
pub struct AccountPage {
    pub c: Chrome,
    pub title: String,
    pub name: String,
    pub email: String,
    pub roles: Vec<String>,
    pub csrf: String,
    pub error: Option<String>,
    pub notice: Option<String>,
    /// The new address typed into the change form (kept when it is refused).
    pub new_email: String,
}

#[derive(Template)]
#[template(path = "accounts/confirm_email_change.html")]
pub struct ConfirmEmailChangePage {
    pub c: Chrome,
    pub title: String,
    /// The new address.
    pub email: String,
    pub token: String,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "accounts/register.html")]
pub struct RegisterPage {
    pub c: Chrome,
    pub title: String,
    pub name: String,
    pub email: String,
    pub errors: Vec<String>,
}

#[derive(Template)]
#[template(path = "accounts/confirm.html")]
pub struct ConfirmPage {
    pub c: Chrome,
    pub title: String,
    pub email: String,
    pub token: String,
}

#[derive(Template)]
#[template(path = "accounts/forgot.html")]
pub struct ForgotPage {
    pub c: Chrome,
    pub title: String,
    pub email: String,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "accounts/notice.html")]
pub struct NoticePage {
    pub c: Chrome,
    pub title: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "accounts/set_password.html")]
pub struct SetPasswordPage {
    pub c: Chrome,
    pub title: String,
    pub email: String,
    pub token: String,
    pub error: Option<String>,
}
