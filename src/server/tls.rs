//! `--secure`: HTTPS with rustls, from PEM files, HTTP/1.1 only (webhook turns HTTP/2
//! off too).
//!
//! Known gap: rustls speaks TLS 1.2 and 1.3 only, so `--tls-min-version 1.0` or `1.1`
//! starts with 1.2 as the minimum (and says so), and `--cipher-suites` is not offered.
//! Why: rustls deliberately leaves out the old versions and weak suites.
//! Tracked: docs/limitations.md#serve-tls-versions

use std::path::PathBuf;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use super::Logger;

/// The files and minimum version given with `--secure`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
    /// `--tls-min-version` as given: `1.0`, `1.1`, `1.2` (or empty) or `1.3`.
    pub min_version: String,
}

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("error: unknown minimum TLS version: {0}")]
    UnknownVersion(String),
    #[error("cannot read certificate `{path}`: {message}")]
    Certificate { path: String, message: String },
    #[error("cannot read private key `{path}`: {message}")]
    Key { path: String, message: String },
    #[error("the certificate and key do not work together: {0}")]
    Config(String),
}

/// Checks a `--tls-min-version` value the way webhook does.
pub fn check_min_version(version: &str) -> Result<(), TlsError> {
    match version {
        "" | "1.0" | "1.1" | "1.2" | "1.3" => Ok(()),
        other => Err(TlsError::UnknownVersion(other.to_string())),
    }
}

/// The rustls configuration for `files`.
pub fn server_config(
    files: &TlsFiles,
    logger: &Logger,
) -> Result<Arc<rustls::ServerConfig>, TlsError> {
    check_min_version(&files.min_version)?;
    if matches!(files.min_version.as_str(), "1.0" | "1.1") {
        logger.warn(&format!(
            "TLS {} is not available (rustls speaks 1.2 and 1.3); the minimum is 1.2",
            files.min_version
        ));
    }
    let versions: &[&rustls::SupportedProtocolVersion] = if files.min_version == "1.3" {
        &[&rustls::version::TLS13]
    } else {
        &[&rustls::version::TLS12, &rustls::version::TLS13]
    };
    let cert_path = files.cert.display().to_string();
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&files.cert)
        .and_then(|iter| iter.collect())
        .map_err(|e| TlsError::Certificate {
            path: cert_path.clone(),
            message: e.to_string(),
        })?;
    if certs.is_empty() {
        return Err(TlsError::Certificate {
            path: cert_path,
            message: "no certificate in the file".into(),
        });
    }
    let key = PrivateKeyDer::from_pem_file(&files.key).map_err(|e| TlsError::Key {
        path: files.key.display().to_string(),
        message: e.to_string(),
    })?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(versions)
        .map_err(|e| TlsError::Config(e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| TlsError::Config(e.to_string()))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_like_webhook() {
        for ok in ["", "1.0", "1.1", "1.2", "1.3"] {
            assert!(check_min_version(ok).is_ok());
        }
        assert_eq!(
            check_min_version("1.4").unwrap_err().to_string(),
            "error: unknown minimum TLS version: 1.4"
        );
    }

    #[test]
    fn missing_files_are_named() {
        let files = TlsFiles {
            cert: "/nonexistent/cert.pem".into(),
            key: "/nonexistent/key.pem".into(),
            min_version: "1.2".into(),
        };
        let err = server_config(&files, &Logger::discard()).unwrap_err();
        assert!(err.to_string().contains("/nonexistent/cert.pem"));
    }
}
