package dev.ladle.server.internal;

import dev.ladle.auth.AuthDomain;
import dev.ladle.server.ServerMessage;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Warnings about set-ups that work but are almost certainly mistakes, each logged once at
 * {@code WARNING}: their symptoms (a 500 nobody asked for, a domain that protects nothing) are easy to
 * miss, while one line per mistake is not noise.
 */
public final class ConfigurationWarnings {
    private static final System.Logger LOG = System.getLogger(ConfigurationWarnings.class.getName());

    /** Registered handler paths already warned about; a path holds one normal handler, so one line each. */
    private final Set<String> statuslessHandlerPaths = ConcurrentHashMap.newKeySet();
    /** Domains already warned about, by identity (domains do not override equals). */
    private final Set<AuthDomain> uncoveredDomains = ConcurrentHashMap.newKeySet();

    /** Creates the warnings of one server. */
    public ConfigurationWarnings() {
    }

    /**
     * A normal handler returned and nothing set a status, so the client gets libsoup's 500; logged once
     * per registered handler path.
     *
     * @param handlerPath the path the handler was registered at
     * @param method the request method
     * @param path the request path
     * @param wasPaused true when the handler paused the message and it was unpaused without a status
     */
    public void handlerSetNoStatus(String handlerPath, String method, String path, boolean wasPaused) {
        if (!statuslessHandlerPaths.add(handlerPath)) {
            return;
        }
        LOG.log(System.Logger.Level.WARNING, "the handler at " + handlerPath + " returned without setting a status for "
                + method + " " + path + (wasPaused ? " (it paused the message, which was unpaused without one)" : "")
                + ", so the client got 500 Internal Server Error; call msg.setStatus(...) in every branch"
                + " (logged once for this handler path)");
    }

    /**
     * Warns, once per domain, when {@code domain} is a server domain without a protected path: it
     * then covers no request at all. Proxy domains cover every request whatever their paths, and a
     * subclass that overrides {@code covers} decides without them.
     */
    public void checkCoverage(AuthDomain domain) {
        if (domain.isProxy() || !domain.getPaths().isEmpty() || decidesCoverageItself(domain)
                || !uncoveredDomains.add(domain)) {
            return;
        }
        LOG.log(System.Logger.Level.WARNING, "the auth domain \"" + domain.getRealm() + "\" ("
                + domain.getClass().getSimpleName() + ") covers no path, so it protects nothing: give it paths"
                + " (its constructor's paths, or addPath(\"/admin\"); addPath(\"/\") for every path) before adding"
                + " it to the server or listening");
    }

    private static boolean decidesCoverageItself(AuthDomain domain) {
        try {
            return domain.getClass().getMethod("covers", ServerMessage.class).getDeclaringClass() != AuthDomain.class;
        } catch (NoSuchMethodException e) {
            return false; // cannot happen: covers is public
        }
    }
}
