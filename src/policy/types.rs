//! Static types of policy expressions, derived from the model's vocabulary.

use crate::model::vocabulary::{self as vocab, ElementKind, Ty};

#[derive(Debug, Clone, PartialEq)]
pub enum T {
    /// Unknown statically (custom properties); checked at run time.
    Any,
    Bool,
    Num,
    Str,
    Date,
    Sl,
    /// A word from this closed set.
    Word(&'static [&'static str]),
    /// A bare word not yet matched against an enumeration.
    WordLit(String),
    Elem(Vec<ElementKind>),
    List(Box<T>),
    Path,
    Hop,
    Service,
    Direction,
    Permission,
    /// `x.custom`, before the property name.
    Custom,
    None,
}

impl T {
    pub fn elem(kind: ElementKind) -> T {
        T::Elem(vec![kind])
    }
    pub fn list(inner: T) -> T {
        T::List(Box::new(inner))
    }
    pub fn describe(&self) -> String {
        match self {
            T::Any => "any value".into(),
            T::Bool => "a boolean".into(),
            T::Num => "a number".into(),
            T::Str => "a string".into(),
            T::Date => "a date".into(),
            T::Sl => "a security level vector".into(),
            T::Word(_) | T::WordLit(_) => "a word".into(),
            T::Elem(kinds) => {
                let names: Vec<&str> = kinds.iter().map(|k| k.keyword()).collect();
                if names.is_empty() {
                    "an element".into()
                } else {
                    format!("a {}", names.join(" or "))
                }
            }
            T::List(inner) => format!(
                "a list of {}",
                inner
                    .describe()
                    .trim_start_matches("a ")
                    .trim_start_matches("an ")
            ),
            T::Path => "a path".into(),
            T::Hop => "a hop of a path".into(),
            T::Service => "a service".into(),
            T::Direction => "a direction".into(),
            T::Permission => "a permission".into(),
            T::Custom => "custom properties".into(),
            T::None => "none".into(),
        }
    }
    /// The element type of a list (or of a single value used as a list).
    pub fn item(&self) -> T {
        match self {
            T::List(inner) => (**inner).clone(),
            T::Any => T::Any,
            other => other.clone(),
        }
    }
    pub fn is_list(&self) -> bool {
        matches!(self, T::List(_) | T::Any)
    }
}

/// The policy type of a vocabulary attribute type.
pub fn of_attr(ty: &Ty) -> T {
    match ty {
        Ty::Str => T::Str,
        Ty::Bool => T::Bool,
        Ty::Date => T::Date,
        Ty::Level => T::Num,
        Ty::Sl => T::Sl,
        Ty::Port => T::Any,
        Ty::Enum(words) => T::Word(words),
        Ty::Protocol => T::Word(vocab::PROTOCOLS),
        Ty::Ref(kinds) => T::Elem(kinds.to_vec()),
        Ty::List(inner) => T::list(of_attr(inner)),
        Ty::Service => T::Service,
        Ty::Direction => T::Direction,
        Ty::Permissions => T::list(T::Permission),
        Ty::RequirementIds => T::list(T::Str),
    }
}
