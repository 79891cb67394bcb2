//! `GET /report/{year}`: the annual work report, a printable page for the viewer's scope.
//! Its figures are compared with the aggregates API's answers for the same year and
//! viewer: the report must say what the dashboards say.

use humiao_shared::definitions::Figure;
use humiao_shared::report::{count, date_line, percent};
use humiao_shared::Lang;
use humiao_tests::{cookie_client, spawn_app, TestApp};
use reqwest::Client;
use serde_json::{json, Value};

/// The report's status and HTML, as `client` sees it.
async fn report(app: &TestApp, client: &Client, path: &str) -> (u16, String) {
    let res = client
        .get(format!("{}{path}", app.url))
        .send()
        .await
        .expect("request sent");
    let status = res.status().as_u16();
    let kind = res.headers()["content-type"].to_str().unwrap().to_string();
    assert!(kind.starts_with("text/html"), "{path} is a page: {kind}");
    (status, res.text().await.expect("a body"))
}

async fn json_as(app: &TestApp, client: &Client, path: &str) -> Value {
    let res = client
        .get(format!("{}{path}", app.url))
        .send()
        .await
        .expect("request sent");
    assert_eq!(res.status(), 200, "GET {path}");
    res.json().await.expect("JSON")
}

/// The year's total of an indicator from `/aggregates/outcomes` (the stock's last month);
/// `None` when a month of
/// it is hidden from the reader (the report then states the year's figure only when the
/// suppression shows it: `tests/suppression.rs` holds them to that).
fn total(series: &Value, indicator: &str) -> Option<i64> {
    // Minors mentored is a stock: the last month's, not a sum (the registers state it
    // every month).
    if indicator == "minors_mentored" {
        return series
            .as_array()
            .unwrap()
            .iter()
            .rfind(|p| p["indicator"] == indicator)
            .and_then(|p| p["value"].as_i64());
    }
    series
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["indicator"] == indicator)
        .map(|p| p["value"].as_i64())
        .sum()
}

/// The figures the report must state for `client`, from the aggregates API, as it prints
/// them.
async fn expected_phrases(app: &TestApp, client: &Client, year: i32) -> Vec<String> {
    let q = format!("year={year}");
    let a = json_as(app, client, &format!("/api/v1/aggregates/audience?{q}")).await;
    let s = json_as(
        app,
        client,
        &format!("/api/v1/aggregates/screening-reach?{q}"),
    )
    .await;
    let t = json_as(
        app,
        client,
        &format!("/api/v1/aggregates/training-coverage?{q}"),
    )
    .await;
    let o = json_as(app, client, &format!("/api/v1/aggregates/outcomes?{q}")).await;
    let n = |v: &Value| count(v.as_i64().unwrap());
    let audience: i64 = ["students", "parents", "teachers", "others"]
        .iter()
        .map(|g| a[*g].as_i64().unwrap())
        .sum();
    let (mentored, reoffences) = (total(&o, "minors_mentored"), total(&o, "reoffences"));
    let mut phrases = vec![
        format!(
            "全年共开展宣讲活动 {} 场，受众 {} 人次，其中学生 {} 人次、家长 {} 人次、教师 {} 人次、其他 {} 人次",
            n(&a["sessions"]),
            count(audience),
            n(&a["students"]),
            n(&a["parents"]),
            n(&a["teachers"]),
            n(&a["others"])
        ),
        format!(
            "宣讲覆盖 {} 所学校的 {} 名学生",
            n(&a["schools_reached"]),
            n(&a["unique_students"])
        ),
        format!("全年培训宣讲员 {} 名", n(&t["speakers"])),
        // One number said once when all of them did it.
        if t["trained"] == t["stations"] {
            format!("截至期末，全部 {} 个派出所均有", n(&t["stations"]))
        } else {
            format!(
                "截至期末，{} 个派出所中有 {} 个有",
                n(&t["stations"]),
                n(&t["trained"])
            )
        },
        if s["schools_confirmed"] == s["schools_expected"] {
            format!("宣教片已在应收看的全部 {} 所学校播放", n(&s["schools_confirmed"]))
        } else {
            format!(
                "宣教片已在 {} 所学校播放（应收看 {} 所",
                n(&s["schools_confirmed"]),
                n(&s["schools_expected"])
            )
        },
        format!(
            "至少 {} 名学生和 {} 名家长收看",
            n(&s["students"]),
            n(&s["parents"])
        ),
    ];
    if let (Some(mentored), Some(reoffences)) = (mentored, reoffences) {
        phrases.push(format!(
            "结对帮扶重点未成年人 {} 名，其中有重新涉案记录的 {} 人，占比 {}",
            count(mentored),
            count(reoffences),
            percent(reoffences, mentored).unwrap()
        ));
    }
    let calls = ["runaway_calls", "follow_ups", "volunteer_teams"].map(|i| total(&o, i));
    if let [Some(calls), Some(follow_ups), Some(teams)] = calls {
        phrases.push(format!(
            "对涉及青少年出走失联的 {} 次警情开展回访 {} 次，为 {} 名",
            count(calls),
            count(follow_ups),
            count(teams)
        ));
    }
    // A part of the work with nothing recorded is left out, not stated as zero.
    if let Some(night) = total(&o, "night_wandering_cared").filter(|n| *n > 0) {
        phrases.push(format!("对夜间游荡的 {} 名未成年人给予关爱", count(night)));
    }
    phrases
}

#[tokio::test]
async fn the_2024_report_states_the_demo_figures_that_the_aggregates_give() {
    let app = spawn_app().await;
    let (status, html) = report(&app, &app.client, "/report/2024").await;
    assert_eq!(status, 200);
    for phrase in expected_phrases(&app, &app.client, 2024).await {
        assert!(html.contains(&phrase), "{phrase:?} is not in the report");
    }
    // The bureau's own figures, which the demo reproduces.
    for phrase in [
        "结对帮扶重点未成年人 1,038 名，其中有重新涉案记录的 33 人，占比 3.2%",
        "全年培训宣讲员 94 名",
        "对夜间游荡的 162 名未成年人给予关爱",
        "范围：全市",
    ] {
        assert!(html.contains(phrase), "{phrase:?} is not in the report");
    }
    // Printable: A4, no script but the 打印 button's, charts of the year with a text
    // alternative, drawn for their printed width (half the column; the film grid all of it).
    assert!(html.contains("size: A4"));
    assert!(html.contains("break-inside: avoid"));
    assert_eq!(
        html.matches("<script").count(),
        1,
        "the page runs the print button's script only"
    );
    assert!(html.contains(
        "<img src=\"/api/v1/charts/sessions-by-district.svg?year=2024&amp;lang=zh&amp;width=360\" alt=\"图："
    ));
    assert!(html.contains("/api/v1/charts/reoffence-rate.svg?year=2024&amp;lang=zh&amp;width=360"));
    assert!(
        html.contains("/api/v1/charts/screening-coverage.svg?year=2024&amp;lang=zh&amp;width=740")
    );
    // It says how each figure is counted, in the words the leaders' page uses.
    for figure in humiao_shared::definitions::Figure::ALL {
        let definition = figure.definition().zh;
        assert!(
            html.contains(definition),
            "{definition:?} is not in the report"
        );
    }
}

#[tokio::test]
async fn a_district_leaders_report_holds_their_district_only() {
    let app = spawn_app().await;
    let leader = app.client_as("leader.tianning").await;
    let (status, html) = report(&app, &leader, "/report/2024").await;
    assert_eq!(status, 200);
    assert!(html.contains("范围：天宁分局（本报告仅含本分局的数据）"));
    for phrase in expected_phrases(&app, &leader, 2024).await {
        assert!(html.contains(&phrase), "{phrase:?} is not in the report");
    }
    let city = expected_phrases(&app, &app.client, 2024).await;
    assert!(
        !html.contains(&city[0]),
        "the city's sessions are not the district's"
    );
    assert!(
        !html.contains("sessions-by-district.svg"),
        "no chart of every district"
    );
    assert!(!html.contains("钟楼分局"));
    assert!(
        !html.contains("对夜间游荡的"),
        "天宁 cared for no night wanderers: the report does not say 0"
    );
    // Another district's report is not theirs to read.
    let zhonglou = app.id_of("districts", "name", "钟楼分局").await;
    let (status, _) = report(
        &app,
        &leader,
        &format!("/report/2024?district_id={zhonglou}"),
    )
    .await;
    assert_eq!(status, 404);
    // An administrator may print the district's report: the same figures.
    let tianning = app.id_of("districts", "name", "天宁分局").await;
    let (_, admins) = report(
        &app,
        &app.client,
        &format!("/report/2024?district_id={tianning}"),
    )
    .await;
    for phrase in expected_phrases(&app, &leader, 2024).await {
        assert!(admins.contains(&phrase), "{phrase:?}");
    }
    assert!(
        admins.contains(&format!("district_id={tianning}")),
        "its charts too"
    );
}

#[tokio::test]
async fn a_station_officer_sees_small_outcome_counts_hidden() {
    let app = spawn_app().await;
    let station = app.id_of("stations", "name", "雕庄派出所").await;
    // 雕庄's re-offences in 2024: exactly 3, in March.
    sqlx::query(
        "DELETE FROM outcome_values
         WHERE station_id = $1 AND indicator = 'reoffences' AND month LIKE '2024-%'",
    )
    .bind(station)
    .execute(&app.db.pool)
    .await
    .unwrap();
    let res = app
        .post_json(
            "/api/v1/outcomes",
            &json!({"station_id": station, "month": "2024-03", "indicator": "reoffences",
                    "value": 3}),
        )
        .await;
    assert_eq!(res.status(), 201);

    let officer = app.client_as("officer.diaozhuang").await;
    let (_, html) = report(&app, &officer, "/report/2024").await;
    assert!(html.contains("范围：雕庄派出所（本报告仅含本所的数据）"));
    assert!(html.contains("其中有重新涉案记录的 * 人。"), "{html}");
    assert!(html.contains("<th scope=\"row\">重新涉案（人）</th><td class=\"n\">*</td>"));
    let (_, admins) = report(
        &app,
        &app.client,
        &format!("/report/2024?station_id={station}"),
    )
    .await;
    assert!(
        admins.contains("其中有重新涉案记录的 3 人"),
        "administrators see the count"
    );
}

#[tokio::test]
async fn names_that_look_like_markup_are_printed_as_text() {
    let app = spawn_app().await;
    let attack = "<img src=x onerror=alert(1)>";
    sqlx::query("UPDATE districts SET name = $1 WHERE name = '天宁分局'")
        .bind(attack)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let leader = app.client_as("leader.tianning").await;
    let (status, html) = report(&app, &leader, "/report/2024").await;
    assert_eq!(status, 200);
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(!html.contains(attack));
    assert!(!html.contains("onerror=alert(1)>"));
}

#[tokio::test]
async fn signed_out_readers_are_asked_to_sign_in() {
    let app = spawn_app().await;
    for lang in ["zh", "en"] {
        let (status, html) =
            report(&app, &cookie_client(), &format!("/report/2024?lang={lang}")).await;
        assert_eq!(status, 401);
        assert!(html.contains("<a href=\"/\">"), "{html}");
        assert!(
            html.contains(if lang == "zh" {
                "请先登录"
            } else {
                "Please sign in"
            }),
            "{html}"
        );
        assert!(!html.contains("1,038"), "no figure for someone signed out");
    }
}

#[tokio::test]
async fn schools_have_no_report() {
    let app = spawn_app().await;
    let school = app.client_as("school.diaozhuang").await;
    let (status, html) = report(&app, &school, "/report/2024").await;
    assert_eq!(status, 403);
    assert!(html.contains("您没有这项操作的权限"));
}

#[tokio::test]
async fn a_year_without_records_says_so_instead_of_printing_zeros() {
    let app = spawn_app().await;
    // No campaign at all that year.
    let (status, html) = report(&app, &app.client, "/report/2023").await;
    assert_eq!(status, 200);
    assert!(html.contains("2023 年没有“警心护苗”行动"), "{html}");
    assert!(!html.contains("<table"));
    // A campaign with nothing recorded yet.
    let topic = app.get_json("/api/v1/topics").await[0]["id"]
        .as_i64()
        .unwrap();
    let res = app
        .post_json(
            "/api/v1/campaigns",
            &json!({"name": "2041年警心护苗集中宣防行动", "year": 2041,
                    "starts_on": "2041-01-01", "ends_on": "2041-12-31", "topic_ids": [topic],
                    "targets": {"sessions": 100, "schools": 10, "audience": 1000}}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let (status, html) = report(&app, &app.client, "/report/2041?lang=en").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Nothing was recorded for the city in 2041"),
        "{html}"
    );
    assert!(!html.contains("<table"));
    assert!(!html.contains("<img"));
}

#[tokio::test]
async fn english_is_given_on_request() {
    let app = spawn_app().await;
    let (status, html) = report(&app, &app.client, "/report/2024?lang=en").await;
    assert_eq!(status, 200);
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("1,038 key minors were mentored; 33 of them offended again (3.2%)."));
    assert!(html.contains("lang=en"), "charts in English too");
    let res = app
        .client
        .get(format!("{}/report/2024", app.url))
        .header("Accept-Language", "en-GB,en;q=0.9")
        .send()
        .await
        .unwrap();
    assert!(res.text().await.unwrap().contains("Scope: the whole city"));
}

#[tokio::test]
async fn years_that_are_not_years_are_not_found_and_bad_queries_refused() {
    let app = spawn_app().await;
    let cases = [
        ("/report/abc", 404),
        ("/report/1999", 404),
        ("/report/2101", 404),
        ("/report/99999999999", 404),
        ("/report/2024?lang=fr", 400),
        ("/report/2024?district_id=x", 400),
        ("/report/2024?district_id=999999", 404),
    ];
    for (path, want) in cases {
        let (status, _) = report(&app, &app.client, path).await;
        assert_eq!(status, want, "{path}");
    }
    let res = app
        .client
        .post(format!("{}/report/2024", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 405);
}

#[tokio::test]
async fn a_year_before_its_december_report_counts_the_minors_mentored_reported_the_year_before() {
    let app = spawn_app().await;
    let year = chrono::Datelike::year(&humiao_server::clock::today());
    // Minors mentored is a stock the stations report each December.
    let latest = |series: &Value| {
        series
            .as_array()
            .unwrap()
            .iter()
            .rev()
            .find(|p| p["indicator"] == "minors_mentored")
            .map(|p| p["value"].as_i64().unwrap())
    };
    let this_year = app
        .get_json(&format!("/api/v1/aggregates/outcomes?year={year}"))
        .await;
    let last_year = app
        .get_json(&format!("/api/v1/aggregates/outcomes?year={}", year - 1))
        .await;
    // Stations with registers state their stock every month; the typed ones' stock is
    // still last December's: the stock is the totals', which holds both, and is more than
    // this year's months alone state when a typed station has not reported yet.
    let totals = app
        .get_json(&format!("/api/v1/aggregates/outcome-totals?year={year}"))
        .await;
    let stock = totals["minors_mentored"].as_i64().expect("a stock");
    let typed_last_year = latest(&last_year).expect("a stock reported last year");
    assert!(
        stock > latest(&this_year).unwrap_or(0) && typed_last_year > 0,
        "the stock counts last year's reports: {stock}"
    );
    let reoffences = total(&this_year, "reoffences").expect("the administrator sees all");
    let (status, html) = report(&app, &app.client, &format!("/report/{year}")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains(&format!(
            "结对帮扶重点未成年人 {} 名，其中有重新涉案记录的 {} 人，占比 {}",
            count(stock),
            count(reoffences),
            percent(reoffences, stock).unwrap()
        )),
        "stock {stock}, re-offences {reoffences}"
    );
}

/// The report is a document the bureau can sign: its issuing unit at the top, the sign-off
/// (unit and 成文日期) at the end, page numbers in print, a 打印 button the printout leaves
/// out; and each count says whether it is people or 人次 and how it was counted.
#[tokio::test]
async fn the_report_is_an_official_document_with_a_print_button() {
    let app = spawn_app().await;
    let today = humiao_server::clock::today();
    let (status, html) = report(&app, &app.client, "/report/2024").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("<p class=\"issuer\">常州市公安局</p>"),
        "{html}"
    );
    assert!(
        html.contains(&format!(
            "<div class=\"signoff\"><p class=\"unit\">常州市公安局</p><p class=\"date\">{}</p></div>",
            date_line(today, Lang::Zh)
        )),
        "the sign-off closes the report: {html}"
    );
    assert!(html.contains("content: '第 ' counter(page) ' 页 共 ' counter(pages) ' 页'"));
    // The 打印 button is on the screen's line, which print hides; no keyboard shortcuts
    // a phone does not have.
    assert!(html.contains("<nav><button id=\"print\" type=\"button\">打印</button>"));
    let print_css = &html[html.find("@media print {").expect("print rules")..];
    assert!(print_css.contains("nav { display: none }"), "{print_css}");
    assert!(!html.contains("Ctrl+P"));
    assert!(html.contains("<script src=\"/report/print.js\" defer></script>"));
    let res = app
        .client
        .get(format!("{}/report/print.js", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/javascript"));
    assert!(res.text().await.unwrap().contains("window.print()"));
    // Each count: its unit and how it was counted, in the definitions' words.
    for counted in [
        Figure::Audience,
        Figure::UniqueStudents,
        Figure::FilmReach,
        Figure::SpeakersTrained,
        Figure::MinorsMentored,
    ] {
        let phrase = format!("（{}", counted.counted().zh);
        assert!(html.contains(&phrase), "{phrase:?} is not in the report");
    }
    for label in [
        "受众（人次，每场相加）",
        "收看学生（人，至少）",
        "宣讲覆盖学生（人，每人计一次）",
        "结对帮扶重点未成年人（人，期末存量）",
    ] {
        assert!(
            html.contains(&format!("<th scope=\"row\">{label}</th>")),
            "{label}"
        );
    }
    assert!(!html.contains("（共 87 个）"), "87 of 87 is said once");
    // Captions say the period and the source, not the chart's title again.
    assert!(html.contains("统计期间：2024年1月1日至2024年12月31日。来源：护苗系统宣讲记录。"));
    assert!(!html.contains("<figcaption>各月受众人次</figcaption>"));

    // A district leader's report is issued by the district's branch of the city bureau.
    let leader = app.client_as("leader.tianning").await;
    let (_, html) = report(&app, &leader, "/report/2024").await;
    assert!(
        html.contains("<p class=\"issuer\">常州市公安局天宁分局</p>"),
        "{html}"
    );
    assert!(html.contains("<p class=\"unit\">常州市公安局天宁分局</p>"));
    // English keeps the structure, with an English date and page numbers.
    let (_, html) = report(&app, &app.client, "/report/2024?lang=en").await;
    assert!(html.contains("<button id=\"print\" type=\"button\">Print</button>"));
    assert!(html.contains(&format!(
        "<p class=\"unit\">常州市公安局</p><p class=\"date\">{}</p>",
        date_line(today, Lang::En)
    )));
    assert!(html.contains("content: 'Page ' counter(page) ' of ' counter(pages)"));
    assert!(html.contains("(people, not person-times"));
}
