/**
 * Builds a Llama-architecture decoder as an ONNX graph of standard opset-17
 * operators: token embedding, per layer RMSNorm → attention with rotary
 * position embeddings, grouped-query heads, a causal mask combined with the
 * attention mask and a KV cache (past → present), → RMSNorm → SwiGLU MLP,
 * then a final RMSNorm and the LM head. Weights are deterministic
 * pseudo-random numbers from a seed.
 * @module
 */
import {
  type AttributeValue,
  DataType,
  type DataTypeCode,
  type ModelSpec,
  type NodeSpec,
  type TensorSpec,
  type ValueInfoSpec,
} from "./_onnx_proto.ts";

/** The shape of a Llama model. */
export interface LlamaShape {
  vocabSize: number;
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  numKvHeads: number;
  intermediateSize: number;
  maxPositions: number;
  ropeTheta: number;
  rmsEps: number;
}

/** Options of {@linkcode buildLlamaGraph}. */
export interface LlamaGraphOptions {
  shape: LlamaShape;
  /** Seed of the weights. */
  seed: number;
  /** Whether `position_ids` is an input (Optimum) or computed from the attention mask (GenAI-style). */
  positionIdsInput: boolean;
  /** Added to the logits (e.g. to keep generation in printable ASCII); length vocabSize. */
  logitBias?: Float32Array | undefined;
  /** Standard deviation of the projection weights. */
  weightStd?: number;
}

/** Number of parameters of a shape (embeddings and LM head counted separately). */
export function parameterCount(shape: LlamaShape): number {
  const headDim = shape.hiddenSize / shape.numHeads;
  const attention = shape.hiddenSize * headDim * (2 * shape.numHeads + 2 * shape.numKvHeads);
  const mlp = 3 * shape.hiddenSize * shape.intermediateSize;
  const perLayer = attention + mlp + 2 * shape.hiddenSize;
  return 2 * shape.vocabSize * shape.hiddenSize + shape.numLayers * perLayer + shape.hiddenSize;
}

/** A deterministic generator of standard normal numbers (mulberry32 and Box–Muller). */
export function normalGenerator(seed: number): () => number {
  let state = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const value = spare;
      spare = undefined;
      return value;
    }
    const radius = Math.sqrt(-2 * Math.log(uniform()));
    const angle = 2 * Math.PI * uniform();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
}

/** The bytes of a typed array (a view, no copy). */
export function bytesOf(
  array: Float32Array | BigInt64Array | Int32Array | Uint8Array,
): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/** Collects nodes and initializers; names node outputs. */
export class GraphBuilder {
  nodes: NodeSpec[] = [];
  initializers: TensorSpec[] = [];
  #count = 0;

  node(
    opType: string,
    inputs: readonly string[],
    attributes: Record<string, AttributeValue> = {},
    output?: string,
    domain?: string,
  ): string {
    const name = output ?? `${opType.toLowerCase()}_${this.#count++}`;
    this.nodes.push({
      opType,
      inputs,
      outputs: [name],
      name: `${name}_node`,
      attributes,
      ...(domain === undefined ? {} : { domain }),
    });
    return name;
  }

  /** A node with several outputs (`""` for an output left out). */
  multi(
    opType: string,
    inputs: readonly string[],
    outputs: readonly string[],
    attributes: Record<string, AttributeValue> = {},
    domain?: string,
  ): void {
    this.nodes.push({
      opType,
      inputs,
      outputs,
      name: `${outputs.find((output) => output !== "")}_node`,
      attributes,
      ...(domain === undefined ? {} : { domain }),
    });
  }

  /** A unique name with a prefix. */
  fresh(prefix: string): string {
    return `${prefix}_${this.#count++}`;
  }

  floats(name: string, dims: number[], data: Float32Array): string {
    this.initializers.push({ name, dataType: DataType.FLOAT, dims, raw: bytesOf(data) });
    return name;
  }

  bytes(name: string, dataType: DataTypeCode, dims: number[], raw: Uint8Array): string {
    this.initializers.push({ name, dataType, dims, raw });
    return name;
  }

  int64s(name: string, values: number[], dims: number[] = [values.length]): string {
    const data = BigInt64Array.from(values.map((value) => BigInt(value)));
    this.initializers.push({ name, dataType: DataType.INT64, dims, raw: bytesOf(data) });
    return name;
  }

  scalarFloat(name: string, value: number): string {
    return this.floats(name, [], Float32Array.of(value));
  }
}

/** An `ints` attribute. */
export function ints(value: number[]): AttributeValue {
  return { kind: "ints", value };
}

/** An `int` attribute. */
export function int(value: number): AttributeValue {
  return { kind: "int", value };
}

/**
 * Builds the graph and its weights.
 *
 * @example
 * ```ts ignore
 * const spec = buildLlamaGraph({ shape, seed: 1, positionIdsInput: true });
 * ```
 */
export function buildLlamaGraph(options: LlamaGraphOptions): ModelSpec {
  const { shape } = options;
  const {
    hiddenSize: H,
    numHeads: nH,
    numKvHeads: kvH,
    numLayers: L,
    vocabSize: V,
    intermediateSize: I,
  } = shape;
  if (H % nH !== 0 || nH % kvH !== 0) {
    throw new RangeError(
      `Cannot build a Llama graph: hidden size ${H} must divide by ${nH} heads, and heads by ${kvH} KV heads`,
    );
  }
  const hd = H / nH;
  if (hd % 2 !== 0) throw new RangeError(`Cannot build a Llama graph: head size ${hd} is odd`);
  const normal = normalGenerator(options.seed);
  const std = options.weightStd ?? 0.02;
  const random = (count: number, scale: number) => {
    const data = new Float32Array(count);
    for (let i = 0; i < count; i++) data[i] = normal() * scale;
    return data;
  };
  const ones = (count: number) => new Float32Array(count).fill(1);
  const g = new GraphBuilder();

  // Constants.
  const eps = g.scalarFloat("const_eps", shape.rmsEps);
  const zeroF = g.scalarFloat("const_zero_f", 0);
  const negF = g.scalarFloat("const_neg_big", -1e9);
  const scale = g.scalarFloat("const_attn_scale", 1 / Math.sqrt(hd));
  const zeroI = g.int64s("const_zero_i", [0], []);
  const oneI = g.int64s("const_one_i", [1], []);
  const axis0 = g.int64s("const_axes_0", [0]);
  const axis1 = g.int64s("const_axes_1", [1]);
  const axes12 = g.int64s("const_axes_12", [1, 2]);
  const axis2 = g.int64s("const_axes_2", [2]);
  const axis3 = g.int64s("const_axes_3", [3]);
  const halfStart = g.int64s("const_half_start", [0]);
  const halfMid = g.int64s("const_half_mid", [hd / 2]);
  const halfEnd = g.int64s("const_half_end", [hd]);
  const qShape = g.int64s("const_q_shape", [0, 0, nH, hd]);
  const kvShape = g.int64s("const_kv_shape", [0, 0, kvH, hd]);
  const mergeShape = g.int64s("const_merge_shape", [0, 0, H]);
  const repShape = g.int64s("const_rep_shape", [1, 1, nH / kvH, 1, 1]);
  const expandedShape = g.int64s("const_expanded_shape", [0, nH, -1, hd]);

  // Rotary tables.
  const cosTable = new Float32Array(shape.maxPositions * (hd / 2));
  const sinTable = new Float32Array(shape.maxPositions * (hd / 2));
  for (let p = 0; p < shape.maxPositions; p++) {
    for (let i = 0; i < hd / 2; i++) {
      const frequency = 1 / shape.ropeTheta ** ((2 * i) / hd);
      cosTable[p * (hd / 2) + i] = Math.cos(p * frequency);
      sinTable[p * (hd / 2) + i] = Math.sin(p * frequency);
    }
  }
  g.floats("rotary_cos", [shape.maxPositions, hd / 2], cosTable);
  g.floats("rotary_sin", [shape.maxPositions, hd / 2], sinTable);

  const inputs: ValueInfoSpec[] = [
    { name: "input_ids", dataType: DataType.INT64, shape: ["batch_size", "sequence_length"] },
    {
      name: "attention_mask",
      dataType: DataType.INT64,
      shape: ["batch_size", "total_sequence_length"],
    },
  ];
  const outputs: ValueInfoSpec[] = [
    {
      name: "logits",
      dataType: DataType.FLOAT,
      shape: ["batch_size", "sequence_length", V],
    },
  ];

  // Sequence lengths and the mask.
  const seqLen = g.node("Shape", ["input_ids"], { start: int(1), end: int(2) });
  const totalLen = g.node("Shape", ["attention_mask"], { start: int(1), end: int(2) });
  const totalScalar = g.node("Squeeze", [totalLen, axis0]);
  const seqScalar = g.node("Squeeze", [seqLen, axis0]);
  const queryStart = g.node("Sub", [totalScalar, seqScalar]);
  const keyIndex = g.node("Range", [zeroI, totalScalar, oneI]);
  const queryIndex = g.node("Range", [queryStart, totalScalar, oneI]);
  const keyRow = g.node("Unsqueeze", [keyIndex, axis0]);
  const queryColumn = g.node("Unsqueeze", [queryIndex, axis1]);
  const causal = g.node("LessOrEqual", [keyRow, queryColumn]);
  const padBool = g.node("Cast", ["attention_mask"], { to: int(DataType.BOOL) });
  const pad4 = g.node("Unsqueeze", [padBool, axes12]);
  const allowed = g.node("And", [causal, pad4]);
  const maskBias = g.node("Where", [allowed, zeroF, negF], {}, "attention_bias");

  // Positions.
  let positions: string;
  if (options.positionIdsInput) {
    inputs.push({
      name: "position_ids",
      dataType: DataType.INT64,
      shape: ["batch_size", "sequence_length"],
    });
    positions = "position_ids";
  } else {
    const cumulative = g.node("CumSum", ["attention_mask", oneI]);
    const fromZero = g.node("Sub", [cumulative, oneI]);
    const clamped = g.node("Max", [fromZero, zeroI]);
    const negSeq = g.node("Neg", [seqLen]);
    const endAll = g.int64s("const_end_all", [Number.MAX_SAFE_INTEGER]);
    positions = g.node("Slice", [clamped, negSeq, endAll, axis1]);
  }
  const cos = g.node("Unsqueeze", [g.node("Gather", ["rotary_cos", positions]), axis1]);
  const sin = g.node("Unsqueeze", [g.node("Gather", ["rotary_sin", positions]), axis1]);

  const rmsNorm = (x: string, weight: string) => {
    const squared = g.node("Mul", [x, x]);
    const mean = g.node("ReduceMean", [squared], { axes: ints([-1]), keepdims: int(1) });
    const root = g.node("Sqrt", [g.node("Add", [mean, eps])]);
    return g.node("Mul", [g.node("Div", [x, root]), weight]);
  };
  const rope = (x: string) => {
    const first = g.node("Slice", [x, halfStart, halfMid, axis3]);
    const second = g.node("Slice", [x, halfMid, halfEnd, axis3]);
    const a = g.node("Sub", [g.node("Mul", [first, cos]), g.node("Mul", [second, sin])]);
    const b = g.node("Add", [g.node("Mul", [second, cos]), g.node("Mul", [first, sin])]);
    return g.node("Concat", [a, b], { axis: int(3) });
  };
  const heads = (x: string, shapeConst: string) =>
    g.node("Transpose", [g.node("Reshape", [x, shapeConst])], { perm: ints([0, 2, 1, 3]) });
  const repeatKv = (x: string) => {
    if (kvH === nH) return x;
    const expanded = g.node("Expand", [g.node("Unsqueeze", [x, axis2]), repShape]);
    return g.node("Reshape", [expanded, expandedShape]);
  };

  g.floats("model.embed_tokens.weight", [V, H], random(V * H, 1));
  let hidden = g.node("Gather", ["model.embed_tokens.weight", "input_ids"]);

  for (let layer = 0; layer < L; layer++) {
    const prefix = `model.layers.${layer}`;
    const pastKey = `past_key_values.${layer}.key`;
    const pastValue = `past_key_values.${layer}.value`;
    const cacheShape = ["batch_size", kvH, "past_sequence_length", hd];
    inputs.push({ name: pastKey, dataType: DataType.FLOAT, shape: cacheShape });
    inputs.push({ name: pastValue, dataType: DataType.FLOAT, shape: cacheShape });
    const presentShape = ["batch_size", kvH, "total_sequence_length", hd];
    outputs.push({ name: `present.${layer}.key`, dataType: DataType.FLOAT, shape: presentShape });
    outputs.push({
      name: `present.${layer}.value`,
      dataType: DataType.FLOAT,
      shape: presentShape,
    });

    const inNorm = g.floats(`${prefix}.input_layernorm.weight`, [H], ones(H));
    const wq = g.floats(`${prefix}.self_attn.q_proj.weight`, [H, nH * hd], random(H * H, std));
    const wk = g.floats(
      `${prefix}.self_attn.k_proj.weight`,
      [H, kvH * hd],
      random(H * kvH * hd, std),
    );
    const wv = g.floats(
      `${prefix}.self_attn.v_proj.weight`,
      [H, kvH * hd],
      random(H * kvH * hd, std),
    );
    const wo = g.floats(`${prefix}.self_attn.o_proj.weight`, [nH * hd, H], random(H * H, std));
    const x = rmsNorm(hidden, inNorm);
    const q = rope(heads(g.node("MatMul", [x, wq]), qShape));
    const k = rope(heads(g.node("MatMul", [x, wk]), kvShape));
    const v = heads(g.node("MatMul", [x, wv]), kvShape);
    const presentKey = g.node("Concat", [pastKey, k], { axis: int(2) }, `present.${layer}.key`);
    const presentValue = g.node(
      "Concat",
      [pastValue, v],
      { axis: int(2) },
      `present.${layer}.value`,
    );
    const keys = g.node("Transpose", [repeatKv(presentKey)], { perm: ints([0, 1, 3, 2]) });
    const scores = g.node("Add", [
      g.node("Mul", [g.node("MatMul", [q, keys]), scale]),
      maskBias,
    ]);
    const probs = g.node("Softmax", [scores], { axis: int(-1) });
    const context = g.node("MatMul", [probs, repeatKv(presentValue)]);
    const merged = g.node("Reshape", [
      g.node("Transpose", [context], { perm: ints([0, 2, 1, 3]) }),
      mergeShape,
    ]);
    hidden = g.node("Add", [hidden, g.node("MatMul", [merged, wo])]);

    const postNorm = g.floats(`${prefix}.post_attention_layernorm.weight`, [H], ones(H));
    const wg = g.floats(`${prefix}.mlp.gate_proj.weight`, [H, I], random(H * I, std));
    const wu = g.floats(`${prefix}.mlp.up_proj.weight`, [H, I], random(H * I, std));
    const wd = g.floats(`${prefix}.mlp.down_proj.weight`, [I, H], random(I * H, std));
    const y = rmsNorm(hidden, postNorm);
    const gate = g.node("MatMul", [y, wg]);
    const activated = g.node("Mul", [gate, g.node("Sigmoid", [gate])]);
    const product = g.node("Mul", [activated, g.node("MatMul", [y, wu])]);
    hidden = g.node("Add", [hidden, g.node("MatMul", [product, wd])]);
  }

  const finalNorm = g.floats("model.norm.weight", [H], ones(H));
  const head = g.floats("lm_head.weight", [H, V], random(H * V, std * 4));
  const normed = rmsNorm(hidden, finalNorm);
  if (options.logitBias) {
    if (options.logitBias.length !== V) {
      throw new RangeError(
        `Cannot build a Llama graph: logit bias has ${options.logitBias.length} entries, expected ${V}`,
      );
    }
    g.floats("lm_head.bias", [V], options.logitBias);
    g.node("Add", [g.node("MatMul", [normed, head]), "lm_head.bias"], {}, "logits");
  } else {
    g.node("MatMul", [normed, head], {}, "logits");
  }

  return {
    irVersion: 8,
    opsetVersion: 17,
    producerName: "llm-judge make_llama",
    graphName: "llama_decoder",
    nodes: g.nodes,
    initializers: g.initializers,
    inputs,
    outputs,
    metadata: { "llm-judge.seed": String(options.seed) },
  };
}
