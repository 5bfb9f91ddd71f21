import { francAll } from "npm:franc@6.2.0";

/** ISO 639-3 codes of language names that benches declare (`lang` of a question). */
export const LANGUAGE_CODES: Readonly<Record<string, string>> = {
  arabic: "arb",
  bengali: "ben",
  chinese: "cmn",
  czech: "ces",
  danish: "dan",
  dutch: "nld",
  english: "eng",
  estonian: "est",
  finnish: "fin",
  french: "fra",
  german: "deu",
  greek: "ell",
  gujarati: "guj",
  hindi: "hin",
  hungarian: "hun",
  indonesian: "ind",
  italian: "ita",
  japanese: "jpn",
  korean: "kor",
  norwegian: "nob",
  polish: "pol",
  portuguese: "por",
  romanian: "ron",
  russian: "rus",
  spanish: "spa",
  swedish: "swe",
  tamil: "tam",
  thai: "tha",
  turkish: "tur",
  ukrainian: "ukr",
  urdu: "urd",
  vietnamese: "vie",
};

/** The outcome of a language check. */
export interface LanguageCheck {
  /** Expected ISO 639-3 code. */
  expected: string;
  /** Detected ISO 639-3 code. */
  detected: string;
  /** Whether the answer is in the expected language (or close enough to call). */
  ok: boolean;
}

/** Options for {@linkcode checkAnswerLanguage}. */
export interface CheckAnswerLanguageOptions {
  /**
   * Fewest letters, after code blocks and URLs are removed, needed to judge.
   * @default {60}
   */
  minLength?: number;
  /**
   * The expected language passes when its score is at least this share of the
   * best one (franc's scores are relative, the best being 1).
   * @default {0.9}
   */
  tolerance?: number;
}

/**
 * Checks that an answer is written in the language a question declares, with
 * the `franc` language identifier (n-gram based, 187 languages). Code blocks,
 * inline code and URLs are ignored; an answer too short to tell returns
 * `undefined`, as does an unknown language name — so only a clear mismatch
 * fails. The declared language may be a name (`German`) or an ISO 639-1/3
 * code (`de`, `deu`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkAnswerLanguage } from "./check_answer_language.ts";
 * const english = "The capital of France is Paris, a city known for its museums, cafes and long history.";
 * assert.equal(checkAnswerLanguage(english, "German")?.ok, false);
 * assert.equal(checkAnswerLanguage(english, "English")?.ok, true);
 * assert.equal(checkAnswerLanguage("Ja.", "German"), undefined);
 * ```
 */
export function checkAnswerLanguage(
  text: string,
  declared: string,
  options: CheckAnswerLanguageOptions = {},
): LanguageCheck | undefined {
  const expected = languageCode(declared);
  if (expected === undefined) return undefined;
  const prose = text
    .replace(/```[\s\S]*?```/g, " ")
    .replace(/`[^`]*`/g, " ")
    .replace(/https?:\/\/\S+/g, " ");
  const letters = prose.replace(/[^\p{L}]/gu, "").length;
  if (letters < (options.minLength ?? 60)) return undefined;
  const ranking = francAll(prose, { minLength: 1 });
  const [best] = ranking;
  if (best === undefined || best[0] === "und") return undefined;
  const score = ranking.find(([code]) => code === expected)?.[1] ?? 0;
  return {
    expected,
    detected: best[0],
    ok: best[0] === expected || score >= (options.tolerance ?? 0.9),
  };
}

function languageCode(declared: string): string | undefined {
  const name = declared.trim().toLowerCase();
  if (LANGUAGE_CODES[name]) return LANGUAGE_CODES[name];
  if (/^[a-z]{3}$/.test(name)) return name;
  const twoLetter: Record<string, string> = {
    ar: "arb",
    bn: "ben",
    de: "deu",
    en: "eng",
    es: "spa",
    fi: "fin",
    fr: "fra",
    hi: "hin",
    it: "ita",
    ja: "jpn",
    nl: "nld",
    pt: "por",
    ru: "rus",
    sv: "swe",
    ta: "tam",
    th: "tha",
    ur: "urd",
    zh: "cmn",
  };
  return twoLetter[name];
}
