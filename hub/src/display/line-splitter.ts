/**
 * @module One message per line over a byte stream (the display socket's framing): chunks in, whole
 * lines out, UTF-8 kept whole across chunk edges, blank lines skipped. An unfinished line longer
 * than `maxChars` makes push() return false (the caller ends that stream).
 */
export function lineSplitter(onLine: (line: string) => void, maxChars = Number.POSITIVE_INFINITY): (chunk: Uint8Array) => boolean {
  const decoder = new TextDecoder();
  let partial = "";
  return (chunk) => {
    const lines = (partial + decoder.decode(chunk, { stream: true })).split("\n");
    partial = lines.pop() ?? "";
    if (partial.length > maxChars) return false;
    for (const line of lines) if (line.trim()) onLine(line);
    return true;
  };
}
