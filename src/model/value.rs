//! Attribute values after type checking and name resolution.

use std::fmt;

use super::ElemId;

/// The seven foundational requirements, in the order of an SL vector.
pub const FR_NAMES: [&str; 7] = ["IAC", "UC", "SI", "DC", "RDF", "TRE", "RA"];

/// The FR index (0..7) for a name as users write it: `RDF`, `rdf`, `FR5`.
pub fn fr_index(name: &str) -> Option<usize> {
    // Policies ask this for every component and FR: compare without an upper-cased copy.
    if let Some(i) = FR_NAMES.iter().position(|n| n.eq_ignore_ascii_case(name)) {
        return Some(i);
    }
    let prefix = name.get(..2)?;
    if !prefix.eq_ignore_ascii_case("FR") {
        return None;
    }
    let digit = name[2..].parse::<usize>().ok()?;
    (1..=7).contains(&digit).then(|| digit - 1)
}

/// A security level per FR, each 0..=4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
pub struct SlVector(pub [u8; 7]);

impl SlVector {
    pub fn uniform(level: u8) -> SlVector {
        SlVector([level; 7])
    }
    pub fn get(&self, fr: usize) -> u8 {
        self.0[fr]
    }
    pub fn max(&self) -> u8 {
        self.0.iter().copied().max().unwrap_or(0)
    }
}

impl fmt::Display for SlVector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.0.iter().map(u8::to_string).collect();
        write!(f, "[{}]", parts.join(", "))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD` and checks that the day exists in that month.
    pub fn parse(text: &str) -> Option<Date> {
        let mut parts = text.split('-');
        let year: u16 = parts.next()?.parse().ok()?;
        let month: u8 = parts.next()?.parse().ok()?;
        let day: u8 = parts.next()?.parse().ok()?;
        if parts.next().is_some() || !(1..=12).contains(&month) {
            return None;
        }
        let leap =
            year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
        let days = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        (1..=days)
            .contains(&day)
            .then_some(Date { year, month, day })
    }

    /// Today's date in UTC, from the system clock.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Date::from_days_since_epoch((secs / 86_400) as i64)
    }

    /// Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
        Date { year, month, day }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Bool(bool),
    Int(i64),
    /// Only Purdue levels are fractional (3.5).
    Number(f64),
    Str(String),
    /// A word from the attribute's closed vocabulary.
    Word(&'static str),
    Date(Date),
    Ref(ElemId),
    List(Vec<Value>),
    Sl(SlVector),
    Service {
        protocol: Box<Value>,
        port: Option<u16>,
    },
    Direction {
        from: ElemId,
        to: ElemId,
        both: bool,
    },
    Permissions(Vec<(ElemId, Vec<&'static str>)>),
}

impl Value {
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
    pub fn as_word(&self) -> Option<&'static str> {
        match self {
            Value::Word(w) => Some(w),
            _ => None,
        }
    }
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            Value::Word(w) => Some(w),
            _ => None,
        }
    }
    pub fn as_ref(&self) -> Option<ElemId> {
        match self {
            Value::Ref(id) => Some(*id),
            _ => None,
        }
    }
    pub fn as_sl(&self) -> Option<SlVector> {
        match self {
            Value::Sl(v) => Some(*v),
            _ => None,
        }
    }
    pub fn as_list(&self) -> &[Value] {
        match self {
            Value::List(items) => items,
            other => std::slice::from_ref(other),
        }
    }
    /// The element references in this value (lists flattened).
    pub fn refs(&self) -> Vec<ElemId> {
        self.as_list().iter().filter_map(Value::as_ref).collect()
    }
}
