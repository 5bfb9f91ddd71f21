/**
 * A small protobuf encoder for the parts of `onnx.proto` a decoder model
 * needs: ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto and
 * ValueInfoProto. Messages are encoded as lists of byte chunks so that
 * weights (hundreds of MB) are written straight from their typed arrays,
 * never copied into one big buffer.
 * @module
 */

/** ONNX `TensorProto.DataType` codes used here. */
export const DataType = {
  FLOAT: 1,
  UINT8: 2,
  INT32: 6,
  INT64: 7,
  BOOL: 9,
  FLOAT16: 10,
} as const;

/** A tensor element type code. */
export type DataTypeCode = (typeof DataType)[keyof typeof DataType];

/** Where a tensor's bytes lie in an external data file (TensorProto `external_data`). */
export interface ExternalDataRef {
  /** File name, relative to the directory of the `.onnx` file. */
  location: string;
  /** Byte offset of the tensor in that file. */
  offset: number;
  /** Byte length of the tensor. */
  length: number;
}

/** An initializer or constant tensor. */
export interface TensorSpec {
  name: string;
  dataType: DataTypeCode;
  dims: readonly number[];
  /** Little-endian element bytes (`raw_data`, or the bytes of the external data file). */
  raw: Uint8Array;
  /**
   * When set, the tensor is encoded as external (`external_data` entries and
   * `data_location` EXTERNAL, no `raw_data`): `raw` must be written to the
   * data file at this place.
   * @default {undefined}
   */
  external?: ExternalDataRef;
}

/** A node attribute. */
export type AttributeValue =
  | { kind: "int"; value: number }
  | { kind: "float"; value: number }
  | { kind: "ints"; value: readonly number[] }
  | { kind: "string"; value: string }
  | { kind: "tensor"; value: TensorSpec };

/** A graph node. */
export interface NodeSpec {
  opType: string;
  inputs: readonly string[];
  outputs: readonly string[];
  name: string;
  attributes?: Readonly<Record<string, AttributeValue>>;
  /**
   * Operator domain (`com.microsoft` for ONNX Runtime's contrib operators).
   * @default {""} (the ONNX domain)
   */
  domain?: string;
}

/** A graph input or output: name, element type and shape (numbers or symbolic names). */
export interface ValueInfoSpec {
  name: string;
  dataType: DataTypeCode;
  shape: readonly (number | string)[];
}

/** A whole model. */
export interface ModelSpec {
  irVersion: number;
  opsetVersion: number;
  producerName: string;
  graphName: string;
  nodes: readonly NodeSpec[];
  initializers: readonly TensorSpec[];
  inputs: readonly ValueInfoSpec[];
  outputs: readonly ValueInfoSpec[];
  metadata?: Readonly<Record<string, string>>;
  /**
   * Operator sets of other domains the nodes use, by domain (e.g.
   * `{ "com.microsoft": 1 }`); the ONNX domain's is `opsetVersion`.
   * @default {{}}
   */
  opsetImports?: Readonly<Record<string, number>>;
}

/** An encoded message: byte chunks and their total length. */
export interface Encoded {
  chunks: Uint8Array[];
  length: number;
}

const encoder = new TextEncoder();

function varint(value: number | bigint): Uint8Array {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Uint8Array.from(out);
}

class Writer {
  chunks: Uint8Array[] = [];
  length = 0;

  push(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.chunks.push(bytes);
    this.length += bytes.length;
  }

  tag(field: number, wire: number): void {
    this.push(varint((field << 3) | wire));
  }

  int(field: number, value: number): void {
    this.tag(field, 0);
    this.push(varint(value));
  }

  float(field: number, value: number): void {
    this.tag(field, 5);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    this.push(bytes);
  }

  bytes(field: number, value: Uint8Array): void {
    this.tag(field, 2);
    this.push(varint(value.length));
    // A zero-length field is still written: its tag and length say "present".
    this.push(value);
  }

  string(field: number, value: string): void {
    this.bytes(field, encoder.encode(value));
  }

  message(field: number, value: Encoded): void {
    this.tag(field, 2);
    this.push(varint(value.length));
    for (const chunk of value.chunks) this.push(chunk);
  }

  packedInts(field: number, values: readonly number[]): void {
    const inner = new Writer();
    for (const value of values) inner.push(varint(value));
    this.message(field, inner);
  }
}

/** A `StringStringEntryProto` (`key` = 1, `value` = 2). */
function stringEntry(key: string, value: string): Encoded {
  const w = new Writer();
  w.string(1, key);
  w.string(2, value);
  return w;
}

/** `TensorProto.DataLocation.EXTERNAL`. */
const DATA_LOCATION_EXTERNAL = 1;

function encodeTensor(tensor: TensorSpec): Encoded {
  const w = new Writer();
  if (tensor.dims.length > 0) w.packedInts(1, tensor.dims);
  w.int(2, tensor.dataType);
  w.string(8, tensor.name);
  const external = tensor.external;
  if (external === undefined) {
    w.bytes(9, tensor.raw);
  } else {
    w.message(13, stringEntry("location", external.location));
    w.message(13, stringEntry("offset", String(external.offset)));
    w.message(13, stringEntry("length", String(external.length)));
    w.int(14, DATA_LOCATION_EXTERNAL);
  }
  return w;
}

function encodeAttribute(name: string, attribute: AttributeValue): Encoded {
  const w = new Writer();
  w.string(1, name);
  switch (attribute.kind) {
    case "float":
      w.float(2, attribute.value);
      w.int(20, 1);
      break;
    case "int":
      w.int(3, attribute.value);
      w.int(20, 2);
      break;
    case "string":
      w.string(4, attribute.value);
      w.int(20, 3);
      break;
    case "tensor":
      w.message(5, encodeTensor(attribute.value));
      w.int(20, 4);
      break;
    case "ints":
      w.packedInts(8, attribute.value);
      w.int(20, 7);
      break;
  }
  return w;
}

function encodeNode(node: NodeSpec): Encoded {
  const w = new Writer();
  for (const input of node.inputs) w.string(1, input);
  for (const output of node.outputs) w.string(2, output);
  w.string(3, node.name);
  w.string(4, node.opType);
  if (node.domain !== undefined && node.domain !== "") w.string(7, node.domain);
  for (const [name, value] of Object.entries(node.attributes ?? {})) {
    w.message(5, encodeAttribute(name, value));
  }
  return w;
}

function encodeValueInfo(info: ValueInfoSpec): Encoded {
  const shape = new Writer();
  for (const dim of info.shape) {
    const d = new Writer();
    if (typeof dim === "number") d.int(1, dim);
    else d.string(2, dim);
    shape.message(1, d);
  }
  const tensorType = new Writer();
  tensorType.int(1, info.dataType);
  tensorType.message(2, shape);
  const type = new Writer();
  type.message(1, tensorType);
  const w = new Writer();
  w.string(1, info.name);
  w.message(2, type);
  return w;
}

/**
 * Encodes a model as `ModelProto` bytes (in chunks).
 *
 * @example
 * ```ts ignore
 * const { chunks } = encodeModel(spec);
 * ```
 */
export function encodeModel(model: ModelSpec): Encoded {
  const graph = new Writer();
  for (const node of model.nodes) graph.message(1, encodeNode(node));
  graph.string(2, model.graphName);
  for (const tensor of model.initializers) graph.message(5, encodeTensor(tensor));
  for (const input of model.inputs) graph.message(11, encodeValueInfo(input));
  for (const output of model.outputs) graph.message(12, encodeValueInfo(output));
  const opset = new Writer();
  opset.string(1, "");
  opset.int(2, model.opsetVersion);
  const w = new Writer();
  w.int(1, model.irVersion);
  w.string(2, model.producerName);
  w.message(7, graph);
  w.message(8, opset);
  for (const [domain, version] of Object.entries(model.opsetImports ?? {})) {
    const extra = new Writer();
    extra.string(1, domain);
    extra.int(2, version);
    w.message(8, extra);
  }
  for (const [key, value] of Object.entries(model.metadata ?? {})) {
    w.message(14, stringEntry(key, value));
  }
  return w;
}

/** Options of {@linkcode externalizeInitializers}. */
export interface ExternalizeOptions {
  /** Name of the data file, relative to the directory of the `.onnx` file. */
  location: string;
  /**
   * Initializers of at least this many bytes go to the data file; smaller ones stay inline.
   * @default {1024}
   */
  minBytes?: number;
  /**
   * Each tensor's offset in the data file is a multiple of this.
   * @default {16}
   */
  alignment?: number;
}

/** A model whose large initializers are external, and the bytes of its data file. */
export interface ExternalizedModel {
  /** The model, its large initializers referring to the data file. */
  model: ModelSpec;
  /** The data file's bytes, in chunks (views of the tensors' own bytes and zero padding). */
  data: Encoded;
}

/**
 * Moves a model's large initializers to an external data file, as Optimum
 * (`model.onnx_data`) and ONNX Runtime GenAI (`model.onnx.data`) exports of
 * big models do. Nothing is copied: the data chunks are the tensors' own
 * bytes, so {@linkcode writeEncoded} streams them to the file.
 *
 * @example
 * ```ts ignore
 * const { model, data } = externalizeInitializers(spec, { location: "model.onnx_data" });
 * await writeEncoded("onnx/model.onnx", encodeModel(model));
 * await writeEncoded("onnx/model.onnx_data", data);
 * ```
 */
export function externalizeInitializers(
  model: ModelSpec,
  options: ExternalizeOptions,
): ExternalizedModel {
  const minBytes = options.minBytes ?? 1024;
  const alignment = options.alignment ?? 16;
  if (!Number.isInteger(alignment) || alignment < 1) {
    throw new RangeError(
      `Cannot externalize initializers: alignment must be a positive integer, got ${alignment}`,
    );
  }
  if (options.location === "" || /[\\/]/.test(options.location)) {
    throw new RangeError(
      `Cannot externalize initializers: location must be a plain file name, got ${
        JSON.stringify(options.location)
      }`,
    );
  }
  const data: Encoded = { chunks: [], length: 0 };
  const initializers = model.initializers.map((tensor): TensorSpec => {
    if (tensor.raw.length < minBytes) return tensor;
    const padding = (alignment - (data.length % alignment)) % alignment;
    if (padding > 0) data.chunks.push(new Uint8Array(padding));
    const offset = data.length + padding;
    data.chunks.push(tensor.raw);
    data.length = offset + tensor.raw.length;
    return {
      ...tensor,
      external: { location: options.location, offset, length: tensor.raw.length },
    };
  });
  return { model: { ...model, initializers }, data };
}

/** Writes encoded chunks to a file. */
export async function writeEncoded(path: string, encoded: Encoded): Promise<void> {
  const file = await Deno.open(path, { write: true, create: true, truncate: true });
  try {
    for (const chunk of encoded.chunks) {
      let offset = 0;
      while (offset < chunk.length) offset += await file.write(chunk.subarray(offset));
    }
  } finally {
    file.close();
  }
}
