/**
 * C and C++ extraction on snippets of SQLite (the amalgamation in better-sqlite3) and LevelDB,
 * with complexities counted by hand under pmccabe's traditional McCabe rule (and confirmed
 * with pmccabe 2.8 while writing them; the bench compares the whole code bases).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extract } from './helpers.ts';

const SQLITE = `#include <string.h>
#include "sqliteInt.h"

/*
** Compute a string length that is limited to what can be stored in
** lower 30 bits of a 32-bit signed integer.
*/
SQLITE_PRIVATE int sqlite3Strlen30(const char *z){
  if( z==0 ) return 0;
  return 0x3fffffff & (int)strlen(z);
}

struct Mem5Global {
  int szAtom;
  char *zPool;
};

static void *sqlite3MemMalloc(int nByte){
#ifdef SQLITE_MALLOCSIZE
  void *p;
  p = SQLITE_MALLOC( nByte );
  if( p==0 ){
    sqlite3_log(SQLITE_NOMEM, "failed to allocate %u bytes of memory", nByte);
  }
  return p;
#else
  sqlite3_int64 *p;
  p = SQLITE_MALLOC( nByte+8 );
  if( p ){
    p[0] = nByte;
    p++;
  }
  return (void*)p;
#endif
}

static int sqlite3MemInit(void *NotUsed){
#if defined(__APPLE__) && !defined(SQLITE_WITHOUT_ZONEMALLOC)
  int cpuCount;
  if( _sqliteZone_ ){
    return SQLITE_OK;
  }
  if( cpuCount>1 ){
    _sqliteZone_ = malloc_default_zone();
  }
#endif
  UNUSED_PARAMETER(NotUsed);
  return SQLITE_OK;
}
`;

test('C functions, structs, block doc comments and includes', async () => {
  const r = await extract('c', SQLITE);
  const f = r.by('sqlite3Strlen30');
  assert.equal(f.kind, 'function');
  assert.deepEqual(f.params, ['z']);
  assert.equal(f.docstring, 'Compute a string length that is limited to what can be stored in\nlower 30 bits of a 32-bit signed integer.');
  assert.deepEqual(f.calls.map((c) => c.callee), ['strlen']);
  assert.equal(r.by('Mem5Global').kind, 'class');
  assert.deepEqual(r.imports.map((i) => i.module), ['string.h', 'sqliteInt.h']);
});

test("C cyclomatic complexity follows pmccabe: one preprocessor branch, no #if conditions", async () => {
  const r = await extract('c', SQLITE);
  assert.equal(r.by('sqlite3Strlen30').metrics.cyclomatic, 2);
  assert.equal(r.by('sqlite3MemMalloc').metrics.cyclomatic, 2, 'the #else branch does not count');
  assert.equal(r.by('sqlite3MemInit').metrics.cyclomatic, 3, 'the && of the #if line does not count');
});

const LEVELDB = `#include "leveldb/status.h"

namespace leveldb {

const char* GetVarint32PtrFallback(const char* p, const char* limit,
                                   uint32_t* value) {
  uint32_t result = 0;
  for (uint32_t shift = 0; shift <= 28 && p < limit; shift += 7) {
    uint32_t byte = *(reinterpret_cast<const uint8_t*>(p));
    p++;
    if (byte & 128) {
      result |= ((byte & 127) << shift);
    } else {
      result |= (byte << shift);
      *value = result;
      return reinterpret_cast<const char*>(p);
    }
  }
  return nullptr;
}

Status::Status(Code code, const Slice& msg, const Slice& msg2) {
  assert(code != kOk);
  const uint32_t len2 = static_cast<uint32_t>(msg2.size());
  const uint32_t size = len1 + (len2 ? (2 + len2) : 0);
  if (len2) {
    std::memcpy(result + 7 + len1, msg2.data(), len2);
  }
}

/// A cache that keeps the most recently used entries.
class LRUCache : public Cache {
 public:
  size_t TotalCharge() const {
    MutexLock l(&mutex_);
    return usage_;
  }
  void Prune() {
    auto drop = [this](LRUHandle* e) { return e->refs == 1 && !e->in_cache; };
    switch (kind_) {
      case 1:
      case 2:
        break;
      default:
        break;
    }
  }
};

}  // namespace leveldb
`;

test('C++ functions, out-of-line and in-class methods, classes and doc comments', async () => {
  const r = await extract('cpp', LEVELDB);
  const f = r.by('GetVarint32PtrFallback');
  assert.deepEqual(f.params, ['p', 'limit', 'value']);
  assert.equal(f.metrics.cyclomatic, 4); // for, &&, if
  const ctor = r.by('Status.Status');
  assert.equal(ctor.kind, 'method');
  assert.equal(ctor.className, 'Status');
  assert.deepEqual(ctor.params, ['code', 'msg', 'msg2']);
  assert.equal(ctor.metrics.cyclomatic, 3); // ?:, if
  const cache = r.by('LRUCache');
  assert.equal(cache.docstring, 'A cache that keeps the most recently used entries.');
  assert.deepEqual(cache.bases, ['Cache']);
  assert.equal(cache.methodCount, 2);
  assert.equal(r.by('LRUCache.TotalCharge').metrics.cyclomatic, 1);
  assert.equal(r.by('LRUCache.Prune').metrics.cyclomatic, 4, "the lambda's && and both cases count toward Prune");
  assert.deepEqual(r.imports.map((i) => i.module), ['leveldb/status.h']);
});
