// A minimal HTTP/1.1 responder on raw TCP, used once per run to show the load generator's own ceiling:
// if the generator can drive this far beyond the direct path's throughput, the generator is not what
// limits the other measurements. It answers every request with the same small JSON body.
import { createServer } from 'node:net';

const port = Number(process.argv[2] ?? 0);
const BODY = '{"ok":true}';
const RESPONSE = Buffer.from(
  `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${BODY.length}\r\nconnection: keep-alive\r\n\r\n${BODY}`,
);

createServer((socket) => {
  socket.setNoDelay(true);
  let buf = '';
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => {
    buf += chunk;
    for (;;) {
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const m = /content-length:\s*(\d+)/i.exec(buf.slice(0, end));
      const total = end + 4 + (m ? Number(m[1]) : 0);
      if (buf.length < total) return;
      buf = buf.slice(total);
      socket.write(RESPONSE);
    }
  });
  socket.on('error', () => {});
}).listen(port, '127.0.0.1', () => process.stdout.write(`sink listening on ${port}\n`));
