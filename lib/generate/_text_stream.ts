// Incremental detokenization with stop strings, one per generated reply.

/**
 * Turns generated token ids into text as they come: decodes a small window
 * (the technique of vLLM's incremental detokenizer, so a tokenizer that
 * strips a leading space at the start of a decode still gives the right
 * text), waits while the text ends in an incomplete UTF-8 sequence, cuts the
 * reply at the first stop string, and holds back text that might be the
 * start of a stop string until it is known not to be.
 */
export class TextStream {
  readonly #decode: (ids: number[]) => string;
  readonly #stops: readonly string[];
  readonly #ids: number[] = [];
  #prefixOffset = 0;
  #readOffset = 0;
  #text = "";
  #emitted = 0;
  #stopped = false;

  constructor(decode: (ids: number[]) => string, stops: readonly string[]) {
    this.#decode = decode;
    this.#stops = stops.filter((stop) => stop.length > 0);
  }

  /** The reply so far (up to a stop string, once one is seen). */
  get text(): string {
    return this.#text;
  }

  /** Whether a stop string ended the reply. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** Adds a token; returns the text that is now safe to show. */
  push(id: number): string {
    if (this.#stopped) return "";
    this.#ids.push(id);
    const prefix = this.#decode(this.#ids.slice(this.#prefixOffset, this.#readOffset));
    const full = this.#decode(this.#ids.slice(this.#prefixOffset));
    if (full.length > prefix.length && !full.endsWith("\uFFFD")) {
      this.#append(full.slice(prefix.length));
      this.#prefixOffset = this.#readOffset;
      this.#readOffset = this.#ids.length;
    }
    return this.#release(false);
  }

  /** Ends the reply; returns the text still held back. */
  finish(): string {
    if (!this.#stopped && this.#readOffset < this.#ids.length) {
      const prefix = this.#decode(this.#ids.slice(this.#prefixOffset, this.#readOffset));
      const full = this.#decode(this.#ids.slice(this.#prefixOffset));
      if (full.length > prefix.length) this.#append(full.slice(prefix.length));
      this.#readOffset = this.#ids.length;
    }
    return this.#release(true);
  }

  #append(piece: string): void {
    const searchFrom = Math.max(0, this.#text.length - this.#longestStop() + 1);
    this.#text += piece;
    let cut = -1;
    for (const stop of this.#stops) {
      const index = this.#text.indexOf(stop, searchFrom);
      if (index !== -1 && (cut === -1 || index < cut)) cut = index;
    }
    if (cut !== -1) {
      this.#text = this.#text.slice(0, cut);
      this.#stopped = true;
    }
  }

  #release(final: boolean): string {
    let end = this.#text.length;
    if (!final && !this.#stopped) end -= this.#heldBack();
    if (end <= this.#emitted) return "";
    const piece = this.#text.slice(this.#emitted, end);
    this.#emitted = end;
    return piece;
  }

  /** Length of the longest end of the text that begins some stop string. */
  #heldBack(): number {
    let held = 0;
    for (const stop of this.#stops) {
      for (let length = Math.min(stop.length - 1, this.#text.length); length > held; length--) {
        if (this.#text.endsWith(stop.slice(0, length))) {
          held = length;
          break;
        }
      }
    }
    return held;
  }

  #longestStop(): number {
    return this.#stops.reduce((max, stop) => Math.max(max, stop.length), 1);
  }
}
