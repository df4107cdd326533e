/**
 * JavaScript / TypeScript names a page may use freely: ECMAScript and TypeScript keywords,
 * globals and utility types, and Node core modules.
 */
import { words } from '../types.ts';

export const JS_WORDS = words(`break case catch class const continue debugger default delete do else export extends finally
for function if import in instanceof new return super switch this throw try typeof var void while with yield let static
async await of get set enum implements interface package private protected public type namespace declare abstract
readonly as keyof infer is satisfies null undefined true false
globalThis window document console process Buffer require module exports __dirname
__filename Promise JSON Math Date Object Array String Number Boolean Symbol BigInt RegExp Error TypeError RangeError
SyntaxError ReferenceError AggregateError Map Set WeakMap WeakSet WeakRef Reflect Proxy Intl URL URLSearchParams
TextEncoder TextDecoder AbortController AbortSignal fetch Request Response Headers FormData Blob setTimeout
clearTimeout setInterval clearInterval setImmediate clearImmediate queueMicrotask structuredClone parseInt parseFloat
isNaN isFinite encodeURIComponent decodeURIComponent Atomics SharedArrayBuffer ArrayBuffer Uint8Array Int32Array
Float64Array DataView Infinity NaN EventEmitter then
string number boolean any unknown never object bigint symbol Record Partial Required Readonly Pick Omit Exclude
Extract ReturnType Parameters Awaited NonNullable PromiseLike Iterable AsyncIterable`);

export const NODE_MODULES = words(`fs path os child_process crypto zlib util events stream http https http2 net url
worker_threads timers readline dns assert buffer cluster perf_hooks querystring string_decoder tls dgram v8 vm
fsPromises`);
