//! The history (rule 5): every real change of a service's status or term,
//! of a setting and of a task, append-only, and who made it through which
//! path.

use chrono::NaiveDate;

use crate::clock::Clock;
use crate::spelling::labelled_enum;
use crate::status::{Reason, Status};

labelled_enum!(
    /// What changed.
    Kind, "history kind", "变更类型", {
        Status = "status", "状态变更";
        Renewal = "renewal", "续费";
        ExpiryCorrection = "expiry_correction", "到期日更正";
        Attribute = "attribute", "属性变更";
        Setting = "setting", "设置变更";
        Risk = "risk", "风险";
        Lead = "lead", "增购线索";
        Budget = "budget", "预算";
        TaskCreated = "task_created", "任务创建";
        TaskDone = "task_done", "任务完成";
        TaskSnoozed = "task_snoozed", "任务延期";
        TaskClosed = "task_closed", "任务关闭";
    }
);

labelled_enum!(
    /// Through which path a change was written (the `source` column).
    Via, "source", "来源", {
        Manual = "manual", "手动";
        Import = "import", "导入";
        Renew = "renew", "续费登记";
        Sync = "sync", "任务同步";
    }
);

/// Who writes a change, when (local RFC 3339), and through what.
#[derive(Clone, Debug)]
pub struct Actor {
    pub author: String,
    pub at: String,
    /// The day windows are judged on (a derived `pending` is recorded as such).
    pub today: NaiveDate,
    pub source: Via,
}

impl Actor {
    pub fn new(author: String, clock: &Clock, source: Via) -> Actor {
        Actor {
            author,
            at: clock.stamp(),
            today: clock.today,
            source,
        }
    }
}

/// One change of a customer attribute (an `attribute` entry): the day it
/// was written, the value before and after.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttrChange {
    pub day: NaiveDate,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// Rule 5: an attribute's value on `day`, from its changes (oldest first)
/// and its current value: after the last change on or before that day,
/// else what the first change changed from, else the current value.
pub fn value_on<'a>(
    current: Option<&'a str>,
    changes: &'a [AttrChange],
    day: NaiveDate,
) -> Option<&'a str> {
    match changes.iter().rev().find(|c| c.day <= day) {
        Some(c) => c.to.as_deref(),
        None => match changes.first() {
            Some(first) => first.from.as_deref(),
            None => current,
        },
    }
}

/// One history entry as read back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub id: i64,
    pub at: String,
    pub kind: Kind,
    pub service_id: String,
    pub customer_id: String,
    pub customer_name: String,
    /// The expiry of the term the change belongs to.
    pub term_expiry: Option<String>,
    /// Status ids for `status`, expiry dates for the other kinds.
    pub from: Option<String>,
    pub to: Option<String>,
    pub author: String,
    pub source: Via,
    pub reason: Option<Reason>,
    pub note: Option<String>,
    /// The risk, lead or budget cycle a `risk`, `lead` or `budget` entry is
    /// about.
    pub item_id: Option<i64>,
}

impl Entry {
    /// A status entry's `from`/`to` as statuses; `None` for other kinds.
    pub fn statuses(&self) -> Option<(Status, Status)> {
        (self.kind == Kind::Status).then(|| {
            (
                Status::from_db(self.from.as_deref()),
                Status::from_db(self.to.as_deref()),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_attribute_on_a_day_is_read_from_its_changes() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let ch = |day: &str, from: &str, to: &str| AttrChange {
            day: d(day),
            from: Some(from.into()),
            to: Some(to.into()),
        };
        let changes = [
            ch("2026-06-01", "张伟", "王芳"),
            ch("2026-09-01", "王芳", "李娜"),
        ];
        assert_eq!(
            value_on(Some("李娜"), &changes, d("2026-05-31")),
            Some("张伟")
        );
        assert_eq!(
            value_on(Some("李娜"), &changes, d("2026-06-01")),
            Some("王芳")
        );
        assert_eq!(
            value_on(Some("李娜"), &changes, d("2026-08-31")),
            Some("王芳")
        );
        assert_eq!(
            value_on(Some("李娜"), &changes, d("2027-01-01")),
            Some("李娜")
        );
        assert_eq!(value_on(Some("李娜"), &[], d("2020-01-01")), Some("李娜"));
    }

    #[test]
    fn status_entries_read_back_as_statuses() {
        let mut e = Entry {
            id: 1,
            at: "2026-11-23T09:30:00+08:00".into(),
            kind: Kind::Status,
            service_id: "S1".into(),
            customer_id: "C1".into(),
            customer_name: "华宇".into(),
            term_expiry: Some("2026-12-01".into()),
            from: Some("pending".into()),
            to: Some("at_risk".into()),
            author: "me".into(),
            source: Via::Manual,
            reason: None,
            note: None,
            item_id: None,
        };
        assert_eq!(e.statuses(), Some((Status::Pending, Status::AtRisk)));
        e.kind = Kind::Renewal;
        assert_eq!(e.statuses(), None);
        assert_eq!(Kind::parse("expiry-correction"), Ok(Kind::ExpiryCorrection));
        assert_eq!(Via::parse("导入"), Ok(Via::Import));
    }
}
