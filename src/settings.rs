//! Team settings: rules stored in the database so that every user and
//! cron job of one book applies the same ones (SPEC "Team settings").

use crate::msg::settings as msg;
use crate::spelling::labelled_enum;

labelled_enum!(
    /// A setting's key.
    Key, "setting", "设置项", {
        GraceDays = "grace_days", "流失宽限天数";
        TaskKickoffDays = "task_kickoff_days", "续费启动提前天数";
        TaskSecondTouchDays = "task_second_touch_days", "二次跟进提前天数";
        TaskRevisitDays = "task_revisit_days", "上线回访天数";
        TaskMonthlyTouchDay = "task_monthly_touch_day", "月度拜访日";
        TaskBudgetDays = "task_budget_days", "预算提前天数";
        HealthWeights = "health_weights", "健康度权重";
        HealthDangerPct = "health_danger_pct", "危险分位";
        HealthFairPct = "health_fair_pct", "一般分位";
    }
);

impl Key {
    /// The value a book has until someone sets another.
    pub fn default_value(self) -> &'static str {
        match self {
            Key::GraceDays => "30",
            Key::TaskKickoffDays => "90",
            Key::TaskSecondTouchDays => "30",
            Key::TaskRevisitDays => "30",
            Key::TaskMonthlyTouchDay => "20",
            Key::TaskBudgetDays => "60",
            Key::HealthWeights => "1,1,1,1",
            Key::HealthDangerPct => "10",
            Key::HealthFairPct => "40",
        }
    }

    /// What the value means, for `settings` and errors.
    pub fn about(self) -> String {
        match self {
            Key::GraceDays => msg::about_grace_days(),
            Key::TaskKickoffDays => msg::about_task_kickoff_days(),
            Key::TaskSecondTouchDays => msg::about_task_second_touch_days(),
            Key::TaskRevisitDays => msg::about_task_revisit_days(),
            Key::TaskMonthlyTouchDay => msg::about_task_monthly_touch_day(),
            Key::TaskBudgetDays => msg::about_task_budget_days(),
            Key::HealthWeights => msg::about_health_weights(),
            Key::HealthDangerPct => msg::about_health_danger_pct(),
            Key::HealthFairPct => msg::about_health_fair_pct(),
        }
    }

    /// Checks a value and returns it in its stored form.
    pub fn check(self, value: &str) -> Result<String, String> {
        let v = value.trim();
        let days = |max: u32| -> Result<String, String> {
            match v.parse::<u32>() {
                Ok(n) if n <= max => Ok(n.to_string()),
                _ => Err(msg::not_whole_days(value, self.id(), max)),
            }
        };
        match self {
            Key::GraceDays
            | Key::TaskKickoffDays
            | Key::TaskSecondTouchDays
            | Key::TaskRevisitDays
            | Key::TaskBudgetDays => days(3650),
            Key::TaskMonthlyTouchDay => match v.parse::<u32>() {
                Ok(n @ 1..=28) => Ok(n.to_string()),
                _ => Err(msg::not_day_of_month(value)),
            },
            Key::HealthDangerPct | Key::HealthFairPct => days(100),
            Key::HealthWeights => {
                let w: Vec<&str> = v.split(',').map(str::trim).collect();
                let ok = w.len() == 4
                    && w.iter()
                        .all(|x| x.parse::<f64>().is_ok_and(|f| f.is_finite() && f >= 0.0))
                    && w.iter().any(|x| x.parse::<f64>().is_ok_and(|f| f > 0.0));
                if ok {
                    Ok(w.join(","))
                } else {
                    Err(msg::not_four_weights(value))
                }
            }
        }
    }
}

impl Settings {
    /// Checks `key` = `value` (already `Key::check`ed) against the other
    /// settings: the danger band lies below the fair band, and the second
    /// touch comes after the kickoff.
    pub fn check_with(&self, key: Key, value: &str) -> Result<(), String> {
        // The value as it would be after the change.
        let num = |k: Key| -> u32 {
            if k == key { value } else { self.get(k) }
                .parse()
                .unwrap_or(0)
        };
        let (danger, fair) = (num(Key::HealthDangerPct), num(Key::HealthFairPct));
        let (kickoff, second) = (num(Key::TaskKickoffDays), num(Key::TaskSecondTouchDays));
        if matches!(key, Key::TaskKickoffDays | Key::TaskSecondTouchDays) && second >= kickoff {
            return Err(msg::second_touch_not_after_kickoff(second, kickoff));
        }
        if matches!(key, Key::HealthDangerPct | Key::HealthFairPct) && danger > fair {
            return Err(msg::danger_above_fair(danger, fair));
        }
        Ok(())
    }

    /// What a change of `key` does not change by itself.
    pub fn takes_effect(key: Key) -> Option<String> {
        matches!(
            key,
            Key::HealthWeights | Key::HealthDangerPct | Key::HealthFairPct
        )
        .then(msg::health_from_next_calibration)
    }
}

/// The settings of one book, with their defaults filled in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    values: Vec<(Key, String)>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            values: Key::ALL
                .iter()
                .map(|&k| (k, k.default_value().to_string()))
                .collect(),
        }
    }
}

impl Settings {
    /// The defaults, overridden by the stored values (unknown keys, from a
    /// newer build, are left out).
    pub fn from_stored(stored: impl IntoIterator<Item = (String, String)>) -> Settings {
        let mut s = Settings::default();
        for (k, v) in stored {
            let Some(key) = Key::from_id(&k) else {
                continue;
            };
            if let Ok(v) = key.check(&v) {
                s.set(key, v);
            }
        }
        s
    }

    pub fn get(&self, key: Key) -> &str {
        self.values
            .iter()
            .find(|(k, _)| *k == key)
            .map_or(key.default_value(), |(_, v)| v)
    }

    fn set(&mut self, key: Key, value: String) {
        if let Some(slot) = self.values.iter_mut().find(|(k, _)| *k == key) {
            slot.1 = value;
        }
    }

    /// Rule 11's grace: days after expiry before an open term is lapsed.
    pub fn grace_days(&self) -> u32 {
        self.get(Key::GraceDays).parse().unwrap_or(30)
    }

    /// Every key with its value, in the order of `Key::ALL`.
    pub fn all(&self) -> &[(Key, String)] {
        &self.values
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_checked_and_defaults_fill_the_rest() {
        assert_eq!(Key::GraceDays.check(" 45 "), Ok("45".into()));
        assert!(Key::GraceDays.check("-1").is_err());
        assert!(Key::GraceDays.check("30 days").is_err());
        assert!(Key::TaskMonthlyTouchDay.check("29").is_err());
        assert_eq!(
            Key::HealthWeights.check("1, 2,0.5,0"),
            Ok("1,2,0.5,0".into())
        );
        assert!(Key::HealthWeights.check("1,1,1").is_err());
        assert!(Key::HealthWeights.check("1,1,1,NaN").is_err());
        let s = Settings::from_stored([
            ("grace_days".to_string(), "60".to_string()),
            ("colour".to_string(), "red".to_string()),
            ("health_fair_pct".to_string(), "x".to_string()),
        ]);
        assert_eq!(s.grace_days(), 60);
        assert_eq!(s.get(Key::HealthFairPct), "40");
        assert_eq!(Settings::default().grace_days(), 30);
        assert!(Key::parse("grace").unwrap_err().contains("grace_days"));
    }
}
