//! The API's one error type and its HTTP mapping.
//!
//! Handlers return `Result<_, ApiError>`; the answer's body is always
//! `{code, message, fields}` (see `humiao_shared::ErrorBody`). Bodies are written in Chinese;
//! the `localize` middleware rewrites them in English when the request asks for it.
//! Internal causes are logged in full and never shown to the user.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::InternalError;
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use humiao_shared::error::FieldErrors;
use humiao_shared::record::used_by::UsedBy;
use humiao_shared::{ErrorBody, FieldCode, FieldError, Lang};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("validation failed")]
    Validation(FieldErrors),
    /// The body is not JSON of the expected shape; `field` is where parsing stopped.
    #[error("malformed JSON at {field}")]
    InvalidJson { field: String },
    #[error("bad query parameter {field}")]
    InvalidQuery { field: String },
    #[error("bad header {field}")]
    InvalidHeader { field: String },
    #[error("the idempotency key was used with another request")]
    IdempotencyKeyReused,
    /// The request clashes with a stored record, which the answer carries as `current`.
    #[error("conflict: {code}")]
    Conflict {
        code: Conflict,
        current: serde_json::Value,
    },
    /// Live records depend on what the request would remove: a delete of a record they
    /// refer to (`in_use`), or an edit that would leave them outside the record's dates
    /// (`records_outside`, reported beside the date `fields`). The answer names them.
    #[error("conflict: {code}, used by {used_by:?}")]
    Dependents {
        code: Conflict,
        current: serde_json::Value,
        used_by: UsedBy,
        fields: FieldErrors,
        /// A school or station: say to close it with a date rather than delete it.
        closable: bool,
    },
    /// A write would change a session or an outcome value of a station's month whose
    /// return is submitted, approved or accepted (409 `period_locked`). The answer names
    /// the state, the station and the month; `current` is the return.
    #[error("period locked: {month} is {state:?}")]
    PeriodLocked {
        state: humiao_shared::returns::ReturnState,
        station: String,
        month: String,
        current: serde_json::Value,
    },
    #[error("an If-Match header is required")]
    PreconditionRequired,
    #[error("the body must be JSON")]
    UnsupportedMediaType,
    #[error("the body is larger than {limit} bytes")]
    PayloadTooLarge { limit: usize },
    #[error("not found")]
    NotFound,
    /// No one is signed in (no cookie, or a session that ended).
    #[error("not signed in")]
    Unauthenticated,
    #[error("the session expired")]
    SessionExpired,
    #[error("wrong username or password")]
    InvalidCredentials,
    #[error("the account is disabled")]
    AccountDisabled,
    /// Signed in, but the role or scope does not allow this.
    #[error("forbidden")]
    Forbidden,
    #[error("cross-site request")]
    CrossSite,
    #[error("too many failed logins")]
    TooManyAttempts { retry_after: u64 },
    #[error("the link expired")]
    LinkExpired,
    #[error("the link was revoked")]
    LinkRevoked,
    /// The path exists, the method does not; `allow` lists the methods it has.
    #[error("method not allowed")]
    MethodNotAllowed { allow: &'static str },
    /// PNG charts need a CJK font, and none is installed.
    #[error("no CJK font for PNG charts")]
    ChartFontMissing,
    #[error("the database is unavailable")]
    Unavailable(#[source] sqlx::Error),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        if is_unavailable(&e) {
            ApiError::Unavailable(e)
        } else {
            ApiError::Internal(e.into())
        }
    }
}

/// Errors that mean "the database cannot answer now": down, restarting, refusing
/// connections or overloaded. The client should retry; it is not a bug.
fn is_unavailable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|code| {
            // PostgreSQL: connection exceptions (08), insufficient resources (53), operator
            // intervention such as a shutdown (57P), database not accepting connections
            // (55000). SQLite: busy (5) and locked (6) beyond the busy timeout.
            code.starts_with("08")
                || code.starts_with("53")
                || code.starts_with("57P")
                || code == "55000"
                || code == "5"
                || code == "6"
        }),
        _ => false,
    }
}

impl ApiError {
    fn code(&self) -> &'static str {
        match self {
            ApiError::Validation(_) => "validation_failed",
            ApiError::InvalidJson { .. } => "invalid_json",
            ApiError::InvalidQuery { .. } => "invalid_query",
            ApiError::InvalidHeader { .. } => "invalid_header",
            ApiError::IdempotencyKeyReused => "idempotency_key_reused",
            ApiError::Conflict { code, .. } | ApiError::Dependents { code, .. } => code.code(),
            ApiError::PeriodLocked { .. } => "period_locked",
            ApiError::PreconditionRequired => "if_match_required",
            ApiError::UnsupportedMediaType => "unsupported_media_type",
            ApiError::PayloadTooLarge { .. } => "payload_too_large",
            ApiError::NotFound => "not_found",
            ApiError::Unauthenticated => "unauthenticated",
            ApiError::SessionExpired => "session_expired",
            ApiError::InvalidCredentials => "invalid_credentials",
            ApiError::AccountDisabled => "account_disabled",
            ApiError::Forbidden => "forbidden",
            ApiError::CrossSite => "cross_site_request",
            ApiError::TooManyAttempts { .. } => "too_many_attempts",
            ApiError::LinkExpired => "link_expired",
            ApiError::LinkRevoked => "link_revoked",
            ApiError::MethodNotAllowed { .. } => "method_not_allowed",
            ApiError::ChartFontMissing => "chart_font_missing",
            ApiError::Unavailable(_) => "database_unavailable",
            ApiError::Internal(_) => "internal",
        }
    }

    fn message(&self, lang: Lang) -> String {
        if let ApiError::Dependents {
            code,
            used_by,
            closable,
            ..
        } = self
        {
            return dependents_message(*code, used_by, *closable, lang);
        }
        if let ApiError::PeriodLocked {
            state,
            station,
            month,
            ..
        } = self
        {
            return match lang {
                Lang::Zh => format!(
                    "{station} {month} 的月报{}，该月的记录已锁定；如需修改，请先由分局退回或由管理员重新打开",
                    state.label(lang)
                ),
                Lang::En => format!(
                    "The return of {station} for {month} is {}, so the month's records are \
                     locked; have it sent back or reopened first",
                    state.label(lang).to_lowercase()
                ),
            };
        }
        let (zh, en) = match self {
            ApiError::Validation(_) => (
                "提交的内容有误，请按提示修改",
                "Some fields need correcting",
            ),
            ApiError::InvalidJson { .. } => ("请求格式不正确", "The request body is malformed"),
            ApiError::InvalidQuery { .. } => ("查询参数不正确", "A query parameter is malformed"),
            ApiError::InvalidHeader { .. } => ("请求头不正确", "A request header is malformed"),
            ApiError::IdempotencyKeyReused => (
                "该幂等键已用于另一份不同的提交",
                "This Idempotency-Key was already used with a different request",
            ),
            ApiError::Conflict {
                code: Conflict::DuplicateSession,
                ..
            } => (
                "已有派出所、场所、日期、形式和主题都相同的记录；如确为另一场，请勾选确认后再提交",
                "A session with the same station, venue, date, format and topics exists; \
                 confirm that this is another one to log it",
            ),
            ApiError::Conflict {
                code: Conflict::DuplicateRecord,
                ..
            } => (
                "已有相同的记录（编号、名称或年份相同），请修改已有的那条",
                "A record with the same code, name or year exists; edit that one instead",
            ),
            // A refusal for dependent records says which (above); these are its words
            // without them.
            ApiError::Conflict {
                code: Conflict::RecordsOutside,
                ..
            } => (
                "已有记录不在新的日期范围内，请先修改或删除这些记录",
                "Records would fall outside the new dates; change or delete them first",
            ),
            ApiError::Conflict {
                code: Conflict::InUse,
                ..
            }
            | ApiError::Dependents { .. } => (
                "还有其他记录引用这一条，不能删除",
                "Other records still refer to this one, so it cannot be deleted",
            ),
            ApiError::Conflict {
                code: Conflict::OwnAccount,
                ..
            } => (
                "不能停用自己的账号；请由另一位管理员操作",
                "You cannot disable your own account; ask another administrator",
            ),
            ApiError::Conflict {
                code: Conflict::EditConflict,
                ..
            } => (
                "这条记录已被修改，请查看最新内容后重试",
                "This record was changed meanwhile; review the current version and retry",
            ),
            ApiError::Conflict {
                code: Conflict::InvalidTransition,
                ..
            } => (
                "月报当前的状态不允许这项操作，请刷新后查看",
                "The return's state does not allow this; reload to see where it stands",
            ),
            ApiError::Conflict {
                code: Conflict::NotAllApproved,
                ..
            } => (
                "该分局还有派出所的月报未经分局审核，全部审核后才能确认",
                "Some stations' returns in this district are not approved yet; all must be \
                 approved before the city accepts",
            ),
            ApiError::Conflict {
                code: Conflict::StationClosed,
                ..
            } => (
                "该派出所在这个月之前已关闭，不需要报这个月的月报",
                "The station closed before this month, so no return is due for it",
            ),
            ApiError::Conflict {
                code: Conflict::PeriodLocked,
                ..
            }
            | ApiError::PeriodLocked { .. } => (
                "该月的月报已上报，记录已锁定",
                "The month's return is submitted, so its records are locked",
            ),
            ApiError::PreconditionRequired => (
                "修改或删除须带上读取时得到的版本（If-Match）",
                "Send the version you read (If-Match) to change or delete a record",
            ),
            ApiError::UnsupportedMediaType => (
                "请求内容必须是 JSON（Content-Type: application/json）",
                "The body must be JSON (Content-Type: application/json)",
            ),
            ApiError::PayloadTooLarge { .. } => ("提交的内容过大", "The request body is too large"),
            ApiError::NotFound => ("未找到", "Not found"),
            ApiError::Unauthenticated => ("请先登录", "Please sign in"),
            ApiError::SessionExpired => (
                "登录已超时，请重新登录",
                "Your session has expired; please sign in again",
            ),
            ApiError::InvalidCredentials => ("用户名或密码不正确", "Wrong username or password"),
            ApiError::AccountDisabled => (
                "该账号已停用，请联系管理员",
                "This account is disabled; ask an administrator",
            ),
            ApiError::Forbidden => ("您没有这项操作的权限", "You may not do this"),
            ApiError::CrossSite => (
                "请求来自其他网站，已拒绝",
                "This request came from another site and was refused",
            ),
            ApiError::TooManyAttempts { .. } => (
                "登录失败次数过多，请稍后再试",
                "Too many failed logins; try again later",
            ),
            ApiError::LinkExpired => (
                "该链接已过期，请向管理员索取新的链接",
                "This link has expired; ask an administrator for a new one",
            ),
            ApiError::LinkRevoked => (
                "该链接已被撤销，请向管理员索取新的链接",
                "This link was revoked; ask an administrator for a new one",
            ),
            ApiError::MethodNotAllowed { .. } => (
                "该地址不支持这种请求方法",
                "This address does not take this method",
            ),
            ApiError::ChartFontMissing => (
                "服务器未安装中文字体，无法生成 PNG 图表；请改用 SVG，或请管理员安装 fonts-noto-cjk",
                "No Chinese font is installed on the server, so PNG charts cannot be drawn; \
                 use the SVG, or ask the administrator to install fonts-noto-cjk",
            ),
            ApiError::Unavailable(_) => (
                "数据库暂时不可用，请稍后重试",
                "The database is unavailable; try again shortly",
            ),
            ApiError::Internal(_) => ("服务器内部错误", "Internal server error"),
        };
        lang.pick(zh, en).to_string()
    }

    fn fields(&self, lang: Lang) -> Vec<FieldError> {
        match self {
            ApiError::Validation(errors) | ApiError::Dependents { fields: errors, .. } => {
                errors.localize(lang)
            }
            ApiError::InvalidJson { field }
            | ApiError::InvalidQuery { field }
            | ApiError::InvalidHeader { field } => {
                vec![FieldCode::InvalidType.at(field.clone(), lang)]
            }
            _ => Vec::new(),
        }
    }

    pub fn body(&self, lang: Lang) -> ErrorBody {
        ErrorBody {
            code: self.code().to_string(),
            message: self.message(lang),
            fields: self.fields(lang),
            request_id: None,
        }
    }

    fn respond(&self, lang: Lang, request_id: Option<String>) -> HttpResponse {
        let mut res = HttpResponse::build(self.status_code());
        if matches!(self, ApiError::Unavailable(_)) {
            res.insert_header((header::RETRY_AFTER, HeaderValue::from_static("5")));
        }
        if let ApiError::TooManyAttempts { retry_after } = self {
            res.insert_header((header::RETRY_AFTER, retry_after.to_string()));
        }
        if let ApiError::MethodNotAllowed { allow } = self {
            res.insert_header((header::ALLOW, HeaderValue::from_static(allow)));
        }
        let (current, used_by) = match self {
            ApiError::Conflict { current, .. } | ApiError::PeriodLocked { current, .. } => {
                (current, None)
            }
            ApiError::Dependents {
                current, used_by, ..
            } => (current, Some(used_by.by_collection())),
            _ => {
                return res.json(ErrorBody {
                    request_id,
                    ..self.body(lang)
                })
            }
        };
        if let Some(version) = current.get("version").and_then(|v| v.as_i64()) {
            res.insert_header((header::ETAG, crate::extract::etag(version)));
        }
        res.json(ConflictBody {
            error: ErrorBody {
                request_id,
                ..self.body(lang)
            },
            current,
            used_by,
        })
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::InvalidJson { .. }
            | ApiError::InvalidQuery { .. }
            | ApiError::InvalidHeader { .. } => StatusCode::BAD_REQUEST,
            ApiError::IdempotencyKeyReused => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Conflict { .. }
            | ApiError::Dependents { .. }
            | ApiError::PeriodLocked { .. } => StatusCode::CONFLICT,
            ApiError::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Unauthenticated | ApiError::SessionExpired | ApiError::InvalidCredentials => {
                StatusCode::UNAUTHORIZED
            }
            ApiError::AccountDisabled | ApiError::Forbidden | ApiError::CrossSite => {
                StatusCode::FORBIDDEN
            }
            ApiError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::LinkExpired | ApiError::LinkRevoked => StatusCode::GONE,
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Unavailable(_) | ApiError::ChartFontMissing => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse<BoxBody> {
        match self {
            ApiError::Internal(e) => tracing::error!(error = format!("{e:#}"), "request failed"),
            ApiError::Unavailable(e) => tracing::warn!(error = %e, "database unavailable"),
            // The machine code says what was wrong; values stay out of the log.
            other => tracing::debug!(code = other.code(), "request refused"),
        }
        // `localize` adds the request's id, which is not known here.
        self.respond(Lang::Zh, None)
    }
}

/// Which clash a 409 reports.
#[derive(Debug, Clone, Copy)]
pub enum Conflict {
    DuplicateSession,
    /// Another record already has this record's natural key (a code, a title, a year…).
    DuplicateRecord,
    /// Live records still point at this one, so it cannot be deleted.
    InUse,
    /// Live records of this one would fall outside its new dates.
    RecordsOutside,
    EditConflict,
    /// An administrator asked to disable their own account.
    OwnAccount,
    /// A return's state does not allow the action (submit an accepted month…).
    InvalidTransition,
    /// The city accepts a district's month only when every return there is approved.
    NotAllApproved,
    /// The station closed before the month: no return is expected of it.
    StationClosed,
    /// A row of an import (or a write) falls in a locked month (see
    /// [`ApiError::PeriodLocked`], which the API answers with).
    PeriodLocked,
}

impl Conflict {
    fn code(self) -> &'static str {
        match self {
            Conflict::DuplicateSession => "duplicate_session",
            Conflict::DuplicateRecord => "duplicate_record",
            Conflict::InUse => "in_use",
            Conflict::RecordsOutside => "records_outside",
            Conflict::EditConflict => "edit_conflict",
            Conflict::OwnAccount => "own_account",
            Conflict::InvalidTransition => "invalid_transition",
            Conflict::NotAllApproved => "not_all_approved",
            Conflict::StationClosed => "station_closed",
            Conflict::PeriodLocked => "period_locked",
        }
    }
}

impl std::fmt::Display for Conflict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// A 409's body: the usual error fields and the stored record it clashes with.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ConflictBody<'a> {
    #[serde(flatten)]
    error: ErrorBody,
    /// The stored record as it is now.
    #[schema(value_type = Object)]
    current: &'a serde_json::Value,
    /// For `in_use` and `records_outside`: how many live records of each kind (by
    /// collection, e.g. `sessions`) depend on it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<std::collections::BTreeMap<String, i64>>)]
    used_by: Option<std::collections::BTreeMap<&'static str, i64>>,
}

/// What a refusal for the sake of dependent records says: which records, and what to do.
fn dependents_message(code: Conflict, used_by: &UsedBy, closable: bool, lang: Lang) -> String {
    let list = used_by.describe(lang);
    match (code, lang) {
        (Conflict::RecordsOutside, Lang::Zh) => {
            format!("已有记录不在新的日期范围内（{list}），请先修改或删除这些记录")
        }
        (Conflict::RecordsOutside, Lang::En) => format!(
            "Records would fall outside the new dates ({list}); change or delete them first"
        ),
        (_, Lang::Zh) => {
            let close = if closable {
                "；不再使用的学校或派出所请填写关闭日期，不要删除"
            } else {
                ""
            };
            format!("还有其他记录引用这一条，不能删除（{list}）{close}")
        }
        (_, Lang::En) => {
            let close = if closable {
                "; give it a closing date instead of deleting it"
            } else {
                ""
            };
            format!(
                "Other records still refer to this one, so it cannot be deleted ({list}){close}"
            )
        }
    }
}

/// The language a request asks for.
pub fn lang_of(req: &HttpRequest) -> Lang {
    req.headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(Lang::from_accept_language)
        .unwrap_or_default()
}

/// Middleware: re-renders an `ApiError` body in the request's language, with the request's
/// id; other JSON error bodies (an import's report of its problems) get the id added.
pub async fn localize(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let lang = lang_of(req.request());
    let id = crate::ops::request::id_of(req.request());
    let res = match next.call(req).await {
        Ok(res) => res.map_into_boxed_body(),
        // From a middleware inside (the same-origin check): still an error, with its body
        // rendered here.
        Err(e) => {
            let Some(api) = e.as_error::<ApiError>() else {
                return Err(e);
            };
            let response = api.respond(lang, id);
            return Err(InternalError::from_response(e.to_string(), response).into());
        }
    };
    let rendered = res
        .response()
        .error()
        .and_then(|e| e.as_error::<ApiError>())
        .map(|e| e.respond(lang, id.clone()));
    if let Some(body) = rendered {
        return Ok(res.into_response(body));
    }
    match id {
        Some(id) if res.status().as_u16() >= 400 && is_json(&res) => with_id(res, id).await,
        _ => Ok(res),
    }
}

fn is_json(res: &ServiceResponse<BoxBody>) -> bool {
    res.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

/// Adds `request_id` to a JSON object body (error bodies are small: read whole).
async fn with_id(
    res: ServiceResponse<BoxBody>,
    id: String,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let (request, response) = res.into_parts();
    let (head, body) = response.into_parts();
    let bytes = actix_web::body::to_bytes(body)
        .await
        .map_err(|e| actix_web::error::ErrorInternalServerError(e.to_string()))?;
    let body = match serde_json::from_slice::<serde_json::Value>(&bytes) {
        Ok(serde_json::Value::Object(mut object)) => {
            object.insert("request_id".into(), id.into());
            serde_json::to_vec(&object).map(Into::into).unwrap_or(bytes)
        }
        _ => bytes,
    };
    Ok(ServiceResponse::new(
        request,
        head.set_body(BoxBody::new(body)),
    ))
}
