/**
 * Ruby extraction on a snippet of the standard library's `set.rb`, with complexities counted by
 * hand under RuboCop's Metrics/CyclomaticComplexity (and confirmed with RuboCop 1.39 while
 * writing them; the bench compares the whole standard library).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extract } from './helpers.ts';

const SET = `# frozen_string_literal: true
require 'set/sorted_set'
require_relative 'enumerable'

##
# This library provides the Set class, which implements a collection
# of unordered values with no duplicates.
class Set
  include Enumerable

  # Creates a new set containing the elements of the given enumerable
  # object.
  def initialize(enum = nil, &block) # :yields: o
    @hash ||= Hash.new(false)

    enum.nil? and return

    if block
      do_with_enum(enum) { |o| add(block[o]) }
    else
      merge(enum)
    end
  end

  # Returns true if the set is a subset of the given set.
  def subset?(set)
    case
    when set.instance_of?(self.class) && @hash.respond_to?(:<=)
      @hash <= set.instance_variable_get(:@hash)
    when set.is_a?(Set)
      size <= set.size && all? { |o| set.include?(o) }
    else
      raise ArgumentError, "value must be a set"
    end
  end

  def self.[](*ary)
    new(ary)
  end

  class << self
    def json_create(object)
      new(object['a'])
    end
  end

  def to_a
    @hash.keys.map(&:dup).each { |k| yield k }
  rescue TypeError, ArgumentError
    []
  rescue NoMethodError
    nil
  end
end

module Enumerable
  def to_set(klass = Set, *args, &block)
    klass.new(self, *args, &block)
  end
end
`;

test('Ruby classes, modules, methods, singleton methods, comments and requires', async () => {
  const r = await extract('ruby', SET);
  const set = r.by('Set');
  assert.equal(set.kind, 'class');
  assert.equal(set.docstring, '#\nThis library provides the Set class, which implements a collection\nof unordered values with no duplicates.');
  const init = r.by('Set.initialize');
  assert.equal(init.kind, 'method');
  assert.deepEqual(init.params, ['enum', '&block']);
  assert.equal(init.docstring, 'Creates a new set containing the elements of the given enumerable\nobject.');
  assert.equal(r.by('Set.[]').kind, 'method', '`def self.[]` is a method of the class');
  assert.equal(r.by('Set.json_create').className, 'Set', 'methods of `class << self` belong to the class');
  assert.deepEqual(r.by('Enumerable.to_set').params, ['klass', '*args', '&block']);
  assert.deepEqual(r.imports.map((i) => i.module), ['set/sorted_set', 'enumerable']);
  assert.equal(r.hasSyntaxErrors, false);
});

test("Ruby cyclomatic complexity follows RuboCop's rule", async () => {
  const r = await extract('ruby', SET);
  assert.equal(r.by('Set.initialize').metrics.cyclomatic, 4); // ||=, and, if; the block of do_with_enum is not an iteration
  assert.equal(r.by('Set.subset?').metrics.cyclomatic, 6); // when, &&, when, &&, all? { }
  assert.equal(r.by('Set.to_a').metrics.cyclomatic, 4, 'map(&:dup) and each { } iterate; two rescue clauses are one rescue');
  assert.equal(r.by('Set.[]').metrics.cyclomatic, 1);
});
