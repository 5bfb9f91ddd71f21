import assert from "node:assert/strict";
import { writeFileAtomic } from "../../lib/data/write_file_atomic.ts";
import { tempDir } from "../_temp.ts";

Deno.test("writeFileAtomic()", async (t) => {
  await t.step("creates the folder and replaces the file whole", async () => {
    const dir = await tempDir();
    const path = `${dir}/charts/radar.png`;
    await writeFileAtomic(path, new Uint8Array([1, 2, 3]));
    await writeFileAtomic(path, new Uint8Array([4, 5]));
    assert.deepEqual([...await Deno.readFile(path)], [4, 5]);
    const left = [...Deno.readDirSync(`${dir}/charts`)].map((entry) => entry.name);
    assert.deepEqual(left, ["radar.png"]);
  });

  await t.step("gives the file the permissions of a new file, not 0600", async () => {
    if (Deno.build.os === "windows") return;
    const dir = await tempDir();
    const path = `${dir}/chart.svg`;
    const umask = Deno.umask();
    await writeFileAtomic(path, new Uint8Array([1]));
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o666 & ~umask);
  });

  await t.step("leaves no temporary file when the rename fails", async () => {
    const dir = await tempDir();
    await Deno.mkdir(`${dir}/target`);
    await assert.rejects(() => writeFileAtomic(`${dir}/target`, new Uint8Array([1])));
    const left = [...Deno.readDirSync(dir)].map((entry) => entry.name);
    assert.deepEqual(left, ["target"]);
  });
});
