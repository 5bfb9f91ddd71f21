import assert from "node:assert/strict";
import { join } from "node:path";
import {
  HubError,
  type HubSettings,
  resolveHubModel,
  VariantChoiceError,
} from "../../lib/hub/mod.ts";
import { type MockHub, sha256Hex, startMockHub } from "../_mock_hub.ts";
import { COMMIT, CPU_VARIANT, CUDA_VARIANT, pytorchRepo, variantRepo } from "./_hub_fixture.ts";
import { tempDir } from "../_temp.ts";

const TOKEN = "hf_secretTOKEN1234567890";

async function withHub(
  options: Parameters<typeof startMockHub>[0],
  body: (hub: MockHub, settings: HubSettings) => Promise<void>,
  settingsExtra: Partial<HubSettings> = {},
): Promise<void> {
  const hub = await startMockHub(options);
  const cacheDir = await tempDir({ prefix: "llm-judge-hf-cache-" });
  try {
    await body(hub, {
      endpoint: hub.endpoint,
      token: undefined,
      offline: false,
      cacheDir,
      ...settingsExtra,
    });
  } finally {
    await hub.close();
  }
}

Deno.test("resolveHubModel()", async (t) => {
  const repo = await variantRepo();
  const repoDir = (settings: HubSettings) => join(settings.cacheDir, "models--org--tiny");

  await t.step(
    "downloads only the chosen variant into huggingface_hub's cache layout",
    async () => {
      await withHub({ repos: { "org/tiny": repo } }, async (hub, settings) => {
        const model = await resolveHubModel("org/tiny", { settings, ep: "cpu" });
        assert.equal(model.commit, COMMIT);
        assert.equal(model.variant, CPU_VARIANT);
        assert.equal(model.fromCache, false);
        assert.equal(
          model.dir,
          join(repoDir(settings), "snapshots", COMMIT, ...CPU_VARIANT.split("/")),
        );
        assert.deepEqual(model.downloaded.map((file) => file.slice(CPU_VARIANT.length + 1)), [
          "model.onnx.data",
          "model.onnx",
          "tokenizer.json",
          "tokenizer_config.json",
          "genai_config.json",
        ]);
        assert.equal(await Deno.readTextFile(join(repoDir(settings), "refs", "main")), COMMIT);
        // Snapshot files are relative links to blobs/<etag>; LFS etags are sha256.
        const link = await Deno.readLink(join(model.dir, "model.onnx"));
        const onnx = `${CPU_VARIANT}/model.onnx`;
        assert.equal(link, `../../../../blobs/${sha256Hex(repo.files[onnx]!)}`);
        // External data is a hard link to its blob (ONNX Runtime refuses paths outside the folder).
        const data = `${CPU_VARIANT}/model.onnx.data`;
        const dataBlob = join(repoDir(settings), "blobs", sha256Hex(repo.files[data]!));
        assert.equal((await Deno.lstat(join(model.dir, "model.onnx.data"))).isSymlink, false);
        assert.equal(
          (await Deno.stat(join(model.dir, "model.onnx.data"))).ino,
          (await Deno.stat(dataBlob)).ino,
        );
        const blobs = [...Deno.readDirSync(join(repoDir(settings), "blobs"))].map((e) => e.name);
        assert.equal(blobs.length, 5);
        assert.ok(!blobs.some((name) => name.endsWith(".incomplete")));
        // Nothing of the CUDA variant or the README was asked for.
        assert.ok(
          !hub.requests.some((request) =>
            request.path.includes("cuda") || request.path.includes("README")
          ),
        );
        assert.ok(hub.requests.some((request) => request.path.startsWith("/cdn/")));
      });
    },
  );

  await t.step("a complete cache hit makes no request at all, by ref or by commit", async () => {
    await withHub({ repos: { "org/tiny": repo } }, async (hub, settings) => {
      await resolveHubModel("org/tiny", { settings, ep: "cpu" });
      const before = hub.requests.length;
      const again = await resolveHubModel("org/tiny", { settings, ep: "cpu" });
      const byCommit = await resolveHubModel("org/tiny", { settings, ep: "cpu", revision: COMMIT });
      assert.equal(hub.requests.length - before, 0);
      assert.equal(again.fromCache, true);
      assert.equal(byCommit.dir, again.dir);
    });
  });

  await t.step(
    "--ep cuda takes the cuda variant; --variant forces one; a bad one is a usage error",
    async () => {
      await withHub({ repos: { "org/tiny": repo } }, async (_hub, settings) => {
        const notices: string[] = [];
        const cuda = await resolveHubModel("org/tiny", {
          settings,
          ep: "cuda",
          onNotice: (n) => notices.push(n),
        });
        assert.equal(cuda.variant, CUDA_VARIANT);
        assert.match(notices.join("\n"), /variant cuda\/cuda-fp16 \(cuda, fp16\) of 2/);
        const forced = await resolveHubModel("org/tiny", {
          settings,
          ep: "cuda",
          variant: CPU_VARIANT,
        });
        assert.equal(forced.variant, CPU_VARIANT);
        await assert.rejects(
          resolveHubModel("org/tiny", { settings, variant: "nope" }),
          (error: Error) =>
            error instanceof VariantChoiceError && error.message.includes(CPU_VARIANT) &&
            error.message.includes(CUDA_VARIANT),
        );
      });
    },
  );

  await t.step("HF_HUB_OFFLINE never touches the network and names what is missing", async () => {
    await withHub({ repos: { "org/tiny": repo } }, async (hub, settings) => {
      const offline = { ...settings, offline: true };
      await assert.rejects(resolveHubModel("org/tiny", { settings: offline }), (error: Error) => {
        assert.ok(error instanceof HubError);
        assert.equal(error.kind, "offline");
        assert.deepEqual(error.missing, ["refs/main"]);
        return true;
      });
      await resolveHubModel("org/tiny", { settings, ep: "cpu" });
      await Deno.remove(
        join(repoDir(settings), "snapshots", COMMIT, ...CPU_VARIANT.split("/"), "model.onnx"),
      );
      const count = hub.requests.length;
      await assert.rejects(
        resolveHubModel("org/tiny", { settings: offline, ep: "cpu" }),
        (error: Error) => {
          assert.ok(error instanceof HubError);
          assert.equal(error.kind, "offline");
          assert.deepEqual(error.missing, [`${CPU_VARIANT}/model.onnx`]);
          assert.match(error.message, /HF_HUB_OFFLINE/);
          return true;
        },
      );
      assert.equal(hub.requests.length, count);
      // Online again, the missing file's blob is still there: linked, not downloaded.
      const fixed = await resolveHubModel("org/tiny", { settings, ep: "cpu" });
      assert.deepEqual(fixed.downloaded, []);
      assert.equal(hub.requests.filter((r) => r.path.startsWith("/cdn/")).length, 2);
    });
  });

  await t.step("a gated repo needs HF_TOKEN, which no message holds", async () => {
    const gated = { ...repo, gated: true };
    await withHub({ repos: { "org/tiny": gated }, token: TOKEN }, async (_hub, settings) => {
      await assert.rejects(resolveHubModel("org/tiny", { settings }), (error: Error) => {
        assert.ok(error instanceof HubError);
        assert.equal(error.kind, "auth");
        assert.equal(error.status, 401);
        assert.match(error.message, /HF_TOKEN/);
        assert.match(error.message, /licence/);
        return true;
      });
      await assert.rejects(
        resolveHubModel("org/tiny", { settings: { ...settings, token: `${TOKEN}x` } }),
        (error: Error) => error instanceof HubError && !error.message.includes(TOKEN),
      );
      const model = await resolveHubModel("org/tiny", { settings: { ...settings, token: TOKEN } });
      assert.equal(model.downloaded.length, 5);
    });
  });

  await t.step("404: repo or revision not found", async () => {
    await withHub({ repos: { "org/tiny": repo } }, async (_hub, settings) => {
      await assert.rejects(
        resolveHubModel("org/missing", { settings }),
        (error: Error) =>
          error instanceof HubError && error.kind === "not-found" && error.status === 404 &&
          /org\/missing/.test(error.message),
      );
      await assert.rejects(
        resolveHubModel("org/tiny", { settings, revision: "v9" }),
        (error: Error) =>
          error instanceof HubError && error.kind === "not-found" &&
          /Revision "v9" of org\/tiny not found/.test(error.message),
      );
    });
  });

  await t.step("a connection dropped mid-file is resumed with Range", async () => {
    const data = `${CPU_VARIANT}/model.onnx.data`;
    await withHub(
      { repos: { "org/tiny": repo }, dropMidFile: { [data]: 1 } },
      async (hub, settings) => {
        const model = await resolveHubModel("org/tiny", { settings, ep: "cpu", retryDelayMs: 1 });
        const bytes = await Deno.readFile(join(model.dir, "model.onnx.data"));
        assert.equal(sha256Hex(bytes), sha256Hex(repo.files[data]!));
        const ranged = hub.requests.filter((request) => request.range !== undefined);
        assert.equal(ranged.length, 1);
        assert.match(ranged[0]!.range!, /^bytes=\d+-$/);
        assert.ok(Number(ranged[0]!.range!.slice(6, -1)) > 0);
      },
    );
  });

  await t.step("a corrupt file is deleted, with expected and actual sha256", async () => {
    const data = `${CPU_VARIANT}/model.onnx.data`;
    await withHub({ repos: { "org/tiny": repo }, corrupt: [data] }, async (_hub, settings) => {
      const expected = sha256Hex(repo.files[data]!);
      await assert.rejects(
        resolveHubModel("org/tiny", { settings, ep: "cpu", retryDelayMs: 1 }),
        (error: Error) => {
          assert.ok(error instanceof HubError);
          assert.equal(error.kind, "checksum");
          assert.match(error.message, new RegExp(`expected sha256 ${expected}, got [0-9a-f]{64}`));
          return true;
        },
      );
      const blobs = [...Deno.readDirSync(join(repoDir(settings), "blobs"))].map((e) => e.name);
      assert.deepEqual(blobs, []);
      assert.ok(!(await exists(join(repoDir(settings), "snapshots", COMMIT))));
    });
  });

  await t.step(
    "a repo without ONNX files names <repo>-onnx when it exists, else the export commands",
    async () => {
      await withHub({
        repos: { "org/plain": pytorchRepo(), "org/other": pytorchRepo(), "org/plain-onnx": repo },
      }, async (_hub, settings) => {
        await assert.rejects(
          resolveHubModel("org/plain", { settings }),
          (error: Error) =>
            error instanceof HubError && error.kind === "no-onnx" &&
            /use --model-path org\/plain-onnx/.test(error.message),
        );
        await assert.rejects(resolveHubModel("org/other", { settings }), (error: Error) => {
          assert.ok(error instanceof HubError && error.kind === "no-onnx");
          assert.match(
            error.message,
            /optimum-cli export onnx --model org\/other --task text-generation-with-past DIR/,
          );
          assert.match(
            error.message,
            /python -m onnxruntime_genai\.models\.builder -m org\/other -o DIR -p int4 -e cpu/,
          );
          return true;
        });
      });
    },
  );

  await t.step("an unreachable Hub is a network error that suggests HF_HUB_OFFLINE", async () => {
    const cacheDir = await tempDir();
    const settings = { endpoint: "http://127.0.0.1:9", token: TOKEN, offline: false, cacheDir };
    await assert.rejects(
      resolveHubModel("org/tiny", { settings }),
      (error: Error) =>
        error instanceof HubError && error.kind === "network" &&
        /HF_HUB_OFFLINE=1/.test(error.message) &&
        !error.message.includes(TOKEN),
    );
  });
});

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}
