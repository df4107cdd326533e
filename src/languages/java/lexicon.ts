/**
 * Java names a page may use freely: the JLS keywords and literals, common `java.lang` and
 * `java.util` types, and the standard package roots.
 */
import { words } from '../types.ts';

export const JAVA_WORDS = words(`abstract assert boolean break byte case catch char class const continue default do double
else enum extends final finally float for goto if implements import instanceof int interface long native new package
private protected public return short static strictfp super switch synchronized this throw throws transient try void
volatile while var record yield sealed permits non-sealed when true false null
Object String StringBuilder Integer Long Double Float Boolean Character Byte Short Number Math System Thread Runnable
Exception RuntimeException Error Throwable IllegalArgumentException IllegalStateException NullPointerException
IOException UncheckedIOException InterruptedException UnsupportedOperationException IndexOutOfBoundsException
ClassCastException ArithmeticException CloneNotSupportedException Iterable Comparable AutoCloseable Override
Deprecated SuppressWarnings FunctionalInterface SafeVarargs Class Enum Record Void
List ArrayList LinkedList Map HashMap LinkedHashMap TreeMap Set HashSet TreeSet Collection Collections Arrays Optional
Iterator Objects Stream Collectors Function Supplier Consumer Predicate BiFunction CompletableFuture Future
ExecutorService Executors ConcurrentHashMap AtomicInteger AtomicLong TimeUnit Duration Instant
println printf equals hashCode toString getClass length size get put add remove contains isEmpty`);

export const JAVA_MODULES = words(`java javax jdk sun com org`);
