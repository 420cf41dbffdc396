/** TLS certificates and trust databases for https listeners and client-certificate authentication. */
package dev.ladle.tls;
