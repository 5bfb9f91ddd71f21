/** The groups of upstream files `fetch-data` knows; `--only` picks among them. */
export const UPSTREAM_GROUPS = ["fastchat", "answers", "judgments", "human", "de"] as const;

/** One of {@linkcode UPSTREAM_GROUPS}. */
export type UpstreamGroup = typeof UPSTREAM_GROUPS[number];

/** One file to download into the data root. */
export interface UpstreamFile {
  /** Path under the data root, in FastChat's `fastchat/llm_judge/data/` layout, with `/` separators. */
  path: string;
  /** Where the file is published upstream. */
  url: string;
  /** Pinned sha256 (lowercase hex) of the file; absent when no checksum is known yet. */
  sha256?: string;
  /** Which group the file belongs to. */
  group: UpstreamGroup;
}

/** FastChat commit that `judge_prompts.jsonl`, the questions and the references are pinned to. */
export const FASTCHAT_COMMIT = "0e6d3e4beaab66f4d3f93db72541a4abab8af28d";
/** ServiceNow/FastChat commit of the German MT-Bench files. */
export const SERVICENOW_FASTCHAT_COMMIT = "f172f029820c3fb84d371d4dab55b0d5f61e3de9";

const FASTCHAT_DATA =
  `https://raw.githubusercontent.com/lm-sys/FastChat/${FASTCHAT_COMMIT}/fastchat/llm_judge/data`;
const SERVICENOW_DATA =
  `https://raw.githubusercontent.com/ServiceNow/FastChat/${SERVICENOW_FASTCHAT_COMMIT}/fastchat/llm_judge/data`;
const MT_BENCH_SPACE = "https://huggingface.co/spaces/lmsys/mt-bench/resolve/main";
const HUMAN_JUDGMENTS_PARQUET =
  "https://huggingface.co/datasets/lmsys/mt_bench_human_judgments/resolve/refs%2Fconvert%2Fparquet/default";

/**
 * The 31 pre-generated MT-Bench answers of the lmsys/mt-bench space (the list in
 * FastChat's `download_mt_bench_pregenerated.py`), with their sha256.
 */
const PREGENERATED_ANSWERS: ReadonlyArray<readonly [model: string, sha256: string]> = [
  ["alpaca-13b", "80f4a8bf4665839d33fa0ea7f4b58824abf88d5a0edc9e7cc68a362fca88ef98"],
  ["baize-v2-13b", "062eb0b865a8b903e0d434a59ed8a7b58c74fcf57de154858f9ca00788758e4e"],
  ["chatglm-6b", "2785d99500d910bf0154f64947743e12c9cf20fdba6c160c314c099e0d03dfb9"],
  ["claude-instant-v1", "e06bbf0f8c02cc56cf0508312627b8e552df1e4e5c061a9dc236f73c0d053bac"],
  ["claude-v1", "4a6c9796576d6b879259907d3bc324f6c06cf281582c3a99678fe3728bfca93b"],
  ["dolly-v2-12b", "5b1fd3f5c56bdeab746576067412c503ee5030e89456870219fed04fd1040056"],
  ["falcon-40b-instruct", "efcabc647b32a600d845b6bc85573facf70ef566b6c4d1ad2cecfb46c897a2ea"],
  ["fastchat-t5-3b", "4e65d40093631aa0c55703f0df528ac6d4225097e42d8694f49b11d2b89e889b"],
  ["gpt-3.5-turbo", "c3c097c21f91e4b44a554d82e5d47516daf7e8240e13b2eca79d211afc1fdfd6"],
  ["gpt-4", "49c071285f7f41a0354e85ca77ff5f23024265dd55797bd9a12a7ca3a21fa157"],
  ["gpt4all-13b-snoozy", "d6a341c37224e166bd65c44df6c189f42e756221ad3975164934f336d1bd1bec"],
  ["guanaco-33b", "5f8856d1e57c56a474e2dcd487684ff99f02cff8905ef8a2e1b6601f9d5819e9"],
  ["guanaco-65b", "5b3123555399be437eba9fe49c2f6f09c9ac6a497f3dee96299f4565036ed2b4"],
  [
    "h2ogpt-oasst-open-llama-13b",
    "0cf8c355a944f791b708f834d139c87e7f4cd97a0e7e12d03e5d64b235e96204",
  ],
  ["koala-13b", "f1dacd010bec3e87ec6f1160c285bfe42f1acbaa9947a4debe5360778ff1b5aa"],
  ["llama-13b", "b96b9f1e0a7e4e669fecfecda1c33908fdc4c095e38346e84352ea254c0b2cbc"],
  ["mpt-30b-chat", "2adb32470a79ca17060d14c6fb88ea1b9b4bc10d4589778715fe88c96cfe2aa8"],
  ["mpt-30b-instruct", "df81b38aa8b7f7d6c5f214e72ee568284f5c6bb7da74a8cb45662b7a067f5415"],
  ["mpt-7b-chat", "7171e42d926a99ea1d7fd804fb19ee367d00c6be81f38bb450bd90cd0df4a772"],
  ["nous-hermes-13b", "d953f206fd86f600af32668c6b6c6785006497df8aa745d96aef2fdca5b31310"],
  ["oasst-sft-4-pythia-12b", "5b22cc8495a15bbe69361bbf30782f3b2f69361321989667a8abb9fb3e73ce9e"],
  ["oasst-sft-7-llama-30b", "6ec66e7839da733be995feb6a5d42df315d2eda3a85bc27cad6bba429841e1d0"],
  ["palm-2-chat-bison-001", "4cad39fcf55f853fc101d00950af2f8ba311def8729b076ac633f2ae70d39adf"],
  ["rwkv-4-raven-14b", "7f5305dec94c457feaf326d28491c1aedfdd66965044c1b3f654699cebcb5071"],
  ["stablelm-tuned-alpha-7b", "d8f0cbb4e3292e65e6425a717644fad155d11b8feb73ee9620cd0fecfc808016"],
  ["tulu-30b", "3b7c238738787979606feaa3b4e154140e0dd152e01f257ef2f8749aa5bef2df"],
  ["vicuna-13b-v1.3", "fd198cf1e28eae03a781f1f544c846d6fdc05c4588e3562a5183b1e1b865aaac"],
  ["vicuna-33b-v1.3", "66c0b4367dae4c9ec017607d3a86ea450775cfb99d103c087a4e56c49753085a"],
  ["vicuna-7b-v1.3", "f9e54b9056e7bb54f1d62b4020d96bb1c8d8f849a5913cfd3ca16dcb3c48c0a7"],
  ["wizardlm-13b", "a15b5b2521fadf1a30f71e7d906aabb123f33de499129bc26eda0e8fa1aadc80"],
  ["wizardlm-30b", "e962ab5531c625ccf704c72396b67c4534fdf3775aeb89ea86e08c158bf18c49"],
];

/**
 * Every upstream file `fetch-data` downloads, in download order. Checksums are
 * pinned where a verified copy was available; files without one get their
 * computed sha256 recorded in the data root after download, so it can be pinned here.
 *
 * - `fastchat`: judge prompts, MT-Bench and Vicuna-Bench questions and GPT-4
 *   references from lm-sys/FastChat at {@linkcode FASTCHAT_COMMIT}.
 * - `answers`: the 31 pre-generated model answers of the lmsys/mt-bench HF space.
 * - `judgments`: the space's GPT-4 judgments (`gpt-4_single.jsonl`, `gpt-4_pair.jsonl`).
 * - `human`: the `human` and `gpt4_pair` splits of the HF dataset
 *   lmsys/mt_bench_human_judgments, from its auto-converted parquet branch.
 * - `de`: the German MT-Bench and multilingual judge prompts of ServiceNow/FastChat.
 *
 * @example Pick the files of one group
 * ```ts
 * import assert from "node:assert/strict";
 * import { UPSTREAM_FILES } from "./upstream_files.ts";
 * const answers = UPSTREAM_FILES.filter((file) => file.group === "answers");
 * assert.equal(answers.length, 31);
 * assert.ok(answers.every((file) => file.path.startsWith("mt_bench/model_answer/")));
 * ```
 */
export const UPSTREAM_FILES: readonly UpstreamFile[] = [
  ...([
    ["judge_prompts.jsonl", "fd283293406d024f44c174b094ef48031d0687a4682fd3a56b29b138f80281b6"],
    ["mt_bench/question.jsonl", "119565adbab82227089cefdb44c8d7e2cf04dc0a0ec233634c82e7d4e2a944f7"],
    [
      "mt_bench/reference_answer/gpt-4.jsonl",
      "f957a5bc977badb66885ec970e6cd08527845780313f0995764260e5777b9b3f",
    ],
    [
      "vicuna_bench/question.jsonl",
      "c248c5c98ba45bb0c2aadae2f270e643bd32679c6c306a3b2a503ac4254cdaa5",
    ],
    [
      "vicuna_bench/reference_answer/gpt-4.jsonl",
      "f7542dc25a5a869b32197486f5699a14eb5682ab3c7264518402399ec09ab470",
    ],
  ] as const).map(([path, sha256]): UpstreamFile => ({
    path,
    url: `${FASTCHAT_DATA}/${path}`,
    sha256,
    group: "fastchat",
  })),
  ...PREGENERATED_ANSWERS.map(([model, sha256]): UpstreamFile => {
    const path = `mt_bench/model_answer/${model}.jsonl`;
    return { path, url: `${MT_BENCH_SPACE}/data/${path}`, sha256, group: "answers" };
  }),
  ...["gpt-4_single.jsonl", "gpt-4_pair.jsonl"].map((name): UpstreamFile => {
    const path = `mt_bench/model_judgment/${name}`;
    return { path, url: `${MT_BENCH_SPACE}/data/${path}`, group: "judgments" };
  }),
  ...["human", "gpt4_pair"].map((split): UpstreamFile => ({
    path: `mt_bench_human_judgments/${split}.parquet`,
    url: `${HUMAN_JUDGMENTS_PARQUET}/${split}/0000.parquet`,
    group: "human",
  })),
  ...([
    [
      "mt_bench_de/question.jsonl",
      "92044a17d19c7dbc9ab7aa24eb6022943cb1102e1271d3f8a9a1f0e869022a34",
    ],
    [
      "mt_bench_de/reference_answer/gpt-4.jsonl",
      "0b14dbb38756eda675768cd5cbec0e0c6a484a626f223b46da4baf4ec90c99c1",
    ],
    [
      "judge_prompts_multilingual.jsonl",
      "0e76b3a39da678b09c5c718f2b64996963f2d577d63bb5d5c67de632a9f6b6c1",
    ],
  ] as const).map(([path, sha256]): UpstreamFile => ({
    path,
    url: `${SERVICENOW_DATA}/${path}`,
    sha256,
    group: "de",
  })),
];
