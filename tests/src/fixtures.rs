//! Valid requests built from whatever data a server holds, for tests and benchmarks that
//! talk to a server over HTTP only.

use serde_json::{json, Value};

/// The ids a valid session entry refers to: this year's campaign and 雕庄小学.
pub struct Refs {
    pub campaign_id: i64,
    pub station_id: i64,
    pub school_id: i64,
    pub topic_id: i64,
}

async fn get(client: &reqwest::Client, url: &str, path: &str) -> Value {
    client
        .get(format!("{url}{path}"))
        .send()
        .await
        .expect("request sent")
        .json()
        .await
        .expect("JSON body")
}

/// Looks the ids up through the API of a server holding the demo data.
pub async fn demo_refs(client: &reqwest::Client, url: &str) -> Refs {
    let year = chrono::Datelike::year(&humiao_server::clock::today());
    let campaigns = get(client, url, "/api/v1/campaigns").await;
    let campaign = campaigns
        .as_array()
        .expect("a list")
        .iter()
        .find(|c| c["year"] == year)
        .expect("this year's campaign");
    // 雕庄小学, URL-encoded.
    let schools = get(
        client,
        url,
        "/api/v1/schools?q=%E9%9B%95%E5%BA%84%E5%B0%8F%E5%AD%A6",
    )
    .await;
    Refs {
        campaign_id: campaign["id"].as_i64().expect("id"),
        station_id: schools[0]["station_id"].as_i64().expect("station"),
        school_id: schools[0]["id"].as_i64().expect("school"),
        topic_id: get(client, url, "/api/v1/topics").await[0]["id"]
            .as_i64()
            .expect("topic"),
    }
}

/// A valid session held today, marked by its notes. It confirms it is distinct, since load
/// and crash tests send many that differ only in their notes.
pub fn session_entry(refs: &Refs, marker: &str) -> Value {
    json!({
        "campaign_id": refs.campaign_id,
        "station_id": refs.station_id,
        "school_id": refs.school_id,
        "held_on": humiao_server::clock::today().to_string(),
        "format": "class_talk",
        "topic_ids": [refs.topic_id],
        "audience": {"students": 30, "teachers": 1},
        "notes": marker,
        "confirm_distinct": true,
    })
}
