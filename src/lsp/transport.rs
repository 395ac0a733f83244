//! Standard input and output, tolerant of bad input: a message whose body is not valid JSON-RPC
//! is logged to stderr and skipped instead of ending the server.

use std::io::{self, BufRead, Write};

use lsp_server::{Connection, Message};

/// Runs the server on stdin and stdout until the client says `exit` or closes the stream.
pub fn run_stdio() -> Result<(), String> {
    // The server talks to one end of an in-memory connection; two threads carry the other
    // end's messages to and from the process's standard streams.
    let (server_side, client_side) = Connection::memory();
    let Connection {
        sender: to_server,
        receiver: from_server,
    } = client_side;
    let writer = std::thread::spawn(move || {
        let stdout = io::stdout();
        let mut out = stdout.lock();
        for message in from_server {
            if message.write(&mut out).and_then(|()| out.flush()).is_err() {
                break;
            }
        }
    });
    std::thread::spawn(move || {
        let stdin = io::stdin();
        let mut input = stdin.lock();
        loop {
            match read_message(&mut input) {
                Ok(Some(message)) => {
                    if to_server.send(message).is_err() {
                        break;
                    }
                }
                Ok(None) => break,
                Err(Skip(reason)) => eprintln!("zonelint lsp: skipped a message: {reason}"),
                Err(Fatal(reason)) => {
                    eprintln!("zonelint lsp: {reason}");
                    break;
                }
            }
        }
        // Dropping the sender ends the main loop.
    });
    let result = super::serve(server_side);
    let _ = writer.join();
    result
}

enum ReadError {
    /// The message was read whole but is not valid JSON-RPC: the stream is still in step.
    Skip(String),
    /// The framing is broken; nothing after this can be trusted.
    Fatal(String),
}
use ReadError::{Fatal, Skip};

fn read_message(input: &mut impl BufRead) -> Result<Option<Message>, ReadError> {
    let mut length = None;
    let mut line = String::new();
    loop {
        line.clear();
        let read = input
            .read_line(&mut line)
            .map_err(|e| Fatal(format!("cannot read standard input: {e}")))?;
        if read == 0 {
            return Ok(None);
        }
        let header = line.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(": ")
            && name.eq_ignore_ascii_case("Content-Length")
        {
            length = Some(
                value
                    .trim()
                    .parse::<usize>()
                    .map_err(|_| Fatal(format!("bad Content-Length `{value}`")))?,
            );
        }
    }
    let length = length.ok_or_else(|| Fatal("a message without Content-Length".into()))?;
    if length > 64 * 1024 * 1024 {
        return Err(Fatal(format!("a message of {length} bytes is too large")));
    }
    let mut body = vec![0; length];
    io::Read::read_exact(input, &mut body).map_err(|e| Fatal(format!("truncated message: {e}")))?;
    serde_json::from_slice::<Message>(&body)
        .map(Some)
        .map_err(|e| Skip(format!("not a JSON-RPC message ({e})")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn skips_malformed_bodies_and_reads_on() {
        let good = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let input = format!("{}{}", frame("{ not json"), frame(good));
        let mut reader = io::Cursor::new(input.into_bytes());
        assert!(matches!(read_message(&mut reader), Err(Skip(_))));
        let next = read_message(&mut reader).ok().flatten();
        assert!(matches!(next, Some(Message::Notification(n)) if n.method == "initialized"));
        assert!(matches!(read_message(&mut reader), Ok(None)));
    }

    #[test]
    fn broken_framing_is_fatal() {
        let mut reader = io::Cursor::new(b"Content-Length: x\r\n\r\n{}".to_vec());
        assert!(matches!(read_message(&mut reader), Err(Fatal(_))));
        let mut reader = io::Cursor::new(b"Content-Length: 10\r\n\r\n{}".to_vec());
        assert!(matches!(read_message(&mut reader), Err(Fatal(_))));
    }
}
