import assert from "node:assert/strict";
import { serveBrowse } from "../../lib/browse/mod.ts";
import { writeFixtureRoot } from "./_fixture.ts";

Deno.test("serveBrowse() serves over loopback", async (t) => {
  const root = await writeFixtureRoot();
  const server = serveBrowse(root, { port: 0 });
  try {
    await t.step("binds 127.0.0.1 on the port asked for", () => {
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    });

    await t.step("answers the API", async () => {
      const response = await fetch(
        `${server.url}api/question?bench=mt_bench&question=82&model=model-y`,
      );
      assert.equal(response.status, 200);
      const view = await response.json();
      assert.equal(view.answers[0].model, "model-y");
    });

    await t.step("refuses a foreign Host header (DNS rebinding)", async () => {
      const port = new URL(server.url).port;
      const conn = await Deno.connect({ hostname: "127.0.0.1", port: Number(port) });
      await conn.write(
        new TextEncoder().encode(
          "GET /api/benches HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n",
        ),
      );
      const chunks: Uint8Array[] = [];
      const buffer = new Uint8Array(4096);
      for (let read = await conn.read(buffer); read !== null; read = await conn.read(buffer)) {
        chunks.push(buffer.slice(0, read));
      }
      conn.close();
      const text = new TextDecoder().decode(
        new Uint8Array(chunks.flatMap((chunk) => [...chunk])),
      );
      assert.match(text, /^HTTP\/1\.1 403/);
    });

    await t.step("localhost is accepted", async () => {
      const url = server.url.replace("127.0.0.1", "localhost");
      const response = await fetch(`${url}api/benches`).catch(() => undefined);
      // localhost may resolve to ::1 first where IPv6 is on; only check when it connects.
      if (response !== undefined) {
        assert.equal(response.status, 200);
        await response.body?.cancel();
      }
    });
  } finally {
    await server.shutdown();
  }
});
