/* TEST/BUILD SCAFFOLDING for Wine 8 only -- never shipped (see README.md next to this file).
 * Windows 10 1703+ has a system icuuc.dll; Wine 8 has none, and Qt6Core 6.11 imports these 20 functions from it.
 * Every converter lookup fails, so Qt uses its built-in codecs. On x64 there is one calling convention, so the
 * functions Qt only calls after a successful ucnv_open can be argument-less stubs. */
#include <stdint.h>

#define EXPORT __declspec(dllexport)
#define U_FILE_ACCESS_ERROR 4

EXPORT void *ucnv_open(const char *name, int *err) {
    (void)name;
    if (err && *err <= 0) *err = U_FILE_ACCESS_ERROR;
    return 0;
}
EXPORT int32_t ucnv_countAvailable(void) { return 0; }
EXPORT const char *ucnv_getAvailableName(int32_t n) { (void)n; return 0; }
EXPORT const char *ucnv_getStandardName(const char *name, const char *standard, int *err) {
    (void)name; (void)standard;
    if (err && *err <= 0) *err = U_FILE_ACCESS_ERROR;
    return 0;
}
EXPORT void ucnv_close(void *cnv) { (void)cnv; }
EXPORT void ucnv_reset(void *cnv) { (void)cnv; }
EXPORT const char *ucnv_getName(void *cnv, int *err) {
    (void)cnv;
    if (err && *err <= 0) *err = U_FILE_ACCESS_ERROR;
    return 0;
}
EXPORT int8_t ucnv_getMaxCharSize(void *cnv) { (void)cnv; return 1; }

#define FAIL_STUB(name) EXPORT intptr_t name(void) { return 0; }
FAIL_STUB(UCNV_FROM_U_CALLBACK_SUBSTITUTE)
FAIL_STUB(UCNV_TO_U_CALLBACK_SUBSTITUTE)
FAIL_STUB(ucnv_cbFromUWriteUChars)
FAIL_STUB(ucnv_cbToUWriteUChars)
FAIL_STUB(ucnv_fromUCountPending)
FAIL_STUB(ucnv_toUCountPending)
FAIL_STUB(ucnv_fromUnicode)
FAIL_STUB(ucnv_toUnicode)
FAIL_STUB(ucnv_getFromUCallBack)
FAIL_STUB(ucnv_getToUCallBack)
FAIL_STUB(ucnv_setFromUCallBack)
FAIL_STUB(ucnv_setToUCallBack)
