// Smoke test of receiver.mjs: `node selftest.mjs` (or `npm test`).
// Starts the receiver, signs requests with the library and by hand, and
// checks the answers, the log lines, the plan and /stats.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Webhook } from "standardwebhooks";

// Known-answer vector from the Standard Webhooks spec, for Loupe's Rust side too.
{
  const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  const [id, ts, body] = ["msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, '{"test": 2432232314}'];
  const expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
  assert.equal(new Webhook(secret).sign(id, new Date(ts * 1000), body), expected);
  const key = Buffer.from(secret.slice("whsec_".length), "base64");
  assert.equal("v1," + createHmac("sha256", key).update(`${id}.${ts}.${body}`).digest("base64"), expected);
}

const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "loupe-webhooks-"));
const log = join(dir, "received.jsonl");
const plan = join(dir, "plan.json");
const secretA = "whsec_" + randomBytes(32).toString("base64");
const secretB = "whsec_" + randomBytes(24).toString("base64"); // the "new" secret in a rotation

const child = spawn(
  process.execPath,
  [join(here, "receiver.mjs"), "--port", "0", "--secret", secretA, "--secret", secretB, "--log", log, "--plan", plan],
  { stdio: ["ignore", "pipe", "inherit"] },
);

try {
  const port = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const m = /^LISTENING (\d+)\n/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on("exit", (code) => reject(new Error(`receiver exited (${code}) before listening`)));
  });
  const base = `http://127.0.0.1:${port}`;

  const logLines = () => readFileSync(log, "utf8").trim().split("\n").map((l) => JSON.parse(l));
  const lastLine = () => logLines().at(-1);
  const post = (path, id, ts, signature, body, signal) =>
    fetch(base + path, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "loupe-selftest",
        "webhook-id": id,
        "webhook-timestamp": String(ts),
        "webhook-signature": signature,
      },
      body,
      signal,
    });
  const now = () => Math.floor(Date.now() / 1000);

  // 1. Signed by the library: accepted, logged with body and headers.
  {
    const body = JSON.stringify({ type: "goal.reached", data: { site: "s1", n: 3 } });
    const ts = now();
    const sig = new Webhook(secretA).sign("msg_1", new Date(ts * 1000), body);
    const res = await post("/hooks/a", "msg_1", ts, sig, body);
    assert.equal(res.status, 204);
    const l = lastLine();
    assert.equal(l.verified, true);
    assert.equal(l.error, undefined);
    assert.equal(l.path, "/hooks/a");
    assert.equal(l.id, "msg_1");
    assert.equal(l.timestamp, String(ts));
    assert.equal(l.status, 204);
    assert.equal(l.attempt, 1);
    assert.deepEqual(l.body, JSON.parse(body));
    assert.equal(l.headers["user-agent"], "loupe-selftest");
    assert.equal(l.headers["content-type"], "application/json");
    assert.equal(l.headers["webhook-signature"], sig);
    assert.ok(Math.abs(l.received_at_ms - Date.now()) < 5000);
  }

  // 2. Signed by hand, the recipe Loupe implements:
  //    "v1," + base64(HMAC-SHA256(key = base64decode(secret minus "whsec_"), "{id}.{ts}.{body}"))
  //    Non-ASCII body, signed with the second secret (rotation).
  {
    const body = JSON.stringify({ page: "/café", note: "naïve ✓" });
    const ts = now();
    const key = Buffer.from(secretB.slice("whsec_".length), "base64");
    const mac = createHmac("sha256", key).update(`msg_2.${ts}.${body}`).digest("base64");
    assert.equal(`v1,${mac}`, new Webhook(secretB).sign("msg_2", new Date(ts * 1000), body));
    const res = await post("/", "msg_2", ts, `v1,${mac}`, body);
    assert.equal(res.status, 204);
    assert.equal(lastLine().verified, true);
    assert.deepEqual(lastLine().body, JSON.parse(body));

    // Several signatures in one header, space-separated: one good one suffices.
    const both = `v1,${Buffer.alloc(32).toString("base64")} v1,${mac}`;
    assert.equal((await post("/", "msg_2", ts, both, body)).status, 204);
  }

  // 3. Bad signature, stale timestamp, unknown secret, missing headers: 401.
  {
    const body = '{"x":1}';
    const ts = now();
    assert.equal((await post("/", "msg_3", ts, "v1,AAAA", body)).status, 401);
    let l = lastLine();
    assert.equal(l.verified, false);
    assert.equal(l.status, 401);
    assert.equal(l.error, "No matching signature found");

    const old = ts - 600; // tolerance is 5 minutes either way
    const sig = new Webhook(secretA).sign("msg_4", new Date(old * 1000), body);
    assert.equal((await post("/", "msg_4", old, sig, body)).status, 401);
    assert.equal(lastLine().error, "Message timestamp too old");

    const other = new Webhook("whsec_" + randomBytes(32).toString("base64")).sign("msg_5", new Date(ts * 1000), body);
    assert.equal((await post("/", "msg_5", ts, other, body)).status, 401);

    const res = await fetch(base + "/", { method: "POST", body });
    assert.equal(res.status, 401);
    l = lastLine();
    assert.equal(l.id, null);
    assert.equal(l.error, "Missing required headers");
  }

  // 4. A valid signature over a non-JSON body: verified, body logged raw.
  {
    const ts = now();
    const sig = new Webhook(secretA).sign("msg_6", new Date(ts * 1000), "not json");
    assert.equal((await post("/", "msg_6", ts, sig, "not json")).status, 204);
    assert.equal(lastLine().verified, true);
    assert.equal(lastLine().body, "not json");
  }

  // 5. fail_first: the first two attempts of each id get 503, then 204.
  {
    writeFileSync(plan, JSON.stringify({ fail_first: 2, status: 503 }));
    const body = '{"retry":true}';
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const ts = now();
      const sig = new Webhook(secretA).sign("msg_7", new Date(ts * 1000), body);
      statuses.push((await post("/", "msg_7", ts, sig, body)).status);
    }
    assert.deepEqual(statuses, [503, 503, 204]);
    assert.deepEqual(logLines().filter((l) => l.id === "msg_7").map((l) => [l.attempt, l.status]), [[1, 503], [2, 503], [3, 204]]);
  }

  // 6. hang_first: the first attempt waits past the client's timeout; it is
  //    logged at once anyway. The second is answered 204 promptly.
  {
    writeFileSync(plan, JSON.stringify({ hang_first: 1, delay_ms: 1500 }));
    const body = '{"slow":true}';
    const ts = now();
    const sig = new Webhook(secretA).sign("msg_8", new Date(ts * 1000), body);
    await assert.rejects(post("/", "msg_8", ts, sig, body, AbortSignal.timeout(300)), { name: "TimeoutError" });
    const l = lastLine();
    assert.deepEqual([l.id, l.attempt, l.status, l.delay_ms], ["msg_8", 1, 200, 1500]);
    const t0 = Date.now();
    assert.equal((await post("/", "msg_8", ts, sig, body)).status, 204);
    assert.ok(Date.now() - t0 < 1000);
  }

  // 7. /stats counts every POST.
  {
    const stats = await (await fetch(base + "/stats")).json();
    assert.equal(stats.requests, logLines().length);
    assert.equal(stats.verified, logLines().filter((l) => l.verified).length);
    assert.equal(stats.failed, 4);
    assert.equal(stats.by_id.msg_7, 3);
    assert.equal(stats.by_id.msg_2, 2);
  }

  console.log(`selftest: ok (${logLines().length} requests logged)`);
} finally {
  child.kill();
  rmSync(dir, { recursive: true, force: true });
}
