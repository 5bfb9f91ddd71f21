import assert from "node:assert/strict";
import { DEBIAN_CHROMIUM, type Findings, planPrerequisites } from "./_prerequisites.ts";

const ALL: Findings = {
  jupyter: true,
  chromiumPath: DEBIAN_CHROMIUM,
  chromium: true,
  root: true,
  aptGet: true,
};

Deno.test("planPrerequisites()", async (t) => {
  await t.step("is ready when Jupyter and Chromium are there", () => {
    assert.deepEqual(planPrerequisites(ALL), { kind: "ready" });
  });

  await t.step("installs both with one apt-get update as root on Debian", () => {
    const plan = planPrerequisites({ ...ALL, jupyter: false, chromium: false });
    assert.equal(plan.kind, "install");
    assert.ok(plan.kind === "install");
    assert.deepEqual(plan.packages, [
      "jupyter-nbconvert",
      "jupyter-client",
      "python3-ipykernel",
      "chromium",
    ]);
    assert.equal(plan.message.match(/apt-get update/g)?.length, 1);
  });

  await t.step("stops with the command to run when not root or without apt-get", () => {
    for (const found of [{ ...ALL, root: false }, { ...ALL, aptGet: false }]) {
      const plan = planPrerequisites({ ...found, chromium: false });
      assert.equal(plan.kind, "stop");
      assert.match(
        plan.kind === "stop" ? plan.message : "",
        /^Missing test prerequisites: Chromium \(\/usr\/bin\/chromium.*apt-get install -y chromium$/,
      );
    }
  });

  await t.step("does not install over a custom LLM_JUDGE_CHROMIUM that is missing", () => {
    const plan = planPrerequisites({ ...ALL, chromiumPath: "/nowhere/chrome", chromium: false });
    assert.equal(plan.kind, "stop");
    assert.match(
      plan.kind === "stop" ? plan.message : "",
      /\/nowhere\/chrome.*LLM_JUDGE_CHROMIUM names/,
    );
  });
});
