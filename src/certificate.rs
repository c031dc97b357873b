//! The validity period of an X.509 certificate, read from its DER encoding.
//!
//! The ACK certificate cache must not trust an entry past the certificate's own
//! `notAfter`, whatever the file claims; that is all this reads. It walks just
//! enough DER to reach `tbsCertificate.validity` and never allocates.

use crate::time::{Civil, Timestamp};

/// When a certificate becomes and stops being valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Validity {
    pub not_before: Timestamp,
    pub not_after: Timestamp,
}

/// The validity of the first certificate in PEM text; `None` when there is no
/// certificate or it is not well-formed DER down to its validity.
///
/// ```
/// let pem = include_str!("../tests/data/certificate/short-lived.pem");
/// let validity = kubecred::certificate::validity_of_pem(pem.as_bytes()).unwrap();
/// assert_eq!(validity.not_after.to_rfc3339(), "2026-11-30T15:00:00Z");
/// ```
pub fn validity_of_pem(pem: &[u8]) -> Option<Validity> {
    let cert = ureq::tls::parse_pem(pem).find_map(|item| match item {
        Ok(ureq::tls::PemItem::Certificate(cert)) => Some(cert),
        _ => None,
    })?;
    validity_of_der(cert.der())
}

/// The validity of a DER-encoded certificate.
pub fn validity_of_der(der: &[u8]) -> Option<Validity> {
    const SEQUENCE: u8 = 0x30;
    let (certificate, _) = element(der, SEQUENCE)?;
    let (mut tbs, _) = element(certificate, SEQUENCE)?;
    // version [0] EXPLICIT, optional
    if tbs.first() == Some(&0xa0) {
        tbs = element(tbs, 0xa0)?.1;
    }
    let (_serial, rest) = element(tbs, 0x02)?;
    let (_signature, rest) = element(rest, SEQUENCE)?;
    let (_issuer, rest) = element(rest, SEQUENCE)?;
    let (validity, _) = element(rest, SEQUENCE)?;
    let (not_before, rest) = time(validity)?;
    let (not_after, _) = time(rest)?;
    Some(Validity { not_before, not_after })
}

/// The contents of the element with `tag` at the start of `input`, and what follows it.
fn element(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    let (&first, rest) = input.split_first()?;
    if first != tag {
        return None;
    }
    let (&len_byte, rest) = rest.split_first()?;
    let (len, rest) = if len_byte < 0x80 {
        (usize::from(len_byte), rest)
    } else {
        let count = usize::from(len_byte & 0x7f);
        if count == 0 || count > 4 || rest.len() < count {
            return None;
        }
        let len = rest[..count].iter().fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
        (len, &rest[count..])
    };
    if rest.len() < len {
        return None;
    }
    Some(rest.split_at(len))
}

/// A UTCTime (`YYMMDDHHMMSSZ`, years 1950–2049) or GeneralizedTime (`YYYYMMDDHHMMSSZ`).
fn time(input: &[u8]) -> Option<(Timestamp, &[u8])> {
    let (text, rest, year) = match input.first()? {
        0x17 => {
            let (text, rest) = element(input, 0x17)?;
            let yy = digits(text.get(..2)?)?;
            (text.get(2..)?, rest, if yy < 50 { 2000 + yy } else { 1900 + yy })
        }
        0x18 => {
            let (text, rest) = element(input, 0x18)?;
            (text.get(4..)?, rest, digits(text.get(..4)?)?)
        }
        _ => return None,
    };
    if text.len() != 11 || text[10] != b'Z' {
        return None;
    }
    let two = |at: usize| digits(&text[at..at + 2]);
    let civil =
        Civil { year: i64::from(year), month: two(0)?, day: two(2)?, hour: two(4)?, minute: two(6)?, second: two(8)? };
    let valid = (1..=12).contains(&civil.month)
        && (1..=31).contains(&civil.day)
        && civil.hour < 24
        && civil.minute < 60
        && civil.second < 61;
    valid.then(|| (Timestamp::from_civil(&civil), rest))
}

fn digits(text: &[u8]) -> Option<u32> {
    text.iter().try_fold(0u32, |acc, &b| b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_utc_and_generalized_times() {
        let short = validity_of_pem(include_bytes!("../tests/data/certificate/short-lived.pem")).unwrap();
        assert_eq!(short.not_before.to_rfc3339(), "2026-11-30T12:00:00Z");
        assert_eq!(short.not_after.to_rfc3339(), "2026-11-30T15:00:00Z");
        let long = validity_of_pem(include_bytes!("../tests/data/certificate/long-lived.pem")).unwrap();
        assert_eq!(long.not_after.to_rfc3339(), "2053-01-01T00:00:00Z");
    }

    #[test]
    fn junk_and_truncation_give_none() {
        let pem = include_bytes!("../tests/data/certificate/short-lived.pem");
        let der = ureq::tls::parse_pem(pem)
            .find_map(|i| match i {
                Ok(ureq::tls::PemItem::Certificate(c)) => Some(c.der().to_vec()),
                _ => None,
            })
            .unwrap();
        for cut in 0..der.len().min(200) {
            assert_eq!(validity_of_der(&der[..cut]), None, "cut at {cut}");
        }
        assert_eq!(validity_of_pem(b"not pem"), None);
        assert_eq!(validity_of_der(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff]), None);
    }
}
