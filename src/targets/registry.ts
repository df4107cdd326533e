/**
 * One finder per doc type (`finders/<type>.ts`), all reading the shared index. Adding a doc
 * type is one finder module, its prompts, and one line here.
 */
import type { DocType } from '../config/schema.ts';
import type { TargetFinder } from './types.ts';
import { finder as functionDoc } from './finders/function-doc.ts';
import { finder as classDoc } from './finders/class-doc.ts';
import { finder as fileDoc } from './finders/file-doc.ts';
import { finder as moduleDoc } from './finders/module-doc.ts';
import { finder as securityReview } from './finders/security-review.ts';
import { finder as performanceAnalysis } from './finders/performance-analysis.ts';
import { finder as til } from './finders/til.ts';
import { finder as codeEvolution } from './finders/code-evolution.ts';
import { finder as patternAnalysis } from './finders/pattern-analysis.ts';
import { weeklyFinder, monthlyFinder } from './finders/summary.ts';
import { finder as asyncAnalysis } from './finders/async-analysis.ts';

export const FINDERS: Record<DocType, TargetFinder> = {
  function_doc: functionDoc,
  class_doc: classDoc,
  file_doc: fileDoc,
  module_doc: moduleDoc,
  security_review: securityReview,
  performance_analysis: performanceAnalysis,
  til,
  code_evolution: codeEvolution,
  pattern_analysis: patternAnalysis,
  weekly_summary: weeklyFinder,
  monthly_summary: monthlyFinder,
  async_analysis: asyncAnalysis,
};
