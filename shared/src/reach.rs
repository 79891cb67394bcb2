//! Aggregated reach: what the leaders' charts and tables are drawn from.

use serde::{Deserialize, Serialize};

/// Sessions and audience (人次) of one district within one campaign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DistrictReach {
    pub district_id: i64,
    pub district: String,
    pub sessions: i64,
    pub students: i64,
    pub parents: i64,
    pub teachers: i64,
    pub others: i64,
}

impl DistrictReach {
    /// Person-times (人次) across all audience groups.
    pub fn audience(&self) -> i64 {
        self.students + self.parents + self.teachers + self.others
    }
}
