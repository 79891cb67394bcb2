//! The OpenAPI document (`GET /api/openapi.json`), built from the code: every record's
//! operations come from its [`Resource`] implementation (schemas from the shared types,
//! filters from its `Filter`), the other routes are described here beside one another, and
//! [`strict`] gives the bodies' schemas the rules' limits. Tests check that the documented
//! operations are exactly the mounted ones (tests/tests/suite/api_document.rs, from the record
//! `crate::mount` keeps), that every `$ref` resolves, and the access matrix
//! (tests/access_matrix.csv) fails for a documented operation without a row.

use actix_web::{web, HttpResponse};
use humiao_shared::aggregate::{
    AggregateFilter, AudienceSummary, FilmCoverage, OutcomePoint, ReachRow, ScreeningReach,
    TrainingCoverage,
};
use humiao_shared::charts::ChartName;
use humiao_shared::link::{IssuedLink, LinksPreview, NewLinks, SchoolLink};
use humiao_shared::reach::DistrictReach;
use humiao_shared::report::OutcomeTotals;
use humiao_shared::session::{NewSession, Session, SessionFormat};
use humiao_shared::{ErrorBody, Health};
use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn, Paths};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{
    ArrayBuilder, KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type,
};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{
    ComponentsBuilder, InfoBuilder, OpenApi, OpenApiBuilder, Ref, RefOr, Required,
};
use utoipa::{IntoParams, ToSchema};
use utoipa_swagger_ui::SwaggerUi;

use crate::db::audit::AuditEntry;
use crate::error::ConflictBody;
use crate::export::ExportQuery;
use crate::records::handlers::Page;
use crate::records::sessions::{SessionFilter, SessionPage};
use crate::records::{OnExisting, Resource};
use crate::report::ReportQuery;
use crate::routes::aggregates::Grouping;
use crate::routes::audit::AuditQuery;
use crate::routes::auth::LinkLogin;
use crate::routes::charts::{ChartList, ChartQuery};
use crate::routes::links::{LinkQuery, ReprintQuery, SheetForm};
use crate::routes::org::OrgTree;
use humiao_shared::account::{Account, Login, Me, NewAccount, NewPassword};

/// `GET /api/openapi.json` and the Swagger UI page at `/api/docs/` (its files are
/// vendored in the binary: the page works without the internet).
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/docs", web::get().to(to_docs)).service(
        SwaggerUi::new("/api/docs/{_:.*}").external_url_unchecked("/api/openapi.json", build()),
    );
}

async fn to_docs() -> HttpResponse {
    HttpResponse::PermanentRedirect()
        .insert_header((actix_web::http::header::LOCATION, "/api/docs/"))
        .finish()
}

/// The name of the session cookie's security scheme.
const COOKIE_AUTH: &str = "session_cookie";

mod strict;

/// The whole document as served, its bodies' schemas as strict as the rules ([`strict`]).
/// JSON rather than utoipa's types: a `$ref` with keywords beside it (a required enum) is
/// valid OpenAPI 3.1 that utoipa's types cannot hold.
pub fn build() -> serde_json::Value {
    let mut document = serde_json::to_value(described()).expect("the document serializes");
    strict::apply(&mut document);
    document
}

/// Every route family's description, as utoipa generates its schemas.
fn described() -> OpenApi {
    let mut doc = Doc::default();
    doc.health_and_org();
    doc.auth();
    for resource in crate::registry::RESOURCES {
        (resource.document)(&mut doc);
    }
    doc.case_viewers();
    doc.registers_from();
    doc.aggregates();
    doc.charts_and_audit();
    doc.links();
    doc.users();
    doc.returns();
    doc.report();
    doc.imports();
    doc.todo();
    doc.finish()
}

/// Paths and the schemas they refer to, gathered as operations are added.
#[derive(Default)]
pub(crate) struct Doc {
    paths: Paths,
    schemas: Vec<(String, RefOr<Schema>)>,
}

/// One operation being described.
struct Op {
    builder: OperationBuilder,
    /// The `$ref` of the error body, which every error answer carries.
    error: RefOr<Schema>,
}

impl Doc {
    /// A `$ref` to `T`'s schema, registering it (and what it refers to) once.
    fn schema<T: ToSchema>(&mut self) -> RefOr<Schema> {
        let name = T::name().to_string();
        if !self.schemas.iter().any(|(n, _)| *n == name) {
            let mut nested = Vec::new();
            T::schemas(&mut nested);
            for (n, s) in nested {
                if !self.schemas.iter().any(|(known, _)| *known == n) {
                    self.schemas.push((n, s));
                }
            }
            self.schemas.push((name.clone(), T::schema()));
        }
        RefOr::Ref(Ref::from_schema_name(name))
    }

    fn array_of<T: ToSchema>(&mut self) -> RefOr<Schema> {
        let item = self.schema::<T>();
        RefOr::T(Schema::Array(ArrayBuilder::new().items(item).build()))
    }

    fn add(&mut self, method: HttpMethod, path: &str, op: Op) {
        self.paths
            .add_path_operation(path, vec![method], op.builder.build());
    }

    /// An operation for signed-in people: the session cookie, 401 without it, 403 when the
    /// role or scope does not allow it.
    fn op(&mut self, tag: &str, id: &str, summary: &str) -> Op {
        let mut op = self.public_op(tag, id, summary);
        op.builder = op
            .builder
            .security(SecurityRequirement::new(COOKIE_AUTH, Vec::<String>::new()))
            .response(
                "401",
                json_error(&op.error, "No one is signed in, or the session expired"),
            )
            .response(
                "403",
                json_error(&op.error, "The role or scope does not allow this"),
            );
        op
    }

    /// An operation anyone may call.
    fn public_op(&mut self, tag: &str, id: &str, summary: &str) -> Op {
        let error = self.schema::<ErrorBody>();
        let unavailable = ResponseBuilder::new()
            .description("The database is unreachable; retry later")
            .header(
                "Retry-After",
                HeaderBuilder::new()
                    .schema(Some(integer()))
                    .description(Some("Seconds to wait before retrying"))
                    .build(),
            )
            .content("application/json", json(error.clone()))
            .build();
        Op {
            error: error.clone(),
            builder: OperationBuilder::new()
                .tag(tag)
                .operation_id(Some(id))
                .summary(Some(summary))
                .response(
                    "400",
                    json_error(&error, "A query parameter, header or the body is malformed"),
                )
                .response(
                    "404",
                    json_error(&error, "Nothing with this id, or no such path"),
                )
                .response("503", unavailable),
        }
    }

    fn finish(self) -> OpenApi {
        OpenApiBuilder::new()
            .info(
                InfoBuilder::new()
                    .title("Humiao 护苗 API")
                    .version(env!("CARGO_PKG_VERSION"))
                    .description(Some(
                        "The 警心护苗 campaign: sessions, schools, films and screenings, \
                         trainings, outcome indicators, and the aggregates behind the \
                         leaders' dashboards. Errors are {code, message, fields}; messages \
                         are Chinese unless Accept-Language asks for English.",
                    ))
                    .build(),
            )
            .paths(self.paths)
            .components(Some(
                ComponentsBuilder::new()
                    .schemas_from_iter(self.schemas)
                    .security_scheme(
                        COOKIE_AUTH,
                        SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                            crate::auth::COOKIE,
                            "Set by POST /api/v1/auth/login (or /auth/link); HttpOnly, \
                             SameSite=Strict. State-changing requests from a browser must \
                             come from this server's pages (Origin).",
                        ))),
                    )
                    .build(),
            ))
            .build()
    }

    fn health_and_org(&mut self) {
        let health = self.schema::<Health>();
        let op = self.public_op(
            "health",
            "health",
            "Is the server up, and on which database?",
        );
        self.add(HttpMethod::Get, "/api/health", op.ok(health, ""));
        let tree = self.schema::<OrgTree>();
        let op = self.op(
            "organisation",
            "org_tree",
            "The city bureau, its districts and stations as one tree",
        );
        self.add(HttpMethod::Get, "/api/v1/org", op.ok(tree, ""));
    }

    fn auth(&mut self) {
        let me = self.schema::<Me>();
        let login = self.schema::<Login>();
        let link = self.schema::<LinkLogin>();
        let op = self
            .public_op(
                "auth",
                "login",
                "Signs in; the answer sets the session cookie",
            )
            .body(login)
            .signed_in(me.clone())
            .invalid()
            .response("401", "Wrong username or password")
            .response("403", "The account is disabled")
            .too_many();
        self.add(HttpMethod::Post, "/api/v1/auth/login", op);
        let op = self
            .public_op(
                "auth",
                "link_login",
                "A school signs in with the secret of its link",
            )
            .body(link)
            .signed_in(me.clone())
            .response("410", "The link expired or was revoked");
        self.add(HttpMethod::Post, "/api/v1/auth/link", op);
        let op = self
            .op(
                "auth",
                "logout",
                "Signs out: the session ends on the server",
            )
            .no_content();
        self.add(HttpMethod::Post, "/api/v1/auth/logout", op);
        let op = self.op("auth", "me", "Who is signed in").ok(me, "");
        self.add(HttpMethod::Get, "/api/v1/auth/me", op);
    }

    /// The five operations every [`Resource`] has.
    pub(crate) fn resource<R: Resource>(&mut self) {
        let name = R::NAME;
        let record = self.schema::<R::Record>();
        let records = self.array_of::<R::Record>();
        let input = self.schema::<R::Input>();
        let conflict = self.schema::<ConflictBody>();
        let collection = format!("/api/v1/{name}");
        let item = format!("/api/v1/{name}/{{id}}");
        let sorts: Vec<&str> = R::SORTS.iter().map(|(k, _)| *k).collect();

        let op = self
            .op(name, &format!("list_{name}"), R::SUMMARY)
            .params(sort_among(
                Page::into_params(|| Some(ParameterIn::Query)),
                &sorts,
            ))
            .params(R::Filter::into_params(|| Some(ParameterIn::Query)))
            .params(ExportQuery::into_params(|| Some(ParameterIn::Query)))
            .list(records, &sorts);
        self.add(HttpMethod::Get, &collection, op);

        let mut op = self
            .op(
                name,
                &format!("create_{name}"),
                &format!("Adds one ({name})"),
            )
            .body(input.clone())
            .idempotency_key()
            .created(record.clone())
            .invalid()
            .conflict(
                conflict.clone(),
                "Another record has this natural key; the answer carries it",
            );
        if R::ON_EXISTING == OnExisting::Update {
            op = op.ok(
                record.clone(),
                "The existing record with this natural key was updated",
            );
        }
        self.add(HttpMethod::Post, &collection, op);

        let op = self
            .op(name, &format!("get_{name}"), &format!("One of the {name}"))
            .id()
            .ok(record.clone(), "");
        self.add(HttpMethod::Get, &item, op);

        let op = self
            .op(
                name,
                &format!("update_{name}"),
                &format!("Replaces one of the {name}"),
            )
            .id()
            .if_match(true)
            .body(input)
            .ok(record, "")
            .invalid()
            .conflict(
                conflict.clone(),
                "The version sent is stale, or the natural key is taken",
            )
            .precondition_required();
        self.add(HttpMethod::Put, &item, op);

        let op = self
            .op(
                name,
                &format!("delete_{name}"),
                &format!("Deletes one of the {name} (kept as history)"),
            )
            .id()
            .if_match(false)
            .no_content()
            .conflict(
                conflict,
                "The version sent is stale, or live records refer to this one",
            );
        self.add(HttpMethod::Delete, &item, op);
    }

    /// Sessions' operations: a `Resource`, but with their own list limit (1–500) and filters.
    pub(crate) fn sessions(&mut self) {
        let session = self.schema::<Session>();
        let sessions = self.array_of::<Session>();
        let input = self.schema::<NewSession>();
        let conflict = self.schema::<ConflictBody>();
        let op = self
            .op(
                "sessions",
                "list_sessions",
                "Education sessions, newest first",
            )
            .params(SessionPage::into_params(|| Some(ParameterIn::Query)))
            .params(SessionFilter::into_params(|| Some(ParameterIn::Query)))
            .params(ExportQuery::into_params(|| Some(ParameterIn::Query)))
            .list(sessions, &[]);
        self.add(HttpMethod::Get, "/api/v1/sessions", op);
        let op = self
            .op("sessions", "create_sessions", "Logs a session")
            .body(input.clone())
            .idempotency_key()
            .created(session.clone())
            .invalid()
            .conflict(conflict.clone(), "The same station, venue, date, format and topics are logged already; confirm_distinct logs it anyway");
        self.add(HttpMethod::Post, "/api/v1/sessions", op);
        let op = self
            .op("sessions", "get_sessions", "One session")
            .id()
            .ok(session.clone(), "");
        self.add(HttpMethod::Get, "/api/v1/sessions/{id}", op);
        let op = self
            .op("sessions", "update_sessions", "Edits a session")
            .id()
            .if_match(true)
            .body(input)
            .ok(session, "")
            .invalid()
            .conflict(
                conflict.clone(),
                "The version sent is stale, or the edit duplicates another session",
            )
            .precondition_required();
        self.add(HttpMethod::Put, "/api/v1/sessions/{id}", op);
        let op = self
            .op(
                "sessions",
                "delete_sessions",
                "Deletes a session (kept as history)",
            )
            .id()
            .if_match(false)
            .no_content()
            .conflict(conflict, "The version sent is stale");
        self.add(HttpMethod::Delete, "/api/v1/sessions/{id}", op);
    }

    fn aggregates(&mut self) {
        // The aggregates' `format` is the session format filter and the file format alike.
        let filter = || {
            let mut params = AggregateFilter::into_params(|| Some(ParameterIn::Query));
            for param in params.iter_mut().filter(|p| p.name == "format") {
                let codes = SessionFormat::ALL
                    .iter()
                    .map(|f| f.code())
                    .chain(["json", "csv", "xlsx"]);
                param.schema = Some(RefOr::T(Schema::Object(
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .enum_values(Some(codes))
                        .build(),
                )));
                param.description = Some(
                    "A session format to count only those, and/or `csv` or `xlsx` for the \
                     answer as a file (`json` by default); repeat `format` for both"
                        .into(),
                );
            }
            params
        };
        let cases: [(&str, &str, RefOr<Schema>); 8] = [
            (
                "sessions-by-district",
                "Sessions and audience per district (every district, even with none)",
                self.array_of::<DistrictReach>(),
            ),
            (
                "reach",
                "Sessions and audience per month, district, station, topic or format",
                self.array_of::<ReachRow>(),
            ),
            (
                "audience",
                "Sessions, 人次 per audience group, unique students reached",
                self.schema::<AudienceSummary>(),
            ),
            (
                "screening-coverage",
                "Per film: schools that confirmed of schools expected, by district",
                self.array_of::<FilmCoverage>(),
            ),
            (
                "screening-reach",
                "Schools the films reached and the people who watched (largest audience per school)",
                self.schema::<ScreeningReach>(),
            ),
            (
                "training-coverage",
                "Stations with a trained speaker of all stations, by district",
                self.schema::<TrainingCoverage>(),
            ),
            (
                "outcomes",
                "Outcome indicators per month over the slice's stations",
                self.array_of::<OutcomePoint>(),
            ),
            (
                "outcome-totals",
                "Outcome figures of the whole slice (as the annual report states them)",
                self.schema::<OutcomeTotals>(),
            ),
        ];
        for (slug, summary, answer) in cases {
            let mut op = self
                .op(
                    "aggregates",
                    &format!("aggregate_{}", slug.replace('-', "_")),
                    summary,
                )
                .params(filter())
                .file_or(answer)
                .invalid();
            if slug == "reach" {
                op = op.params(Grouping::into_params(|| Some(ParameterIn::Query)));
            }
            self.add(HttpMethod::Get, &format!("/api/v1/aggregates/{slug}"), op);
        }
        // The leaders' page in one answer: the same filters (the format only the sessions').
        let dashboard = self.schema::<humiao_shared::dashboard::Dashboard>();
        let op = self
            .op(
                "aggregates",
                "dashboard",
                "Every figure of the leaders' page for one slice, in one answer",
            )
            .params(AggregateFilter::into_params(|| Some(ParameterIn::Query)))
            .ok(dashboard, "")
            .invalid();
        self.add(HttpMethod::Get, "/api/v1/dashboard", op);
        let completeness = self.schema::<humiao_shared::returns::completeness::Completeness>();
        let op = self
            .op(
                "aggregates",
                "completeness",
                "A year's monthly returns per month and place (expected, on time, late, \
                 missing, approved, accepted) and the screening windows' schools confirmed",
            )
            .params(
                humiao_shared::returns::completeness::CompletenessQuery::into_params(|| {
                    Some(ParameterIn::Query)
                }),
            )
            .ok(completeness, "")
            .invalid();
        self.add(HttpMethod::Get, "/api/v1/completeness", op);
    }

    fn charts_and_audit(&mut self) {
        let list = self.schema::<ChartList>();
        let op = self
            .op("charts", "list_charts", "The charts the server draws")
            .ok(list, "");
        self.add(HttpMethod::Get, "/api/v1/charts", op);
        let text = RefOr::T(Schema::Object(
            ObjectBuilder::new().schema_type(Type::String).build(),
        ));
        let binary = RefOr::T(Schema::Object(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
                .build(),
        ));
        // Every file the server draws, so that a client (and the fuzzer) can only ask for
        // real charts; anything else is a 404.
        let files: Vec<String> = ChartName::ALL
            .iter()
            .flat_map(|c| [format!("{}.svg", c.slug()), format!("{}.png", c.slug())])
            .collect();
        let mut op = self
            .op(
                "charts",
                "draw_chart",
                "A chart as SVG or PNG, from the aggregates with the same filters and scope",
            )
            .params(AggregateFilter::into_params(|| Some(ParameterIn::Query)))
            .params(ChartQuery::into_params(|| Some(ParameterIn::Query)))
            .invalid();
        op.builder = op
            .builder
            .parameter(
                ParameterBuilder::new()
                    .name("file")
                    .parameter_in(ParameterIn::Path)
                    .required(Required::True)
                    .description(Some(
                        "The chart's name (see `GET /api/v1/charts`) and `.svg` or `.png`, \
                         e.g. `sessions-by-district.svg`",
                    ))
                    .schema(Some(RefOr::T(Schema::Object(
                        ObjectBuilder::new()
                            .schema_type(Type::String)
                            .enum_values(Some(files))
                            .build(),
                    )))),
            )
            .response(
                "200",
                ResponseBuilder::new()
                    .description("The chart: SVG text for `.svg`, a PNG image for `.png`")
                    .content("image/svg+xml", json(text))
                    .content("image/png", json(binary))
                    .build(),
            )
            .response(
                "503",
                json_error(
                    &op.error,
                    "The database is unreachable (retry later), or, for `.png`, no CJK font \
                     is installed on the server (`chart_font_missing`; the SVG still works)",
                ),
            );
        self.add(HttpMethod::Get, "/api/v1/charts/{file}", op);
        let entries = self.array_of::<AuditEntry>();
        let op = self
            .op(
                "audit",
                "list_audit",
                "Changes to records, newest first, per record or per user",
            )
            .params(AuditQuery::into_params(|| Some(ParameterIn::Query)))
            .file_or(entries);
        self.add(HttpMethod::Get, "/api/v1/audit", op);
    }

    /// 待办 and the reminder list.
    fn todo(&mut self) {
        let todo = self.schema::<humiao_shared::todo::Todo>();
        let mut op = self.op(
            "todo",
            "todo",
            "The signed-in person's to-do (待办): an officer's months to submit and returns \
             sent back, a district leader's returns waiting and stations not submitted, a \
             city leader's districts to accept, a school's films to confirm; an \
             administrator's is empty",
        );
        op.builder = op.builder.response(
            "200",
            ResponseBuilder::new()
                .description("The items, and how many")
                .content("application/json", json(todo))
                .build(),
        );
        self.add(HttpMethod::Get, "/api/v1/todo", op);
        let rows = self.array_of::<humiao_shared::todo::Reminder>();
        let mut op = self
            .op(
                "todo",
                "todo_reminders",
                "The stations of the scope that have not submitted a month (open, or returned \
                 and not sent again), for the WeChat groups: an Excel file unless `format` \
                 says `csv` or `json`. Leaders and administrators",
            )
            .params(crate::routes::todo::ReminderQuery::into_params(|| {
                Some(ParameterIn::Query)
            }))
            .response(
                "422",
                "`month` is not `YYYY-MM` (`invalid_month`) or has not begun (`date_in_future`)",
            );
        op.builder = op.builder.response(
            "200",
            ResponseBuilder::new()
                .description("The rows as an Excel workbook (the default), CSV or JSON")
                .content(crate::export::XLSX_TYPE, file())
                .content("text/csv", file())
                .content("application/json", json(rows))
                .build(),
        );
        self.add(HttpMethod::Get, "/api/v1/todo/reminders", op);
    }

    /// Who read a case: administrators only.
    fn case_viewers(&mut self) {
        let views = self.array_of::<crate::records::registers::viewers::CaseView>();
        let op = self
            .op(
                "cases",
                "list_case_viewers",
                "Who read a case (every list, read or export of it), newest first, at most 1000",
            )
            .id()
            .ok(views, "")
            .admin_only();
        self.add(HttpMethod::Get, "/api/v1/cases/{id}/viewers", op);
    }

    /// A station's registers marker: administrators only.
    fn registers_from(&mut self) {
        use crate::routes::registers_from::RegistersFrom;
        let marker = self.schema::<RegistersFrom>();
        let op = self
            .op(
                "stations",
                "set_registers_from",
                "From which month (YYYY-MM) the station's outcome figures are counted from its \
                 registers, or null for typed totals; refused (422 typed_months) while typed \
                 values of those indicators are stored from that month on",
            )
            .id()
            .body(marker.clone())
            .ok(marker, "")
            .admin_only();
        self.add(HttpMethod::Put, "/api/v1/stations/{id}/registers-from", op);
    }

    /// Schools' links: administrators only.
    fn links(&mut self) {
        let listed = self.array_of::<SchoolLink>();
        let mut op = self
            .op(
                "links",
                "list_links",
                "Schools' links, newest first, without their secrets (which are not stored)",
            )
            .params(LinkQuery::into_params(|| Some(ParameterIn::Query)))
            .admin_only();
        op.builder = op.builder.response(
            "200",
            ResponseBuilder::new()
                .description("The links with their state: active, expired or revoked")
                .header(
                    "X-Total-Count",
                    HeaderBuilder::new()
                        .schema(Some(integer()))
                        .description(Some("How many match in all"))
                        .build(),
                )
                .content("application/json", json(listed))
                .content("text/csv", file())
                .content(crate::export::XLSX_TYPE, file())
                .build(),
        );
        self.add(HttpMethod::Get, "/api/v1/links", op);

        let input = self.schema::<NewLinks>();
        let issued = self.array_of::<IssuedLink>();
        let mut op = self
            .op(
                "links",
                "issue_links",
                "Issues a link per school (every school when none is named) for one campaign; \
                 each school's earlier links for the campaign are revoked",
            )
            .body(input.clone())
            .invalid()
            .admin_only();
        op.builder = op.builder.response(
            "201",
            ResponseBuilder::new()
                .description(
                    "The links issued, each with its address: the only time the secret in \
                     it is shown (the server keeps its hash)",
                )
                .content("application/json", json(issued))
                .build(),
        );
        self.add(HttpMethod::Post, "/api/v1/links", op);

        let preview = self.schema::<LinksPreview>();
        let mut op = self
            .op(
                "links",
                "preview_links",
                "What POST /api/v1/links with the same body would do, changing nothing: how \
                 many schools get a link and how many links in use it revokes",
            )
            .body(input.clone())
            .invalid()
            .admin_only();
        op.builder = op.builder.response(
            "200",
            ResponseBuilder::new()
                .description("The schools to issue to and the links in use to revoke")
                .content("application/json", json(preview))
                .build(),
        );
        self.add(HttpMethod::Post, "/api/v1/links/preview", op);

        let form = self.schema::<SheetForm>();
        let mut op = self
            .op(
                "links",
                "print_link_sheet",
                "Issues links as POST /api/v1/links does (each school's earlier links for the \
                 campaign are revoked) and answers them as a printable A4 sheet with a QR code \
                 per school. Takes that JSON body, or a page's form",
            )
            .invalid()
            .admin_only();
        op.builder = op
            .builder
            .request_body(Some(
                RequestBodyBuilder::new()
                    .required(Some(Required::True))
                    .content("application/json", json(input))
                    .content(crate::extract::FORM, json(form))
                    .build(),
            ))
            .response(
                "200",
                ResponseBuilder::new()
                    .description("An HTML page, 12 cards per A4 page")
                    .content("text/html", json(string()))
                    .build(),
            )
            .response(
                "413",
                json_error(&op.error, "The body is larger than 256 KB"),
            )
            .response(
                "415",
                json_error(&op.error, "The body is neither JSON nor a form"),
            );
        self.add(HttpMethod::Post, "/api/v1/links/sheet", op);

        let mut op = self
            .op(
                "links",
                "reprint_link_sheet",
                "An HTML page listing the campaign's links in use, without QR codes (their \
                 secrets are not kept), with the form that issues new ones. Changes nothing",
            )
            .params(ReprintQuery::into_params(|| Some(ParameterIn::Query)))
            .invalid()
            .admin_only();
        op.builder = op.builder.response(
            "200",
            ResponseBuilder::new()
                .description("An HTML page")
                .content("text/html", json(string()))
                .build(),
        );
        self.add(HttpMethod::Get, "/api/v1/links/sheet", op);

        let mut op = self
            .op(
                "links",
                "revoke_link",
                "Revokes a link; sessions opened with it stop working at once",
            )
            .id()
            .admin_only();
        op.builder = op.builder.response(
            "204",
            ResponseBuilder::new()
                .description("Revoked (or already revoked)")
                .build(),
        );
        self.add(HttpMethod::Delete, "/api/v1/links/{id}", op);
    }
}

impl Doc {
    /// Monthly returns and their sign-off.
    fn returns(&mut self) {
        use humiao_shared::returns::{
            MonthlyReturn, ReturnAction, ReturnEvent, ReturnSummary, TransitionInput,
        };
        let one = self.schema::<MonthlyReturn>();
        let many = self.array_of::<MonthlyReturn>();
        let events = self.array_of::<ReturnEvent>();
        let summary = self.schema::<ReturnSummary>();
        let input = self.schema::<TransitionInput>();
        let action = self.schema::<ReturnAction>();
        let conflict = self.schema::<ConflictBody>();
        let month = || {
            ParameterBuilder::new()
                .name("month")
                .parameter_in(ParameterIn::Path)
                .required(Required::True)
                .description(Some(
                    "`YYYY-MM`, begun (not after the current month): else 422",
                ))
                .schema(Some(string_pattern(r"^[0-9]{4}-(0[1-9]|1[0-2])$")))
        };
        let place = |name: &str| {
            ParameterBuilder::new()
                .name(name)
                .parameter_in(ParameterIn::Path)
                .required(Required::True)
                .schema(Some(integer()))
        };
        let at = |op: Op| {
            let mut op = op;
            op.builder = op
                .builder
                .parameter(place("station"))
                .parameter(month())
                .response(
                    "422",
                    json_error(&op.error, "The month is malformed or has not begun"),
                );
            op
        };

        let mut op = self
            .op(
                "returns",
                "list_returns",
                "One monthly return per expected station and month in the viewer's scope, \
                 up to the current month (a month no one moved is open, version 0). \
                 Schools are refused",
            )
            .params(crate::returns::ReturnQuery::into_params(|| {
                Some(ParameterIn::Query)
            }));
        op.builder = op.builder.response(
            "200",
            ResponseBuilder::new()
                .description("A page of the returns, by month and station")
                .header(
                    "X-Total-Count",
                    HeaderBuilder::new()
                        .schema(Some(integer()))
                        .description(Some("How many match in all"))
                        .build(),
                )
                .content("application/json", json(many.clone()))
                .build(),
        );
        self.add(HttpMethod::Get, "/api/v1/returns", op);

        let op = at(self.op("returns", "get_return", "A station's monthly return"))
            .ok(one.clone(), "The return; its ETag is its version");
        self.add(HttpMethod::Get, "/api/v1/returns/{station}/{month}", op);
        let op = at(self.op(
            "returns",
            "return_history",
            "Every move of a return, oldest first",
        ))
        .ok(events, "");
        self.add(
            HttpMethod::Get,
            "/api/v1/returns/{station}/{month}/history",
            op,
        );
        let op = at(self.op(
            "returns",
            "return_summary",
            "The month's sessions and outcome values, with the warnings to check first",
        ))
        .ok(summary, "");
        self.add(
            HttpMethod::Get,
            "/api/v1/returns/{station}/{month}/summary",
            op,
        );

        let mut op = at(self.op(
            "returns",
            "move_return",
            "Submits (station officer), approves (district leader), returns with a reason \
             (district leader a submitted one, city leader an approved one), accepts (city \
             leader) or reopens with a reason (administrator) a return",
        ))
        .body(input)
        .if_match(true)
        .precondition_required()
        .ok(one.clone(), "The return as moved, with its new ETag")
        .conflict(
            conflict.clone(),
            "The version is stale (edit_conflict), the state does not allow the action \
             (invalid_transition), or the station closed before the month (station_closed); \
             `current` is the return",
        );
        op.builder = op.builder.parameter(
            ParameterBuilder::new()
                .name("action")
                .parameter_in(ParameterIn::Path)
                .required(Required::True)
                .schema(Some(action)),
        );
        self.add(
            HttpMethod::Post,
            "/api/v1/returns/{station}/{month}/{action}",
            op,
        );

        let mut op = self
            .op(
                "returns",
                "accept_district_returns",
                "The city accepts every approved return of a district's month, once every \
                 expected return there is approved or accepted",
            )
            .ok(many, "The district's returns for the month")
            .conflict(
                conflict,
                "Not every return is approved (not_all_approved); `current` lists those \
                 that are not",
            );
        op.builder = op
            .builder
            .parameter(place("district"))
            .parameter(month())
            .response(
                "422",
                json_error(&op.error, "The month is malformed or has not begun"),
            );
        self.add(
            HttpMethod::Post,
            "/api/v1/returns/districts/{district}/{month}/accept",
            op,
        );

        use crate::returns::digest::{Posted, Webhook, WebhookInput};
        let input = self.schema::<WebhookInput>();
        let webhook = self.schema::<Webhook>();
        let posted = self.array_of::<Posted>();
        let op = self
            .op(
                "returns",
                "set_district_webhook",
                "Sets or clears (null) a district's WeCom group-robot webhook for the daily \
                 digest; https only. Administrators over the district",
            )
            .id()
            .body(input)
            .ok(webhook, "The district's webhook as stored")
            .admin_only();
        self.add(HttpMethod::Put, "/api/v1/districts/{id}/webhook", op);
        let op = self
            .op(
                "returns",
                "run_digest",
                "Posts the daily digest of every district in the administrator's scope that \
                 has a webhook, now (three tries each), and says what each post did",
            )
            .ok(posted, "One entry per district posted to")
            .admin_only();
        self.add(HttpMethod::Post, "/api/v1/digest/run", op);
    }

    /// Accounts: administrators only.
    fn users(&mut self) {
        let account = self.schema::<Account>();
        let accounts = self.array_of::<Account>();
        let input = self.schema::<NewAccount>();
        let password = self.schema::<NewPassword>();
        let conflict = self.schema::<ConflictBody>();
        let op = self
            .op(
                "users",
                "list_users",
                "Every account with its role, place, state and last sign-in (never a password)",
            )
            .ok(accounts, "")
            .admin_only();
        self.add(HttpMethod::Get, "/api/v1/users", op);

        let mut op = self
            .op(
                "users",
                "create_users",
                "Adds an account with its role, place and first password. The \
                 Idempotency-Key compares everything but the password",
            )
            .body(input)
            .idempotency_key()
            .invalid()
            .conflict(
                conflict.clone(),
                "An account has this username; the answer carries it",
            )
            .admin_only();
        op.builder = op.builder.response(
            "201",
            ResponseBuilder::new()
                .description("Added (or, for a retry with the same Idempotency-Key, added before)")
                .header(
                    "Idempotent-Replayed",
                    HeaderBuilder::new()
                        .schema(Some(string()))
                        .description(Some("`true` when this is the first answer again"))
                        .build(),
                )
                .content("application/json", json(account.clone()))
                .build(),
        );
        self.add(HttpMethod::Post, "/api/v1/users", op);

        let op = self
            .op(
                "users",
                "disable_user",
                "Disables an account: it cannot sign in and its sessions end at once",
            )
            .id()
            .ok(account.clone(), "The account, disabled")
            .conflict(
                conflict,
                "Administrators cannot disable their own account (code own_account)",
            )
            .admin_only();
        self.add(HttpMethod::Post, "/api/v1/users/{id}/disable", op);

        let op = self
            .op("users", "enable_user", "Enables a disabled account again")
            .id()
            .ok(account, "The account, enabled")
            .admin_only();
        self.add(HttpMethod::Post, "/api/v1/users/{id}/enable", op);

        let mut op = self
            .op(
                "users",
                "set_user_password",
                "Sets an account's password; its other sessions end",
            )
            .id()
            .body(password)
            .invalid()
            .admin_only();
        op.builder = op
            .builder
            .response("204", ResponseBuilder::new().description("Set").build());
        self.add(HttpMethod::Post, "/api/v1/users/{id}/password", op);
    }

    /// The annual report: an HTML page, errors included.
    fn report(&mut self) {
        let page = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content("text/html", json(string()))
                .build()
        };
        let mut op = self.op(
            "report",
            "annual_report",
            "The year's work report as a printable A4 page, for the viewer's scope",
        );
        op.builder = op
            .builder
            .parameter(
                ParameterBuilder::new()
                    .name("year")
                    .parameter_in(ParameterIn::Path)
                    .required(Required::True)
                    .description(Some("The campaign year, 2000–2100"))
                    .schema(Some(integer())),
            )
            .parameters(Some(ReportQuery::into_params(|| Some(ParameterIn::Query))))
            .response(
                "200",
                page("The report; a year without a campaign or records says so in a sentence"),
            )
            .response("400", page("A query parameter is malformed"))
            .response(
                "401",
                page("Not signed in: a page that links to the sign-in"),
            )
            .response("403", page("Schools have no report"))
            .response(
                "404",
                page("No such year, or a place outside the viewer's scope"),
            )
            .response(
                "503",
                ResponseBuilder::new()
                    .description("The database is unreachable; retry later")
                    .header(
                        "Retry-After",
                        HeaderBuilder::new().schema(Some(integer())).build(),
                    )
                    .content("text/html", json(string()))
                    .build(),
            );
        self.add(HttpMethod::Get, "/report/{year}", op);
    }

    /// Imports from XLSX or CSV, and their templates.
    fn imports(&mut self) {
        use humiao_shared::import::{ImportKind, ImportReport};
        use utoipa::openapi::schema::SchemaFormat;

        use crate::import::read::XLSX_MIME;
        use crate::routes::imports::{ImportFailure, TemplateQuery, UploadQuery};

        let kind_schema = self.schema::<ImportKind>();
        let kind = || {
            ParameterBuilder::new()
                .name("kind")
                .parameter_in(ParameterIn::Path)
                .required(Required::True)
                .description(Some(
                    "schools, stations (administrators), speakers (trainees of a course; \
                     administrators), sessions (administrators; officers their station's), \
                     confirmations (administrators; schools their own)",
                ))
                .schema(Some(kind_schema.clone()))
        };
        let binary = || {
            RefOr::T(Schema::Object(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .format(Some(SchemaFormat::KnownFormat(
                        utoipa::openapi::KnownFormat::Binary,
                    )))
                    .build(),
            ))
        };

        let mut op = self
            .op(
                "imports",
                "import_template",
                "The file to fill in for an import: the header row in Chinese, or in English \
                 by Accept-Language (either is accepted on upload); the XLSX has a notes sheet",
            )
            .params(TemplateQuery::into_params(|| Some(ParameterIn::Query)));
        op.builder = op.builder.parameter(kind()).response(
            "200",
            ResponseBuilder::new()
                .description("The template, as an attachment")
                .header(
                    "Content-Disposition",
                    HeaderBuilder::new().schema(Some(string())).build(),
                )
                .content(XLSX_MIME, json(binary()))
                .content("text/csv; charset=utf-8", json(string()))
                .build(),
        );
        self.add(HttpMethod::Get, "/api/v1/imports/{kind}/template", op);

        let report = self.schema::<ImportReport>();
        let failure = self.schema::<ImportFailure>();
        // Or the usual error body, for a query parameter holding a control character
        // (anyOf: an ImportFailure is an error body too).
        let error = self.schema::<ErrorBody>();
        let either = RefOr::T(Schema::AnyOf(
            utoipa::openapi::schema::AnyOfBuilder::new()
                .item(report.clone())
                .item(failure.clone())
                .item(error)
                .build(),
        ));
        let mut op = self
            .op(
                "imports",
                "import_file",
                "Imports records from an XLSX or CSV file sent as the body. Every row is \
                 checked with the rules of the records' API and scoped to the importer; rows \
                 whose record is stored (same natural key) are left as they are, so the same \
                 file twice adds nothing. With dry_run nothing is stored; otherwise every row \
                 is stored in one transaction, or none when any row has a problem",
            )
            .params(UploadQuery::into_params(|| Some(ParameterIn::Query)));
        let failing = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content("application/json", json(failure.clone()))
                .build()
        };
        op.builder = op
            .builder
            .parameter(kind())
            .request_body(Some(
                RequestBodyBuilder::new()
                    .required(Some(Required::True))
                    .description(Some(
                        "The file itself (what `fetch(url, {body: file})` sends); the first \
                         sheet of an XLSX, or UTF-8 CSV; the first row is the header",
                    ))
                    // An empty file is refused (400 `empty_file`).
                    .content(XLSX_MIME, json(non_empty(Some(KnownFormat::Binary))))
                    // A NUL byte makes it no text file (415).
                    .content("text/csv", json(non_empty(None)))
                    .build(),
            ))
            .response(
                "200",
                ResponseBuilder::new()
                    .description(
                        "Stored (`stored: true`), or the dry run's report: the counts, and \
                         every problem by row and column",
                    )
                    .content("application/json", json(report))
                    .build(),
            )
            .response(
                "409",
                failing(
                    "Another request stored some of these records meanwhile; nothing was imported",
                ),
            )
            .response(
                "413",
                failing(
                    "The file is past an import limit, which the message names: its size \
                     (--import-limit-mb, 10 MB), its size unzipped (unzipped_too_large, 50 MB), \
                     its parts (too_many_parts, 1,000), a cell below row 100,000 \
                     (too_many_rows), right of column 100 (too_many_columns), or more than \
                     2,000,000 cells (too_many_cells)",
                ),
            )
            .response("415", failing("Neither XLSX nor CSV (or an old .xls file)"))
            .response(
                "422",
                ResponseBuilder::new()
                    .description(
                        "Nothing stored: rows with problems (the report, each problem with its \
                         row and column), or a file to fix first (an ImportFailure: not UTF-8, \
                         unreadable, no rows, wrong columns, formulas, merged cells, or still \
                         being checked at the time limit: import_timed_out)",
                    )
                    .content("application/json", json(either))
                    .build(),
            )
            .response(
                "429",
                ResponseBuilder::new()
                    .description(
                        "Every turn to import is taken (--import-concurrency); nothing was \
                         read. Try again after Retry-After seconds",
                    )
                    .header(
                        "Retry-After",
                        HeaderBuilder::new()
                            .schema(Some(integer()))
                            .description(Some("Seconds to wait before trying again"))
                            .build(),
                    )
                    .content("application/json", json(failure.clone()))
                    .build(),
            );
        self.add(HttpMethod::Post, "/api/v1/imports/{kind}", op);
    }
}

impl Op {
    fn params(mut self, params: Vec<utoipa::openapi::path::Parameter>) -> Op {
        self.builder = self.builder.parameters(Some(params)).response(
            "422",
            json_error(
                &self.error,
                "A query parameter holds a control character (`fields` names it)",
            ),
        );
        self
    }

    fn id(mut self) -> Op {
        self.builder = self.builder.parameter(
            ParameterBuilder::new()
                .name("id")
                .parameter_in(ParameterIn::Path)
                .required(Required::True)
                .schema(Some(integer())),
        );
        self
    }

    fn idempotency_key(mut self) -> Op {
        self.builder = self.builder.parameter(
            ParameterBuilder::new()
                .name("Idempotency-Key")
                .parameter_in(ParameterIn::Header)
                .required(Required::False)
                .description(Some(
                    "Any 1–128 visible ASCII characters, new for each new record: a retry \
                     with the same key and body gets the first answer and stores nothing new",
                ))
                .schema(Some(string_pattern(r"^[!-~]{1,128}$"))),
        );
        self
    }

    fn if_match(mut self, required: bool) -> Op {
        self.builder = self.builder.parameter(
            ParameterBuilder::new()
                .name("If-Match")
                .parameter_in(ParameterIn::Header)
                .required(if required {
                    Required::True
                } else {
                    Required::False
                })
                .description(Some("The ETag read with the record, e.g. \"3\""))
                // Where it may be left out, an empty one is no condition too.
                .schema(Some(string_pattern(if required {
                    r#"^"[0-9]{1,18}"$"#
                } else {
                    r#"^("[0-9]{1,18}")?$"#
                }))),
        );
        self
    }

    fn body(mut self, schema: RefOr<Schema>) -> Op {
        self.builder = self.builder.request_body(Some(
            RequestBodyBuilder::new()
                .required(Some(Required::True))
                .content("application/json", json(schema))
                .build(),
        ));
        self.builder = self
            .builder
            .response(
                "413",
                json_error(&self.error, "The body is larger than 256 KB"),
            )
            .response("415", json_error(&self.error, "The body is not JSON"))
            // Any body: a string holding a control character is refused before any rule.
            .response(
                "422",
                json_error(
                    &self.error,
                    "A text holds a control character, or a rule failed: `fields` names each",
                ),
            );
        self
    }

    fn ok(mut self, schema: RefOr<Schema>, description: &str) -> Op {
        let description = if description.is_empty() {
            "OK"
        } else {
            description
        };
        self.builder = self.builder.response(
            "200",
            ResponseBuilder::new()
                .description(description)
                .header("ETag", etag_header())
                .content("application/json", json(schema))
                .build(),
        );
        self
    }

    /// 200 with the JSON answer, or the same as CSV or Excel with `format`.
    fn file_or(mut self, schema: RefOr<Schema>) -> Op {
        self.builder = self.builder.response(
            "200",
            ResponseBuilder::new()
                .description("The answer as JSON or, with `format`, as a file to download")
                .content("application/json", json(schema))
                .content("text/csv", file())
                .content(crate::export::XLSX_TYPE, file())
                .build(),
        );
        self
    }

    fn list(mut self, schema: RefOr<Schema>, sorts: &[&str]) -> Op {
        let description = if sorts.is_empty() {
            "A page of the list".to_string()
        } else {
            format!("A page of the list; sort keys: {}", sorts.join(", "))
        };
        self.builder = self.builder.response(
            "200",
            ResponseBuilder::new()
                .description(description)
                .header(
                    "X-Total-Count",
                    HeaderBuilder::new()
                        .schema(Some(integer()))
                        .description(Some("How many match in all"))
                        .build(),
                )
                .content("application/json", json(schema))
                .content("text/csv", file())
                .content(crate::export::XLSX_TYPE, file())
                .build(),
        );
        self
    }

    fn created(mut self, schema: RefOr<Schema>) -> Op {
        self.builder = self.builder.response(
            "201",
            ResponseBuilder::new()
                .description(
                    "Stored (or, for a retry with the same Idempotency-Key, stored before)",
                )
                .header(
                    "Location",
                    HeaderBuilder::new().schema(Some(string())).build(),
                )
                .header("ETag", etag_header())
                .header(
                    "Idempotent-Replayed",
                    HeaderBuilder::new()
                        .schema(Some(string()))
                        .description(Some("`true` when this is the first answer again"))
                        .build(),
                )
                .content("application/json", json(schema))
                .build(),
        );
        self
    }

    /// 200 with who signed in, and the cookie.
    fn signed_in(mut self, me: RefOr<Schema>) -> Op {
        self.builder = self.builder.response(
            "200",
            ResponseBuilder::new()
                .description("Signed in")
                .header(
                    "Set-Cookie",
                    HeaderBuilder::new()
                        .schema(Some(string()))
                        .description(Some("The session cookie (HttpOnly, SameSite=Strict)"))
                        .build(),
                )
                .content("application/json", json(me))
                .build(),
        );
        self
    }

    /// An error answer with the error body.
    fn response(mut self, status: &str, description: &str) -> Op {
        self.builder = self
            .builder
            .response(status, json_error(&self.error, description));
        self
    }

    /// 429 with `Retry-After`, after too many failed logins.
    fn too_many(mut self) -> Op {
        self.builder = self.builder.response(
            "429",
            ResponseBuilder::new()
                .description("Too many failed logins for this account or address")
                .header(
                    "Retry-After",
                    HeaderBuilder::new().schema(Some(integer())).build(),
                )
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(self.error.clone()))
                        .build(),
                )
                .build(),
        );
        self
    }

    fn no_content(mut self) -> Op {
        self.builder = self
            .builder
            .response("204", ResponseBuilder::new().description("Deleted").build());
        self
    }

    fn invalid(mut self) -> Op {
        self.builder = self.builder.response(
            "422",
            json_error(
                &self.error,
                "A rule failed, or a text holds a control character: `fields` lists each \
                 field with its problem; or the Idempotency-Key was used with another body",
            ),
        );
        self
    }

    fn conflict(mut self, body: RefOr<Schema>, description: &str) -> Op {
        self.builder = self.builder.response(
            "409",
            ResponseBuilder::new()
                .description(description)
                .header("ETag", etag_header())
                .content("application/json", json(body))
                .build(),
        );
        self
    }

    /// Signed in as an administrator, or refused.
    fn admin_only(mut self) -> Op {
        self.builder = self
            .builder
            .response(
                "401",
                json_error(&self.error, "No one is signed in, or the session expired"),
            )
            .response(
                "403",
                json_error(&self.error, "Administrators only (the refusal is audited)"),
            );
        self
    }

    fn precondition_required(mut self) -> Op {
        self.builder = self
            .builder
            .response("428", json_error(&self.error, "If-Match is missing"));
        self
    }
}

fn integer() -> RefOr<Schema> {
    RefOr::T(Schema::Object(
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                utoipa::openapi::KnownFormat::Int64,
            )))
            .build(),
    ))
}

fn string() -> RefOr<Schema> {
    RefOr::T(Schema::Object(
        ObjectBuilder::new().schema_type(Type::String).build(),
    ))
}

/// An uploaded file of at least one byte: binary, or (`None`) text without a NUL byte.
fn non_empty(format: Option<KnownFormat>) -> RefOr<Schema> {
    let text = format.is_none().then_some("^[^\\u0000]+$");
    RefOr::T(Schema::Object(
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(format.map(SchemaFormat::KnownFormat))
            .min_length(Some(1))
            .pattern(text)
            .build(),
    ))
}

/// The paging parameters with `sort` limited to the list's own keys: any other is 400.
fn sort_among(
    mut params: Vec<utoipa::openapi::path::Parameter>,
    sorts: &[&str],
) -> Vec<utoipa::openapi::path::Parameter> {
    for param in params.iter_mut().filter(|p| p.name == "sort") {
        param.schema = Some(RefOr::T(Schema::Object(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(sorts.iter().copied()))
                .build(),
        )));
    }
    params
}

fn string_pattern(pattern: &str) -> RefOr<Schema> {
    RefOr::T(Schema::Object(
        ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(pattern))
            .build(),
    ))
}

fn etag_header() -> utoipa::openapi::header::Header {
    HeaderBuilder::new()
        .schema(Some(string()))
        .description(Some("The record's version, for If-Match"))
        .build()
}

/// A downloaded file (CSV or Excel) with `Content-Disposition: attachment`.
fn file() -> utoipa::openapi::content::Content {
    ContentBuilder::new()
        .schema(Some(RefOr::T(Schema::Object(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                    utoipa::openapi::KnownFormat::Binary,
                )))
                .build(),
        ))))
        .build()
}

/// A JSON body of the given schema.
fn json(schema: impl Into<RefOr<Schema>>) -> utoipa::openapi::content::Content {
    ContentBuilder::new().schema(Some(schema)).build()
}

fn json_error(error: &RefOr<Schema>, description: &str) -> utoipa::openapi::response::Response {
    ResponseBuilder::new()
        .description(description)
        .content("application/json", json(error.clone()))
        .build()
}
