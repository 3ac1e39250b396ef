/* ProcessPrng for wine 8.0, which lacks it: Rust's standard library on Windows
 * imports it from bcryptprimitives.dll for its random numbers (hash map keys).
 * Used only to run Windows builds under wine for testing; never shipped.
 * Fills the buffer from RtlGenRandom (advapi32's SystemFunction036). */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
