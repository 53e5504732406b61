//! Encrypted backups: a passphrase stretched with Argon2id (RustCrypto `argon2`), the file
//! sealed with ChaCha20-Poly1305 (RustCrypto `chacha20poly1305`) in 64 KiB chunks, each with its
//! own nonce (random prefix, chunk counter, last-chunk flag: the STREAM construction), so a
//! file that is cut short, reordered or altered is refused rather than restored.
//!
//! Layout: magic, Argon2 memory (KiB), iterations, lanes (u32 LE each), salt (16), nonce prefix
//! (7), key check (32: SHA-256 of a label and the key, so a wrong passphrase is told apart from
//! a damaged file), then the chunks.
use crate::error::{CoreError, ErrorCode, Result};
use chacha20poly1305::aead::rand_core::RngCore;
use chacha20poly1305::aead::{Aead, KeyInit, OsRng};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::Path;

const MAGIC: &[u8; 16] = b"TEIKIBIN-ENC-V1\n";
const CHUNK: usize = 64 * 1024;
const TAG: usize = 16;
/// Argon2id with 64 MiB and 3 passes: about a third of a second here, per backup.
const MEMORY_KIB: u32 = 64 * 1024;
const PASSES: u32 = 3;
const LANES: u32 = 1;

fn io_err<'a>(what: &str, path: &'a Path) -> impl FnOnce(std::io::Error) -> CoreError + 'a {
    let what = what.to_string();
    move |e| CoreError::new(ErrorCode::Io, format!("{} {what}: {e}", path.display()))
}

fn wrong(message: &str) -> CoreError {
    CoreError::field("backup.passphrase", message)
}

fn damaged() -> CoreError {
    CoreError::new(ErrorCode::Incompatible, "暗号化されたバックアップが壊れています（途中で切れているか、書き換えられています）。別のバックアップを選んでください。")
}

/// Whether `path` starts like one of our encrypted files.
pub(super) fn is_encrypted(path: &Path) -> Result<bool> {
    let mut f = File::open(path).map_err(io_err("を開けません", path))?;
    let mut head = [0u8; 16];
    let mut n = 0;
    while n < head.len() {
        match f.read(&mut head[n..]).map_err(io_err("を読めません", path))? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n == head.len() && &head == MAGIC)
}

fn derive(pass: &str, salt: &[u8], memory: u32, passes: u32, lanes: u32) -> Result<[u8; 32]> {
    // Bounds a file can ask for: enough for any sane setting, not enough to exhaust the PC.
    if memory > 1024 * 1024 || passes > 20 || lanes > 16 {
        return Err(damaged());
    }
    let params = argon2::Params::new(memory, passes, lanes, Some(32)).map_err(|_| damaged())?;
    let a = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut key = [0u8; 32];
    a.hash_password_into(pass.as_bytes(), salt, &mut key)
        .map_err(|e| CoreError::new(ErrorCode::Validation, format!("パスフレーズから鍵を作れません: {e}")))?;
    Ok(key)
}

fn key_check(key: &[u8; 32]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"teikibin backup key check v1");
    h.update(key);
    h.finalize().into()
}

fn nonce(prefix: &[u8; 7], counter: u32, last: bool) -> Nonce {
    let mut n = [0u8; 12];
    n[..7].copy_from_slice(prefix);
    n[7..11].copy_from_slice(&counter.to_be_bytes());
    n[11] = last as u8;
    *Nonce::from_slice(&n)
}

/// Fills `buf` as far as the reader goes; the count read (short only at the end).
fn fill(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// Encrypts the file `plain` into `out` with `pass`.
pub(super) fn encrypt(plain: &Path, out: &Path, pass: &str) -> Result<()> {
    let mut salt = [0u8; 16];
    let mut prefix = [0u8; 7];
    OsRng.fill_bytes(&mut salt);
    OsRng.fill_bytes(&mut prefix);
    let key = derive(pass, &salt, MEMORY_KIB, PASSES, LANES)?;
    let cipher = ChaCha20Poly1305::new(Key::from_slice(&key));
    let mut r = BufReader::new(File::open(plain).map_err(io_err("を開けません", plain))?);
    let mut w = BufWriter::new(File::create(out).map_err(io_err("に書き込めません", out))?);
    let werr = io_err("に書き込めません", out);
    let mut head = Vec::with_capacity(100);
    head.extend_from_slice(MAGIC);
    for v in [MEMORY_KIB, PASSES, LANES] {
        head.extend_from_slice(&v.to_le_bytes());
    }
    head.extend_from_slice(&salt);
    head.extend_from_slice(&prefix);
    head.extend_from_slice(&key_check(&key));
    let mut run = || -> std::io::Result<std::result::Result<(), ()>> {
        w.write_all(&head)?;
        // One chunk of look-ahead: the last chunk is sealed with the last flag set.
        let mut cur = vec![0u8; CHUNK];
        let mut next = vec![0u8; CHUNK];
        let mut n = fill(&mut r, &mut cur)?;
        let mut counter: u32 = 0;
        loop {
            let m = if n == CHUNK { fill(&mut r, &mut next)? } else { 0 };
            let last = m == 0;
            let Ok(sealed) = cipher.encrypt(&nonce(&prefix, counter, last), &cur[..n]) else { return Ok(Err(())) };
            w.write_all(&sealed)?;
            if last {
                break;
            }
            std::mem::swap(&mut cur, &mut next);
            n = m;
            counter = match counter.checked_add(1) {
                Some(c) => c,
                None => return Ok(Err(())),
            };
        }
        w.flush()?;
        w.get_ref().sync_all()?;
        Ok(Ok(()))
    };
    match run().map_err(werr)? {
        Ok(()) => Ok(()),
        Err(()) => Err(CoreError::new(ErrorCode::Io, "バックアップを暗号化できませんでした")),
    }
}

/// Streams the decrypted content of `file` into `sink`.
fn decrypt_into(file: &Path, pass: &str, sink: &mut dyn FnMut(&[u8]) -> std::io::Result<()>) -> Result<()> {
    let mut r = BufReader::new(File::open(file).map_err(io_err("を開けません", file))?);
    let rerr = |e: std::io::Error| CoreError::new(ErrorCode::Io, format!("{} を読めません: {e}", file.display()));
    let mut head = [0u8; 16 + 12 + 16 + 7 + 32];
    if fill(&mut r, &mut head).map_err(rerr)? != head.len() || &head[..16] != MAGIC {
        return Err(damaged());
    }
    let u = |i: usize| u32::from_le_bytes(head[i..i + 4].try_into().expect("4 bytes"));
    let (memory, passes, lanes) = (u(16), u(20), u(24));
    let salt = &head[28..44];
    let prefix: [u8; 7] = head[44..51].try_into().expect("7 bytes");
    let check = &head[51..83];
    let key = derive(pass, salt, memory, passes, lanes)?;
    if key_check(&key) != check {
        return Err(wrong("パスフレーズが違います。バックアップを作ったときのパスフレーズを入れてください。"));
    }
    let cipher = ChaCha20Poly1305::new(Key::from_slice(&key));
    let mut cur = vec![0u8; CHUNK + TAG];
    let mut next = vec![0u8; CHUNK + TAG];
    let mut n = fill(&mut r, &mut cur).map_err(rerr)?;
    let mut counter: u32 = 0;
    loop {
        let m = if n == CHUNK + TAG { fill(&mut r, &mut next).map_err(rerr)? } else { 0 };
        let last = m == 0;
        let plain = cipher.decrypt(&nonce(&prefix, counter, last), &cur[..n]).map_err(|_| damaged())?;
        sink(&plain).map_err(|e| CoreError::new(ErrorCode::Io, format!("復号した内容を書き込めません: {e}")))?;
        if last {
            return Ok(());
        }
        std::mem::swap(&mut cur, &mut next);
        n = m;
        counter = counter.checked_add(1).ok_or_else(damaged)?;
    }
}

/// Decrypts `file` into `out`.
pub(super) fn decrypt(file: &Path, out: &Path, pass: &str) -> Result<()> {
    let mut w = BufWriter::new(File::create(out).map_err(io_err("に書き込めません", out))?);
    decrypt_into(file, pass, &mut |b| w.write_all(b))?;
    w.flush().map_err(io_err("に書き込めません", out))?;
    Ok(())
}

/// Whether the encrypted `file` decrypts to exactly the content of `plain` (the read-back check
/// after writing a backup to the stick).
pub(super) fn same_content(file: &Path, plain: &Path, pass: &str) -> Result<bool> {
    let mut expected = BufReader::new(File::open(plain).map_err(io_err("を開けません", plain))?);
    let mut same = true;
    let mut buf = vec![0u8; CHUNK];
    decrypt_into(file, pass, &mut |b| {
        if same {
            let k = fill(&mut expected, &mut buf[..b.len()])?;
            same = k == b.len() && buf[..k] == *b;
        }
        Ok(())
    })?;
    let mut one = [0u8; 1];
    Ok(same && fill(&mut expected, &mut one).map_err(io_err("を読めません", plain))? == 0)
}
