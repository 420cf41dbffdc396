package dev.ladle.server;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Captures what one {@code java.util.logging} logger (the default backend of {@link System.Logger})
 * publishes (at INFO and above unless told otherwise), as {@code SimpleFormatter} text.
 *
 * <p>Reached by reflection because the tests are compiled into module {@code dev.ladle.server}, which
 * does not read {@code java.logging} (the engine logs only through {@code System.Logger}); at run time
 * the tests are on the class path, where the package is accessible.
 */
public final class LogCapture implements AutoCloseable {
    private static final Pattern RECORD_START =
            Pattern.compile("(?m)^(SEVERE|WARNING|INFO|CONFIG|FINE|FINER|FINEST): (.*)$");

    private final Object logger;
    private final Object oldLevel;
    private final Object handler;
    private final ByteArrayOutputStream sink = new ByteArrayOutputStream();

    /** Captures records of {@code loggerName} (and its children) at INFO and above. */
    public LogCapture(String loggerName) throws ReflectiveOperationException {
        this(loggerName, "INFO");
    }

    /** Captures records at {@code level} (a {@code java.util.logging.Level} name) and above. */
    public LogCapture(String loggerName, String level) throws ReflectiveOperationException {
        Class<?> loggerType = Class.forName("java.util.logging.Logger");
        Class<?> handlerType = Class.forName("java.util.logging.Handler");
        Class<?> formatterType = Class.forName("java.util.logging.Formatter");
        Object formatter = Class.forName("java.util.logging.SimpleFormatter").getConstructor().newInstance();
        handler = Class.forName("java.util.logging.StreamHandler")
                .getConstructor(java.io.OutputStream.class, formatterType).newInstance(sink, formatter);
        logger = loggerType.getMethod("getLogger", String.class).invoke(null, loggerName);
        Class<?> levelType = Class.forName("java.util.logging.Level");
        Object lvl = levelType.getMethod("parse", String.class).invoke(null, level);
        handlerType.getMethod("setLevel", levelType).invoke(handler, lvl);
        oldLevel = loggerType.getMethod("getLevel").invoke(logger);
        loggerType.getMethod("setLevel", levelType).invoke(logger, lvl);
        loggerType.getMethod("addHandler", handlerType).invoke(logger, handler);
    }

    /** The records published so far, each as {@code LEVEL: message}. */
    public List<String> records() throws ReflectiveOperationException {
        return records(text());
    }

    /** Everything published so far, stack traces included. */
    public String text() throws ReflectiveOperationException {
        Class.forName("java.util.logging.Handler").getMethod("flush").invoke(handler);
        return sink.toString(StandardCharsets.UTF_8);
    }

    private static List<String> records(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = RECORD_START.matcher(text);
        while (m.find()) {
            out.add(m.group(1) + ": " + m.group(2));
        }
        return out;
    }

    @Override
    public void close() throws ReflectiveOperationException {
        Class<?> loggerType = Class.forName("java.util.logging.Logger");
        Method remove = loggerType.getMethod("removeHandler", Class.forName("java.util.logging.Handler"));
        remove.invoke(logger, handler);
        loggerType.getMethod("setLevel", Class.forName("java.util.logging.Level")).invoke(logger, oldLevel);
        Class.forName("java.util.logging.Handler").getMethod("close").invoke(handler);
    }
}
