-- What `GET /api/v1/dashboard` reads below the whole province, at its cost.
-- (See migrations/postgres/0012_dashboard_indexes.sql, which must describe the same.)

-- The topic chart of one district or station: its stations' rows, not the campaign's
-- (the primary key leads with the topic).
CREATE INDEX topic_station_month_reach_station
    ON topic_station_month_reach (campaign_id, station_id);

-- Minors mentored is a stock: each station's latest report up to a month, of one indicator.
CREATE INDEX outcome_values_indicator_month ON outcome_values (indicator, month);
