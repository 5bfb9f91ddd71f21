/**
 * The QA browser in real Chromium (playwright-core, Debian's chromium): load the
 * page, pick a question and two models, check answers, scores and votes against
 * the fixture files, check that HTML in an answer stays text, follow a
 * disagreement into the pairwise view, and save screenshots to `out/browse/`.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Page } from "npm:playwright-core@1.65.1";
import { serveBrowse } from "../../lib/browse/mod.ts";
import { REPO_ROOT } from "../_helpers.ts";
import { launchChromium } from "./_chromium.ts";
import { GPT4_VOTES, HUMAN_VOTES, TEXT, writeFixtureRoot } from "./_fixture.ts";

const SHOTS = join(REPO_ROOT, "out", "browse");

/** Waits until the page has rendered its current view. */
async function ready(page: Page): Promise<void> {
  await page.waitForSelector('body[data-ready="1"]', { timeout: 15_000 });
}

/** Expected vote chips of one group on one turn of q82 (model-x vs model-y), from the fixture. */
function expectedChips(group: "human" | "author" | "gpt4-pair", turn: number): string[] {
  const votes = group === "gpt4-pair" ? GPT4_VOTES : HUMAN_VOTES;
  const counts = new Map<string, number>();
  for (const vote of votes) {
    if (vote.question_id !== 82 || vote.turn !== turn) continue;
    if (group === "human" && !vote.judge.startsWith("expert")) continue;
    if (group === "author" && !vote.judge.startsWith("author")) continue;
    const winner = vote.winner === "model_a"
      ? vote.model_a
      : vote.winner === "model_b"
      ? vote.model_b
      : "tie";
    counts.set(winner, (counts.get(winner) ?? 0) + 1);
  }
  return [...counts].map(([winner, count]) => `${winner} ${count}`);
}

Deno.test({
  name: "QA browser in Chromium",
  // playwright-core keeps its pipe and timers alive between steps.
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    await Deno.mkdir(SHOTS, { recursive: true });
    const root = await writeFixtureRoot();
    const server = serveBrowse(root, { port: 0 });
    const browser = await launchChromium();
    const problems: string[] = [];
    try {
      const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
      const page = await context.newPage();
      page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
      page.on("console", (message) => {
        if (message.type() === "error") problems.push(`console: ${message.text()}`);
      });

      await t.step("loads the page and fills in a shareable default view", async () => {
        await page.goto(server.url);
        await ready(page);
        const params = new URL(page.url()).searchParams;
        assert.equal(params.get("bench"), "mt_bench");
        assert.equal(params.get("q"), "81");
        assert.deepEqual(
          await page.locator("#bench option").allTextContents(),
          ["broken", "mt_bench", "other"],
        );
        assert.equal(await page.locator(".qlist li").count(), 3);
        assert.match(await page.locator("#judgment-files").innerText(), /gpt-4_pair\.jsonl/);
      });

      await t.step("opens on a model pair that has judgments", async () => {
        const params = new URL(page.url()).searchParams;
        // On q81 model-x and model-y have a pair record, two single grades and votes; evil has none.
        assert.deepEqual([params.get("a"), params.get("b")], ["model-x", "model-y"]);
        await page.waitForSelector(".judgment");
        assert.ok(await page.locator(".judgment").count() >= 1);
      });

      await t.step("scrolls the question list in its own pane, not the page", async () => {
        const small = await context.newPage();
        await small.setViewportSize({ width: 1400, height: 180 });
        await small.goto(page.url());
        await ready(small);
        // Runs in the page (a string: the tests are type-checked without the DOM library).
        const scroll = () =>
          small.evaluate<Record<string, string | number | boolean>>(`(() => {
            const list = document.querySelector(".qlist");
            const root = document.documentElement;
            return {
              list: list.scrollHeight > list.clientHeight,
              listOverflow: getComputedStyle(list).overflowY,
              bodyOverflow: getComputedStyle(document.body).overflowY,
              sidebarOverflow: getComputedStyle(document.querySelector(".sidebar")).overflowY,
              page: root.scrollHeight - root.clientHeight,
              pageTop: root.scrollTop,
              listTop: list.scrollTop,
            };
          })()`);
        const before = await scroll();
        assert.equal(before.list, true, "the list is longer than its pane");
        assert.equal(before.listOverflow, "auto");
        assert.equal(before.bodyOverflow, "hidden");
        assert.equal(before.sidebarOverflow, "visible", "the sidebar itself has no scrollbar");
        assert.equal(before.page, 0, "the page is taller than the window");
        await small.mouse.move(100, 160);
        await small.mouse.wheel(0, 400);
        let after = await scroll();
        for (let tries = 0; tries < 50 && after.listTop === 0; tries++) {
          await small.waitForTimeout(50);
          after = await scroll();
        }
        assert.ok((after.listTop as number) > 0);
        assert.equal(after.pageTop, 0);
        await small.close();
      });

      await t.step("picks a question and two models", async () => {
        await page.click('.qlist a[data-question="82"]');
        await ready(page);
        await page.selectOption("#model-a", "model-x");
        await ready(page);
        await page.selectOption("#model-b", "model-y");
        await ready(page);
        const params = new URL(page.url()).searchParams;
        assert.deepEqual(
          [params.get("q"), params.get("a"), params.get("b")],
          ["82", "model-x", "model-y"],
        );
        assert.equal(
          await page.locator(".question-title").innerText(),
          "Question 82\nMATH\nmodel-x vs model-y",
        );
        assert.equal(await page.locator("#turn-1 .prompt .md").innerText(), "What is 2 + 2?");
        assert.equal(await page.locator("#turn-2 .prompt .md").innerText(), "And times 3?");
      });

      await t.step(
        "shows the answers of the files, as the humans saw them by default",
        async () => {
          const a1 = page.locator("#turn-1 .answer-a");
          assert.equal(await a1.locator("h4").innerText(), "model-x");
          assert.equal(await a1.locator(".source").innerText(), "as the human judges saw it");
          assert.equal(
            await a1.locator(".answer-text").innerText(),
            "Model X as the experts saw it.",
          );
          assert.equal(await a1.locator(".answer-text em").innerText(), "experts");
          assert.match(await a1.locator(".note").first().innerText(), /Differs from model_answer/);
          assert.equal(
            await page.locator("#turn-2 .answer-a .answer-text").innerText(),
            TEXT.xVoted2,
          );
          const b1 = page.locator("#turn-1 .answer-b");
          assert.equal(await b1.locator("h4").innerText(), "model-y");
          assert.equal(await b1.locator(".source").innerText(), "model_answer");
          assert.deepEqual(await b1.locator("ol > li").allInnerTexts(), [
            "first point",
            "second point",
          ]);
          assert.equal(await page.locator("#turn-2 .answer-b code").innerText(), "code");
          await page.click("#turn-1 details.reference summary");
          assert.equal(await page.locator("#turn-1 details.reference .md").innerText(), TEXT.ref1);

          await page.selectOption("#version", "file");
          await ready(page);
          assert.equal(
            await page.locator("#turn-1 .answer-a .answer-text").innerText(),
            "Model X answers plainly: the file version.",
          );
          assert.equal(await page.locator("#turn-1 .answer-a strong").innerText(), "plainly");
          await page.selectOption("#version", "earlier");
          await ready(page);
          assert.equal(
            await page.locator("#turn-1 .answer-a .answer-text").innerText(),
            TEXT.xEarlier1,
          );
          // model-y has no earlier file: its answer file is shown, with a note.
          assert.equal(await page.locator("#turn-1 .answer-b .source").innerText(), "model_answer");
          await page.selectOption("#version", "file");
          await ready(page);
        },
      );

      await t.step("shows the scores and winners of the judgment files", async () => {
        const score = (turn: number, model: string) =>
          page.locator(`#turn-${turn} .judgment.single[data-model="${model}"] .score`).innerText();
        assert.equal(await score(1, "model-x"), "Score 8");
        assert.equal(await score(1, "model-y"), "Score 3");
        assert.equal(await score(2, "model-x"), "Score 6");
        assert.equal(await score(2, "model-y"), "Score 6");
        const pair = page.locator("#turn-1 .judgment.pair");
        assert.equal(await pair.count(), 1);
        assert.equal(await pair.locator(".winner").innerText(), "Winner: model-x");
        assert.equal(await page.locator("#turn-2 .judgment.pair").count(), 0);
        const single = page.locator('#turn-1 .judgment.single[data-model="model-x"]');
        await single.locator("summary").click();
        assert.equal(await single.locator(".explanation").innerText(), TEXT.singleX1);
        await pair.locator("summary").click();
        assert.deepEqual(await pair.locator(".explanation").allInnerTexts(), [
          TEXT.pairG1,
          TEXT.pairG2,
        ]);
      });

      await t.step("shows the human and GPT-4 votes of the vote files", async () => {
        const chips = (turn: number, group: string) =>
          page.locator(`#turn-${turn} .vote-summary[data-group="${group}"] .chip`)
            .allInnerTexts();
        assert.deepEqual(await chips(1, "human"), expectedChips("human", 1));
        assert.deepEqual(await chips(1, "author"), expectedChips("author", 1));
        assert.deepEqual(await chips(1, "gpt4-pair"), expectedChips("gpt4-pair", 1));
        assert.deepEqual(await chips(2, "human"), expectedChips("human", 2));
        assert.deepEqual(await chips(2, "gpt4-pair"), expectedChips("gpt4-pair", 2));
        const count = HUMAN_VOTES.concat(GPT4_VOTES).filter((vote) =>
          vote.question_id === 82 && vote.turn === 1
        ).length;
        assert.equal(await page.locator("#turn-1 tr.vote").count(), count);
        await page.screenshot({ path: join(SHOTS, "screenshot.png"), fullPage: true });
      });

      await t.step("the URL carries the whole view", async () => {
        const shared = await context.newPage();
        await shared.goto(page.url());
        await ready(shared);
        assert.equal(await shared.inputValue("#model-a"), "model-x");
        assert.equal(await shared.inputValue("#model-b"), "model-y");
        assert.equal(await shared.inputValue("#version"), "file");
        assert.equal(
          await shared.locator("#turn-1 .answer-a .answer-text").innerText(),
          "Model X answers plainly: the file version.",
        );
        await shared.close();
        await page.goBack();
        await ready(page);
        assert.equal(await page.inputValue("#version"), "earlier");
      });

      await t.step("shows HTML and script in an answer as text", async () => {
        await page.goto(`${server.url}?bench=mt_bench&q=82&a=evil&b=model-y`);
        await ready(page);
        const answer = page.locator("#turn-1 .answer-a");
        assert.equal(await answer.locator(".answer-text").textContent(), TEXT.evil1);
        assert.ok(await page.getByText("<script>window.__pwned = 1</script>").isVisible());
        assert.ok(await page.getByText('onerror="window.__pwned = 2"').isVisible());
        assert.equal(await page.locator("#main img, #main script, #main b, #main i").count(), 0);
        assert.equal(
          await page.locator("#turn-2 .answer-a .answer-text").textContent(),
          TEXT.evil2,
        );
        await page.waitForTimeout(200); // time for an injected onerror to fire, were there one
        assert.equal(
          await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned),
          undefined,
        );
        await page.screenshot({ path: join(SHOTS, "untrusted-answer.png") });
      });

      await t.step("lists disagreements and links into the pairwise view", async () => {
        await page.click("#tab-disagree");
        await ready(page);
        assert.match(
          await page.locator("#disagreement-summary").innerText(),
          /gpt4-pair vs human: 3 keys .* agreement 2\/4 vote pairs \(50\.0%\); 2 keys with a disagreement/,
        );
        const rows = page.locator("tr.disagreement");
        assert.equal(await rows.count(), 2);
        assert.deepEqual(await rows.first().locator("td").allInnerTexts(), [
          "81",
          "writing",
          "1",
          "model-x vs voted-only",
          "model-x",
          "voted-only",
          "0/1",
        ]);
        await page.screenshot({ path: join(SHOTS, "disagreements.png") });
        await page.selectOption("#judge-2", "author");
        await ready(page);
        assert.equal(new URL(page.url()).searchParams.get("j2"), "author");
        await page.goBack();
        await ready(page);
        await rows.first().locator("td").nth(3).locator("a").click();
        await ready(page);
        const params = new URL(page.url()).searchParams;
        assert.deepEqual(
          [params.get("q"), params.get("a"), params.get("b")],
          ["81", "model-x", "voted-only"],
        );
        assert.equal(new URL(page.url()).hash, "#turn-1");
        assert.equal(
          await page.locator("#turn-1 .answer-b .answer-text").innerText(),
          TEXT.votedOnly1,
        );
      });

      await t.step("reports bad data with the file and line", async () => {
        await page.goto(`${server.url}?bench=broken`);
        await ready(page);
        const error = page.locator("#error");
        assert.ok(await error.isVisible());
        assert.match(await error.innerText(), /Bad data: .*line 2 of ".*broken\/question\.jsonl"/);
        await page.goto(`${server.url}?bench=other&q=81&a=good&b=bad`);
        await ready(page);
        assert.equal(await page.locator("#turn-1 .answer-a .answer-text").innerText(), "Good one");
        assert.match(
          await page.locator("#turn-1 .answer-b .warning").innerText(),
          /line 2 of ".*bad\.jsonl"/,
        );
        // The bad request's 422 is logged by Chromium as a failed resource; nothing else is.
        const unexpected = problems.filter((problem) => !/status of 422/.test(problem));
        assert.deepEqual(unexpected, []);
      });
    } finally {
      await browser.close();
      await server.shutdown();
    }
  },
});
