/** C names a page may use freely: C11/C23 keywords, standard types and common libc functions and macros, and the standard headers. */
import { words } from '../types.ts';

export const C_WORDS = words(`auto break case char const continue default do double else enum extern float for goto if
inline int long register restrict return short signed sizeof static struct switch typedef union unsigned void volatile
while _Bool _Complex _Atomic _Noreturn _Static_assert _Thread_local bool true false nullptr NULL
size_t ssize_t ptrdiff_t intptr_t uintptr_t int8_t int16_t int32_t int64_t uint8_t uint16_t uint32_t uint64_t FILE
errno EOF stdin stdout stderr malloc calloc realloc free memcpy memmove memset memcmp strlen strcmp strncmp strcpy
strncpy strcat strchr strrchr strstr strdup sprintf snprintf printf fprintf vsnprintf puts fputs fopen fclose fread
fwrite fflush fgets fseek ftell sscanf atoi strtol strtoul qsort bsearch abort exit assert getenv time clock
open close read write lseek mmap munmap pthread_mutex_lock pthread_mutex_unlock pthread_create pthread_join`);

export const C_MODULES = words(`stdio stdlib string stddef stdint stdbool assert errno limits math time ctype signal
unistd fcntl pthread sys`);
