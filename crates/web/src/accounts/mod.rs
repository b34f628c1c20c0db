//! Accounts: registration with a confirmed address, login and logout, passwords, the change of
//! the e-mail address, the account page with the data export and deletion.

mod account;
mod email_change;
mod login;
mod password;
mod register;
mod shared;
pub mod views;

pub use account::{account, delete_account, export};
pub(crate) use account::{account_page, account_page_with};
pub use email_change::EMAIL_CHANGE_LIMIT;
pub use email_change::{change_email, confirm_email_change, confirm_email_change_form};
pub(crate) use login::client_key;
pub use login::{LOGIN_ACCOUNT_ALARM, LOGIN_PER_ACCOUNT, LOGIN_PER_CLIENT, LOGIN_WINDOW};
pub use login::{login, login_form, logout, logout_everywhere};
pub use password::{change_password, forgot, forgot_form, set_password, set_password_form};
pub use register::{REGISTER_PER_ADDRESS, REGISTER_PER_CLIENT};
pub use register::{confirm, confirm_form, register, register_form};
pub(crate) use shared::*;
