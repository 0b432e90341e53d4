//! Follow-up records (跟进记录): writing one, and listing them.

use super::sql::{args, Kind, Row, Sql, Value};
use crate::date::iso;
use crate::error::Result;
use crate::record::{NewRecord, Notes, Record, RecordFilter};
use crate::status::{Reason, Status};

/// Writes a record and moves `last_followup_at` of the services it names
/// (all of the customer's when it names none) up to its time.
pub(crate) fn insert_record(conn: &impl Sql, r: &NewRecord) -> Result<i64> {
    let n = &r.notes;
    let id: i64 = conn.one(
        "INSERT INTO records(customer_id, at, author, sales, sales_contact, background, satisfaction, reason, reason_detail, note, status_change)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id",
        args![
            r.customer_id,
            r.at,
            r.author,
            n.sales,
            n.sales_contact,
            n.background,
            n.satisfaction,
            n.reason.map(Reason::id),
            n.reason_detail,
            n.note,
            r.status.and_then(Status::to_db),
        ],
    )?;
    let later = "(last_followup_at IS NULL OR last_followup_at < ?2)";
    if r.services.is_empty() {
        conn.execute(
            &format!(
                "UPDATE services SET last_followup_at = ?2 WHERE customer_id = ?1 AND {later}"
            ),
            args![r.customer_id, r.at],
        )?;
    }
    for s in &r.services {
        conn.execute(
            "INSERT INTO record_services(record_id, service_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
            args![id, s],
        )?;
        conn.execute(
            &format!("UPDATE services SET last_followup_at = ?2 WHERE service_id = ?1 AND {later}"),
            args![s, r.at],
        )?;
    }
    // The latest note is the service list's `last_note` (a back-dated
    // record does not replace a newer one).
    if let Some(note) = &n.note {
        let newer = "(last_note_at IS NULL OR last_note_at <= ?2)";
        if r.services.is_empty() {
            conn.execute(
                &format!("UPDATE services SET last_note = ?3, last_note_at = ?2 WHERE customer_id = ?1 AND {newer}"),
                args![r.customer_id, r.at, note],
            )?;
        }
        for s in &r.services {
            conn.execute(
                &format!("UPDATE services SET last_note = ?3, last_note_at = ?2 WHERE service_id = ?1 AND {newer}"),
                args![s, r.at, note],
            )?;
        }
    }
    Ok(id)
}

/// The time of the latest record about `service` (naming it, or naming
/// no service of its customer) dated on or before `day`: what the
/// service's `last_followup_at` was at the end of that day.
pub(crate) fn last_record_on(
    conn: &impl Sql,
    customer_id: &str,
    service_id: &str,
    day: chrono::NaiveDate,
) -> Result<Option<String>> {
    conn.one(
        "SELECT max(r.at) FROM records r
         WHERE r.customer_id = ?1 AND substr(r.at, 1, 10) <= ?3
           AND (EXISTS (SELECT 1 FROM record_services x WHERE x.record_id = r.id AND x.service_id = ?2)
                OR NOT EXISTS (SELECT 1 FROM record_services x WHERE x.record_id = r.id))",
        args![customer_id, service_id, iso(day)],
    )
}

/// A filter's conditions and their values, on either engine.
#[derive(Default)]
struct Filter {
    parts: Vec<String>,
    values: Vec<Value<'static>>,
}

impl Filter {
    fn param(&mut self, v: String) -> String {
        self.values.push(Value::Text(v.into()));
        format!("?{}", self.values.len())
    }

    /// `(SELECT ...)` of the values, bound as one JSON array.
    fn list(&mut self, kind: Kind, values: &[String]) -> String {
        let p = self.param(serde_json::to_string(values).expect("strings serialise"));
        match kind {
            Kind::Lite => format!("(SELECT value FROM json_each({p}))"),
            Kind::Pg => format!("(SELECT json_array_elements_text(CAST({p} AS json)))"),
        }
    }

    fn in_list(&mut self, kind: Kind, expr: &str, values: &[String]) {
        match values {
            [] => {}
            [one] => {
                let p = self.param(one.clone());
                self.parts.push(format!("{expr} = {p}"));
            }
            _ => {
                let list = self.list(kind, values);
                self.parts.push(format!("{expr} IN {list}"));
            }
        }
    }

    fn sql(&self) -> String {
        if self.parts.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.parts.join(" AND "))
        }
    }
}

/// Records matching the filter, newest first.
pub(crate) fn list_records(conn: &impl Sql, f: &RecordFilter) -> Result<Vec<Record>> {
    let kind = conn.kind();
    let mut w = Filter::default();
    if let Some(c) = &f.customer {
        w.in_list(kind, "r.customer_id", std::slice::from_ref(c));
    }
    if !f.services.is_empty() {
        let list = w.list(kind, &f.services);
        w.parts.push(format!(
            "r.id IN (SELECT record_id FROM record_services WHERE service_id IN {list})"
        ));
    }
    if let Some(d) = f.since {
        let p = w.param(iso(d));
        w.parts.push(format!("substr(r.at, 1, 10) >= {p}"));
    }
    if let Some(d) = f.until {
        let p = w.param(iso(d));
        w.parts.push(format!("substr(r.at, 1, 10) <= {p}"));
    }
    w.in_list(kind, "r.author", &f.author);
    w.in_list(kind, "c.csm", &f.csm);
    let reasons: Vec<String> = f.reason.iter().map(|r| r.id().to_string()).collect();
    w.in_list(kind, "r.reason", &reasons);
    let limit = f.limit.map_or(String::new(), |l| format!(" LIMIT {l}"));
    // The services of a record, joined by the unit separator.
    let services = match kind {
        Kind::Lite => {
            "(SELECT group_concat(service_id, char(31)) FROM
                (SELECT service_id FROM record_services WHERE record_id = r.id ORDER BY service_id))"
        }
        Kind::Pg => {
            "(SELECT string_agg(service_id, chr(31) ORDER BY service_id)
                FROM record_services WHERE record_id = r.id)"
        }
    };
    let sql = format!(
        "SELECT r.id, r.at, r.customer_id, c.customer_name, c.csm, r.author, r.status_change,
                r.sales, r.sales_contact, r.background, r.satisfaction, r.reason, r.reason_detail, r.note,
                {services}
         FROM records r JOIN customers c ON c.customer_id = r.customer_id{}
         ORDER BY r.at DESC, r.id DESC{limit}",
        w.sql()
    );
    let args: Vec<&dyn super::sql::Arg> = w.values.iter().map(|v| v as _).collect();
    conn.rows(&sql, &args, record)
}

/// A stored label read back as its enum; NULL or an unknown value (from
/// a newer build) is `None`.
fn label<T>(r: &Row, i: usize, parse: fn(&str) -> Result<T, String>) -> Result<Option<T>> {
    Ok(r.get::<Option<String>>(i)?.and_then(|s| parse(&s).ok()))
}

fn record(r: &Row) -> Result<Record> {
    let services: Option<String> = r.get(14)?;
    Ok(Record {
        id: r.get(0)?,
        at: r.get(1)?,
        customer_id: r.get(2)?,
        customer_name: r.get(3)?,
        csm: r.get(4)?,
        author: r.get(5)?,
        status: label(r, 6, Status::parse)?,
        services: services
            .map(|s| s.split('\u{1f}').map(str::to_string).collect())
            .unwrap_or_default(),
        notes: Notes {
            sales: r.get(7)?,
            sales_contact: r.get(8)?,
            background: r.get(9)?,
            satisfaction: r.get(10)?,
            reason: label(r, 11, Reason::parse)?,
            reason_detail: r.get(12)?,
            note: r.get(13)?,
        },
    })
}
