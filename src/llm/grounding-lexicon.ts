/**
 * Names a page may use without them being in the documented code: language keywords, builtins
 * and globals, and the heads of standard-library modules (a page that recommends
 * `asyncio.to_thread` or `fs.promises.readFile` names a library, it does not claim the code
 * contains it). Used by the grounding check only. Lists follow each language's reference
 * (Python `keyword.kwlist` + `dir(builtins)` + `sys.stdlib_module_names`, ECMAScript globals +
 * Node core modules, the Go spec's predeclared identifiers, Rust's keywords and prelude).
 */
import type { LanguageId } from '../index/types.ts';

/** A page's language: a code language, or `markdown`/`text` for summaries and listings. */
export type PageLanguage = LanguageId | 'markdown' | 'text';

const words = (s: string): string[] => s.trim().split(/\s+/);

const PY_KEYWORDS = words(`False None True and as assert async await break class continue def del elif else except
finally for from global if import in is lambda nonlocal not or pass raise return try while with yield match case type
self cls`);
const PY_BUILTINS = words(`abs aiter all anext any ascii bin bool breakpoint bytearray bytes callable chr classmethod
compile complex delattr dict dir divmod enumerate eval exec filter float format frozenset getattr globals hasattr hash
help hex id input int isinstance issubclass iter len list locals map max memoryview min next object oct open ord pow
print property range repr reversed round set setattr slice sorted staticmethod str sum super tuple vars zip
Exception BaseException ValueError TypeError KeyError IndexError RuntimeError OSError IOError FileNotFoundError
FileExistsError PermissionError TimeoutError ConnectionError ConnectionRefusedError StopIteration StopAsyncIteration
AttributeError NotImplementedError AssertionError ImportError ModuleNotFoundError KeyboardInterrupt SystemExit
ZeroDivisionError UnicodeDecodeError UnicodeEncodeError LookupError ArithmeticError RecursionError MemoryError
GeneratorExit CancelledError NotImplemented Ellipsis
Optional List Dict Tuple Set FrozenSet Any Union Callable Iterable Iterator Generator AsyncIterator AsyncGenerator
Awaitable Coroutine Sequence Mapping MutableMapping TypeVar Generic Protocol Literal Final ClassVar Annotated
TYPE_CHECKING NoReturn Self dataclass
run_in_executor to_thread create_task gather`);
const PY_STDLIB = words(`asyncio os sys time subprocess json re pathlib typing collections functools itertools logging
threading multiprocessing concurrent socket ssl sqlite3 urllib http email datetime dataclasses contextlib signal shutil
tempfile io abc enum math random hashlib hmac secrets base64 uuid copy pickle struct queue heapq bisect weakref inspect
traceback warnings unittest argparse textwrap string glob fnmatch stat platform getpass locale gzip zipfile tarfile csv
configparser tomllib xml html select selectors statistics decimal fractions operator types importlib pkgutil atexit gc
pprint shlex difflib codecs unicodedata zoneinfo calendar builtins
aiofiles aiohttp httpx anyio trio aiosqlite asyncpg uvloop`);

const JS_KEYWORDS = words(`break case catch class const continue debugger default delete do else export extends finally
for function if import in instanceof new return super switch this throw try typeof var void while with yield let static
async await of get set enum implements interface package private protected public type namespace declare abstract
readonly as keyof infer is satisfies null undefined true false`);
const JS_GLOBALS = words(`globalThis window document console process Buffer require module exports __dirname
__filename Promise JSON Math Date Object Array String Number Boolean Symbol BigInt RegExp Error TypeError RangeError
SyntaxError ReferenceError AggregateError Map Set WeakMap WeakSet WeakRef Reflect Proxy Intl URL URLSearchParams
TextEncoder TextDecoder AbortController AbortSignal fetch Request Response Headers FormData Blob setTimeout
clearTimeout setInterval clearInterval setImmediate clearImmediate queueMicrotask structuredClone parseInt parseFloat
isNaN isFinite encodeURIComponent decodeURIComponent Atomics SharedArrayBuffer ArrayBuffer Uint8Array Int32Array
Float64Array DataView Infinity NaN EventEmitter then
string number boolean any unknown never object bigint symbol Record Partial Required Readonly Pick Omit Exclude
Extract ReturnType Parameters Awaited NonNullable PromiseLike Iterable AsyncIterable`);
const NODE_STDLIB = words(`fs path os child_process crypto zlib util events stream http https http2 net url
worker_threads timers readline dns assert buffer cluster perf_hooks querystring string_decoder tls dgram v8 vm
fsPromises`);

const GO_WORDS = words(`break case chan const continue default defer else fallthrough for func go goto if import
interface map package range return select struct switch type var append cap clear close complex copy delete imag len
make max min new panic print println real recover any bool byte comparable error float32 float64 int int8 int16 int32
int64 rune string uint uint8 uint16 uint32 uint64 uintptr true false iota nil`);
const GO_STDLIB = words(`fmt os io time net http context sync errors strings strconv bufio bytes encoding json path
filepath sort log slog math regexp runtime atomic exec signal ioutil testing`);

const RUST_WORDS = words(`as async await break const continue crate dyn else enum extern false fn for if impl in let
loop match mod move mut pub ref return self Self static struct super trait true type unsafe use where while
Option Some None Result Ok Err Vec String Box Rc Arc RefCell Cell Mutex RwLock HashMap HashSet BTreeMap Clone Copy Debug
Default Send Sync Drop Iterator IntoIterator From Into AsRef ToString Fn FnMut FnOnce Future println eprintln format
vec panic assert assert_eq unwrap expect u8 u16 u32 u64 usize i8 i16 i32 i64 isize f32 f64 bool char str
spawn_blocking block_in_place`);
const RUST_STDLIB = words(`std core alloc tokio futures async_std`);

function lexicon(language: PageLanguage): { words: Set<string>; modules: Set<string> } {
  switch (language) {
    case 'python':
      return { words: new Set([...PY_KEYWORDS, ...PY_BUILTINS]), modules: new Set(PY_STDLIB) };
    case 'typescript':
    case 'tsx':
    case 'javascript':
      return { words: new Set([...JS_KEYWORDS, ...JS_GLOBALS]), modules: new Set(NODE_STDLIB) };
    case 'go':
      return { words: new Set(GO_WORDS), modules: new Set(GO_STDLIB) };
    case 'rust':
      return { words: new Set(RUST_WORDS), modules: new Set(RUST_STDLIB) };
    default:
      // `text` / `markdown`: summaries and repository reports span every language of the repository.
      return {
        words: new Set([...PY_KEYWORDS, ...PY_BUILTINS, ...JS_KEYWORDS, ...JS_GLOBALS, ...GO_WORDS, ...RUST_WORDS]),
        modules: new Set([...PY_STDLIB, ...NODE_STDLIB, ...GO_STDLIB, ...RUST_STDLIB]),
      };
  }
}

const CACHE = new Map<PageLanguage, { words: Set<string>; modules: Set<string> }>();

/** Keywords, builtins and globals of `language` (a name a page may use freely). */
export function isLanguageWord(language: PageLanguage, name: string): boolean {
  if (/^__\w+__$/.test(name)) return true; // Python protocol names (`__init__`, `__aenter__`)
  let lex = CACHE.get(language);
  if (!lex) CACHE.set(language, (lex = lexicon(language)));
  return lex.words.has(name);
}

/** A standard-library module head (`asyncio`, `fs`, `std`): `head.x` names a library API. */
export function isLibraryModule(language: PageLanguage, name: string): boolean {
  let lex = CACHE.get(language);
  if (!lex) CACHE.set(language, (lex = lexicon(language)));
  return lex.modules.has(name.replace(/^node:/, ''));
}

/** Keywords the claim checker reads as words even inside backticks (`` `await` ``, `` `async def` ``). */
export const CLAIM_KEYWORDS = new Set(['await', 'async', 'def', 'async def', 'async fn', 'async function', 'sync', 'awaited', 'blocking']);
