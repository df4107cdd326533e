/**
 * C++ security sinks and performance loop rules (issue 15): the C rules (`../c/analysis.ts`)
 * plus C++'s own constructions — a `std::regex` built in a loop, file streams opened per item,
 * and a `std::string` grown with `+=` is not a finding (amortised appends), unlike C's `strcat`.
 */
import type { Node } from 'web-tree-sitter';
import { C_LOOPS, collectCSinks } from '../c/analysis.ts';
import { collectLoopPerformance, type LoopSpec } from '../loop-performance.ts';

/** Security sinks of a C++ file (the C line rules). */
export function collectCppSinks(source: string) {
  return collectCSinks(source);
}

const CONSTRUCTED = /^(?:std::)?(?:w?regex|basic_regex<[^>]*>|ifstream|ofstream|fstream)$/;

export const CPP_LOOPS: LoopSpec = {
  ...C_LOOPS,
  callOf(n: Node) {
    const call = C_LOOPS.callOf(n);
    if (call) return call;
    // `std::regex re("a+");` / `std::ifstream in(path);`: a construction is a call of the type
    if (n.type === 'declaration') {
      const type = n.childForFieldName('type')?.text.replace(/\s+/g, '') ?? '';
      const init = n.childForFieldName('declarator');
      // `std::ifstream in(path);` parses as a function declaration (the most vexing parse)
      if (CONSTRUCTED.test(type) && (init?.type === 'init_declarator' || init?.type === 'function_declarator')) return { callee: `std::${type.replace(/^std::/, '')}`, args: init.text };
    }
    return null;
  },
  io: new RegExp(`${C_LOOPS.io.source}|^std::(?:ifstream|ofstream|fstream)$`),
  regex: /^(?:regcomp|std::w?regex|std::basic_regex.*)$/,
};

/** Performance hits of a C++ file (loop rules). */
export function collectCppPerformance(root: Node) {
  return collectLoopPerformance(root, CPP_LOOPS);
}
