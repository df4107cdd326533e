/** C# names a page may use freely: keywords, contextual keywords, common BCL types and the standard namespaces. */
import { words } from '../types.ts';

export const CSHARP_WORDS = words(`abstract as base bool break byte case catch char checked class const continue decimal
default delegate do double else enum event explicit extern false finally fixed float for foreach goto if implicit in
int interface internal is lock long namespace new null object operator out override params private protected public
readonly ref return sbyte sealed short sizeof stackalloc static string struct switch this throw true try typeof uint
ulong unchecked unsafe ushort using virtual void volatile while async await var dynamic get set init value yield record
when where nameof required with and or not
Task ValueTask Func Action Exception ArgumentException ArgumentNullException InvalidOperationException
NotImplementedException NotSupportedException OperationCanceledException TimeoutException IOException CancellationToken
CancellationTokenSource List Dictionary HashSet IEnumerable IList IDictionary IReadOnlyList Span Memory StringBuilder
Console Math DateTime TimeSpan Guid Stream File Path HttpClient Thread Interlocked ConfigureAwait Result Wait
GetAwaiter GetResult WhenAll WhenAny Run Delay FromResult CompletedTask ToString Equals GetHashCode Dispose IDisposable
IAsyncDisposable`);

export const CSHARP_MODULES = words(`System Microsoft Newtonsoft`);
