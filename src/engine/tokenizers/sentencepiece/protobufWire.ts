/**
 * A minimal reader of the protocol-buffer wire format, enough to read a SentencePiece
 * model (`sentencepiece_model.proto`) without a protobuf library. Reference: the
 * encoding guide, https://protobuf.dev/programming-guides/encoding/ — a message is a run
 * of (tag, value) records; the tag is a varint `field << 3 | wireType`, and the wire
 * types are 0 varint, 1 fixed 64-bit, 2 length-delimited (strings, bytes, sub-messages,
 * packed arrays), 5 fixed 32-bit (float). 3 and 4 (groups) are long deprecated and
 * refused. Every error names the byte offset where the data stopped making sense.
 */

/** The data is not a well-formed protobuf message; `offset` is where reading failed. */
export class WireFormatError extends Error {
  override name = 'WireFormatError';
  constructor(message: string, readonly offset: number) { super(`${message} at byte ${offset}`); }
}

export const enum WireType { Varint = 0, Fixed64 = 1, LengthDelimited = 2, Fixed32 = 5 }

/** One record of a message: its field number, wire type and where its value starts. */
export interface WireField {
  field: number;
  wireType: WireType;
  /** Byte offset of the value (after the tag), for error messages. */
  at: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads the records of one message held in `bytes[start, end)`. */
export class WireReader {
  private pos: number;

  constructor(readonly bytes: Uint8Array, start = 0, readonly end = bytes.length) { this.pos = start; }

  get done(): boolean { return this.pos >= this.end; }
  get offset(): number { return this.pos; }

  /** The next record's tag. Example: bytes 0x0a → field 1, wire type 2. */
  nextField(): WireField {
    const at = this.pos;
    const tag = this.varint();
    const field = Math.floor(tag / 8);
    const wireType = tag % 8;
    if (field === 0) throw new WireFormatError('field number 0 in a tag', at);
    if (wireType !== 0 && wireType !== 1 && wireType !== 2 && wireType !== 5) {
      throw new WireFormatError(`unsupported wire type ${wireType} (field ${field})`, at);
    }
    return { field, wireType: wireType as WireType, at: this.pos };
  }

  /**
   * An unsigned varint as a Number (exact below 2^53). Negative int32 values are written
   * as 10-byte varints of their 64-bit two's complement: use `int32()` for those.
   */
  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new WireFormatError('the data ends inside a varint', this.pos);
      const b = this.bytes[this.pos++];
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return result;
      scale *= 128;
    }
    throw new WireFormatError('a varint longer than 10 bytes', this.pos);
  }

  /** An int32 field (wire type 0): the low 32 bits, signed. Example: ff ff ff ff ff ff ff ff ff 01 → -1. */
  int32(): number {
    let lo = 0;
    for (let i = 0, shift = 0; i < 10; i++, shift += 7) {
      if (this.pos >= this.end) throw new WireFormatError('the data ends inside a varint', this.pos);
      const b = this.bytes[this.pos++];
      if (shift < 32) lo |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return lo | 0;
    }
    throw new WireFormatError('a varint longer than 10 bytes', this.pos);
  }

  bool(): boolean { return this.varint() !== 0; }

  /** A float field (wire type 5): four little-endian bytes. */
  float32(): number {
    if (this.pos + 4 > this.end) throw new WireFormatError('the data ends inside a 32-bit value', this.pos);
    const v = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.pos, 4).getFloat32(0, true);
    this.pos += 4;
    return v;
  }

  /** A length-delimited value's bounds, checked against the enclosing message. */
  lengthDelimited(): { start: number; end: number } {
    const at = this.pos;
    const length = this.varint();
    const start = this.pos;
    if (length > this.end - start) throw new WireFormatError(`a length of ${length} bytes runs past the end of the data`, at);
    this.pos = start + length;
    return { start, end: start + length };
  }

  bytesValue(): Uint8Array {
    const { start, end } = this.lengthDelimited();
    return this.bytes.subarray(start, end);
  }

  string(): string {
    const at = this.pos;
    const b = this.bytesValue();
    try { return utf8.decode(b); } catch { throw new WireFormatError('a string field that is not UTF-8', at); }
  }

  /** A sub-message's own reader. */
  message(): WireReader {
    const { start, end } = this.lengthDelimited();
    return new WireReader(this.bytes, start, end);
  }

  /** Skips the value of a field this reader does not need. */
  skip(wireType: WireType): void {
    if (wireType === WireType.Varint) this.varint();
    else if (wireType === WireType.LengthDelimited) this.lengthDelimited();
    else {
      const n = wireType === WireType.Fixed64 ? 8 : 4;
      if (this.pos + n > this.end) throw new WireFormatError(`the data ends inside a ${n * 8}-bit value`, this.pos);
      this.pos += n;
    }
  }
}
