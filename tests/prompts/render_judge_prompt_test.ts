import assert from "node:assert/strict";
import { renderJudgePrompt } from "../../lib/prompts/mod.ts";
import {
  checkMatchInputs,
  makeJudges,
  makeMatches,
  type Match,
  renderMatch,
} from "../../lib/judge/mod.ts";
import type { JudgePrompt } from "../../lib/data/types.ts";
import { loadBench, loadSampleSets } from "../judge/_samples.ts";
import { onSharedData } from "../_helpers.ts";

function prompt(fields: Partial<JudgePrompt>): JudgePrompt {
  return {
    name: "p",
    type: "single",
    system_prompt: "sys",
    prompt_template: "{question}|{answer}",
    description: "",
    category: "general",
    output_format: "[[rating]]",
    ...fields,
  };
}

function matchKey(parts: unknown[]): string {
  return JSON.stringify(parts);
}

Deno.test(
  "renderJudgePrompt() reproduces FastChat's prompts of the real samples",
  onSharedData,
  async (t) => {
    const bench = await loadBench();
    const sets = await loadSampleSets();
    const single = makeJudges("gpt-4", bench.prompts, "single");
    const pairwise = makeJudges("gpt-4", bench.prompts, "pairwise");
    let singleChecked = 0;
    let pairPromptsChecked = 0;
    for (const set of sets) {
      await t.step(`${set.name}: every user_prompt is byte-identical`, () => {
        const models = [...set.answers.keys()];
        // FastChat takes pairs in --model-list order; recover it from the records.
        const pairModels = [
          ...new Set(set.records.flatMap((record) => [record.value.model_1, record.value.model_2])),
        ].filter((model): model is string => typeof model === "string");
        const inputs = (judges: typeof single, list = models) => ({
          questions: bench.questions,
          models: list,
          answers: set.answers,
          judges,
          references: bench.references,
        });
        assert.deepEqual(checkMatchInputs(inputs(single)), []);
        const index = new Map<string, Match>();
        for (const match of makeMatches(inputs(single))) {
          if (match.kind !== "single") continue;
          const turn = match.multiTurn ? 2 : 1;
          index.set(
            matchKey([match.question.question_id, match.model, turn, match.judge.prompt.name]),
            match,
          );
        }
        for (const match of makeMatches(inputs(pairwise, pairModels), { mode: "pairwise-all" })) {
          if (match.kind !== "pair") continue;
          const turn = match.multiTurn ? 2 : 1;
          index.set(
            matchKey([
              match.question.question_id,
              match.model1,
              match.model2,
              turn,
              match.judge.prompt.name,
            ]),
            match,
          );
        }
        for (const record of set.records) {
          const value = record.value;
          const judge = value.judge as [string, string];
          const where = `${record.file}:${record.line}`;
          if ("g1_winner" in value) {
            const match = index.get(
              matchKey([value.question_id, value.model_1, value.model_2, value.turn, judge[1]]),
            );
            assert.ok(match, `no pairwise-all match for ${where}`);
            const [g1, g2] = renderMatch(match);
            assert.equal(g1!.user, value.g1_user_prompt, `g1_user_prompt of ${where}`);
            assert.equal(g2!.user, value.g2_user_prompt, `g2_user_prompt of ${where}`);
            assert.equal(g1!.system, bench.prompts.get(judge[1])!.system_prompt);
            pairPromptsChecked += 2;
          } else {
            const match = index.get(
              matchKey([value.question_id, value.model, value.turn, judge[1]]),
            );
            assert.ok(match, `no single match for ${where}`);
            const [game] = renderMatch(match);
            assert.equal(game!.user, value.user_prompt, `user_prompt of ${where}`);
            singleChecked++;
          }
        }
      });
    }
    await t.step(
      "checked 970 single and 150 pair prompts (75 records; the README says 310)",
      () => {
        assert.equal(singleChecked, 970);
        assert.equal(pairPromptsChecked, 150);
      },
    );
  },
);

Deno.test("renderJudgePrompt()", async (t) => {
  await t.step(
    "sends system_prompt as the system message and the template as the user message",
    () => {
      const rendered = renderJudgePrompt(prompt({}), { questionTurns: ["Q"], answers: [["A"]] });
      assert.deepEqual(rendered.messages, [
        { role: "system", content: "sys" },
        { role: "user", content: "Q|A" },
      ]);
    },
  );

  await t.step("leaves out an empty system prompt, as FastChat's to_openai_api_messages", () => {
    const rendered = renderJudgePrompt(prompt({ system_prompt: "" }), {
      questionTurns: ["Q"],
      answers: [["A"]],
    });
    assert.deepEqual(rendered.messages, [{ role: "user", content: "Q|A" }]);
  });

  await t.step("keeps braces of answers and turns {{ }} into literal braces", () => {
    const rendered = renderJudgePrompt(prompt({ prompt_template: "{{x}} {question} {answer}" }), {
      questionTurns: ["{q}"],
      answers: [["}a{"]],
    });
    assert.equal(rendered.user, "{x} {q} }a{");
  });

  await t.step("fills multi-turn, reference and pairwise fields", () => {
    const rendered = renderJudgePrompt(
      prompt({
        type: "pairwise",
        prompt_template:
          "{question_1}{question_2}{ref_answer_1}{ref_answer_2}{answer_a_1}{answer_a_2}{answer_b_1}{answer_b_2}",
      }),
      {
        questionTurns: ["q1", "q2"],
        answers: [["a1", "a2"], ["b1", "b2"]],
        referenceTurns: ["r1", "r2"],
        multiTurn: true,
      },
    );
    assert.equal(rendered.user, "q1q2r1r2a1a2b1b2");
  });

  await t.step("does not offer ref_answer_2 to a first-turn prompt", () => {
    assert.throws(
      () =>
        renderJudgePrompt(prompt({ prompt_template: "{ref_answer_2}" }), {
          questionTurns: ["q"],
          answers: [["a"]],
          referenceTurns: ["r1", "r2"],
        }),
      /no value for field "\{ref_answer_2\}"/,
    );
  });

  await t.step("fills {lang} and {lang1} of multilingual prompts, system prompt included", () => {
    const rendered = renderJudgePrompt(
      prompt({
        system_prompt: "In {lang}; answers in {lang1}.",
        prompt_template: "{question} ({lang})",
      }),
      { questionTurns: ["Frage"], answers: [["Antwort"]], lang: "German" },
    );
    assert.equal(rendered.system, "In German; answers in German.");
    assert.equal(rendered.user, "Frage (German)");
  });

  await t.step("does not format a system prompt that names no language", () => {
    const rendered = renderJudgePrompt(prompt({ system_prompt: "Use {{braces}}." }), {
      questionTurns: ["q"],
      answers: [["a"]],
      lang: "German",
    });
    assert.equal(rendered.system, "Use {{braces}}.");
  });

  await t.step("throws when a multilingual prompt meets a question without lang", () => {
    assert.throws(
      () =>
        renderJudgePrompt(prompt({ prompt_template: "{lang}" }), {
          questionTurns: ["q"],
          answers: [["a"]],
        }),
      /declares no "lang"/,
    );
  });

  await t.step("throws for a missing second turn and a wrong number of answers", () => {
    assert.throws(
      () =>
        renderJudgePrompt(prompt({}), { questionTurns: ["q"], answers: [["a"]], multiTurn: true }),
      /question has 1 turn\(s\), 2 needed/,
    );
    assert.throws(
      () => renderJudgePrompt(prompt({}), { questionTurns: ["q"], answers: [["a"], ["b"]] }),
      /takes 1 answer\(s\), got 2/,
    );
  });
});
