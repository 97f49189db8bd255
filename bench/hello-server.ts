/**
 * Baseline for the benchmark: the smallest Hono app on @hono/node-server that does what
 * every API request does at the HTTP level (parse a JSON body, answer JSON), and nothing
 * else. Run as a child process by bench/registrations.ts; prints "ready <port>".
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono();
app.post('/echo', async (c) => c.json(await c.req.json(), 201));
app.get('/', (c) => c.text('hello')); // the pages benchmark's baseline

serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 0) }, (info) => {
  console.log(`ready ${info.port}`);
});
process.on('SIGTERM', () => process.exit(0));
