// The system libcrypto (Debian: libssl-dev), imported into Swift as `COpenSSL`. Skiff uses only
// its primitives (EC keys, ECDSA, digests); X.509 structures are Swift (KubePKI/X509).
#include <openssl/evp.h>
#include <openssl/ec.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/err.h>
