/**
 * Python names a page may use without them being in the documented code: `keyword.kwlist`,
 * `dir(builtins)` and common `typing` names, and `sys.stdlib_module_names` heads (plus the async
 * libraries pages recommend).
 */
import { words } from '../types.ts';

export const PYTHON_WORDS = words(`False None True and as assert async await break class continue def del elif else except
finally for from global if import in is lambda nonlocal not or pass raise return try while with yield match case type
self cls
abs aiter all anext any ascii bin bool breakpoint bytearray bytes callable chr classmethod
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

export const PYTHON_MODULES = words(`asyncio os sys time subprocess json re pathlib typing collections functools itertools logging
threading multiprocessing concurrent socket ssl sqlite3 urllib http email datetime dataclasses contextlib signal shutil
tempfile io abc enum math random hashlib hmac secrets base64 uuid copy pickle struct queue heapq bisect weakref inspect
traceback warnings unittest argparse textwrap string glob fnmatch stat platform getpass locale gzip zipfile tarfile csv
configparser tomllib xml html select selectors statistics decimal fractions operator types importlib pkgutil atexit gc
pprint shlex difflib codecs unicodedata zoneinfo calendar builtins
aiofiles aiohttp httpx anyio trio aiosqlite asyncpg uvloop`);
