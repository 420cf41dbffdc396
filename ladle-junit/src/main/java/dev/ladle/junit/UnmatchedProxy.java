package dev.ladle.junit;

import java.io.IOException;
import java.net.URI;
import java.util.Objects;

/**
 * Where a {@link MockServer} sends the requests nothing the test set up answers, and, while recording,
 * what it keeps of the real answers.
 *
 * @param target the real server's base URI
 * @param recording the exchanges kept, or null when not recording
 */
record UnmatchedProxy(URI target, Recording recording) {
    private static final System.Logger LOG = System.getLogger(UnmatchedProxy.class.getName());
    /** What the client of a request gets when the real server cannot be asked. */
    static final int BAD_GATEWAY = 502;

    UnmatchedProxy {
        Objects.requireNonNull(target, "target");
        String scheme = target.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || target.getRawAuthority() == null || target.getRawQuery() != null || target.getRawFragment() != null) {
            throw new IllegalArgumentException("a proxy target is http:// or https://, a host and an optional base path, not " + target);
        }
    }

    /**
     * Forwards {@code request} and returns the real answer (recorded when recording), or a {@code 502}
     * saying why there is none; the journal then counts the request as unmatched.
     */
    Answer answer(ProxyForwarder forwarder, RecordedRequest request) {
        try {
            MockResponse response = forwarder.forward(target, request);
            if (recording != null) {
                recording.add(request, response);
            }
            return new Answer(response, "proxy to " + target, null);
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            String why = "ladle-junit: the proxy to " + target + " failed: " + e;
            LOG.log(System.Logger.Level.WARNING, why);
            return new Answer(MockResponse.status(BAD_GATEWAY).withBody("text/plain; charset=utf-8", why + "\n"),
                    null, "no stub, and the proxy to " + target + " failed (" + BAD_GATEWAY + ")");
        }
    }
}
