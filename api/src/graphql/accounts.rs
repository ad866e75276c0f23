//! Console accounts over GraphQL: signing in (cookies set here), invites and the setup
//! link, the account's sessions and second factor, and the organization's members.
//! `invite`, `signIn` and `acceptInvite` work without credentials (see `http/graphql.rs`).

use std::sync::Arc;

use async_graphql::{Context, InputObject, Object, Result, SimpleObject, ID};
use chrono::{DateTime, Utc};
use entity::{account, account_session, invite};

use super::types::Role;
use crate::auth::session::{self, RequestMeta};
use crate::auth::{Actor, Auth, Principal};
use crate::domain::accounts::{self, invites, members, sessions, two_factor, SignInFailure};
use crate::domain::audit::{Action, By};
use crate::domain::caller::{self, Action as Permission};
use crate::domain::tag::PublicUrl;
use crate::domain::validation;
use crate::error::AppError;

fn auth<'a>(ctx: &'a Context<'_>) -> &'a Arc<Auth> {
    ctx.data_unchecked::<Arc<Auth>>()
}

fn meta<'a>(ctx: &'a Context<'_>) -> Result<&'a RequestMeta> {
    ctx.data::<RequestMeta>()
        .map_err(|_| AppError::internal(anyhow::anyhow!("no request meta")).into())
}

/// The signed-in account and its session id; API keys get `FORBIDDEN`.
fn session_of(p: &Principal) -> Result<(&account::Model, i64)> {
    match &p.actor {
        Actor::Session {
            account,
            session_id,
        } => Ok((account, *session_id)),
        Actor::Key(_) => Err(AppError::Forbidden(
            "this operation is for a signed-in console account, not an API key".into(),
        )
        .into()),
    }
}

/// Checks the signed-in account's password for a sensitive change; wrong guesses count
/// per account (a stolen session cannot try passwords freely).
async fn check_own_password(
    ctx: &Context<'_>,
    account: &account::Model,
    password: &str,
    field: &str,
) -> Result<()> {
    let auth = auth(ctx);
    let key = auth.throttle.key(&format!("pw:{}", account.id), None);
    let attempt = auth.throttle.attempt(key).await?;
    if accounts::verify_password(&auth.hashing, password, Some(account)).await? {
        attempt.succeeded();
        Ok(())
    } else {
        attempt.failed();
        Err(AppError::bad_input(field, "the password is wrong").into())
    }
}

fn set_cookies(ctx: &Context<'_>, cookies: [String; 2]) {
    for c in cookies {
        ctx.append_http_header("set-cookie", c);
    }
}

/// A person's console account.
pub struct Account(pub account::Model);

#[Object]
impl Account {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn email(&self) -> &str {
        &self.0.email
    }
    async fn name(&self) -> Option<&str> {
        self.0.name.as_deref()
    }
    async fn two_factor_enabled(&self) -> bool {
        self.0.totp_secret.is_some()
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// The account's signed-in browsers (only the caller's own account).
    async fn sessions(&self, ctx: &Context<'_>) -> Result<Vec<AccountSession>> {
        let p = super::principal(ctx)?;
        let (me, current) = session_of(p)?;
        if me.id != self.0.id {
            return Err(AppError::NotFound.into());
        }
        let lifetimes = auth(ctx).sessions;
        Ok(sessions::list(super::db(ctx), me.id, lifetimes)
            .await?
            .into_iter()
            .map(|s| AccountSession::of(s, current, lifetimes))
            .collect())
    }
}

#[derive(SimpleObject)]
pub struct AccountSession {
    pub id: ID,
    /// The session this request was made with.
    pub current: bool,
    /// Browser and OS families, e.g. "Chrome on Linux".
    pub device: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    /// When it ends unless used again (idle) or at the latest (absolute).
    pub expires_at: DateTime<Utc>,
}

impl AccountSession {
    fn of(s: account_session::Model, current: i64, lifetimes: sessions::Lifetimes) -> Self {
        AccountSession {
            id: ID(s.id.to_string()),
            current: s.id == current,
            expires_at: sessions::ends_at(&s, lifetimes),
            device: s.device,
            created_at: s.created_at,
            last_seen_at: s.last_seen_at,
        }
    }
}

/// An organization the caller may work in.
#[derive(SimpleObject)]
pub struct OrganizationSummary {
    pub id: ID,
    pub name: String,
    pub role: Role,
}

/// What an invite link offers (before accepting it).
#[derive(SimpleObject)]
pub struct InviteInfo {
    pub organization_name: String,
    pub role: Role,
    /// Only this address may accept it, when set.
    pub email: Option<String>,
    pub expires_at: DateTime<Utc>,
    /// The first-start link that creates the owner account.
    pub setup: bool,
}

#[derive(SimpleObject)]
pub struct SignInPayload {
    pub account: Account,
    /// The organization the new session works in.
    pub organization: OrganizationSummary,
}

#[derive(SimpleObject)]
pub struct TwoFactorSetup {
    /// Base32 secret to type into an authenticator app.
    pub secret: String,
    /// `otpauth://` URI for a QR code.
    pub otpauth_uri: String,
}

/// A pending invitation.
#[derive(SimpleObject)]
pub struct Invite {
    pub id: ID,
    pub email: Option<String>,
    pub role: Role,
    pub expires_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

impl From<invite::Model> for Invite {
    fn from(m: invite::Model) -> Self {
        Invite {
            id: ID(m.id.to_string()),
            email: m.email,
            role: m.role.into(),
            expires_at: m.expires_at,
            created_at: m.created_at,
        }
    }
}

/// A new invite with its link: the only time the link is shown.
#[derive(SimpleObject)]
pub struct CreatedInvite {
    pub invite: Invite,
    pub url: String,
}

#[derive(SimpleObject)]
pub struct MemberAccount {
    pub id: ID,
    pub email: String,
    pub name: Option<String>,
    pub two_factor_enabled: bool,
}

/// A person in the organization.
#[derive(SimpleObject)]
pub struct Member {
    pub account: MemberAccount,
    pub role: Role,
    /// Turned off by an ADMIN: cannot sign in to this organization.
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
    pub last_sign_in_at: Option<DateTime<Utc>>,
}

impl Member {
    pub fn of(m: entity::membership::Model, a: account::Model) -> Self {
        Member {
            account: MemberAccount {
                id: ID(a.id.to_string()),
                two_factor_enabled: a.totp_secret.is_some(),
                email: a.email,
                name: a.name,
            },
            role: m.role.into(),
            disabled: m.disabled_at.is_some(),
            created_at: m.created_at,
            last_sign_in_at: a.last_sign_in_at,
        }
    }
}

#[derive(InputObject)]
pub struct SignInInput {
    pub email: String,
    pub password: String,
    /// A code from the authenticator app, or a recovery code.
    pub two_factor_code: Option<String>,
}

#[derive(InputObject)]
pub struct AcceptInviteInput {
    pub token: String,
    pub email: String,
    pub name: Option<String>,
    pub password: String,
}

#[derive(InputObject)]
pub struct CreateInviteInput {
    /// Only this address may accept it (optional).
    pub email: Option<String>,
    pub role: Role,
}

#[derive(InputObject)]
pub struct UpdateMemberInput {
    pub role: Option<Role>,
    pub disabled: Option<bool>,
}

/// Summaries of the organizations a caller may work in.
pub async fn organizations_of(
    ctx: &Context<'_>,
    p: &Principal,
) -> Result<Vec<OrganizationSummary>> {
    match &p.actor {
        Actor::Key(_) => Ok(vec![OrganizationSummary {
            id: ID(p.org.id.to_string()),
            name: p.org.name.clone(),
            role: p.role.into(),
        }]),
        Actor::Session { account, .. } => Ok(accounts::memberships(super::db(ctx), account.id)
            .await?
            .into_iter()
            .map(|(m, o)| OrganizationSummary {
                id: ID(o.id.to_string()),
                name: o.name,
                role: m.role.into(),
            })
            .collect()),
    }
}

#[derive(Default)]
pub struct AccountQuery;

#[Object]
impl AccountQuery {
    /// An invite or the first-start setup link by its token; null when unknown, used,
    /// revoked or expired. Needs no credentials.
    async fn invite(&self, ctx: &Context<'_>, token: String) -> Result<Option<InviteInfo>> {
        Ok(invites::find(super::db(ctx), &token)
            .await?
            .map(|(inv, org)| InviteInfo {
                organization_name: org.name,
                role: inv.role.into(),
                email: inv.email,
                expires_at: inv.expires_at,
                setup: inv.setup,
            }))
    }
}

/// Starts a session, sets its cookies and answers the sign-in payload.
async fn signed_in(
    ctx: &Context<'_>,
    account: account::Model,
    org: entity::organization::Model,
    role: entity::api_key::Role,
) -> Result<SignInPayload> {
    let db = super::db(ctx);
    let meta = meta(ctx)?;
    let lifetimes = auth(ctx).sessions;
    let started = sessions::start(db, account.id, org.id, &meta.device, lifetimes).await?;
    accounts::record(
        db,
        org.id,
        By::account(account.id),
        Action::SignIn,
        serde_json::json!({ "device": meta.device }),
    )
    .await?;
    set_cookies(
        ctx,
        session::set_cookies(
            &started.token,
            &started.session.csrf_token,
            lifetimes,
            meta.secure,
        ),
    );
    Ok(SignInPayload {
        account: Account(account),
        organization: OrganizationSummary {
            id: ID(org.id.to_string()),
            name: org.name,
            role: role.into(),
        },
    })
}

#[derive(Default)]
pub struct AccountMutation;

#[Object]
impl AccountMutation {
    /// Signs in with an email and a password (and the second factor when the account has
    /// it on): sets the session cookies. Failed attempts are throttled per email and
    /// address. Errors: `UNAUTHENTICATED`, `TWO_FACTOR_REQUIRED`, `RATE_LIMITED`.
    async fn sign_in(&self, ctx: &Context<'_>, input: SignInInput) -> Result<SignInPayload> {
        let auth = auth(ctx);
        let meta = meta(ctx)?;
        let email = input.email.trim().to_lowercase();
        let key = auth.throttle.key(&format!("account:{email}"), meta.peer);
        let attempt = auth.throttle.attempt(key).await?;
        let result = accounts::authenticate(
            super::db(ctx),
            &auth.hashing,
            &auth.throttle,
            &email,
            &input.password,
            input.two_factor_code.as_deref(),
        )
        .await;
        match result {
            Ok((account, m, org)) => {
                attempt.succeeded();
                signed_in(ctx, account, org, m.role).await
            }
            Err(SignInFailure::BadCredentials) => {
                attempt.failed();
                Err(
                    AppError::Unauthenticated(if input.two_factor_code.is_some() {
                        "wrong email, password or code".into()
                    } else {
                        "wrong email or password".into()
                    })
                    .into(),
                )
            }
            Err(SignInFailure::TwoFactorRequired) => {
                drop(attempt);
                Err(AppError::TwoFactorRequired.into())
            }
            Err(SignInFailure::NoAccess(why)) => {
                attempt.succeeded();
                Err(AppError::Forbidden(why.into()).into())
            }
            Err(SignInFailure::Error(e)) => Err(e.into()),
        }
    }

    /// Accepts an invite (or the setup link) by creating a new account, and signs in. An
    /// email that already has an account gets `CONFLICT`: sign in, then `joinOrganization`.
    async fn accept_invite(
        &self,
        ctx: &Context<'_>,
        input: AcceptInviteInput,
    ) -> Result<SignInPayload> {
        let (account, org) = invites::accept(
            super::db(ctx),
            &auth(ctx).hashing,
            invites::Acceptance {
                token: &input.token,
                email: &input.email,
                name: input.name.as_deref(),
                password: &input.password,
            },
        )
        .await?;
        let m = accounts::membership(super::db(ctx), account.id, org.id)
            .await?
            .ok_or(AppError::NotFound)?;
        signed_in(ctx, account, org, m.role).await
    }

    /// Changes the account's display name (empty removes it).
    async fn update_account(&self, ctx: &Context<'_>, name: Option<String>) -> Result<Account> {
        let p = super::principal(ctx)?;
        let (account, _) = session_of(p)?;
        Ok(Account(
            accounts::rename(super::db(ctx), account.id, name.as_deref()).await?,
        ))
    }

    /// The signed-in account joins the organization of an invite (for people who already
    /// have an account); this session moves to it.
    async fn join_organization(
        &self,
        ctx: &Context<'_>,
        token: String,
    ) -> Result<OrganizationSummary> {
        let p = super::principal(ctx)?;
        let (account, session_id) = session_of(p)?;
        let db = super::db(ctx);
        let (m, org) = invites::join(db, account, &token).await?;
        sessions::switch(db, session_id, org.id).await?;
        Ok(OrganizationSummary {
            id: ID(org.id.to_string()),
            name: org.name,
            role: m.role.into(),
        })
    }

    /// Ends this session and removes its cookies.
    async fn sign_out(&self, ctx: &Context<'_>) -> Result<bool> {
        let p = super::principal(ctx)?;
        let (account, session_id) = session_of(p)?;
        sessions::end(super::db(ctx), account.id, session_id).await?;
        set_cookies(ctx, session::clear_cookies(meta(ctx)?.secure));
        Ok(true)
    }

    /// Ends every session of the account, this one included.
    async fn sign_out_everywhere(&self, ctx: &Context<'_>) -> Result<bool> {
        let p = super::principal(ctx)?;
        let (account, _) = session_of(p)?;
        let db = super::db(ctx);
        let n = sessions::end_all_except(db, account.id, None).await?;
        accounts::record(
            db,
            p.org_id(),
            By::account(account.id),
            Action::SignOutEverywhere,
            serde_json::json!({ "sessions": n }),
        )
        .await?;
        set_cookies(ctx, session::clear_cookies(meta(ctx)?.secure));
        Ok(true)
    }

    /// Ends one of the account's sessions (another browser).
    async fn revoke_session(&self, ctx: &Context<'_>, id: ID) -> Result<bool> {
        let p = super::principal(ctx)?;
        let (account, current) = session_of(p)?;
        let id = validation::id(&id)?;
        sessions::end(super::db(ctx), account.id, id).await?;
        if id == current {
            set_cookies(ctx, session::clear_cookies(meta(ctx)?.secure));
        }
        Ok(true)
    }

    /// Changes the password (the current one is checked); the other sessions end.
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        current_password: String,
        new_password: String,
    ) -> Result<bool> {
        let p = super::principal(ctx)?;
        let (account, session_id) = session_of(p)?;
        check_own_password(ctx, account, &current_password, "currentPassword").await?;
        accounts::change_password(
            super::db(ctx),
            &auth(ctx).hashing,
            account,
            p.org_id(),
            session_id,
            &new_password,
        )
        .await?;
        Ok(true)
    }

    /// Moves this session to another organization the account belongs to.
    async fn switch_organization(
        &self,
        ctx: &Context<'_>,
        organization_id: ID,
    ) -> Result<OrganizationSummary> {
        let p = super::principal(ctx)?;
        let (account, session_id) = session_of(p)?;
        let org_id = validation::id(&organization_id)?;
        let db = super::db(ctx);
        let (m, org) = accounts::memberships(db, account.id)
            .await?
            .into_iter()
            .find(|(_, o)| o.id == org_id)
            .ok_or(AppError::NotFound)?;
        sessions::switch(db, session_id, org_id).await?;
        Ok(OrganizationSummary {
            id: ID(org.id.to_string()),
            name: org.name,
            role: m.role.into(),
        })
    }

    /// Starts two-factor enrolment: a secret for the authenticator app, confirmed by
    /// `confirmTwoFactor`.
    async fn start_two_factor(&self, ctx: &Context<'_>) -> Result<TwoFactorSetup> {
        let p = super::principal(ctx)?;
        let (account, _) = session_of(p)?;
        let secret = two_factor::start(super::db(ctx), account).await?;
        Ok(TwoFactorSetup {
            otpauth_uri: two_factor::otpauth_uri(&secret, &account.email),
            secret,
        })
    }

    /// Turns two-factor sign-in on with a current code; answers the ten recovery codes,
    /// shown only this once.
    async fn confirm_two_factor(&self, ctx: &Context<'_>, code: String) -> Result<Vec<String>> {
        let p = super::principal(ctx)?;
        let (account, _) = session_of(p)?;
        let db = super::db(ctx);
        // The pending secret as stored now (the cached principal may predate `start`).
        let fresh = accounts::get(db, account.id).await?;
        let codes = two_factor::confirm(db, &fresh, &code).await?;
        accounts::record(
            db,
            p.org_id(),
            By::account(account.id),
            Action::TwoFactorEnabled,
            serde_json::json!({}),
        )
        .await?;
        Ok(codes)
    }

    /// Turns two-factor sign-in off (the password is checked).
    async fn disable_two_factor(&self, ctx: &Context<'_>, password: String) -> Result<bool> {
        let p = super::principal(ctx)?;
        let (account, _) = session_of(p)?;
        check_own_password(ctx, account, &password, "password").await?;
        let db = super::db(ctx);
        two_factor::disable(db, account).await?;
        accounts::record(
            db,
            p.org_id(),
            By::account(account.id),
            Action::TwoFactorDisabled,
            serde_json::json!({}),
        )
        .await?;
        Ok(true)
    }

    /// Invites someone into the organization (ADMIN). The link is valid for 7 days, used
    /// once, and shown only in this answer.
    async fn create_invite(
        &self,
        ctx: &Context<'_>,
        input: CreateInviteInput,
    ) -> Result<CreatedInvite> {
        let p = super::principal(ctx)?;
        caller::may(p, Permission::ManageOrganization)?;
        let created = invites::create(
            super::db(ctx),
            p.org_id(),
            input.email.as_deref(),
            input.role.into(),
            false,
            By::of(p),
        )
        .await?;
        let url = format!(
            "{}{}",
            ctx.data_unchecked::<PublicUrl>()
                .as_str()
                .trim_end_matches('/'),
            invites::path(&created)
        );
        Ok(CreatedInvite {
            invite: created.invite.into(),
            url,
        })
    }

    /// Withdraws a pending invite (ADMIN).
    async fn revoke_invite(&self, ctx: &Context<'_>, id: ID) -> Result<bool> {
        let p = super::principal(ctx)?;
        caller::may(p, Permission::ManageOrganization)?;
        invites::revoke(super::db(ctx), p.org_id(), By::of(p), validation::id(&id)?).await?;
        Ok(true)
    }

    /// Changes a member's role or turns the member off or on (ADMIN). A member turned off
    /// loses their sessions in this organization at once. The last active ADMIN stays.
    async fn update_member(
        &self,
        ctx: &Context<'_>,
        account_id: ID,
        input: UpdateMemberInput,
    ) -> Result<Member> {
        let p = super::principal(ctx)?;
        caller::may(p, Permission::ManageOrganization)?;
        let (m, a) = members::update(
            super::db(ctx),
            p.org_id(),
            By::of(p),
            validation::id(&account_id)?,
            members::Change {
                role: input.role.map(Into::into),
                disabled: input.disabled,
            },
        )
        .await?;
        Ok(Member::of(m, a))
    }

    /// Removes a member from the organization (ADMIN); their sessions in it end.
    async fn remove_member(&self, ctx: &Context<'_>, account_id: ID) -> Result<bool> {
        let p = super::principal(ctx)?;
        caller::may(p, Permission::ManageOrganization)?;
        members::remove(
            super::db(ctx),
            p.org_id(),
            By::of(p),
            validation::id(&account_id)?,
        )
        .await?;
        Ok(true)
    }
}
