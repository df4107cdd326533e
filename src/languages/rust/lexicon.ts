/**
 * Rust names a page may use freely: keywords, the prelude and common std items, and crate roots.
 */
import { words } from '../types.ts';

export const RUST_WORDS = words(`as async await break const continue crate dyn else enum extern false fn for if impl in let
loop match mod move mut pub ref return self Self static struct super trait true type unsafe use where while
Option Some None Result Ok Err Vec String Box Rc Arc RefCell Cell Mutex RwLock HashMap HashSet BTreeMap Clone Copy Debug
Default Send Sync Drop Iterator IntoIterator From Into AsRef ToString Fn FnMut FnOnce Future println eprintln format
vec panic assert assert_eq unwrap expect u8 u16 u32 u64 usize i8 i16 i32 i64 isize f32 f64 bool char str
spawn_blocking block_in_place`);

export const RUST_MODULES = words(`std core alloc tokio futures async_std`);
