//! Random secrets (session tokens, schools' link secrets) and what the database keeps of
//! them. A leaf: signing in (`auth`), storing accounts (`db`) and issuing links (`records`)
//! all need the same digest, and none of them should import another for it.

use sha2::{Digest, Sha256};

/// SHA-256 of a secret, hex: what the database keeps of tokens.
pub fn digest(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// 32 random bytes, hex.
pub fn new_token() -> anyhow::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}
