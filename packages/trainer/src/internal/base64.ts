type Typed = Float32Array | Int32Array | Uint8Array | Float64Array;
type TypedCtor = { new (buffer: ArrayBuffer): Typed; BYTES_PER_ELEMENT: number };

const NodeBuffer = (
  globalThis as {
    Buffer?: {
      from(
        data: ArrayBufferView | string,
        encoding?: string,
      ): Uint8Array & { toString(e: string): string };
    };
  }
).Buffer;

/** The bytes of a typed array as base64 (exact: checkpoints keep every bit of a float32). */
export function toBase64(view: ArrayBufferView): string {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  if (NodeBuffer) return NodeBuffer.from(bytes).toString('base64');
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

/** Decodes {@link toBase64} into a fresh, aligned typed array of `ctor`. */
export function fromBase64(text: string, ctor: TypedCtor): Typed {
  let bytes: Uint8Array;
  if (NodeBuffer) bytes = NodeBuffer.from(text, 'base64');
  else {
    const raw = atob(text);
    bytes = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  }
  const copy = new ArrayBuffer(bytes.length - (bytes.length % ctor.BYTES_PER_ELEMENT));
  new Uint8Array(copy).set(bytes.subarray(0, copy.byteLength));
  return new ctor(copy);
}
