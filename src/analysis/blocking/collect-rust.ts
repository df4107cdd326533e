import type { Node } from 'web-tree-sitter';
import { FactsBuilder } from './collect-common.ts';
import type { BlockingFileFacts } from './types.ts';
export function collectRust(_root: Node): BlockingFileFacts { return new FactsBuilder().facts; }
