//! A `WHERE` clause built from optional filters, with `$n` placeholders numbered as they
//! are added, so that the same conditions serve a count, a page and a single record.

use sqlx::any::AnyArguments;
use sqlx::query::QueryAs;
use sqlx::Any;

#[derive(Debug, Clone)]
enum Value {
    Int(i64),
    Text(String),
}

/// Conditions joined with `AND`, and the values bound to their placeholders.
#[derive(Debug, Clone)]
pub struct Conditions {
    sql: Vec<String>,
    values: Vec<Value>,
}

impl Conditions {
    /// Live rows of the table aliased `t`: deleted ones are history, not records.
    pub fn live() -> Conditions {
        Conditions {
            sql: vec!["t.deleted_at IS NULL".into()],
            values: Vec::new(),
        }
    }

    /// No condition yet: for tables without soft deletes, or aliased otherwise.
    pub fn all() -> Conditions {
        Conditions {
            sql: Vec::new(),
            values: Vec::new(),
        }
    }

    /// A condition with no value to bind.
    pub fn raw(&mut self, sql: &str) {
        self.sql.push(sql.to_string());
    }

    /// `column = value`, when a value is given.
    pub fn eq(&mut self, column: &str, value: Option<i64>) {
        if let Some(v) = value {
            self.int(&format!("{column} = ?"), v);
        }
    }

    /// `column = value` for text, when a value is given.
    pub fn eq_text(&mut self, column: &str, value: Option<&str>) {
        if let Some(v) = value {
            self.text(&format!("{column} = ?"), v.to_string());
        }
    }

    /// A condition whose `?` marks (all of them) take `value`.
    pub fn int(&mut self, template: &str, value: i64) {
        self.push(template, Value::Int(value));
    }

    pub fn text(&mut self, template: &str, value: String) {
        self.push(template, Value::Text(value));
    }

    /// `column` contains `part`, with `%` and `_` in `part` taken literally.
    pub fn contains(&mut self, column: &str, part: Option<&str>) {
        let Some(part) = part.map(str::trim).filter(|p| !p.is_empty()) else {
            return;
        };
        let escaped = part
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        self.text(
            &format!("{column} LIKE ? ESCAPE '\\'"),
            format!("%{escaped}%"),
        );
    }

    fn push(&mut self, template: &str, value: Value) {
        self.values.push(value);
        let n = self.values.len();
        self.sql.push(template.replace('?', &format!("${n}")));
    }

    /// The clause, without the `WHERE` keyword.
    pub fn sql(&self) -> String {
        if self.sql.is_empty() {
            "1 = 1".into()
        } else {
            self.sql.join(" AND ")
        }
    }

    /// The number the next placeholder after these conditions takes.
    pub fn next_placeholder(&self) -> usize {
        self.values.len() + 1
    }

    /// Binds the values, in order, to a query made from [`Conditions::sql`].
    pub fn bind<'q, O>(
        &self,
        mut query: QueryAs<'q, Any, O, AnyArguments<'q>>,
    ) -> QueryAs<'q, Any, O, AnyArguments<'q>> {
        for value in &self.values {
            query = match value {
                Value::Int(v) => query.bind(*v),
                Value::Text(v) => query.bind(v.clone()),
            };
        }
        query
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_in_the_order_conditions_are_added() {
        let mut c = Conditions::live();
        c.eq("t.station_id", Some(7));
        c.eq("t.school_id", None);
        c.contains("t.name", Some("50%_"));
        c.int("(t.a = ? OR t.b = ?)", 3);
        assert_eq!(
            c.sql(),
            "t.deleted_at IS NULL AND t.station_id = $1 AND t.name LIKE $2 ESCAPE '\\' \
             AND (t.a = $3 OR t.b = $3)"
        );
        assert_eq!(c.next_placeholder(), 4);
        assert!(matches!(&c.values[1], Value::Text(t) if t == "%50\\%\\_%"));
    }
}
