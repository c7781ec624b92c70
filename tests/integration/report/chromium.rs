//! Headless Chromium driven over the DevTools protocol: just enough to load
//! a page, watch its network requests, run JavaScript in it and take a
//! screenshot.
//!
//! Chromium listens on a port it picks itself (`--remote-debugging-port=0`)
//! on 127.0.0.1 and prints its websocket address on stderr; the browser is
//! started with the flags that keep it from reaching the network on its own,
//! in a fresh profile, and killed when the driver is dropped.

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tungstenite::{Message, WebSocket};

/// Long enough for a cold start on a loaded CI machine.
const TIMEOUT: Duration = Duration::from_secs(60);

pub struct Chromium {
    child: Child,
    socket: WebSocket<TcpStream>,
    next_id: u64,
    /// The page's session; commands without one go to the browser.
    session: Option<String>,
    /// Every event received so far, in order.
    pub events: Vec<Value>,
    _profile: tempfile::TempDir,
}

/// Where Debian's `chromium` package puts the browser, or `chromium` on the PATH.
fn executable() -> Option<PathBuf> {
    let debian = Path::new("/usr/bin/chromium");
    if debian.is_file() {
        return Some(debian.to_path_buf());
    }
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
        .map(|dir| dir.join("chromium"))
        .find(|path| path.is_file())
}

impl Chromium {
    /// Starts headless Chromium and opens one blank page to drive.
    pub fn start() -> Chromium {
        let profile = tempfile::tempdir().expect("a temporary profile directory");
        let executable = executable().expect(
            "Chromium is installed: without it build.rs marks the browser tests ignored, except in CI",
        );
        let mut child = Command::new(executable)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--remote-debugging-port=0",
                "--remote-debugging-address=127.0.0.1",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start chromium");

        // Chromium logs other things on stderr too; the address line is
        // passed on, and the rest drained so the pipe never fills.
        let stderr = child.stderr.take().expect("chromium's stderr");
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            let mut log = String::new();
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("DevTools listening on ") {
                    let _ = sender.send(Ok(url.trim().to_string()));
                } else if log.len() < 20_000 {
                    log.push_str(&line);
                    log.push('\n');
                }
            }
            let _ = sender.send(Err(log));
        });
        let url = match receiver.recv_timeout(TIMEOUT) {
            Ok(Ok(url)) => url,
            Ok(Err(log)) => {
                let _ = child.kill();
                panic!("chromium exited before listening:\n{log}")
            }
            Err(_) => {
                let _ = child.kill();
                panic!("chromium did not start listening within {TIMEOUT:?}")
            }
        };

        let address = url
            .strip_prefix("ws://")
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_default()
            .to_string();
        assert!(
            address.starts_with("127.0.0.1:"),
            "DevTools must listen on 127.0.0.1 only, not {url}"
        );
        let stream = TcpStream::connect(&address).expect("connect to DevTools");
        let (socket, _) = tungstenite::client(url.as_str(), stream).expect("DevTools handshake");
        socket
            .get_ref()
            .set_read_timeout(Some(Duration::from_millis(200)))
            .expect("read timeout");

        let mut chromium = Chromium {
            child,
            socket,
            next_id: 0,
            session: None,
            events: Vec::new(),
            _profile: profile,
        };
        let target = chromium.call("Target.createTarget", json!({ "url": "about:blank" }));
        let attached = chromium.call(
            "Target.attachToTarget",
            json!({ "targetId": target["targetId"], "flatten": true }),
        );
        chromium.session = attached["sessionId"].as_str().map(str::to_string);
        assert!(chromium.session.is_some(), "no session: {attached}");
        chromium
    }

    /// Sends a command and waits for its result; events that arrive
    /// meanwhile are kept in `events`.
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({ "id": id, "method": method, "params": params });
        if let Some(session) = &self.session {
            message["sessionId"] = json!(session);
        }
        self.socket
            .send(Message::text(message.to_string()))
            .unwrap_or_else(|e| panic!("send {method}: {e}"));
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let Some(reply) = self.receive(deadline, method) else {
                continue;
            };
            if reply["id"] == json!(id) {
                if let Some(error) = reply.get("error") {
                    panic!("{method} failed: {error}");
                }
                return reply["result"].clone();
            }
        }
    }

    /// Waits for an event of `method` (one that came already counts).
    pub fn wait_for_event(&mut self, method: &str) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(event) = self.events.iter().find(|e| e["method"] == json!(method)) {
                return event.clone();
            }
            self.receive(deadline, method);
        }
    }

    /// One message, or None when none came within the read timeout; a
    /// message that is an event is also recorded.
    fn receive(&mut self, deadline: Instant, waiting_for: &str) -> Option<Value> {
        assert!(
            Instant::now() < deadline,
            "no answer from chromium to {waiting_for} within {TIMEOUT:?}"
        );
        match self.socket.read() {
            Ok(Message::Text(text)) => {
                let value: Value = serde_json::from_str(text.as_str()).expect("DevTools JSON");
                if value.get("method").is_some() {
                    self.events.push(value.clone());
                }
                Some(value)
            }
            Ok(_) => None,
            Err(tungstenite::Error::Io(e))
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                None
            }
            Err(e) => panic!("DevTools connection failed while waiting for {waiting_for}: {e}"),
        }
    }

    /// Loads `url` and waits until its load event (the page's own script
    /// has run by then).
    pub fn open(&mut self, url: &str) {
        self.events.clear();
        self.call("Page.navigate", json!({ "url": url }));
        self.wait_for_event("Page.loadEventFired");
    }

    /// The value of a JavaScript expression in the page; an exception fails the test.
    pub fn evaluate(&mut self, expression: &str) -> Value {
        let result = self.call(
            "Runtime.evaluate",
            json!({ "expression": expression, "returnByValue": true, "awaitPromise": true }),
        );
        if let Some(exception) = result.get("exceptionDetails") {
            panic!("{expression}\nthrew: {exception}");
        }
        result["result"]["value"].clone()
    }

    /// A PNG of the page from its top down to `height` CSS pixels.
    pub fn screenshot(&mut self, width: u32, height: u32) -> Vec<u8> {
        let shot = self.call(
            "Page.captureScreenshot",
            json!({
                "format": "png",
                "captureBeyondViewport": true,
                "clip": { "x": 0, "y": 0, "width": width, "height": height, "scale": 1 },
            }),
        );
        base64_decode(shot["data"].as_str().expect("screenshot data"))
    }
}

impl Drop for Chromium {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Standard base64, as DevTools sends binary data.
fn base64_decode(text: &str) -> Vec<u8> {
    fn sextet(c: u8) -> u32 {
        match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("not base64: {c}"),
        }
    }
    let bytes: Vec<u8> = text.bytes().filter(|&c| c != b'=').collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut word = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            word |= sextet(c) << (18 - 6 * i);
        }
        let decoded = [(word >> 16) as u8, (word >> 8) as u8, word as u8];
        out.extend_from_slice(&decoded[..chunk.len().saturating_sub(1)]);
    }
    out
}

#[test]
fn base64_decodes_with_and_without_padding() {
    assert_eq!(base64_decode("aGVsbG8="), b"hello");
    assert_eq!(base64_decode("aGk="), b"hi");
    assert_eq!(base64_decode("YWJj"), b"abc");
}
