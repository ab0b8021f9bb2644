/** Test helper: read a child's output stream until `re` matches (a port or URL it announces), within `ms`. */
export async function readUntil(stream: ReadableStream<Uint8Array>, re: RegExp, ms: number): Promise<RegExpExecArray> {
  const reader = stream.getReader();
  let text = "";
  const end = Date.now() + ms;
  try {
    while (Date.now() < end) {
      const m = re.exec(text);
      if (m) return m;
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
  } finally {
    reader.releaseLock();
  }
  throw new Error(`not announced (${re}) within ${ms} ms: ${text.slice(-400)}`);
}
