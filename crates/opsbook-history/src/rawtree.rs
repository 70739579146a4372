//! Trees read as the raw bytes the object database stores, walked in place.
//!
//! libgit2's `Tree` parses every entry of a tree into an array (and its mode parser is
//! slow) before anything can be compared; a handbook folder of hundreds of runbooks is
//! parsed again at each commit that touches it. Comparing two versions of a folder only
//! needs to step through both entry lists once, like `git diff-tree` does, so entries are
//! read straight from the bytes: `<octal mode> <name>\0<20-byte id>`, repeated.

use git2::{ErrorCode, ObjectType, Odb, OdbObject, Oid};
use std::cell::OnceCell;
use std::collections::HashMap;
use std::rc::Rc;

/// Bytes of an object id (SHA-1).
const ID_LEN: usize = 20;

/// One entry of a tree, borrowed from the tree's bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Entry<'a> {
    /// The mode as stored (e.g. `0o100644`, `0o40000`).
    mode: u16,
    /// The file or folder name.
    pub(crate) name: &'a [u8],
    /// The raw object id.
    id: &'a [u8],
}

impl Entry<'_> {
    /// A subfolder (what libgit2's `TreeEntry::kind` calls a tree).
    pub(crate) fn is_tree(&self) -> bool {
        u32::from(self.mode) & 0o170000 == 0o040000
    }

    /// The mode as libgit2's `TreeEntry::filemode` reports it: old modes such as
    /// `100664` are normalized the way libgit2 does.
    pub(crate) fn filemode(&self) -> u32 {
        let mode = u32::from(self.mode);
        if mode & 0o170000 == 0o040000 {
            0o040000
        } else if mode & 0o111 != 0 {
            0o100755
        } else if mode & 0o170000 == 0o160000 {
            0o160000
        } else if mode & 0o170000 == 0o120000 {
            0o120000
        } else {
            0o100644
        }
    }

    /// A regular file (symbolic links and submodules are not documents).
    pub(crate) fn is_file(&self) -> bool {
        matches!(self.filemode(), 0o100644 | 0o100755)
    }

    /// Whether two entries name the same object.
    pub(crate) fn same_id(&self, other: &Entry<'_>) -> bool {
        self.id == other.id
    }

    /// The object id.
    pub(crate) fn oid(&self) -> Result<Oid, git2::Error> {
        Oid::from_bytes(self.id)
    }
}

fn corrupt(what: &str) -> git2::Error {
    git2::Error::from_str(&format!("failed to parse tree: {what}"))
}

/// Reads the entry starting at `*pos` of a tree's bytes and moves past it; `None` at
/// the end. Rejects what libgit2's tree parser rejects.
pub(crate) fn next_entry<'a>(
    bytes: &'a [u8],
    pos: &mut usize,
) -> Result<Option<Entry<'a>>, git2::Error> {
    let rest = &bytes[(*pos).min(bytes.len())..];
    if rest.is_empty() {
        return Ok(None);
    }
    // The two modes of nearly every entry, then the general case.
    let (mode, digits) = if rest.starts_with(b"100644 ") {
        (0o100644, 6)
    } else if rest.starts_with(b"40000 ") {
        (0o40000, 5)
    } else {
        let mut mode: u32 = 0;
        let mut digits = 0;
        for &c in rest {
            if !(b'0'..=b'7').contains(&c) {
                break;
            }
            mode = mode * 8 + u32::from(c - b'0');
            digits += 1;
            if mode > u32::from(u16::MAX) {
                return Err(corrupt("can't parse filemode"));
            }
        }
        if digits == 0 {
            return Err(corrupt("can't parse filemode"));
        }
        if rest.get(digits) != Some(&b' ') {
            return Err(corrupt("missing space after filemode"));
        }
        (mode, digits)
    };
    let after = &rest[digits + 1..];
    // `CStr` finds the NUL a word at a time.
    let Ok(name) = std::ffi::CStr::from_bytes_until_nul(after) else {
        return Err(corrupt("object is corrupted"));
    };
    let nul = name.to_bytes().len();
    if nul == 0 || nul > usize::from(u16::MAX) {
        return Err(corrupt("can't parse filename"));
    }
    let Some(id) = after.get(nul + 1..nul + 1 + ID_LEN) else {
        return Err(corrupt("can't parse OID"));
    };
    *pos += digits + 1 + nul + 1 + ID_LEN;
    Ok(Some(Entry {
        mode: mode as u16, // checked above: at most u16::MAX
        name: &after[..nul],
        id,
    }))
}

/// The entry called `name` in a tree's bytes.
pub(crate) fn find<'a>(bytes: &'a [u8], name: &[u8]) -> Result<Option<Entry<'a>>, git2::Error> {
    let mut pos = 0;
    while let Some(e) = next_entry(bytes, &mut pos)? {
        if e.name == name {
            return Ok(Some(e));
        }
    }
    Ok(None)
}

/// One tree's bytes and, once known, where each entry starts; shared between the
/// commits that compare it.
pub(crate) struct Parsed<'r> {
    obj: OdbObject<'r>,
    /// Where each entry starts, then the end of the data. Comparing a folder with its
    /// previous version finds these as a by-product (see `treediff::walk`), so that
    /// the next commit, which compares this version with the one after, need not read
    /// every entry again.
    starts: OnceCell<Vec<usize>>,
}

impl Parsed<'_> {
    /// The tree's bytes.
    pub(crate) fn data(&self) -> &[u8] {
        self.obj.data()
    }

    /// Where each entry starts, then the end of the data; read from the whole tree the
    /// first time when they were not recorded.
    pub(crate) fn starts(&self) -> Result<&[usize], git2::Error> {
        if let Some(s) = self.starts.get() {
            return Ok(s);
        }
        let bytes = self.data();
        let mut starts = Vec::with_capacity(bytes.len() / 48 + 1);
        let mut pos = 0;
        loop {
            starts.push(pos);
            if next_entry(bytes, &mut pos)?.is_none() {
                break;
            }
        }
        Ok(self.starts.get_or_init(|| starts))
    }

    /// Whether the entry starts are known.
    pub(crate) fn has_starts(&self) -> bool {
        self.starts.get().is_some()
    }

    /// Records the entry starts found while comparing this tree.
    pub(crate) fn record_starts(&self, starts: Vec<usize>) {
        let _ = self.starts.set(starts);
    }
}

/// One tree, shared between the commits that read it.
pub(crate) type RawTree<'r> = Rc<Parsed<'r>>;

/// Reads the tree `id` from the object database.
pub(crate) fn read<'r>(odb: &'r Odb<'_>, id: Oid) -> Result<RawTree<'r>, git2::Error> {
    let obj = odb.read(id)?;
    if obj.kind() != ObjectType::Tree {
        return Err(git2::Error::new(
            ErrorCode::InvalidSpec,
            git2::ErrorClass::Object,
            format!("the requested type does not match the type in the ODB: {id}"),
        ));
    }
    Ok(Rc::new(Parsed {
        obj,
        starts: OnceCell::new(),
    }))
}

/// How many leading bytes `a` and `b` share.
pub(crate) fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    // Large blocks first (`memcmp`; a folder's tree is tens of KiB and most of it is
    // the same), smaller ones near the first difference, then words, then bytes.
    let mut i = 0;
    for block in [4096, 256] {
        while i + block <= n && a[i..i + block] == b[i..i + block] {
            i += block;
        }
    }
    while i + 8 <= n {
        let x = u64::from_le_bytes(a[i..i + 8].try_into().unwrap_or_default());
        let y = u64::from_le_bytes(b[i..i + 8].try_into().unwrap_or_default());
        if x != y {
            return i + ((x ^ y).trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    i + a[i..]
        .iter()
        .zip(&b[i..])
        .position(|(x, y)| x != y)
        .unwrap_or(n - i)
}

/// The id of the folder at `path` (`/`-separated, not empty) under the tree `root`, or
/// `None` when there is no folder there.
pub(crate) fn folder(odb: &Odb<'_>, root: &[u8], path: &str) -> Result<Option<Oid>, git2::Error> {
    let mut parts = path.split('/').filter(|p| !p.is_empty()).peekable();
    let mut current: Option<RawTree<'_>> = None;
    while let Some(part) = parts.next() {
        let bytes = current.as_ref().map_or(root, |t| t.data());
        let Some(e) = find(bytes, part.as_bytes())? else {
            return Ok(None);
        };
        if !e.is_tree() {
            return Ok(None);
        }
        let id = e.oid()?;
        if parts.peek().is_none() {
            return Ok(Some(id));
        }
        current = Some(read(odb, id)?);
    }
    Ok(None)
}

/// The last version read of each folder, by path. A commit's old side of a folder is
/// the version the last commit that changed that folder read as its new side, however
/// many commits ago that was: it is found here with its entry starts, instead of being
/// unpacked and read whole again. One tree per folder: memory grows with the handbook,
/// not with the history.
#[derive(Default)]
pub(crate) struct Trees<'r> {
    by_path: HashMap<String, (Oid, RawTree<'r>)>,
}

impl<'r> Trees<'r> {
    /// The tree `id`, found at `path` (a key: any text naming the place).
    pub(crate) fn get(
        &mut self,
        odb: &'r Odb<'_>,
        path: &str,
        id: Oid,
    ) -> Result<RawTree<'r>, git2::Error> {
        if let Some((known, tree)) = self.by_path.get(path) {
            if *known == id {
                return Ok(Rc::clone(tree));
            }
        }
        let tree = read(odb, id)?;
        match self.by_path.get_mut(path) {
            Some(slot) => *slot = (id, Rc::clone(&tree)),
            None => {
                self.by_path
                    .insert(path.to_string(), (id, Rc::clone(&tree)));
            }
        }
        Ok(tree)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(mode: &str, name: &str, id: u8) -> Vec<u8> {
        let mut v = format!("{mode} {name}\0").into_bytes();
        v.extend([id; ID_LEN]);
        v
    }

    #[test]
    fn reads_entries_in_place() {
        let mut bytes = entry("100644", "a.md", 1);
        bytes.extend(entry("40000", "dir", 2));
        bytes.extend(entry("100664", "old.md", 3));
        bytes.extend(entry("120000", "link.md", 4));
        bytes.extend(entry("160000", "sub", 5));
        bytes.extend(entry("100755", "x.md", 6));
        let mut pos = 0;
        let mut got = Vec::new();
        while let Some(e) = next_entry(&bytes, &mut pos).unwrap() {
            got.push((
                e.name.to_vec(),
                e.filemode(),
                e.is_tree(),
                e.is_file(),
                e.id[0],
            ));
        }
        let s = |x: &str| x.as_bytes().to_vec();
        assert_eq!(
            got,
            vec![
                (s("a.md"), 0o100644, false, true, 1),
                (s("dir"), 0o040000, true, false, 2),
                (s("old.md"), 0o100644, false, true, 3),
                (s("link.md"), 0o120000, false, false, 4),
                (s("sub"), 0o160000, false, false, 5),
                (s("x.md"), 0o100755, false, true, 6),
            ]
        );
        assert_eq!(find(&bytes, b"dir").unwrap().map(|e| e.id[0]), Some(2));
        assert_eq!(find(&bytes, b"nope").unwrap(), None);
    }

    #[test]
    fn common_prefixes() {
        let a: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
        for cut in [
            0, 1, 7, 8, 9, 255, 256, 257, 600, 4095, 4096, 4097, 4500, 9999,
        ] {
            let mut b = a.clone();
            b[cut] ^= 1;
            assert_eq!(common_prefix(&a, &b), cut);
        }
        assert_eq!(common_prefix(&a, &a[..300]), 300);
        assert_eq!(common_prefix(&a, &a), 10_000);
        assert_eq!(common_prefix(&[], &a), 0);
    }

    #[test]
    fn rejects_corrupt_trees() {
        for bad in [
            &b"100644"[..],
            b"100644 a.md",
            b"100644 a.md\0short",
            b" a.md\0aaaaaaaaaaaaaaaaaaaa",
            b"1006448 a.md\0aaaaaaaaaaaaaaaaaaaa",
            b"100644 \0aaaaaaaaaaaaaaaaaaaa",
            b"x00644 a.md\0aaaaaaaaaaaaaaaaaaaa",
        ] {
            let mut pos = 0;
            assert!(next_entry(bad, &mut pos).is_err(), "{bad:?}");
        }
    }
}
