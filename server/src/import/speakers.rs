//! Speakers from a file: the trainees of a speaker course (宣讲员培训班). A row holds the
//! course (by title), the officer's name, the station that sent them (by code or name), the
//! days attended and whether they completed it. The natural key is course + station + name,
//! as for `POST /api/v1/trainees`.

use humiao_shared::account::Role;
use humiao_shared::import::{parse_bool, split_list, ImportKind};
use humiao_shared::training::{NewTrainee, Trainee, ValidTrainee};
use sqlx::{Any, AnyConnection, Transaction};

use super::{
    date_text, reference, resource_status, resource_store, Cells, Names, RowProblems, Sheet, Status,
};
use crate::error::ApiError;
use crate::records::trainees::Trainees;
use crate::records::Resource;
use crate::viewer::Viewer;

pub struct Speakers;

/// Courses by title, stations by code or name.
pub struct SpeakerNames {
    trainings: Names,
    stations: Names,
}

impl Sheet for Speakers {
    const KIND: ImportKind = ImportKind::Speakers;
    const IMPORTERS: &'static [Role] = &[Role::Admin];
    const SCOPE_COLUMN: &'static str = "station";
    const FIELDS: &'static [(&'static str, &'static str)] = &[
        ("training_id", "training"),
        ("name", "name"),
        ("station_id", "station"),
        ("days_attended", "days"),
        ("completed", "completed"),
    ];

    type Input = NewTrainee;
    type Valid = ValidTrainee;
    type Names = SpeakerNames;

    async fn names(conn: &mut AnyConnection) -> Result<SpeakerNames, sqlx::Error> {
        Ok(SpeakerNames {
            trainings: Names::load(
                conn,
                "SELECT id, NULL, title FROM trainings WHERE deleted_at IS NULL",
            )
            .await?,
            stations: Names::load(
                conn,
                "SELECT id, code, name FROM stations WHERE deleted_at IS NULL",
            )
            .await?,
        })
    }

    fn input(
        cells: &Cells<'_>,
        names: &SpeakerNames,
        _viewer: &Viewer,
        problems: &mut RowProblems,
    ) -> NewTrainee {
        NewTrainee {
            training_id: reference(
                problems,
                "training",
                &names.trainings,
                cells.get("training"),
            ),
            name: cells.get("name").to_string(),
            station_id: reference(problems, "station", &names.stations, cells.get("station")),
            days_attended: split_list(cells.get("days"))
                .into_iter()
                .map(date_text)
                .collect(),
            completed: problems
                .check("completed", parse_bool(cells.get("completed")))
                .unwrap_or(false),
        }
    }

    async fn validate(
        conn: &mut AnyConnection,
        _names: &SpeakerNames,
        input: &NewTrainee,
    ) -> Result<ValidTrainee, ApiError> {
        Trainees::validate(conn, input).await
    }

    /// Administrators only, a city's within their city.
    async fn in_scope(
        conn: &mut AnyConnection,
        viewer: &Viewer,
        valid: &ValidTrainee,
    ) -> Result<bool, sqlx::Error> {
        Ok(
            viewer.is_admin()
                && crate::records::own_station(conn, viewer, valid.station_id).await?,
        )
    }

    fn key(v: &ValidTrainee) -> String {
        format!("{}|{}|{}", v.training_id, v.station_id, v.name)
    }

    async fn status(conn: &mut AnyConnection, valid: &ValidTrainee) -> Result<Status, sqlx::Error> {
        resource_status::<Trainees>(conn, valid, same).await
    }

    async fn store(
        tx: &mut Transaction<'static, Any>,
        rows: &[(ValidTrainee, Status)],
    ) -> Result<Vec<i64>, sqlx::Error> {
        resource_store::<Trainees>(tx, rows).await
    }
}

fn same(v: &ValidTrainee, t: &Trainee) -> bool {
    v.days_attended == t.days_attended && v.completed == t.completed
}
