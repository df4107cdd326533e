/**
 * Go names a page may use freely: the spec's keywords and predeclared identifiers, and common
 * standard-library package names.
 */
import { words } from '../types.ts';

export const GO_WORDS = words(`break case chan const continue default defer else fallthrough for func go goto if import
interface map package range return select struct switch type var append cap clear close complex copy delete imag len
make max min new panic print println real recover any bool byte comparable error float32 float64 int int8 int16 int32
int64 rune string uint uint8 uint16 uint32 uint64 uintptr true false iota nil`);

export const GO_MODULES = words(`fmt os io time net http context sync errors strings strconv bufio bytes encoding json path
filepath sort log slog math regexp runtime atomic exec signal ioutil testing`);
