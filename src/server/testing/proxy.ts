import { createServer, request, type Server } from 'node:http';

/**
 * A reverse proxy that sends requests to its upstreams in turn, as nginx's default `upstream` does, adding
 * X-Forwarded-For and X-Forwarded-Proto and keeping the Host the client asked for (`proxy_set_header Host $host`).
 * It stands in for the proxy of docs/deployment.md in tests.
 */
export async function roundRobinProxy(
  upstreams: string[],
  clientAddress = '203.0.113.9',
): Promise<{ url: string; server: Server }> {
  let next = 0;
  const server = createServer((incoming, outgoing) => {
    const target = new URL(incoming.url ?? '/', upstreams[next++ % upstreams.length]);
    const forwarded = request(
      target,
      {
        method: incoming.method,
        headers: {
          ...incoming.headers,
          'x-forwarded-for': clientAddress,
          'x-forwarded-proto': 'http',
        },
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', () => {
      outgoing.writeHead(502).end();
    });
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, server };
}
