/**
 * Keeps a guest's file calls inside the directories the user granted. node:wasi (uvwasi) checks
 * a guest path lexically — `..` and absolute paths cannot leave a preopen — but then lets the
 * operating system follow symlinks, so a directory symlink inside a granted folder
 * (`granted/link -> /etc`) led the guest anywhere. Every WASI call that takes a path is wrapped:
 * the path is resolved on the host (symlinks followed, `realpath`) against the directory its fd
 * stands for, and a path that ends up outside the granted root is answered ERRNO_NOTCAPABLE
 * without reaching node:wasi.
 *
 * What the check covers: for calls that follow the last component (path_open, path_filestat_get
 * and _set_times with LOOKUP_SYMLINK_FOLLOW, path_link's source with it) the whole path; for the
 * rest (unlink, rmdir, readlink, rename, symlink creation, mkdir) the directory that holds the
 * last component, since they act on the entry itself. The residual race: between this check and
 * uvwasi's own open another process on the host could swap a checked directory for a symlink; a
 * guest alone cannot (it is single-threaded and the check runs at each call).
 */
import { lstatSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';

/** WASI errno notcapable: the path is outside what the fd grants. */
export const ERRNO_NOTCAPABLE = 76;
const LOOKUP_SYMLINK_FOLLOW = 1;
/** The first fd node:wasi gives a preopen (0–2 are stdio), in the order the preopens are listed. */
const FIRST_PREOPEN_FD = 3;

type WasiFn = (...args: number[]) => number;

interface Entry {
  /** the real host path this fd stands for */
  host: string;
  /** the real path of the preopen it came from: nothing may resolve outside it */
  root: string;
}

const present = (path: string): boolean => {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
};

/**
 * realpath of the longest prefix that has a directory entry (a dangling symlink counts: it
 * cannot be resolved and so is refused), with the missing rest appended (no entry, no symlink).
 */
function realPrefix(path: string): string {
  let existing = path;
  const rest: string[] = [];
  while (!present(existing)) {
    const parent = dirname(existing);
    if (parent === existing) break;
    rest.unshift(existing.slice(parent.length + (parent.endsWith(sep) ? 0 : 1)));
    existing = parent;
  }
  let real: string;
  try {
    real = realpathSync(existing);
  } catch {
    // a dangling symlink, a loop, or no permission: it cannot be shown to stay inside
    return '\0unresolvable';
  }
  return rest.length === 0 ? real : join(real, ...rest);
}

const inside = (path: string, root: string) => path === root || path.startsWith(root.endsWith(sep) ? root : `${root}${sep}`);

/**
 * Wraps node:wasi's imports so that path-taking calls cannot leave the preopens through
 * symlinks. `preopens` is the guest path → host path map given to node:wasi, in the same order.
 */
export function confinePaths(imports: Record<string, WasiFn>, preopens: Readonly<Record<string, string>>, memory: () => WebAssembly.Memory): Record<string, WasiFn> {
  const fds = new Map<number, Entry>();
  Object.values(preopens).forEach((host, i) => {
    const real = realPrefix(resolve(host));
    fds.set(FIRST_PREOPEN_FD + i, { host: real, root: real });
  });
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const guestPath = (ptr: number, len: number): string | undefined => {
    const bytes = new Uint8Array(memory().buffer);
    const p = ptr >>> 0;
    const n = len >>> 0;
    if (p + n > bytes.length) return undefined; // node:wasi answers the bad pointer itself
    try {
      return decoder.decode(bytes.subarray(p, p + n));
    } catch {
      return undefined;
    }
  };
  /** The real host path a (fd, path) names, or undefined when node:wasi should judge it itself. */
  const hostPath = (fd: number, ptr: number, len: number, follow: boolean): { real: string; entry: Entry } | undefined => {
    const entry = fds.get(fd >>> 0);
    const path = guestPath(ptr, len);
    if (!entry || path === undefined || path.includes('\0') || isAbsolute(path)) return undefined;
    const lexical = resolve(entry.host, path);
    if (!inside(lexical, entry.root)) return undefined; // `..` out of the preopen: node:wasi refuses it
    const real = follow ? realPrefix(lexical) : join(realPrefix(dirname(lexical)), lexical.slice(dirname(lexical).length + 1));
    return { real, entry };
  };
  const escapes = (fd: number, ptr: number, len: number, follow: boolean): boolean => {
    const r = hostPath(fd, ptr, len, follow);
    return r !== undefined && !inside(r.real, r.entry.root);
  };
  const wrapped: Record<string, WasiFn> = { ...imports };
  const guard = (name: string, check: (...args: number[]) => boolean) => {
    const original = imports[name];
    if (!original) return;
    wrapped[name] = (...args: number[]) => (check(...args) ? ERRNO_NOTCAPABLE : original(...args));
  };

  const open = imports.path_open;
  if (open) {
    wrapped.path_open = (fd, dirflags, ptr, len, oflags, rightsBase, rightsInheriting, fdflags, fdOut) => {
      const r = hostPath(fd as number, ptr as number, len as number, true);
      if (r && !inside(r.real, r.entry.root)) return ERRNO_NOTCAPABLE;
      const errno = open(fd as number, dirflags as number, ptr as number, len as number, oflags as number, rightsBase as number, rightsInheriting as number, fdflags as number, fdOut as number);
      if (errno === 0 && r) {
        const view = new DataView(memory().buffer);
        fds.set(view.getUint32((fdOut as number) >>> 0, true), { host: r.real, root: r.entry.root });
      }
      return errno;
    };
  }
  const close = imports.fd_close;
  if (close) {
    wrapped.fd_close = (fd) => {
      const errno = close(fd as number);
      if (errno === 0 && (fd as number) >>> 0 >= FIRST_PREOPEN_FD + Object.keys(preopens).length) fds.delete((fd as number) >>> 0);
      return errno;
    };
  }
  const renumber = imports.fd_renumber;
  if (renumber) {
    wrapped.fd_renumber = (from, to) => {
      const errno = renumber(from as number, to as number);
      if (errno === 0) {
        const e = fds.get((from as number) >>> 0);
        fds.delete((from as number) >>> 0);
        if (e) fds.set((to as number) >>> 0, e);
        else fds.delete((to as number) >>> 0);
      }
      return errno;
    };
  }
  guard('path_filestat_get', (fd, flags, ptr, len) => escapes(fd as number, ptr as number, len as number, ((flags as number) & LOOKUP_SYMLINK_FOLLOW) !== 0));
  guard('path_filestat_set_times', (fd, flags, ptr, len) => escapes(fd as number, ptr as number, len as number, ((flags as number) & LOOKUP_SYMLINK_FOLLOW) !== 0));
  guard('path_create_directory', (fd, ptr, len) => escapes(fd as number, ptr as number, len as number, false));
  guard('path_remove_directory', (fd, ptr, len) => escapes(fd as number, ptr as number, len as number, false));
  guard('path_unlink_file', (fd, ptr, len) => escapes(fd as number, ptr as number, len as number, false));
  guard('path_readlink', (fd, ptr, len) => escapes(fd as number, ptr as number, len as number, false));
  guard('path_symlink', (_oldPtr, _oldLen, fd, ptr, len) => escapes(fd as number, ptr as number, len as number, false));
  guard('path_rename', (fd, oldPtr, oldLen, newFd, newPtr, newLen) => escapes(fd as number, oldPtr as number, oldLen as number, false) || escapes(newFd as number, newPtr as number, newLen as number, false));
  guard('path_link', (oldFd, oldFlags, oldPtr, oldLen, newFd, newPtr, newLen) => escapes(oldFd as number, oldPtr as number, oldLen as number, ((oldFlags as number) & LOOKUP_SYMLINK_FOLLOW) !== 0) || escapes(newFd as number, newPtr as number, newLen as number, false));
  return wrapped;
}
