/** PHP names a page may use freely: keywords, core types and common built-in functions, and standard extensions. */
import { words } from '../types.ts';

export const PHP_WORDS = words(`abstract and array as break callable case catch class clone const continue declare default
do echo else elseif empty enddeclare endfor endforeach endif endswitch endwhile enum extends final finally fn for foreach
function global goto if implements include include_once instanceof insteadof interface isset list match namespace new
or print private protected public readonly require require_once return static switch throw trait try unset use var
while xor yield self parent true false null this mixed void never int float bool string object iterable
Exception Error TypeError ValueError RuntimeException InvalidArgumentException LogicException JsonException Throwable
Closure Generator Traversable Iterator IteratorAggregate ArrayAccess Countable Stringable DateTime DateTimeImmutable
stdClass PDO PDOException ArrayObject SplObjectStorage
count strlen strpos str_replace substr sprintf implode explode array_map array_filter array_merge array_keys
array_values in_array is_array is_string is_int isset json_encode json_decode trim preg_match preg_replace
file_get_contents file_put_contents fopen fclose fwrite var_dump print_r sort usort`);

export const PHP_MODULES = words(`PDO curl json mbstring openssl Psr Symfony Illuminate GuzzleHttp`);
