import { isVendoredPath, looksBinary } from './sourceFileFilters';

describe('sourceFileFilters', () => {
  it.each([
    ['node_modules/a/index.js', true],
    ['packages/web/node_modules/a/index.js', true],
    ['.git/HEAD', true],
    ['src/node_modules.ts', false],
    ['src/.gitignore', false],
    ['docs/git/notes.md', false],
  ])('isVendoredPath(%s) is %s', (path, expected) => {
    expect(isVendoredPath({ path })).toBe(expected);
  });

  it('tells binaries by a NUL byte in the first 8 KiB', () => {
    expect(
      looksBinary({ content: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00]) }),
    ).toBe(true);
    expect(looksBinary({ content: Buffer.from('plain text\n') })).toBe(false);
    const lateNul = Buffer.concat([
      Buffer.alloc(8 * 1024, 0x61),
      Buffer.from([0]),
    ]);
    expect(looksBinary({ content: lateNul })).toBe(false);
  });
});
