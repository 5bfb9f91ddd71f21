import assert from "node:assert/strict";
import { parseVerdict, TIE_DELTA } from "../../lib/judge/mod.ts";
import { loadBench, loadSampleSets } from "./_samples.ts";
import { onSharedData } from "../_helpers.ts";

Deno.test("parseVerdict() re-derives every sample record's verdict", onSharedData, async (t) => {
  const bench = await loadBench();
  const sets = await loadSampleSets();
  for (const set of sets) {
    await t.step(`${set.name}: scores and winners match, int vs float too`, () => {
      for (const { value, text, file, line } of set.records) {
        const where = `${file}:${line}`;
        const format = bench.prompts.get((value.judge as string[])[1]!)!.output_format;
        if ("g1_winner" in value) {
          for (
            const [game, map] of [["g1", { A: "model_1", B: "model_2" }], [
              "g2",
              { A: "model_2", B: "model_1" },
            ]] as const
          ) {
            const verdict = parseVerdict(String(value[`${game}_judgment`]), format);
            const winner = verdict.kind === "winner"
              ? (verdict.winner === "tie" ? "tie" : map[verdict.winner])
              : "error";
            assert.equal(winner, value[`${game}_winner`], `${game}_winner of ${where}`);
          }
        } else {
          const verdict = parseVerdict(String(value.judgment), format);
          const literal = /"score": (-?[0-9.]+)/.exec(text)![1]!;
          if (verdict.kind === "rating") {
            assert.equal(verdict.literal, literal, `score literal of ${where}`);
            assert.equal(verdict.score, value.score);
          } else {
            assert.equal(literal, "-1", `score of ${where}`);
          }
        }
      }
    });
  }
});

Deno.test("parseVerdict()", async (t) => {
  await t.step("reads [[x]] before [x], and keeps ints and floats apart", () => {
    assert.deepEqual(parseVerdict("[5] then Rating: [[8]]", "[[rating]]"), {
      kind: "rating",
      score: 8,
      literal: "8",
    });
    assert.deepEqual(parseVerdict("Rating: [8.0]", "[[rating]]"), {
      kind: "rating",
      score: 8,
      literal: "8.0",
    });
    assert.deepEqual(parseVerdict("[[7.]]", "[[rating]]"), {
      kind: "rating",
      score: 7,
      literal: "7.0",
    });
  });

  await t.step("returns an error for a missing rating and an int with leading zeros", () => {
    assert.equal(parseVerdict("no score here", "[[rating]]").kind, "error");
    const zero = parseVerdict("[[08]]", "[[rating]]");
    assert.equal(zero.kind, "error");
    // Python reads "00" as 0, which is off the 1–10 scale: an error, not a score of 0.
    assert.deepEqual(parseVerdict("[[00]]", "[[rating]]"), {
      kind: "error",
      error: "the rating 00 is outside the 1–10 scale",
    });
  });

  await t.step("returns an error for a rating off the 1–10 scale", () => {
    for (const text of ["[[724]]", "[[0]]", "[[10.5]]", "[[-3]]"]) {
      assert.equal(parseVerdict(text, "[[rating]]").kind, "error", text);
    }
    assert.equal(parseVerdict("[[10]]", "[[rating]]").kind, "rating");
    assert.equal(parseVerdict("[[1.0]]", "[[rating]]").kind, "rating");
  });

  await t.step("returns A before B before tie for [[A]]/[[B]]/[[C]]", () => {
    assert.deepEqual(parseVerdict("[[B]] ... [[A]]", "[[A]]"), { kind: "winner", winner: "A" });
    assert.deepEqual(parseVerdict("[[C]] [[B]]", "[[A]]"), { kind: "winner", winner: "B" });
    assert.deepEqual(parseVerdict("[[C]]", "[[A]]"), { kind: "winner", winner: "tie" });
    assert.equal(parseVerdict("[A]", "[[A]]").kind, "error");
  });

  await t.step("returns tie for [[a,b]] within TIE_DELTA", () => {
    assert.equal(TIE_DELTA, 0.1);
    assert.deepEqual(parseVerdict("[[8.1, 8]]", "[[rating_a,rating_b]]"), {
      kind: "winner",
      winner: "tie",
    });
    assert.deepEqual(parseVerdict("[[9,7]]", "[[rating_a,rating_b]]"), {
      kind: "winner",
      winner: "A",
    });
    assert.deepEqual(parseVerdict("scores [3, 6]", "[[rating_a,rating_b]]"), {
      kind: "winner",
      winner: "B",
    });
  });

  await t.step("ignores verdicts inside <think> blocks", () => {
    assert.deepEqual(parseVerdict("<think>maybe [[2]]</think>Final: [[9]]", "[[rating]]"), {
      kind: "rating",
      score: 9,
      literal: "9",
    });
    assert.deepEqual(parseVerdict("reasoning [[B]]</think> Verdict: [[A]]", "[[A]]"), {
      kind: "winner",
      winner: "A",
    });
  });

  await t.step("returns an explicit error for an unclosed <think>", () => {
    const verdict = parseVerdict("<think>[[A]] is tempting", "[[A]]");
    assert.equal(verdict.kind, "error");
    assert.match((verdict as { error: string }).error, /unclosed <think>/);
  });

  await t.step("throws for an unknown output format", () => {
    assert.throws(
      () => parseVerdict("[[1]]", "[[score]]"),
      /unknown output format "\[\[score\]\]"/,
    );
  });
});
