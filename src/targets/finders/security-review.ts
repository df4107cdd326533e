/**
 * security_review: function candidates seen from a security perspective. Functions that run
 * commands, evaluate code, deserialise, touch files, SQL or the network, or take
 * user-controlled-sounding parameters rank first.
 */
import type { CodeSymbol } from '../../index/types.ts';
import { callsMatching, functionUnitFinder } from './function-unit.ts';

/** Callees that carry security risk, across the supported languages. */
export const RISKY_CALLS =
  /(^|\.)(eval|exec|execSync|execFile|spawn|system|popen|Popen|run|check_output|call|loads|load|unsafe_load|deserialize|compile|open|readFile|writeFile|execute|executemany|raw|query|innerHTML|dangerouslySetInnerHTML|urlopen|request|get|post|fetch|Command|unsafe|from_raw_parts|transmute|md5|sha1|random|mktemp)$/;
const SENSITIVE_PARAMS = /^(request|req|path|filename|url|uri|query|sql|cmd|command|user|username|password|passwd|token|secret|key|data|payload|body|input|html|template)$/i;

export function securityBonus(symbol: CodeSymbol): number {
  const risky = callsMatching(symbol, RISKY_CALLS);
  const params = symbol.params.filter((p) => SENSITIVE_PARAMS.test(p.replace(/[:=].*$/, '').trim())).length;
  return Math.min(risky * 6, 30) + Math.min(params * 5, 20);
}

export const finder = functionUnitFinder('security_review', securityBonus);
