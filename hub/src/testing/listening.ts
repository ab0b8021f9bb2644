/** Test helper: whether something accepts TCP connections on 127.0.0.1:`port` now (a server a test started). */
export async function listening(port: number): Promise<boolean> {
  return Bun.connect({ hostname: "127.0.0.1", port, socket: { data: () => {} } }).then(
    (socket) => {
      socket.end();
      return true;
    },
    () => false,
  );
}
