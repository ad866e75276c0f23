use sea_orm::entity::prelude::*;

/// A person who signs in to the console. The email is stored lowercased.
#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "account")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub email: String,
    pub name: Option<String>,
    /// argon2id PHC string; the password itself is never stored.
    pub password_hash: String,
    /// Base32 TOTP secret once two-factor sign-in is on.
    pub totp_secret: Option<String>,
    /// A secret shown for enrolment, not confirmed by a code yet.
    pub totp_pending_secret: Option<String>,
    /// The last TOTP time step accepted: a code is never accepted twice.
    pub totp_last_step: Option<i64>,
    /// JSON array of SHA-256 hashes (hex) of the unused recovery codes.
    pub recovery_codes: Option<String>,
    pub disabled_at: Option<DateTimeUtc>,
    pub last_sign_in_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub password_changed_at: DateTimeUtc,
}

/// Written by hand so the password hash and TOTP secrets never reach a log.
impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("account::Model")
            .field("id", &self.id)
            .field("two_factor", &self.totp_secret.is_some())
            .field("disabled_at", &self.disabled_at)
            .finish_non_exhaustive()
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
