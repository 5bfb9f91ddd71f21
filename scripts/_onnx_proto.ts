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
  INT32: 6,
  INT64: 7,
  BOOL: 9,
  FLOAT16: 10,
} as const;

/** A tensor element type code. */
export type DataTypeCode = (typeof DataType)[keyof typeof DataType];

/** An initializer or constant tensor. */
export interface TensorSpec {
  name: string;
  dataType: DataTypeCode;
  dims: readonly number[];
  /** Little-endian element bytes (`raw_data`). */
  raw: Uint8Array;
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

function encodeTensor(tensor: TensorSpec): Encoded {
  const w = new Writer();
  if (tensor.dims.length > 0) w.packedInts(1, tensor.dims);
  w.int(2, tensor.dataType);
  w.string(8, tensor.name);
  w.bytes(9, tensor.raw);
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
  for (const [key, value] of Object.entries(model.metadata ?? {})) {
    const entry = new Writer();
    entry.string(1, key);
    entry.string(2, value);
    w.message(14, entry);
  }
  return w;
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
