package dev.ladle.server.internal;

import dev.ladle.server.TlsAuthMode;
import dev.ladle.tls.TlsDatabase;
import dev.ladle.tls.TlsProfile;
import dev.ladle.tls.TlsRevocation;

/**
 * The server's TLS settings a {@link TlsContext} is built from, read once per handshake. Each is an
 * immutable object replaced as a whole when the user changes it, so two readings are the same settings
 * exactly when their parts are the same objects.
 *
 * @param certificates the certificates, by server name
 * @param database the trust database for client certificates, or null for the system's
 * @param mode whether client certificates are asked for
 * @param revocation how client certificates are checked for revocation
 * @param profile the TLS versions and cipher suites offered
 */
record TlsSettings(ServerCertificates certificates, TlsDatabase database, TlsAuthMode mode, TlsRevocation revocation,
                   TlsProfile profile) {
    /** The server's current settings. */
    static TlsSettings of(ServerState state) {
        return new TlsSettings(state.tlsCertificates(), state.tlsDatabase(), state.tlsAuthMode(), state.tlsRevocation(),
                state.tlsProfile());
    }

    /** True when {@code other} holds the very same setting objects (not merely equal ones). */
    boolean sameAs(TlsSettings other) {
        return certificates == other.certificates && database == other.database && mode == other.mode
                && revocation == other.revocation && profile == other.profile;
    }
}
