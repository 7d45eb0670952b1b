/** Folders holding other people's code or git internals; never the app's own source. */
const VENDORED_FOLDERS = new Set(['node_modules', '.git']);

/** How much of a file is checked for a NUL byte, as git does to tell binaries apart. */
const BINARY_SNIFF_BYTES = 8 * 1024;

/**
 * Whether a tree path lies in a vendored folder (`node_modules/`, `.git/`) at any depth.
 *
 * @internal
 */
export function isVendoredPath(options: { path: string }): boolean {
  return options.path
    .split(/[\\/]/)
    .some(segment => VENDORED_FOLDERS.has(segment));
}

/**
 * Whether content looks binary: a NUL byte in its first 8 KiB.
 *
 * @internal
 */
export function looksBinary(options: { content: Buffer }): boolean {
  return options.content.subarray(0, BINARY_SNIFF_BYTES).includes(0);
}
