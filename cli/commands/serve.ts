import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { RampartsError } from '../../shared/errors.js';
import { EXIT, type CliIO } from '../io.js';
import type { GlobalOptions } from '../program.js';
import { withWorkflow } from './workflow.js';

const MAX_BODY = 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new RampartsError('BODY_TOO_LARGE', 'request body over 1 MiB');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Node request → web Request, keeping the raw bytes the signatures cover. */
async function toRequest(req: IncomingMessage, port: number): Promise<Request> {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
  const method = req.method ?? 'GET';
  const body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(req);
  return new Request(`http://127.0.0.1:${port}${req.url ?? '/'}`, { method, headers, body });
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((v, k) => res.setHeader(k, v));
  res.end(Buffer.from(await response.arrayBuffer()));
}

/**
 * `ramparts serve`: the interact handler on a local port, to try a real Slack or DingTalk app
 * through a tunnel (point the app's callback URLs at <tunnel>/slack/actions, /dingtalk/card-callback).
 */
export async function serveCommand(o: { port: string; host: string }, g: GlobalOptions, io: CliIO, signal?: AbortSignal): Promise<number> {
  const port = Number(o.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RampartsError('BAD_OPTION', `--port must be 0-65535, got "${o.port}"`);
  return withWorkflow(g, io, async (wf) => {
    const server = createServer((req, res) => {
      void (async () => {
        try {
          await send(res, await wf.interact(await toRequest(req, port)));
        } catch (err) {
          res.statusCode = err instanceof RampartsError && err.code === 'BODY_TOO_LARGE' ? 413 : 500;
          res.end();
        }
      })();
    });
    await new Promise<void>((resolve) => server.listen(port, o.host, resolve));
    const address = server.address();
    const actual = typeof address === 'object' && address ? address.port : port;
    io.stdout.write(
      `ramparts interact listening on http://${o.host}:${actual}\n  Slack interactivity URL: <public url>/slack/actions\n  DingTalk card callback:  <public url>/dingtalk/card-callback\n(Ctrl-C stops)\n`,
    );
    await new Promise<void>((resolve) => {
      if (signal?.aborted) resolve();
      signal?.addEventListener('abort', () => resolve(), { once: true });
    });
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return EXIT.ok;
  });
}
