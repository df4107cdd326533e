/** C++ names a page may use freely: C++23 keywords, common standard-library names, and the `std` namespace. */
import { words } from '../types.ts';
import { C_WORDS } from '../c/lexicon.ts';

export const CPP_WORDS = [
  ...C_WORDS,
  ...words(`alignas alignof and and_eq asm bitand bitor catch char8_t char16_t char32_t class compl concept consteval
constexpr constinit const_cast co_await co_return co_yield decltype delete dynamic_cast explicit export friend mutable
namespace new noexcept not not_eq operator or or_eq private protected public reinterpret_cast requires static_assert
static_cast template this thread_local throw try typeid typename using virtual wchar_t xor xor_eq override final
std string string_view vector map unordered_map set unordered_set list deque array pair tuple optional variant any
unique_ptr shared_ptr weak_ptr make_unique make_shared move forward swap size begin end push_back emplace_back
cout cerr endl function thread mutex lock_guard unique_lock condition_variable atomic future promise async
exception runtime_error logic_error invalid_argument out_of_range`),
];

export const CPP_MODULES = words(`std boost iostream string vector memory algorithm utility functional map
unordered_map thread mutex chrono filesystem`);
