//! Ids in filters are in the viewer's scope or 404: a district leader or an officer who names
//! a district, station or school outside their scope in a list, an aggregate, a chart or the
//! report gets 404, not `200 []` (which would say "nothing was recorded there"); an id that
//! names nothing is 404 too, so a 404 reveals nothing about other districts. Their own
//! places answer 200.
//!
//! 天宁's leader (`leader.tianning`) and 雕庄's officer (`officer.diaozhuang`, in 天宁) ask
//! every route that takes an id filter, once per filter with an id of their own, one of
//! someone else's and one that names nothing.

use humiao_tests::{spawn_app, TestApp};

/// What an id names, for the viewer asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Id {
    /// The viewer's own (its district, its station, 雕庄小学), or any where scope does not
    /// apply (a campaign, a topic…).
    Own,
    /// Someone else's: 新北 for a district, for a station 三井 (the leader) or another
    /// station of 天宁 (the officer), for a school 博爱小学 (钟楼).
    Others,
    /// Nothing at all.
    Unknown,
}

/// A route and the id filters it takes. `officer: false` where officers read none of it.
struct Route {
    path: &'static str,
    filters: &'static [&'static str],
    officer: bool,
}

const PLACES: &[&str] = &["district_id", "station_id", "school_id"];

const ROUTES: &[Route] = &[
    Route {
        path: "/api/v1/sessions",
        filters: &[
            "district_id",
            "station_id",
            "school_id",
            "campaign_id",
            "topic_id",
        ],
        officer: true,
    },
    Route {
        path: "/api/v1/schools",
        filters: &["district_id", "station_id"],
        officer: true,
    },
    Route {
        path: "/api/v1/stations",
        filters: &["district_id"],
        officer: true,
    },
    Route {
        path: "/api/v1/confirmations",
        filters: &[
            "district_id",
            "station_id",
            "school_id",
            "campaign_id",
            "film_id",
            "assignment_id",
        ],
        officer: true,
    },
    Route {
        path: "/api/v1/assignments",
        filters: &["school_id", "campaign_id", "film_id"],
        officer: false,
    },
    Route {
        path: "/api/v1/outcomes",
        filters: &["district_id", "station_id"],
        officer: true,
    },
    Route {
        path: "/api/v1/trainees",
        filters: &["district_id", "station_id", "training_id"],
        officer: true,
    },
    Route {
        path: "/api/v1/trainings",
        filters: &["campaign_id"],
        officer: true,
    },
    Route {
        path: "/api/v1/films",
        filters: &["topic_id"],
        officer: true,
    },
    Route {
        path: "/api/v1/campaigns",
        filters: &["topic_id"],
        officer: true,
    },
    Route {
        path: "/api/v1/aggregates/sessions-by-district",
        filters: &["district_id", "station_id", "school_id", "topic_id"],
        officer: true,
    },
    Route {
        path: "/api/v1/aggregates/reach",
        filters: &["district_id", "station_id", "school_id", "topic_id"],
        officer: true,
    },
    Route {
        path: "/api/v1/aggregates/audience",
        filters: &["district_id", "station_id", "school_id", "topic_id"],
        officer: true,
    },
    Route {
        path: "/api/v1/aggregates/screening-coverage",
        filters: &["district_id", "station_id", "school_id"],
        officer: true,
    },
    Route {
        path: "/api/v1/aggregates/screening-reach",
        filters: &["district_id", "station_id", "school_id"],
        officer: true,
    },
    Route {
        path: "/api/v1/aggregates/training-coverage",
        filters: &["district_id", "station_id"],
        officer: true,
    },
    Route {
        path: "/api/v1/aggregates/outcomes",
        filters: &["district_id", "station_id"],
        officer: true,
    },
    Route {
        path: "/api/v1/charts/{chart}",
        filters: &["district_id", "station_id", "school_id"],
        officer: true,
    },
    Route {
        path: "/report/2024",
        filters: &["district_id", "station_id"],
        officer: true,
    },
];

/// The ids of the demo data the cases use.
struct Ids {
    tianning: i64,
    xinbei: i64,
    diaozhuang: i64,
    sanjing: i64,
    other_tianning_station: i64,
    diaozhuang_school: i64,
    boai_school: i64,
    campaign: i64,
    topic: i64,
    film: i64,
    assignment: i64,
    training: i64,
    chart: String,
}

async fn one(app: &TestApp, sql: &str) -> i64 {
    let (id,): (i64,) = sqlx::query_as(sql)
        .fetch_one(&app.db.pool)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    id
}

impl Ids {
    async fn of(app: &TestApp) -> Ids {
        let tianning = app.id_of("districts", "name", "天宁分局").await;
        let diaozhuang = app.id_of("stations", "name", "雕庄派出所").await;
        let charts = app.get_json("/api/v1/charts").await;
        Ids {
            tianning,
            xinbei: app.id_of("districts", "name", "新北分局（高新区）").await,
            diaozhuang,
            sanjing: app.id_of("stations", "name", "三井派出所").await,
            other_tianning_station: one(
                app,
                &format!(
                    "SELECT MIN(id) FROM stations WHERE district_id = {tianning} AND id <> {diaozhuang}"
                ),
            )
            .await,
            diaozhuang_school: app.id_of("schools", "name", "雕庄小学").await,
            boai_school: app.id_of("schools", "name", "博爱小学").await,
            campaign: app.current_campaign().await,
            topic: one(app, "SELECT MIN(id) FROM topics").await,
            film: one(app, "SELECT MIN(id) FROM films").await,
            assignment: one(app, "SELECT MIN(id) FROM screening_assignments").await,
            training: one(app, "SELECT MIN(id) FROM trainings").await,
            chart: charts[0]["svg"]
                .as_str()
                .expect("a chart")
                .rsplit('/')
                .next()
                .unwrap()
                .to_string(),
        }
    }

    /// The id a filter takes for the case, asked by the leader or the officer.
    fn pick(&self, filter: &str, id: Id, officer: bool) -> i64 {
        const NOTHING: i64 = 987_654;
        if id == Id::Unknown {
            return NOTHING;
        }
        let own = id == Id::Own;
        match filter {
            "district_id" if own => self.tianning,
            "district_id" => self.xinbei,
            "station_id" if own => self.diaozhuang,
            "station_id" if officer => self.other_tianning_station,
            "station_id" => self.sanjing,
            "school_id" if own => self.diaozhuang_school,
            "school_id" => self.boai_school,
            "campaign_id" => self.campaign,
            "topic_id" => self.topic,
            "film_id" => self.film,
            "assignment_id" => self.assignment,
            "training_id" => self.training,
            other => panic!("no id for {other}"),
        }
    }
}

#[tokio::test]
async fn ids_outside_the_viewers_scope_or_naming_nothing_are_404_in_every_filter() {
    let app = spawn_app().await;
    let ids = Ids::of(&app).await;
    let mut wrong = Vec::new();
    let mut asked = 0;
    for (viewer, officer) in [("leader.tianning", false), ("officer.diaozhuang", true)] {
        let client = app.client_as(viewer).await;
        for route in ROUTES.iter().filter(|r| r.officer || !officer) {
            let path = route.path.replace("{chart}", &ids.chart);
            for filter in route.filters {
                for id in [Id::Own, Id::Others, Id::Unknown] {
                    // Ids with no scope have no one else's; officers read no assignment.
                    let scoped = PLACES.contains(filter);
                    if id == Id::Others && !scoped
                        || officer && *filter == "assignment_id" && id == Id::Own
                    {
                        continue;
                    }
                    let want = if id == Id::Own { 200 } else { 404 };
                    let url = format!("{path}?{filter}={}", ids.pick(filter, id, officer));
                    let res = client
                        .get(format!("{}{url}", app.url))
                        .send()
                        .await
                        .unwrap();
                    asked += 1;
                    if res.status() != want {
                        wrong.push(format!("{viewer} {url} ({id:?}): {}", res.status()));
                    }
                }
            }
        }
    }
    assert!(asked > 150, "{asked}");
    assert!(
        wrong.is_empty(),
        "{} of {asked} answers are wrong ({}):\n{}",
        wrong.len(),
        app.database.engine.name(),
        wrong.join("\n")
    );
}

#[tokio::test]
async fn an_officer_asks_about_a_school_of_a_neighbouring_station_in_the_district() {
    // Officers give talks at neighbours' schools: the district's schools are theirs to name.
    let app = spawn_app().await;
    let ids = Ids::of(&app).await;
    let (neighbour,): (i64,) =
        sqlx::query_as("SELECT MIN(id) FROM schools WHERE station_id = $1 AND deleted_at IS NULL")
            .bind(ids.other_tianning_station)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    let officer = app.client_as("officer.diaozhuang").await;
    for path in ["/api/v1/sessions", "/api/v1/aggregates/reach"] {
        let res = officer
            .get(format!("{}{path}?school_id={neighbour}", app.url))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{path}");
    }
}
