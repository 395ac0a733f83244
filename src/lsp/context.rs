//! Where the cursor is, for completion, read from the text before it. The file is usually
//! half-typed at that moment, so this does not rely on the parser: a small lexer and a
//! bracket-aware state machine find the enclosing items and whether an entry, a value, a map
//! key or a type is expected.

/// What may be typed at the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Context {
    /// The start of an entry inside `keyword`'s block (`None`: the top of the file).
    Entry {
        keyword: Option<String>,
    },
    /// After `:` in the header of a `keyword` item.
    TypeClause {
        keyword: String,
    },
    /// A value of attribute `attr` of a `keyword` item (also inside its list).
    Value {
        keyword: String,
        attr: String,
    },
    /// A key of the map value of `attr`.
    MapKey {
        keyword: String,
        attr: String,
    },
    /// A value in the map value of `attr`.
    MapValue {
        keyword: String,
        attr: String,
    },
    /// Inside a string: the value of `attr`, or (`attr` = None) an item's title.
    Str {
        keyword: String,
        attr: Option<String>,
    },
    Unknown,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    /// A string; `false` when it is still open at the cursor.
    Str(bool),
    Number,
    Open(char),
    Close(char),
    Eq,
    Colon,
    Comma,
    Arrow,
}

/// The identifier being typed at `offset`, and where it starts.
pub fn word_before(text: &str, offset: usize) -> (usize, &str) {
    let before = &text[..offset];
    let start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
        .last()
        .map_or(offset, |(i, _)| i);
    (start, &text[start..offset])
}

fn lex(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '/' if text[i..].starts_with("//") => {
                while chars.peek().is_some_and(|(_, c)| *c != '\n') {
                    chars.next();
                }
            }
            '"' => {
                let mut closed = false;
                while let Some((_, c)) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' => {
                            closed = true;
                            break;
                        }
                        _ => {}
                    }
                }
                tokens.push(Token::Str(closed));
            }
            '{' | '[' => tokens.push(Token::Open(c)),
            '}' | ']' => tokens.push(Token::Close(c)),
            '=' => tokens.push(Token::Eq),
            ',' | ';' => tokens.push(Token::Comma),
            ':' => tokens.push(Token::Colon),
            '<' | '-' if text[i..].starts_with("->") || text[i..].starts_with("<->") => {
                while chars.peek().is_some_and(|(_, c)| matches!(c, '-' | '>')) {
                    chars.next();
                }
                tokens.push(Token::Arrow);
            }
            c if c.is_ascii_digit() => {
                while chars
                    .peek()
                    .is_some_and(|(_, c)| c.is_ascii_digit() || matches!(c, '.' | '-'))
                {
                    chars.next();
                }
                tokens.push(Token::Number);
            }
            c if c.is_alphabetic() || c == '_' => {
                let mut end = i + c.len_utf8();
                while let Some(&(j, c)) = chars.peek() {
                    if c.is_alphanumeric()
                        || matches!(c, '_' | '.')
                        || (c == '-' && !text[j..].starts_with("->"))
                    {
                        end = j + c.len_utf8();
                        chars.next();
                    } else {
                        break;
                    }
                }
                // `opc-ua:4840` is one value.
                if text[end..].starts_with(':')
                    && text[end + 1..].starts_with(|c: char| c.is_ascii_digit())
                {
                    chars.next();
                    while chars.peek().is_some_and(|(_, c)| c.is_ascii_digit()) {
                        chars.next();
                    }
                    tokens.push(Token::Number);
                } else {
                    tokens.push(Token::Word(text[i..end].to_string()));
                }
            }
            _ => {}
        }
    }
    tokens
}

#[derive(Debug, Clone)]
enum State {
    /// Expecting an entry.
    Start,
    /// Read one word: an attribute name or an item keyword.
    First(String),
    /// In an item header.
    Header {
        keyword: String,
        after_colon: bool,
        after_title: bool,
    },
    /// After `attr =`.
    Value(String),
}

#[derive(Debug, Clone)]
enum Frame {
    Block {
        keyword: Option<String>,
        state: State,
        last_attr: Option<String>,
    },
    List {
        attr: Option<String>,
        in_map: bool,
    },
    Map {
        attr: Option<String>,
        expecting_key: bool,
    },
}

fn block_keyword(frames: &[Frame]) -> Option<String> {
    frames.iter().rev().find_map(|f| match f {
        Frame::Block { keyword, .. } => Some(keyword.clone()),
        _ => None,
    })?
}

/// The context at `offset`, ignoring the word being typed there.
pub fn at(text: &str, offset: usize) -> Context {
    let (word_start, _) = word_before(text, offset);
    let tokens = lex(&text[..word_start]);
    let mut frames = vec![Frame::Block {
        keyword: None,
        state: State::Start,
        last_attr: None,
    }];
    for token in &tokens {
        step(&mut frames, token);
    }
    let in_string = matches!(tokens.last(), Some(Token::Str(false)));
    let keyword = block_keyword(&frames).unwrap_or_default();
    match frames.last() {
        Some(Frame::Block {
            keyword: kw, state, ..
        }) => match state {
            State::Start if !in_string => Context::Entry {
                keyword: kw.clone(),
            },
            State::Header { keyword, .. } if in_string => Context::Str {
                keyword: keyword.clone(),
                attr: None,
            },
            State::Header {
                keyword,
                after_colon: true,
                ..
            } => Context::TypeClause {
                keyword: keyword.clone(),
            },
            // `import "a.iacs"` then a new line: the next entry may start.
            State::Header {
                after_title: true, ..
            } => Context::Entry {
                keyword: kw.clone(),
            },
            State::Start if in_string => {
                let attr = match frames.last() {
                    Some(Frame::Block { last_attr, .. }) => last_attr.clone(),
                    _ => None,
                };
                Context::Str { keyword, attr }
            }
            State::Value(attr) if in_string => Context::Str {
                keyword,
                attr: Some(attr.clone()),
            },
            State::Value(attr) => Context::Value {
                keyword,
                attr: attr.clone(),
            },
            _ => Context::Unknown,
        },
        Some(Frame::List {
            attr: Some(attr),
            in_map,
        }) => {
            if in_string {
                Context::Str {
                    keyword,
                    attr: Some(attr.clone()),
                }
            } else if *in_map {
                Context::MapValue {
                    keyword,
                    attr: attr.clone(),
                }
            } else {
                Context::Value {
                    keyword,
                    attr: attr.clone(),
                }
            }
        }
        Some(Frame::Map {
            attr: Some(attr),
            expecting_key,
        }) => {
            if *expecting_key {
                Context::MapKey {
                    keyword,
                    attr: attr.clone(),
                }
            } else {
                Context::MapValue {
                    keyword,
                    attr: attr.clone(),
                }
            }
        }
        _ => Context::Unknown,
    }
}

fn step(frames: &mut Vec<Frame>, token: &Token) {
    let Some(top) = frames.last_mut() else { return };
    match top {
        Frame::Block {
            state, last_attr, ..
        } => {
            let current = std::mem::replace(state, State::Start);
            let (next, push) = match (current, token) {
                (_, Token::Close(_)) => {
                    if frames.len() > 1 {
                        frames.pop();
                    }
                    return;
                }
                (State::Start, Token::Word(w)) => (State::First(w.clone()), None),
                (State::Start, Token::Arrow) => {
                    (State::Value(last_attr.clone().unwrap_or_default()), None)
                }
                (State::Start, Token::Str(false)) => {
                    // A string still open in a value position: keep the attribute for the context.
                    (State::Start, None)
                }
                (State::Start, _) => (State::Start, None),
                (State::First(w), Token::Eq) => {
                    *last_attr = Some(w.clone());
                    (State::Value(w), None)
                }
                (State::First(w), Token::Open('{')) => (State::Start, Some(block(Some(w)))),
                (State::First(w), Token::Colon) => (
                    State::Header {
                        keyword: w,
                        after_colon: true,
                        after_title: false,
                    },
                    None,
                ),
                (State::First(w), Token::Str(_)) => (
                    State::Header {
                        keyword: w,
                        after_colon: false,
                        after_title: true,
                    },
                    None,
                ),
                (State::First(w), _) => (
                    State::Header {
                        keyword: w,
                        after_colon: false,
                        after_title: false,
                    },
                    None,
                ),
                (State::Header { keyword, .. }, Token::Open('{')) => {
                    (State::Start, Some(block(Some(keyword))))
                }
                (
                    State::Header {
                        after_title: true, ..
                    },
                    Token::Word(w),
                ) => (State::First(w.clone()), None),
                (State::Header { keyword, .. }, Token::Colon) => (
                    State::Header {
                        keyword,
                        after_colon: true,
                        after_title: false,
                    },
                    None,
                ),
                (State::Header { keyword, .. }, Token::Str(_)) => (
                    State::Header {
                        keyword,
                        after_colon: false,
                        after_title: true,
                    },
                    None,
                ),
                (State::Header { keyword, .. }, _) => (
                    State::Header {
                        keyword,
                        after_colon: false,
                        after_title: false,
                    },
                    None,
                ),
                (State::Value(attr), Token::Open('[')) => (
                    State::Start,
                    Some(Frame::List {
                        attr: Some(attr),
                        in_map: false,
                    }),
                ),
                (State::Value(attr), Token::Open('{')) => (
                    State::Start,
                    Some(Frame::Map {
                        attr: Some(attr),
                        expecting_key: true,
                    }),
                ),
                (State::Value(attr), Token::Str(false)) => (State::Value(attr), None),
                (State::Value(_), _) => (State::Start, None),
            };
            *state = next;
            if let Some(frame) = push {
                frames.push(frame);
            }
        }
        Frame::List { attr, in_map } => match token {
            Token::Open('[') => {
                let frame = Frame::List {
                    attr: attr.clone(),
                    in_map: *in_map,
                };
                frames.push(frame);
            }
            Token::Open('{') => {
                let frame = Frame::Map {
                    attr: attr.clone(),
                    expecting_key: true,
                };
                frames.push(frame);
            }
            Token::Close(_) => {
                frames.pop();
            }
            _ => {}
        },
        Frame::Map {
            attr,
            expecting_key,
        } => match token {
            Token::Colon => *expecting_key = false,
            Token::Comma => *expecting_key = true,
            Token::Open('[') => {
                let frame = Frame::List {
                    attr: attr.clone(),
                    in_map: true,
                };
                frames.push(frame);
            }
            Token::Open('{') => {
                let frame = Frame::Map {
                    attr: attr.clone(),
                    expecting_key: true,
                };
                frames.push(frame);
            }
            Token::Close(_) => {
                frames.pop();
            }
            _ => {}
        },
    }
}

fn block(keyword: Option<String>) -> Frame {
    Frame::Block {
        keyword,
        state: State::Start,
        last_attr: None,
    }
}

#[cfg(test)]
mod tests {
    use super::{Context, at};

    /// `|` marks the cursor.
    fn context(marked: &str) -> Context {
        let offset = marked.find('|').expect("a cursor");
        let text = marked.replace('|', "");
        at(&text, offset)
    }

    fn s(x: &str) -> String {
        x.to_string()
    }

    #[test]
    fn entries() {
        assert_eq!(context("zo|"), Context::Entry { keyword: None });
        assert_eq!(
            context("zone a {\n  ki|\n}"),
            Context::Entry {
                keyword: Some(s("zone"))
            }
        );
        assert_eq!(
            context("zone a {\n  kind = dmz  lev|"),
            Context::Entry {
                keyword: Some(s("zone"))
            }
        );
        assert_eq!(
            context("zone a {\n  component c : host-device \"T\" {\n  |"),
            Context::Entry {
                keyword: Some(s("component"))
            }
        );
        assert_eq!(
            context("zone a {\n  component c : host-device { x = 1 }\n  |"),
            Context::Entry {
                keyword: Some(s("zone"))
            }
        );
        assert_eq!(
            context("import \"a.iacs\"\nzo|"),
            Context::Entry { keyword: None }
        );
        assert_eq!(
            context("zone a {\n  // kind = \n  |"),
            Context::Entry {
                keyword: Some(s("zone"))
            }
        );
    }

    #[test]
    fn values() {
        assert_eq!(
            context("zone a {\n  kind = |"),
            Context::Value {
                keyword: s("zone"),
                attr: s("kind")
            }
        );
        assert_eq!(
            context("zone a {\n  kind = d|"),
            Context::Value {
                keyword: s("zone"),
                attr: s("kind")
            }
        );
        assert_eq!(
            context("conduit c {\n  zones = [a, |"),
            Context::Value {
                keyword: s("conduit"),
                attr: s("zones")
            }
        );
        assert_eq!(
            context("conduit c {\n  direction = a -> |"),
            Context::Value {
                keyword: s("conduit"),
                attr: s("direction")
            }
        );
        assert_eq!(
            context("component c : host-device {\n  services = [opc-ua:4840, |"),
            Context::Value {
                keyword: s("component"),
                attr: s("services")
            }
        );
    }

    #[test]
    fn maps_types_and_strings() {
        assert_eq!(
            context("role r {\n  permissions = { con|"),
            Context::MapKey {
                keyword: s("role"),
                attr: s("permissions")
            }
        );
        assert_eq!(
            context("role r {\n  permissions = { control: [view, |"),
            Context::MapValue {
                keyword: s("role"),
                attr: s("permissions")
            }
        );
        assert_eq!(
            context("component c : |"),
            Context::TypeClause {
                keyword: s("component")
            }
        );
        assert_eq!(
            context("compensation c {\n  requirement = \"SR 1|"),
            Context::Str {
                keyword: s("compensation"),
                attr: Some(s("requirement"))
            }
        );
        assert_eq!(
            context("evidence e {\n  requirement = [\"SR 7.3\", \"|"),
            Context::Str {
                keyword: s("evidence"),
                attr: Some(s("requirement"))
            }
        );
        assert_eq!(
            context("zone z {\n  suppress \"|"),
            Context::Str {
                keyword: s("suppress"),
                attr: None
            }
        );
    }
}
