package dev.ladle.httpd;

import dev.ladle.server.ListenOption;
import dev.ladle.server.TrustedProxies;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * The flags for running behind a load balancer, mixed into {@link HttpdCommand}: the port hand-over
 * ({@code --reuse-port}), draining ({@code --health}, {@code --drain-grace}), Digest nonces any
 * instance accepts ({@code --nonce-key-file}) and seeing the client through the balancer
 * ({@code --proxy-protocol}, {@code --trusted-proxy}, {@code --trusted-headers}).
 */
final class BalancerFlags {
    /** The default of {@code --drain-grace} with {@code --health}: a balancer checking every 2 s notices within it. */
    static final long DEFAULT_DRAIN_GRACE_SECONDS = 5;

    @Option(names = "--reuse-port",
            description = "Bind the TCP ports with SO_REUSEPORT: another ladle-httpd started with it may listen on the same"
                    + " port, for a restart without a moment when the port refuses connections.")
    boolean reusePort;

    @Option(names = "--health", paramLabel = "PATH",
            description = "Answer a load balancer's health checks at PATH: 200 while serving, 503 while draining"
                    + " (not behind --auth).")
    String health;

    /** Null when not given: the default depends on {@code --health} (see {@link #drainGrace()}). */
    @Option(names = "--drain-grace", paramLabel = "DURATION", converter = DurationFlag.class,
            description = "On SIGTERM or SIGINT, drain this long before stopping: health checks answer 503, each"
                    + " connection closes after its next response, new connections are still served (5s, 500ms;"
                    + " default: " + DEFAULT_DRAIN_GRACE_SECONDS + "s with --health, else 0).")
    Duration drainGrace;

    @Option(names = "--nonce-key-file", paramLabel = "FILE",
            description = "With --auth digest: sign nonces with the bytes of FILE (at least 16), so that every instance"
                    + " given the same file accepts the others' nonces (default: a random key per process).")
    Path nonceKeyFile;

    @Option(names = "--proxy-protocol",
            description = "Every connection to the TCP ports (http and https) must start with a PROXY protocol header"
                    + " (version 1 or 2, as HAProxy's send-proxy-v2 or nginx's proxy_protocol send it): the client it"
                    + " names is the request's address, also in the access log. Only for ports that just the balancers"
                    + " reach: anyone else could claim any address. The --unix socket never reads one.")
    boolean proxyProtocol;

    @Option(names = "--trusted-proxy", paramLabel = "ADDRESS|CIDR|unix",
            description = "Believe the Forwarded and X-Forwarded-For/-Proto/-Host/-Port headers of requests from this"
                    + " proxy (an address, a range such as 10.0.0.0/8, or unix for --unix peers): they name the client,"
                    + " the scheme and the host (repeatable; behind --proxy-protocol, the proxy is the client it names).")
    List<String> trustedProxies = new ArrayList<>();

    @Option(names = "--trusted-headers", paramLabel = "both|forwarded|x-forwarded", defaultValue = "both",
            description = "Which forwarding headers --trusted-proxy believes (default: ${DEFAULT-VALUE}, Forwarded"
                    + " winning). Name the family your proxies set: a client may send the other itself, and proxies"
                    + " pass on what they do not set.")
    String trustedHeaders;

    /**
     * Returns how long a stop drains: {@code --drain-grace}, or without it {@value #DEFAULT_DRAIN_GRACE_SECONDS} s
     * when {@code --health} is given and none otherwise (nothing checks the health then, so the wait would
     * only delay the stop).
     */
    Duration drainGrace() {
        if (drainGrace != null) {
            return drainGrace;
        }
        return health != null ? Duration.ofSeconds(DEFAULT_DRAIN_GRACE_SECONDS) : Duration.ZERO;
    }

    /** Returns the listen options of the TCP listeners these flags ask for (none by default). */
    Set<ListenOption> tcpListenOptions() {
        EnumSet<ListenOption> options = EnumSet.noneOf(ListenOption.class);
        if (reusePort) {
            options.add(ListenOption.REUSE_PORT);
        }
        if (proxyProtocol) {
            options.add(ListenOption.PROXY_PROTOCOL);
        }
        return options;
    }

    /**
     * Returns the proxies {@code --trusted-proxy} names, reading the {@code --trusted-headers};
     * {@link TrustedProxies#NONE} without any.
     *
     * @throws IllegalArgumentException naming a value that is no address, range or {@code unix}, or a
     *     {@code --trusted-headers} value that is none of its three
     */
    TrustedProxies trustedProxies() {
        if (trustedProxies.isEmpty()) {
            return TrustedProxies.NONE;
        }
        TrustedProxies proxies;
        try {
            proxies = TrustedProxies.of(trustedProxies);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--trusted-proxy: " + e.getMessage(), e);
        }
        return switch (trustedHeaders.toLowerCase(Locale.ROOT)) {
            case "both" -> proxies;
            case "forwarded" -> proxies.withHeaders(TrustedProxies.Header.FORWARDED);
            case "x-forwarded" -> proxies.withHeaders(TrustedProxies.Header.X_FORWARDED);
            default -> throw new IllegalArgumentException("--trusted-headers takes both, forwarded or x-forwarded, got '"
                    + trustedHeaders + "'");
        };
    }

    /**
     * Refuses combinations that cannot work, as usage errors of {@code command} (whose other flags some
     * of these depend on).
     */
    void check(HttpdCommand command) {
        command.checkPath("--health", health);
        if ("/".equals(health)) {
            throw command.usage("--health needs a path other than /, which serves the files");
        }
        if (health != null && (health.equals(command.echo) || health.equals(command.wsEcho))) {
            throw command.usage("--health needs a path of its own, not the one of --echo or --ws-echo");
        }
        boolean unixOnly = command.unix != null && !command.isSet("--port") && command.tlsCert == null;
        for (String tcpOnly : List.of("--reuse-port", "--proxy-protocol")) {
            if (unixOnly && command.isSet(tcpOnly)) {
                throw command.usage(tcpOnly + " applies to TCP ports: give --port too, or leave it out with --unix alone");
            }
        }
        if (nonceKeyFile != null && command.auth != HttpdCommand.AuthScheme.DIGEST) {
            throw command.usage("--nonce-key-file needs --auth digest");
        }
        if (trustedProxies.isEmpty() && command.isSet("--trusted-headers")) {
            throw command.usage("--trusted-headers needs --trusted-proxy");
        }
        try {
            trustedProxies();
        } catch (IllegalArgumentException e) {
            throw command.usage(e.getMessage());
        }
    }
}
