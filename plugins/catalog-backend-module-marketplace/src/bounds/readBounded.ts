/**
 * Reads a UrlReader response, refusing it with `tooLarge()` as soon as it is over `maxBytes`:
 * streamed when the response can stream, so an oversized body is never held in memory.
 *
 * @internal
 */
export async function readBounded(options: {
  response: { buffer(): Promise<Buffer>; stream?(): NodeJS.ReadableStream };
  maxBytes: number;
  tooLarge: () => Error;
}): Promise<Buffer> {
  const { response, maxBytes, tooLarge } = options;
  if (!response.stream) {
    const buffer = await response.buffer();
    if (buffer.length > maxBytes) throw tooLarge();
    return buffer;
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response.stream()) {
    const buffer = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk as string);
    total += buffer.length;
    if (total > maxBytes) throw tooLarge();
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}
