/**
 * Reads and edits the parts of an ONNX model file (protobuf) that the decoder
 * needs, without a protobuf library: the model's structure without its
 * weights ({@linkcode readModelSkeleton}), its graph's nodes and outputs
 * ({@linkcode readGraph}), the decoder edits ({@linkcode editDecoderGraph}),
 * and the file put back together with its weights ({@linkcode inlineWeights}).
 *
 * Field numbers are those of `onnx.proto`: ModelProto.graph = 7;
 * GraphProto.node = 1, initializer = 5, output = 12; NodeProto.input = 1,
 * output = 2, name = 3, op_type = 4, attribute = 5, domain = 7;
 * AttributeProto.name = 1, i = 3; ValueInfoProto.name = 1, type = 2;
 * TypeProto.tensor_type = 1; TypeProto.Tensor.elem_type = 1;
 * TensorProto.dims = 1, data_type = 2, name = 8, raw_data = 9, external_data
 * = 13 (StringStringEntryProto key = 1, value = 2), data_location = 14.
 * @module
 */

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** One field of a message: its number, wire type and where it lies. */
interface Field {
  number: number;
  wire: number;
  /** Offset of the tag. */
  start: number;
  /** Offset of the payload (after the length for wire type 2). */
  payload: number;
  /** Offset after the field. */
  end: number;
  /** The value of a varint field. */
  value: bigint;
}

function readVarint(bytes: Uint8Array, at: number): [bigint, number] {
  let value = 0n;
  let shift = 0n;
  for (let i = at; i < bytes.length && i < at + 10; i++) {
    const byte = bytes[i]!;
    value |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return [value, i + 1];
    shift += 7n;
  }
  throw new SyntaxError(`bad varint at byte ${at}`);
}

/** The field whose tag is at `view[at]`; offsets are `base` + the view's. */
function fieldAt(view: Uint8Array, at: number, base: number): Field {
  const [tag, afterTag] = readVarint(view, at);
  const number = Number(tag >> 3n);
  const wire = Number(tag & 7n);
  let payload = afterTag;
  let next: number;
  let value = 0n;
  if (wire === 0) {
    [value, next] = readVarint(view, afterTag);
  } else if (wire === 1) {
    next = afterTag + 8;
  } else if (wire === 5) {
    next = afterTag + 4;
  } else if (wire === 2) {
    const [length, afterLength] = readVarint(view, afterTag);
    payload = afterLength;
    next = afterLength + Number(length);
  } else {
    throw new SyntaxError(`unsupported wire type ${wire} at byte ${base + at}`);
  }
  return { number, wire, start: base + at, payload: base + payload, end: base + next, value };
}

function* fields(bytes: Uint8Array, start = 0, end = bytes.length): Generator<Field> {
  let at = start;
  while (at < end) {
    const field = fieldAt(bytes, at, 0);
    if (field.end > end) {
      throw new SyntaxError(`field ${field.number} at byte ${at} runs past its message`);
    }
    yield field;
    at = field.end;
  }
}

function text(bytes: Uint8Array, field: Field): string {
  return decoder.decode(bytes.subarray(field.payload, field.end));
}

/** A node of the graph, as far as the edit needs it. */
export interface GraphNode {
  opType: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  /** Integer attributes by name. */
  ints: Record<string, bigint>;
  /** Where the NodeProto's payload lies in the model bytes. */
  payload: number;
  end: number;
}

/** What {@linkcode readGraph} finds. */
export interface GraphSummary {
  nodes: GraphNode[];
  /** Graph outputs: name and element type (`0` when not stated). */
  outputs: { name: string; elemType: number }[];
  /** Files (relative to the model file) that hold external initializers. */
  externalFiles: string[];
  /** Names of the initializers. */
  initializers: Set<string>;
  /** Where the graph message lies in the model bytes. */
  graph: { start: number; payload: number; end: number };
}

function readNode(bytes: Uint8Array, start: number, end: number): GraphNode {
  const node: GraphNode = {
    opType: "",
    domain: "",
    inputs: [],
    outputs: [],
    ints: {},
    payload: start,
    end,
  };
  for (const field of fields(bytes, start, end)) {
    if (field.wire !== 2) {
      continue;
    } else if (field.number === 1) {
      node.inputs.push(text(bytes, field));
    } else if (field.number === 2) {
      node.outputs.push(text(bytes, field));
    } else if (field.number === 4) {
      node.opType = text(bytes, field);
    } else if (field.number === 7) {
      node.domain = text(bytes, field);
    } else if (field.number === 5) {
      let name = "";
      let value: bigint | undefined;
      for (const part of fields(bytes, field.payload, field.end)) {
        if (part.number === 1 && part.wire === 2) name = text(bytes, part);
        if (part.number === 3 && part.wire === 0) value = BigInt.asIntN(64, part.value);
      }
      if (value !== undefined) node.ints[name] = value;
    }
  }
  return node;
}

function readOutput(
  bytes: Uint8Array,
  start: number,
  end: number,
): { name: string; elemType: number } {
  let name = "";
  let elemType = 0;
  for (const field of fields(bytes, start, end)) {
    if (field.number === 1 && field.wire === 2) name = text(bytes, field);
    if (field.number !== 2 || field.wire !== 2) continue;
    for (const type of fields(bytes, field.payload, field.end)) {
      if (type.number !== 1 || type.wire !== 2) continue;
      for (const tensor of fields(bytes, type.payload, type.end)) {
        if (tensor.number === 1 && tensor.wire === 0) elemType = Number(tensor.value);
      }
    }
  }
  return { name, elemType };
}

function externalLocation(bytes: Uint8Array, start: number, end: number): string | undefined {
  for (const field of fields(bytes, start, end)) {
    if (field.number !== 13 || field.wire !== 2) continue;
    let key = "";
    let value = "";
    for (const entry of fields(bytes, field.payload, field.end)) {
      if (entry.number === 1) key = text(bytes, entry);
      if (entry.number === 2) value = text(bytes, entry);
    }
    if (key === "location") return value;
  }
  return undefined;
}

/**
 * Reads the graph of an ONNX model: its nodes (op, inputs, outputs, integer
 * attributes), its outputs and the external data files its initializers
 * name. Initializer payloads are skipped, not read. Throws a `SyntaxError`
 * when the bytes are not a model.
 */
export function readGraph(bytes: Uint8Array): GraphSummary {
  let graph: Field | undefined;
  for (const field of fields(bytes)) {
    if (field.number === 7 && field.wire === 2) graph = field;
  }
  if (graph === undefined) throw new SyntaxError("no graph in the model");
  const summary: GraphSummary = {
    nodes: [],
    outputs: [],
    externalFiles: [],
    initializers: new Set(),
    graph: { start: graph.start, payload: graph.payload, end: graph.end },
  };
  const files = new Set<string>();
  for (const field of fields(bytes, graph.payload, graph.end)) {
    if (field.wire !== 2) continue;
    if (field.number === 1) summary.nodes.push(readNode(bytes, field.payload, field.end));
    else if (field.number === 12) summary.outputs.push(readOutput(bytes, field.payload, field.end));
    else if (field.number === 5) {
      const location = externalLocation(bytes, field.payload, field.end);
      if (location !== undefined) files.add(location);
      for (const part of fields(bytes, field.payload, field.end)) {
        if (part.number === 8 && part.wire === 2) summary.initializers.add(text(bytes, part));
      }
    }
  }
  summary.externalFiles = [...files];
  return summary;
}

function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return out;
}

/** Bytes of the model file, read when the model is put together. */
interface FileRange {
  offset: number;
  length: number;
}

type Piece = Uint8Array | FileRange;

function delimitedPieces(field: number, pieces: Piece[]): Piece[] {
  const length = pieces.reduce((sum, piece) => sum + piece.length, 0);
  return [Uint8Array.from([...varint((field << 3) | 2), ...varint(length)]), ...pieces];
}

function lengthDelimited(field: number, payload: Uint8Array[]): Uint8Array[] {
  return delimitedPieces(field, payload) as Uint8Array[];
}

function stringField(field: number, value: string): Uint8Array[] {
  return lengthDelimited(field, [encoder.encode(value)]);
}

function join(parts: Uint8Array[]): Uint8Array {
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Payloads this large are referenced in place rather than read. */
const IN_PLACE_BYTES = 4096;

/** Reads a file through a window, seeking over what it does not need. */
class FileWindow {
  #file: Deno.FsFile;
  #window = new Uint8Array(0);
  #start = 0;

  constructor(file: Deno.FsFile) {
    this.#file = file;
  }

  /** `length` bytes at `offset` (a view; valid until the next call). */
  async bytes(offset: number, length: number): Promise<Uint8Array> {
    if (offset < this.#start || offset + length > this.#start + this.#window.length) {
      const size = Math.max(length, 1 << 16);
      const window = new Uint8Array(size);
      await this.#file.seek(offset, Deno.SeekMode.Start);
      let filled = 0;
      while (filled < size) {
        const read = await this.#file.read(window.subarray(filled));
        if (read === null) break;
        filled += read;
      }
      this.#window = window.subarray(0, filled);
      this.#start = offset;
      if (filled < length) throw new SyntaxError(`the file ends at byte ${offset + filled}`);
    }
    return this.#window.subarray(offset - this.#start, offset - this.#start + length);
  }
}

async function* streamFields(
  source: FileWindow,
  start: number,
  end: number,
): AsyncGenerator<Field> {
  let at = start;
  while (at < end) {
    // A tag and a varint take at most 15 bytes.
    const field = fieldAt(await source.bytes(at, Math.min(16, end - at)), 0, at);
    if (field.end > end) {
      throw new SyntaxError(`field ${field.number} at byte ${at} runs past its message`);
    }
    yield field;
    at = field.end;
  }
}

async function copyField(source: FileWindow, field: Field): Promise<Uint8Array> {
  return (await source.bytes(field.start, field.end - field.start)).slice();
}

function varintField(field: number, value: number): Uint8Array {
  return Uint8Array.from([...varint(field << 3), ...varint(value)]);
}

/** A TensorProto whose large `raw_data` becomes a reference into `location`. */
async function tensorInPlace(
  source: FileWindow,
  tensor: Field,
  location: string,
): Promise<Uint8Array[]> {
  const parts: Uint8Array[] = [];
  let moved = false;
  for await (const field of streamFields(source, tensor.payload, tensor.end)) {
    if (field.number === 9 && field.wire === 2 && field.end - field.payload >= IN_PLACE_BYTES) {
      const entry = (key: string, value: string) =>
        lengthDelimited(13, [...stringField(1, key), ...stringField(2, value)]);
      parts.push(
        ...entry("location", location),
        ...entry("offset", String(field.payload)),
        ...entry("length", String(field.end - field.payload)),
        varintField(14, 1),
      );
      moved = true;
    } else {
      parts.push(await copyField(source, field));
    }
  }
  return moved ? lengthDelimited(5, parts) : [await copyField(source, tensor)];
}

/**
 * The structure of an ONNX model file without its large weights: every
 * initializer's `raw_data` of 4 KiB or more becomes an external-data
 * reference to the same bytes in the file itself (`location` = the file's
 * name, `offset`, `length`), which ONNX Runtime then maps or reads in place
 * when the session is created from these bytes with
 * `session.model_external_initializers_file_folder_path` set to the file's
 * directory. Only the headers of the skipped payloads are read, so a model
 * with hundreds of MB inline costs a few small reads. Initializers already
 * in external files are kept as they are.
 */
export async function readModelSkeleton(path: string): Promise<Uint8Array> {
  const location = path.split(/[\\/]/).pop()!;
  using file = await Deno.open(path, { read: true });
  const source = new FileWindow(file);
  const size = (await file.stat()).size;
  const model: Uint8Array[] = [];
  for await (const field of streamFields(source, 0, size)) {
    if (field.number !== 7 || field.wire !== 2) {
      model.push(await copyField(source, field));
      continue;
    }
    const graph: Uint8Array[] = [];
    for await (const part of streamFields(source, field.payload, field.end)) {
      if (part.number === 5 && part.wire === 2) {
        graph.push(...await tensorInPlace(source, part, location));
      } else {
        graph.push(await copyField(source, part));
      }
    }
    model.push(...lengthDelimited(7, graph));
  }
  return join(model);
}

/** An initializer whose data {@linkcode readModelSkeleton} referenced in place, inline again. */
function inlineTensor(bytes: Uint8Array, tensor: Field, location: string): Piece[] | undefined {
  let offset: number | undefined;
  let length: number | undefined;
  let place = "";
  const kept: Piece[] = [];
  for (const field of fields(bytes, tensor.payload, tensor.end)) {
    if (field.number === 13 && field.wire === 2) {
      let key = "";
      let value = "";
      for (const entry of fields(bytes, field.payload, field.end)) {
        if (entry.number === 1) key = text(bytes, entry);
        if (entry.number === 2) value = text(bytes, entry);
      }
      if (key === "location") place = value;
      if (key === "offset") offset = Number(value);
      if (key === "length") length = Number(value);
    } else if (field.number !== 14) {
      kept.push(bytes.subarray(field.start, field.end));
    }
  }
  if (place !== location || offset === undefined || length === undefined) return undefined;
  return delimitedPieces(5, [...kept, ...delimitedPieces(9, [{ offset, length }])]);
}

/**
 * The model file with the graph of `skeleton` (a {@linkcode readModelSkeleton}
 * result, possibly edited): the weights it references in the file itself are
 * read back inline, straight into the one buffer ONNX Runtime gets. ONNX
 * Runtime runs weights it maps from a file noticeably slower on the CPU
 * (measured 21.6 vs 17.1 ms per token on the benchmark model), so they are
 * handed over in memory, as a loaded file would be.
 */
export async function inlineWeights(skeleton: Uint8Array, path: string): Promise<Uint8Array> {
  const location = path.split(/[\\/]/).pop()!;
  const model: Piece[] = [];
  for (const field of fields(skeleton)) {
    if (field.number !== 7 || field.wire !== 2) {
      model.push(skeleton.subarray(field.start, field.end));
      continue;
    }
    const graph: Piece[] = [];
    for (const part of fields(skeleton, field.payload, field.end)) {
      const inline = part.number === 5 && part.wire === 2
        ? inlineTensor(skeleton, part, location)
        : undefined;
      graph.push(...(inline ?? [skeleton.subarray(part.start, part.end)]));
    }
    model.push(...delimitedPieces(7, graph));
  }
  const out = new Uint8Array(model.reduce((sum, piece) => sum + piece.length, 0));
  using file = await Deno.open(path, { read: true });
  let at = 0;
  for (const piece of model) {
    if (piece instanceof Uint8Array) {
      out.set(piece, at);
    } else {
      await file.seek(piece.offset, Deno.SeekMode.Start);
      let filled = 0;
      while (filled < piece.length) {
        const read = await file.read(out.subarray(at + filled, at + piece.length));
        if (read === null) throw new SyntaxError(`the file ends at byte ${piece.offset + filled}`);
        filled += read;
      }
    }
    at += piece.length;
  }
  return out;
}

/** A cache output of the decoder and the input it extends. */
export interface CachePair {
  /** The `past` input, e.g. `past_key_values.0.key`. */
  past: string;
  /** The `present` output, e.g. `present.0.key`. */
  present: string;
}

/** What {@linkcode editDecoderGraph} should change. */
export interface DecoderEdits {
  /** The cache inputs and outputs, for the new-entries edit. */
  cache: readonly CachePair[];
  /** The logits output, for the last-position edit. */
  logits: string;
}

/** The edited model of {@linkcode editDecoderGraph}. */
export interface EditedDecoder {
  /** The edited model file. */
  bytes: Uint8Array;
  /**
   * Name of the new-entries output by `present` name, when the cache edit
   * was made; otherwise why not.
   */
  newEntries: Map<string, string> | { reason: string };
  /** Whether the logits are computed for the last position only; otherwise why not. */
  lastLogits: true | { reason: string };
}

const ELEMENTWISE = new Set(["Add", "Sub", "Mul", "Div", "Cast", "Tanh", "Softcap"]);

function newEntriesPlan(
  summary: GraphSummary,
  producers: Map<string, GraphNode>,
  pairs: readonly CachePair[],
): Map<string, string> | { reason: string } {
  if (pairs.length === 0) return { reason: "not asked for" };
  const graphOutputs = new Set(summary.outputs.map((output) => output.name));
  const sources = new Map<string, string>();
  for (const { past, present } of pairs) {
    const node = producers.get(present);
    if (!graphOutputs.has(present)) return { reason: `${present} is not a graph output` };
    if (node === undefined) return { reason: `no node computes ${present}` };
    if (node.opType !== "Concat" || (node.domain !== "" && node.domain !== "ai.onnx")) {
      return { reason: `${present} is computed by ${node.opType}, not Concat` };
    }
    const axis = node.ints.axis;
    if (node.inputs.length !== 2 || node.inputs[0] !== past || (axis !== 2n && axis !== -2n)) {
      return { reason: `${present} is not Concat(${past}, new) along the sequence axis` };
    }
    sources.set(present, node.inputs[1]!);
  }
  return sources;
}

/** The MatMul that projects hidden states to logits, through element-wise ops with constants. */
function logitsPlan(
  summary: GraphSummary,
  producers: Map<string, GraphNode>,
  logits: string,
): GraphNode | { reason: string } {
  const constant = (name: string) =>
    summary.initializers.has(name) || producers.get(name)?.opType === "Constant";
  let name = logits;
  for (let depth = 0; depth < 4; depth++) {
    const node = producers.get(name);
    if (node === undefined) return { reason: `no node computes ${name}` };
    // ONNX Runtime's 4/8-bit weight-only MatMul (quantized exports), weights constant.
    if (
      node.opType === "MatMulNBits" && node.domain === "com.microsoft" &&
      constant(node.inputs[1] ?? "")
    ) return node;
    if (node.domain !== "" && node.domain !== "ai.onnx") {
      return { reason: `${name} is computed by ${node.domain}.${node.opType}` };
    }
    if (node.opType === "MatMul" && constant(node.inputs[1] ?? "")) return node;
    if (!ELEMENTWISE.has(node.opType)) {
      return { reason: `${name} is computed by ${node.opType}, not a MatMul with the head` };
    }
    const variable = node.inputs.filter((input) => !constant(input));
    if (variable.length !== 1) return { reason: `${node.opType} before ${logits} mixes tensors` };
    name = variable[0]!;
  }
  return { reason: `no MatMul found within 4 nodes before ${logits}` };
}

function int64Initializer(name: string, value: bigint): Uint8Array[] {
  const raw = new Uint8Array(8);
  new DataView(raw.buffer).setBigInt64(0, value, true);
  // TensorProto { dims: [1], data_type: INT64, name, raw_data }
  return lengthDelimited(5, [
    varintField(1, 1),
    varintField(2, 7),
    ...stringField(8, name),
    ...lengthDelimited(9, [raw]),
  ]);
}

function nodeProto(opType: string, name: string, inputs: string[], output: string): Uint8Array[] {
  return lengthDelimited(1, [
    ...inputs.flatMap((input) => stringField(1, input)),
    ...stringField(2, output),
    ...stringField(3, name),
    ...stringField(4, opType),
  ]);
}

/**
 * Edits a decoder graph (the bytes of {@linkcode readModelSkeleton}) for
 * llm-judge's decoding loop; each edit is made only where the graph has the
 * expected shape, and the result says which were made:
 *
 * - **New cache entries.** Where every `present` output is `Concat(past,
 *   new)` along the sequence axis (Optimum and transformers.js exports), the
 *   graph outputs only `new` (an `Identity` named `llm_judge.new.<present>`);
 *   the Concat stays inside for the attention. ONNX Runtime's Node binding
 *   copies every output into a fresh JavaScript buffer after each run, so a
 *   graph that returns the whole cache costs a copy of it, into fresh pages,
 *   per token; with the edit the caller keeps the cache in its own buffers
 *   and appends. ONNX Runtime GenAI's fused `GroupQueryAttention` keeps its
 *   own cache and is left as it is.
 * - **Last-position logits.** Where `logits` is the MatMul (or com.microsoft
 *   MatMulNBits) of the hidden states with the head (through element-wise
 *   ops with constants: bias,
 *   cast, soft-capping), a `Slice` keeps the last position before the MatMul,
 *   so a prompt of n tokens costs one head projection instead of n, and the
 *   logits output is `[batch, 1, vocab]`. Rows are left-padded (or, with
 *   `GroupQueryAttention`, prompts run one at a time), so the last position
 *   is every row's last token.
 */
export function editDecoderGraph(bytes: Uint8Array, edits: DecoderEdits): EditedDecoder {
  const summary = readGraph(bytes);
  const producers = new Map<string, GraphNode>();
  for (const node of summary.nodes) {
    for (const output of node.outputs) producers.set(output, node);
  }
  const sources = newEntriesPlan(summary, producers, edits.cache);
  const head = logitsPlan(summary, producers, edits.logits);
  const renamed = new Map<string, string>();
  if (sources instanceof Map) {
    for (const present of sources.keys()) renamed.set(present, `llm_judge.new.${present}`);
  }
  const sliced = "llm_judge.last_position";
  const graphParts: Uint8Array[] = [];
  const { payload, end } = summary.graph;
  for (const field of fields(bytes, payload, end)) {
    const whole = bytes.subarray(field.start, field.end);
    if (field.number === 12 && field.wire === 2) {
      const output = readOutput(bytes, field.payload, field.end);
      const name = renamed.get(output.name);
      if (name !== undefined) {
        // ValueInfoProto { name, type: TypeProto { tensor_type { elem_type } } }: no shape.
        const type = lengthDelimited(1, [varintField(1, output.elemType)]);
        graphParts.push(
          ...lengthDelimited(12, [...stringField(1, name), ...lengthDelimited(2, type)]),
        );
        continue;
      }
    }
    if (field.number === 1 && field.wire === 2 && !("reason" in head)) {
      if (field.payload === head.payload) {
        // The head's MatMul reads the sliced hidden states.
        const parts: Uint8Array[] = [];
        let first = true;
        for (const part of fields(bytes, field.payload, field.end)) {
          if (part.number === 1 && first) {
            parts.push(...stringField(1, sliced));
            first = false;
          } else {
            parts.push(bytes.subarray(part.start, part.end));
          }
        }
        graphParts.push(...lengthDelimited(1, parts));
        continue;
      }
    }
    graphParts.push(whole);
  }
  if (sources instanceof Map) {
    for (const [present, source] of sources) {
      graphParts.push(
        ...nodeProto("Identity", `llm_judge/new/${present}`, [source], renamed.get(present)!),
      );
    }
  }
  if (!("reason" in head)) {
    const names = ["starts", "ends", "axes"].map((name) => `llm_judge.last_position.${name}`);
    graphParts.push(
      ...int64Initializer(names[0]!, -1n),
      ...int64Initializer(names[1]!, 0x7fffffffffffffffn),
      ...int64Initializer(names[2]!, 1n),
      ...nodeProto("Slice", "llm_judge/last_position", [head.inputs[0]!, ...names], sliced),
    );
  }
  const model = [
    bytes.subarray(0, summary.graph.start),
    ...lengthDelimited(7, graphParts),
    bytes.subarray(summary.graph.end),
  ];
  return {
    bytes: join(model),
    newEntries: sources instanceof Map ? renamed : sources,
    lastLogits: "reason" in head ? head : true,
  };
}
