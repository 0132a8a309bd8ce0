/* TEST/BUILD SCAFFOLDING for Wine 8 only -- never shipped (see README.md next to this file).
 * Windows 10+ exports ProcessPrng from bcryptprimitives.dll (Rust's std uses it for randomness); Wine 8 lacks it.
 * "ProcessPrng always returns TRUE" (Microsoft Learn, ProcessPrng function). */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length); /* RtlGenRandom, advapi32 */

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size) {
    while (size > 0) {
        ULONG chunk = size > 0x10000000 ? 0x10000000 : (ULONG)size;
        SystemFunction036(data, chunk);
        data += chunk;
        size -= chunk;
    }
    return TRUE;
}
