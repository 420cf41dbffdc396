package dev.ladle.server.internal;

import dev.ladle.auth.AuthDomain;
import dev.ladle.server.Limits;
import dev.ladle.server.Server;
import dev.ladle.websocket.WebSocketExtension;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * What the HTTP engine needs to know about its {@link Server}: handlers, auth domains, WebSocket
 * extensions, settings and where to send events. One per server, shared by all its connections.
 */
public final class ServerState {
    /** The public server, passed to callbacks. */
    public final Server server;
    /** Emits the server's request events. */
    public final ServerEvents events;
    /** Handlers by path. */
    public final PathMap handlers = new PathMap();
    /** Auth domains in the order added. */
    public final List<AuthDomain> authDomains = new CopyOnWriteArrayList<>();
    /** Likely mistakes in the set-up (a handler that sets no status, an auth domain without paths), logged once. */
    public final ConfigurationWarnings warnings = new ConfigurationWarnings();
    /** WebSocket extension types the server accepts, in the order added. */
    public final List<Class<? extends WebSocketExtension>> webSocketExtensions = new CopyOnWriteArrayList<>();
    /** The body codecs of {@code ServerMessage.getRequestBodyAs} and {@code setResponseValue}. */
    public final dev.ladle.codec.BodyCodecs bodyCodecs = new dev.ladle.codec.BodyCodecs();
    /** Live connections, for disconnect and close. */
    public final ConnectionRegistry connections = new ConnectionRegistry();
    /** What the resource caps did, for {@code ServerStatistics}; holds the body memory budget. */
    public final ResourceCounters counters = new ResourceCounters();
    /** The direct buffers large request bodies are read into on plain HTTP/1.1 connections. */
    public final BodyBufferPool bodyBuffers = new BodyBufferPool();
    /** The connection caps' counts. */
    final ConnectionAdmission admission = new ConnectionAdmission(counters);
    /** Answers the connections the caps refuse. */
    final ConnectionRefusal refusal = new ConnectionRefusal();
    /** Whether the server drains before it closes, and the wait of its grace period. */
    public final DrainState drain = new DrainState();
    /** Exchanges waiting on the application, for the response timeout. */
    final ResponseDeadlines responseDeadlines = new ResponseDeadlines(this);
    /** Where idle plain connections wait without a thread. */
    final IdleSelector idleSelector = new IdleSelector(this::listening);

    private volatile Limits limits = new Limits();
    private volatile String serverHeader;
    private volatile boolean rawPaths;
    private volatile List<String> httpAliases = List.of("http");
    private volatile List<String> httpsAliases = List.of("https");
    /** TLS certificates (SNI): the default and those by server name, one snapshot replaced on each change. */
    private final AtomicReference<ServerCertificates> tlsCertificates = new AtomicReference<>(ServerCertificates.EMPTY);
    private volatile dev.ladle.tls.TlsDatabase tlsDatabase;
    private volatile dev.ladle.server.TlsAuthMode tlsAuthMode = dev.ladle.server.TlsAuthMode.NONE;
    // client-certificate revocation
    private volatile dev.ladle.tls.TlsRevocation tlsRevocation = dev.ladle.tls.TlsRevocation.NONE;
    // TLS: Strict-Transport-Security
    private volatile String strictTransportSecurity;
    // TLS profiles
    private volatile dev.ladle.tls.TlsProfile tlsProfile = dev.ladle.tls.TlsProfile.INTERMEDIATE;
    private volatile boolean http2Enabled = true;
    private volatile boolean h2cEnabled = true;
    private volatile dev.ladle.server.TrustedProxies trustedProxies = dev.ladle.server.TrustedProxies.NONE;
    private volatile dev.ladle.server.Compression compression = dev.ladle.server.Compression.OFF;
    /** Copies large files to clients on this machine instead of {@code sendfile}. */
    public final LoopbackFileCopy loopbackFileCopy = new LoopbackFileCopy(this);
    /** True while the server has listeners: a kept-alive connection needs one (libsoup). */
    private volatile boolean listening;
    /** Keeps the JVM running while {@link #listening}: the server's own threads are all daemons. */
    private final JvmAnchor anchor = new JvmAnchor();

    /** Creates the state of {@code server}. */
    public ServerState(Server server, ServerEvents events) {
        this.server = server;
        this.events = events;
    }

    /**
     * Waits at most {@code millis} until the thread that idle connections wait in has ended, once no
     * connection is parked and the server no longer listens (for {@code close()}).
     *
     * @return true when it ended (or never ran)
     */
    public boolean awaitIdleSelectorEnd(long millis) throws InterruptedException {
        return idleSelector.awaitEnd(millis);
    }

    /** Returns the current limits (never changed in place). */
    public Limits limits() {
        return limits;
    }

    /** Installs a copy of {@code limits}. */
    public void setLimits(Limits limits) {
        this.limits = new Limits(limits);
    }

    /** Returns the {@code Server} header value, or null for none. */
    public String serverHeader() {
        return serverHeader;
    }

    /** Sets the {@code Server} header value (already expanded), or null for none. */
    public void setServerHeader(String value) {
        this.serverHeader = value;
    }

    /** Returns true when request paths are not percent-decoded. */
    public boolean rawPaths() {
        return rawPaths;
    }

    /** Sets {@link #rawPaths()}. */
    public void setRawPaths(boolean rawPaths) {
        this.rawPaths = rawPaths;
    }

    /** Returns the URI schemes treated as {@code http} in absolute-form targets (lower case). */
    public List<String> httpAliases() {
        return httpAliases;
    }

    /** Sets {@link #httpAliases()}. */
    public void setHttpAliases(List<String> aliases) {
        this.httpAliases = List.copyOf(aliases);
    }

    /** Returns the URI schemes treated as {@code https} in absolute-form targets (lower case). */
    public List<String> httpsAliases() {
        return httpsAliases;
    }

    /** Sets {@link #httpsAliases()}. */
    public void setHttpsAliases(List<String> aliases) {
        this.httpsAliases = List.copyOf(aliases);
    }

    /** Returns the default certificate of https listeners, or null. */
    public dev.ladle.tls.TlsCertificate tlsCertificate() {
        return tlsCertificates.get().defaultCertificate();
    }

    /** Sets {@link #tlsCertificate()}. */
    public void setTlsCertificate(dev.ladle.tls.TlsCertificate certificate) {
        updateTlsCertificates(certificates -> certificates.withDefault(certificate));
    }

    // TLS certificates by server name (SNI)

    /** Returns the current certificate snapshot: the default and the certificates by server name. */
    public ServerCertificates tlsCertificates() {
        return tlsCertificates.get();
    }

    /**
     * Replaces the certificate snapshot with {@code change} applied to it, atomically (a concurrent change
     * is not lost); what {@code change} throws leaves the snapshot as it was.
     */
    public void updateTlsCertificates(UnaryOperator<ServerCertificates> change) {
        tlsCertificates.updateAndGet(change);
    }

    /** Returns the trust database for client certificates, or null for the system's. */
    public dev.ladle.tls.TlsDatabase tlsDatabase() {
        return tlsDatabase;
    }

    /** Sets {@link #tlsDatabase()}. */
    public void setTlsDatabase(dev.ladle.tls.TlsDatabase database) {
        this.tlsDatabase = database;
    }

    /** Returns the client-certificate mode. */
    public dev.ladle.server.TlsAuthMode tlsAuthMode() {
        return tlsAuthMode;
    }

    /** Sets {@link #tlsAuthMode()}. */
    public void setTlsAuthMode(dev.ladle.server.TlsAuthMode mode) {
        this.tlsAuthMode = mode;
    }

    /** Returns how client certificates are checked for revocation; never null. */
    public dev.ladle.tls.TlsRevocation tlsRevocation() {
        return tlsRevocation;
    }

    /** Sets {@link #tlsRevocation()}. */
    public void setTlsRevocation(dev.ladle.tls.TlsRevocation revocation) {
        this.tlsRevocation = java.util.Objects.requireNonNull(revocation, "revocation");
    }

    // TLS: Strict-Transport-Security

    /** Returns the Strict-Transport-Security value of https responses, or null for none. */
    public String strictTransportSecurity() {
        return strictTransportSecurity;
    }

    /** Sets {@link #strictTransportSecurity()}. */
    public void setStrictTransportSecurity(String value) {
        this.strictTransportSecurity = value;
    }

    // TLS profiles

    /** Returns the TLS versions and cipher suites https listeners offer. */
    public dev.ladle.tls.TlsProfile tlsProfile() {
        return tlsProfile;
    }

    /** Sets {@link #tlsProfile()}. */
    public void setTlsProfile(dev.ladle.tls.TlsProfile profile) {
        this.tlsProfile = profile;
    }

    /** Returns true when https listeners offer {@code h2} through ALPN. */
    public boolean http2Enabled() {
        return http2Enabled;
    }

    /** Sets {@link #http2Enabled()}. */
    public void setHttp2Enabled(boolean enabled) {
        this.http2Enabled = enabled;
    }

    /** Returns true when plain listeners accept HTTP/2 by prior knowledge. */
    public boolean h2cEnabled() {
        return h2cEnabled;
    }

    /** Returns the proxies whose forwarding headers are believed; {@code NONE} by default. */
    public dev.ladle.server.TrustedProxies trustedProxies() {
        return trustedProxies;
    }

    /** Sets {@link #trustedProxies()}. */
    public void setTrustedProxies(dev.ladle.server.TrustedProxies proxies) {
        this.trustedProxies = proxies;
    }

    /** Sets {@link #h2cEnabled()}. */
    public void setH2cEnabled(boolean enabled) {
        this.h2cEnabled = enabled;
    }

    /** Returns how responses are compressed unless a message says otherwise; {@code OFF} by default. */
    public dev.ladle.server.Compression compression() {
        return compression;
    }

    /** Sets {@link #compression()}. */
    public void setCompression(dev.ladle.server.Compression compression) {
        this.compression = compression;
    }

    /** Returns true while the server has at least one listener. */
    public boolean listening() {
        return listening;
    }

    /** Sets {@link #listening()}. */
    public void setListening(boolean listening) {
        this.listening = listening;
        if (listening) {
            anchor.hold();
        } else {
            anchor.release();
        }
    }

    /** Returns true while a thread keeps the JVM running because the server listens. */
    public boolean keepsJvmRunning() {
        return anchor.isHolding();
    }
}
