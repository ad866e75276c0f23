// The webhook benchmark's receiver: answers 204 at once, verifies one request in 50 with
// npm's standardwebhooks (tests/webhooks/node_modules), and records each event's delay
// from its `timestamp` (set in the transaction that wrote it) to its arrival.
//   node bench/webhooks/receiver.mjs PORT SECRET...   then GET /stats (GET /reset forgets
//   the delays recorded so far)
import http from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../../tests/webhooks/package.json', import.meta.url));
const { Webhook } = require('standardwebhooks');
const [port, ...secrets] = process.argv.slice(2);
const hooks = secrets.map((s) => new Webhook(s));
const delays = [];
const ids = new Set();
let requests = 0, duplicates = 0, checked = 0, bad = 0;

http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/reset') {
    delays.length = 0; // the delays of the next phase alone
    res.end('{}');
    return;
  }
  if (req.method === 'GET') {
    const sorted = [...delays].sort((a, b) => a - b);
    const q = (p) => sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : null;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ requests, events: ids.size, duplicates, checked, bad, p50_ms: q(0.5), p99_ms: q(0.99), max_ms: q(1) }));
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const now = Date.now();
    requests += 1;
    const body = Buffer.concat(chunks).toString('utf8');
    const id = req.headers['webhook-id'];
    if (ids.has(id)) duplicates += 1; else ids.add(id);
    try {
      delays.push(now - Date.parse(JSON.parse(body).timestamp));
    } catch { bad += 1; }
    if (requests % 50 === 1) {
      checked += 1;
      if (!hooks.some((h) => { try { h.verify(body, req.headers); return true; } catch { return false; } })) bad += 1;
    }
    res.statusCode = 204;
    res.end();
  });
}).listen(Number(port), '127.0.0.1', () => console.log(`LISTENING ${port}`));
