//! A webhook receiver on loopback, as a subscriber's server would be.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One request the receiver got.
#[derive(Debug, Clone)]
pub struct Received {
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A webhook receiver on loopback that fails the first `fail_first` requests with 500.
pub struct Receiver {
    pub url: String,
    /// Requests answered 2xx.
    pub got: Arc<Mutex<Vec<Received>>>,
    /// Requests read and never answered (see [`Receiver::holding`]).
    pub held: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    pub fn start(fail_first: usize) -> Receiver {
        Receiver::run(fail_first, 0)
    }

    /// A receiver that reads the first `hold_first` requests and never answers them (the
    /// connection stays open), as a subscriber that hangs; the next ones get 200.
    pub fn holding(hold_first: usize) -> Receiver {
        Receiver::run(0, hold_first)
    }

    fn run(fail_first: usize, hold_first: usize) -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!(
            "http://127.0.0.1:{}/hook",
            listener.local_addr().unwrap().port()
        );
        let got = Arc::new(Mutex::new(Vec::new()));
        let held = Arc::new(Mutex::new(Vec::new()));
        let sink = got.clone();
        let held_sink = held.clone();
        std::thread::spawn(move || {
            let mut served = 0usize;
            let mut hung = Vec::new();
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut headers = Vec::new();
                let mut line = String::new();
                reader.read_line(&mut line).unwrap_or(0);
                loop {
                    line.clear();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    if let Some((k, v)) = line.trim_end().split_once(": ") {
                        headers.push((k.to_string(), v.to_string()));
                    }
                }
                let len = headers
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                    .and_then(|(_, v)| v.parse().ok())
                    .unwrap_or(0);
                let mut body = vec![0; len];
                reader.read_exact(&mut body).unwrap_or(());
                if hung.len() < hold_first {
                    held_sink.lock().unwrap().push(Received {
                        headers,
                        body: String::from_utf8_lossy(&body).into(),
                    });
                    hung.push(stream);
                    continue;
                }
                served += 1;
                let status = if served <= fail_first {
                    "500 Internal Server Error"
                } else {
                    "200 OK"
                };
                if served > fail_first {
                    sink.lock().unwrap().push(Received {
                        headers,
                        body: String::from_utf8_lossy(&body).into(),
                    });
                }
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                );
            }
        });
        Receiver { url, got, held }
    }

    /// Waits (bounded) for an event of this type.
    pub fn wait_for(&self, event_type: &str) -> Received {
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if let Some(r) = self
                .got
                .lock()
                .unwrap()
                .iter()
                .find(|r| r.header("X-Event-Type") == Some(event_type))
            {
                return r.clone();
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        panic!(
            "no {event_type} event arrived; got {:?}",
            self.got.lock().unwrap()
        );
    }
}
