//! Writing the files a command produces (`-o`, `--save-answers`) without
//! losing anything: a regular file is replaced atomically (a temporary file
//! beside it, then a rename), keeping its mode; a symbolic link is written
//! through, to the file it points to; a device or FIFO (`/dev/stdout`, a
//! pipe) is written directly, never replaced; `-` is standard output.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context};

/// The file a path names: a symbolic link's target (resolved step by step,
/// at most 40 links deep, as the kernel does), else the path itself.
fn target(path: &Path) -> anyhow::Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = std::fs::read_link(&p)
                    .with_context(|| format!("{}: cannot read the link", path.display()))?;
                p = match p.parent() {
                    Some(dir) if to.is_relative() => dir.join(to),
                    _ => to,
                };
            }
            _ => return Ok(p),
        }
    }
    bail!("{}: too many levels of symbolic links", path.display())
}

/// Removes the temporary file unless it was renamed into place.
struct Temp(Option<PathBuf>);

impl Drop for Temp {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            let _ = std::fs::remove_file(p);
        }
    }
}

/// Whether an output path is `-`: standard output.
pub fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Writes `text` to `path` (`-`: standard output). Without `force` an
/// existing file is refused.
pub fn write_atomic(path: &Path, text: &str, force: bool) -> anyhow::Result<()> {
    if is_stdout(path) {
        return super::emit(text);
    }
    let dest = target(path)?;
    let existing = std::fs::metadata(&dest).ok();
    if let Some(m) = &existing {
        if !force {
            bail!("{} exists; pass --force to overwrite it", path.display());
        }
        if m.is_dir() {
            bail!("{}: is a folder", path.display());
        }
        if !m.is_file() {
            // A device or FIFO is a stream, not a file to replace.
            let mut f = OpenOptions::new()
                .write(true)
                .open(&dest)
                .with_context(|| format!("{}: cannot open for writing", path.display()))?;
            return f
                .write_all(text.as_bytes())
                .and_then(|_| f.flush())
                .with_context(|| format!("{}: cannot write", path.display()));
        }
    }
    let dir = match dest.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = dest
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let (tmp_path, mut file) = create_temp(&dir, &name)
        .with_context(|| format!("{}: cannot create a file there", path.display()))?;
    let mut guard = Temp(Some(tmp_path.clone()));
    file.write_all(text.as_bytes())
        .and_then(|_| file.sync_all())
        .with_context(|| format!("{}: cannot write", path.display()))?;
    if let Some(m) = &existing {
        // Keep the replaced file's permissions.
        std::fs::set_permissions(&tmp_path, m.permissions())
            .with_context(|| format!("{}: cannot keep its mode", path.display()))?;
    }
    if force {
        std::fs::rename(&tmp_path, &dest)
    } else {
        // A link fails when the file appeared meanwhile: nothing is replaced.
        std::fs::hard_link(&tmp_path, &dest)
    }
    .map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => {
            anyhow!("{} exists; pass --force to overwrite it", path.display())
        }
        _ => anyhow!("{}: cannot write: {e}", path.display()),
    })?;
    if !force {
        let _ = std::fs::remove_file(&tmp_path);
    }
    guard.0 = None;
    Ok(())
}

/// A new file beside the target, created with the process's default mode
/// (0666 less the umask), as any new file would be.
fn create_temp(dir: &Path, name: &str) -> std::io::Result<(PathBuf, File)> {
    let mut last = None;
    for n in 0..100u32 {
        let p = dir.join(format!(".{name}.kubeplan-{}-{n}.tmp", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).open(&p) {
            Ok(f) => return Ok((p, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no free temporary name")))
}
