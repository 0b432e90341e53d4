//! A figure that is one count (or amount) over another: 续约率, 续费率,
//! 健康率, 翻动率, and the KPIs to come. Each is declared once, as a
//! `Ratio`, with its name and its two sides in words, so its value, its
//! counts in `stats --json` and its formula in `stats --explain` come
//! from that one declaration and cannot drift apart.

use serde_json::{json, Value};

use crate::labels::Lang;
use crate::money::Cents;

/// Words in both languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Words {
    pub en: &'static str,
    pub zh: &'static str,
}

impl Words {
    pub fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Zh => self.zh,
        }
    }
}

/// A numerator or a denominator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quantity {
    Count(u64),
    Amount(Cents),
}

impl Quantity {
    /// The number divided: an amount in cents, so a rate is the exact
    /// quotient of integers, as it was before amounts were ever yuan.
    fn raw(self) -> f64 {
        match self {
            Quantity::Count(n) => n as f64,
            Quantity::Amount(c) => c.0 as f64,
        }
    }

    fn is_zero(self) -> bool {
        match self {
            Quantity::Count(n) => n == 0,
            Quantity::Amount(c) => c.0 == 0,
        }
    }

    /// As `stats --json` writes it: a count as an integer, an amount in yuan.
    pub fn to_json(self) -> Value {
        match self {
            Quantity::Count(n) => json!(n),
            Quantity::Amount(c) => json!(c.yuan()),
        }
    }
}

/// `num / den`, or `None` (JSON `null`, never NaN) when `den` is zero.
pub fn divide(num: Quantity, den: Quantity) -> Option<f64> {
    (!den.is_zero()).then(|| num.raw() / den.raw())
}

/// One side of a ratio: what it counts, in words, and how it is read
/// from the figures `T`.
pub struct Part<T> {
    pub words: Words,
    pub of: fn(&T) -> Quantity,
}

/// A figure that divides one part of `T` by another.
pub struct Ratio<T> {
    /// Where `stats --json` holds the value (`renewal.logo_rate`); in a
    /// block keyed by name, `{}` stands for the name (`touch.{}.rate`).
    pub figure: &'static str,
    /// Its name on screen: the JSON key in English, the Chinese term.
    pub name: Words,
    pub num: Part<T>,
    pub den: Part<T>,
}

impl<T> Ratio<T> {
    /// Numerator and denominator of `t`.
    pub fn counts(&self, t: &T) -> (Quantity, Quantity) {
        ((self.num.of)(t), (self.den.of)(t))
    }

    /// The rate, `None` on a zero denominator.
    pub fn value(&self, t: &T) -> Option<f64> {
        let (n, d) = self.counts(t);
        divide(n, d)
    }

    /// "renewed customers / due customers".
    pub fn formula(&self, lang: Lang) -> String {
        format!(
            "{} / {}",
            self.num.words.get(lang),
            self.den.words.get(lang)
        )
    }

    /// The ratio worked out on `t`; `key` names whose it is in a keyed
    /// block (a CSM's touch rate).
    pub fn explain(&self, t: &T, key: Option<&str>) -> Explained {
        let (numerator, denominator) = self.counts(t);
        let figure = match key {
            Some(k) => self.figure.replace("{}", k),
            None => self.figure.to_string(),
        };
        Explained {
            figure,
            of: key.map(str::to_string),
            name: self.name,
            num: self.num.words,
            den: self.den.words,
            numerator,
            denominator,
            value: divide(numerator, denominator),
        }
    }
}

/// One line of `stats --explain`: a ratio, its counts and its value.
#[derive(Clone, Debug, PartialEq)]
pub struct Explained {
    /// The JSON path of the value (`touch.张伟.rate`).
    pub figure: String,
    /// Whose it is, in a keyed block (the CSM of a touch rate).
    pub of: Option<String>,
    pub name: Words,
    pub num: Words,
    pub den: Words,
    pub numerator: Quantity,
    pub denominator: Quantity,
    pub value: Option<f64>,
}

impl Explained {
    pub fn formula(&self, lang: Lang) -> String {
        format!("{} / {}", self.num.get(lang), self.den.get(lang))
    }

    /// Its name on screen, with whose it is (`touch_rate 张伟`).
    pub fn label(&self, lang: Lang) -> String {
        match &self.of {
            Some(k) => format!("{} {k}", self.name.get(lang)),
            None => self.name.get(lang).to_string(),
        }
    }

    /// `{figure, formula, numerator, denominator, value}`, in English
    /// like every JSON key and value.
    pub fn to_json(&self) -> Value {
        json!({
            "figure": self.figure,
            "formula": self.formula(Lang::En),
            "numerator": self.numerator.to_json(),
            "denominator": self.denominator.to_json(),
            "value": self.value,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Pair(u64, u64);

    static HALF: Ratio<Pair> = Ratio {
        figure: "block.{}.half",
        name: Words {
            en: "half",
            zh: "一半",
        },
        num: Part {
            words: Words { en: "a", zh: "甲" },
            of: |p| Quantity::Count(p.0),
        },
        den: Part {
            words: Words { en: "b", zh: "乙" },
            of: |p| Quantity::Count(p.1),
        },
    };

    #[test]
    fn a_zero_denominator_is_none_not_nan() {
        assert_eq!(HALF.value(&Pair(1, 2)), Some(0.5));
        assert_eq!(HALF.value(&Pair(0, 0)), None);
        assert_eq!(HALF.value(&Pair(3, 0)), None);
        let e = HALF.explain(&Pair(0, 0), Some("x"));
        assert_eq!(e.to_json()["value"], Value::Null);
    }

    #[test]
    fn amounts_divide_as_cents_and_print_as_yuan() {
        let (n, d) = (
            Quantity::Amount(Cents(150_000)),
            Quantity::Amount(Cents(120_000)),
        );
        assert_eq!(divide(n, d), Some(1.25));
        assert_eq!(n.to_json(), json!(1500.0));
        assert_eq!(divide(n, Quantity::Amount(Cents(0))), None);
    }

    #[test]
    fn an_explanation_names_its_figure_formula_and_counts() {
        let e = HALF.explain(&Pair(1, 4), Some("张伟"));
        assert_eq!(e.figure, "block.张伟.half");
        assert_eq!(e.label(Lang::En), "half 张伟");
        assert_eq!(e.formula(Lang::Zh), "甲 / 乙");
        assert_eq!(HALF.formula(Lang::En), "a / b");
        assert_eq!(
            e.to_json(),
            json!({"figure": "block.张伟.half", "formula": "a / b",
                   "numerator": 1, "denominator": 4, "value": 0.25})
        );
    }
}
