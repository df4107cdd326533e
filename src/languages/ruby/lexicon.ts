/** Ruby names a page may use freely: keywords, core classes and Kernel methods, and standard-library names. */
import { words } from '../types.ts';

export const RUBY_WORDS = words(`BEGIN END alias and begin break case class def defined? do else elsif end ensure false
for if in module next nil not or redo rescue retry return self super then true undef unless until when while yield
__method__ __FILE__ __LINE__ __dir__ attr_reader attr_writer attr_accessor private protected public module_function
include extend prepend require require_relative load raise puts print p pp format sprintf lambda proc block_given?
loop catch throw freeze frozen? dup clone tap then
Object BasicObject Kernel Module Class Comparable Enumerable Enumerator String Symbol Integer Float Numeric Rational
Complex Array Hash Range Regexp MatchData Proc Method IO File Dir Time Struct Set Thread Mutex Queue Fiber
Exception StandardError RuntimeError ArgumentError TypeError NameError NoMethodError KeyError IndexError IOError
Errno NotImplementedError StopIteration ZeroDivisionError FrozenError SystemExit Interrupt
each map select reject reduce inject each_with_index each_with_object find detect include? empty? any? all? first last
size length to_s to_i to_a to_h to_sym inspect nil? is_a? respond_to? send public_send new initialize`);

export const RUBY_MODULES = words(`json yaml set fileutils pathname open3 net uri erb logger optparse socket tempfile
stringio securerandom digest base64 time date benchmark forwardable singleton observer delegate ostruct English
rbconfig monitor timeout zlib csv`);
