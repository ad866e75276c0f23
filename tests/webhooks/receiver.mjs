// Webhook receiver for Loupe's end-to-end tests.
//
//   node receiver.mjs --port 0 --secret whsec_... [--secret whsec_...] \
//        --log /path/received.jsonl [--plan /path/plan.json]
//
// Listens on 127.0.0.1 and prints one line, `LISTENING <port>`, once ready.
// Every POST (any path) is verified with the Standard Webhooks reference
// library against each --secret (accepted if any verifies: secret rotation)
// and logged as one JSON line in --log, written when the request arrives,
// before any planned delay, so a reader sees it at once. Unverified: 401.
//
// The optional plan file is re-read on every request, so a test can change it
// while the receiver runs:
//   {"fail_first": 2, "status": 500, "hang_first": 0, "delay_ms": 0}
// Attempts are counted per webhook-id. Attempts 1..fail_first are answered
// `status` (default 500); attempts 1..hang_first wait delay_ms before
// answering (200 unless a failure is due). Otherwise the answer is 204.
//
// GET /stats answers {requests, verified, failed, by_id: {id: attempts}}.

import { appendFileSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { parseArgs } from "node:util";
import { Webhook } from "standardwebhooks";

const { values: args } = parseArgs({
  options: {
    port: { type: "string", default: "0" },
    secret: { type: "string", multiple: true, default: [] },
    log: { type: "string" },
    plan: { type: "string" },
  },
});
if (args.secret.length === 0 || !args.log) {
  console.error("usage: node receiver.mjs --port N --secret whsec_... [--secret ...] --log FILE [--plan FILE]");
  process.exit(2);
}
// Built once, so a malformed secret fails at start rather than per request.
const hooks = args.secret.map((s) => new Webhook(s));

const stats = { requests: 0, verified: 0, failed: 0, by_id: {} };

// The plan, re-read each time; a missing file means no plan.
function readPlan() {
  if (!args.plan) return {};
  try {
    return JSON.parse(readFileSync(args.plan, "utf8"));
  } catch (e) {
    if (e.code !== "ENOENT") console.error(`receiver: bad plan file: ${e.message}`);
    return {};
  }
}

// Verifies against every secret; returns null on success, else the error(s).
function verify(body, headers) {
  const errors = new Set();
  for (const wh of hooks) {
    try {
      // jsonParse: false, or a valid signature over a non-JSON body would throw.
      wh.verify(body, headers, { jsonParse: false });
      return null;
    } catch (e) {
      errors.add(e.message);
    }
  }
  return [...errors].join("; ");
}

function parseBody(body) {
  const text = body.toString("utf8");
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function handle(req, res, body) {
  const receivedAt = Date.now();
  if (req.method === "GET" && req.url === "/stats") {
    res.writeHead(200, { "content-type": "application/json" });
    return res.end(JSON.stringify(stats));
  }
  if (req.method !== "POST") {
    res.writeHead(405);
    return res.end();
  }

  const id = req.headers["webhook-id"] ?? null;
  const error = verify(body, req.headers);
  const attempt = (stats.by_id[id] = (stats.by_id[id] ?? 0) + 1);
  stats.requests += 1;
  stats[error ? "failed" : "verified"] += 1;

  // Decide the answer now, so the log line records it before any delay.
  const plan = readPlan();
  let status = 204;
  let delay = 0;
  if (error) {
    status = 401;
  } else {
    if (attempt <= (plan.hang_first ?? 0)) {
      delay = plan.delay_ms ?? 0;
      status = 200;
    }
    if (attempt <= (plan.fail_first ?? 0)) status = plan.status ?? 500;
  }

  const headers = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (k === "content-type" || k === "user-agent" || k.startsWith("webhook-")) headers[k] = v;
  }
  const line = {
    path: req.url,
    id,
    timestamp: req.headers["webhook-timestamp"] ?? null,
    verified: !error,
    ...(error && { error }),
    status,
    attempt,
    delay_ms: delay,
    received_at_ms: receivedAt,
    body: parseBody(body),
    headers,
  };
  appendFileSync(args.log, JSON.stringify(line) + "\n");

  if (delay > 0) await sleep(delay);
  res.writeHead(status);
  res.end();
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    handle(req, res, Buffer.concat(chunks)).catch((e) => {
      console.error(`receiver: ${e.stack}`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
});

server.listen(Number(args.port), "127.0.0.1", () => {
  // The only stdout output; writes to a pipe are synchronous on Linux.
  process.stdout.write(`LISTENING ${server.address().port}\n`);
});
