// The system OpenSSL (Debian: libssl-dev), imported into Swift as `COpenSSL`. KubePKI uses
// libcrypto's primitives (EC keys, ECDSA, digests; X.509 structures are Swift, KubePKI/X509);
// OpenSSLTLS uses libssl for TLS connections.
#include <openssl/evp.h>
#include <openssl/ec.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/bio.h>
#include <openssl/ssl.h>
