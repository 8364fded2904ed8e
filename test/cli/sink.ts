import { Writable } from 'node:stream';

/** A writable that keeps everything written to it (a CLI test's stdout or stderr); writes land synchronously. */
export class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.text += chunk.toString();
    callback();
  }
}
