//! A run's identity: a hash of everything that determines its results.

use sha2::{Digest, Sha256};

use crate::config::{Config, DataSource, to_toml};

/// Hex characters of the run id: 48 bits make a collision between two
/// experiments of one name vanishingly unlikely while staying typeable.
const LENGTH: usize = 12;

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The hash of the resolved config (with the data file named by its content,
/// not its path, so moving the file keeps the id), the data's content and
/// this tool's version.
pub fn run_id(config: &Config, data_hash: &str) -> String {
    let mut identity = config.clone();
    if let DataSource::Csv {
        path,
        resolved_path,
        ..
    } = &mut identity.data.source
    {
        path.clear();
        resolved_path.clear();
    }
    let text = format!(
        "synapse {}\n{}\ndata {}\n",
        env!("CARGO_PKG_VERSION"),
        to_toml(&identity),
        data_hash
    );
    sha256_hex(text.as_bytes())[..LENGTH].to_string()
}
