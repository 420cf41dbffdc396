package dev.ladle.auth;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;

/**
 * Captures, formatted, every record the {@code dev.ladle} loggers emit at any level, through the JDK's
 * default {@link System.Logger} backend (java.util.logging). Reached by reflection because the module
 * under test does not read {@code java.logging}; the tests run on the class path, where it is visible.
 */
final class LogCapture implements AutoCloseable {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Object logger;
    private final Object handler;
    private final Object previousLevel;
    private final Class<?> levelClass;
    private final Class<?> handlerClass;

    LogCapture() throws ReflectiveOperationException {
        Class<?> loggerClass = Class.forName("java.util.logging.Logger");
        levelClass = Class.forName("java.util.logging.Level");
        handlerClass = Class.forName("java.util.logging.Handler");
        Class<?> formatterClass = Class.forName("java.util.logging.Formatter");
        Object all = levelClass.getField("ALL").get(null);
        Object formatter = Class.forName("java.util.logging.SimpleFormatter").getConstructor().newInstance();
        handler = Class.forName("java.util.logging.StreamHandler")
                .getConstructor(java.io.OutputStream.class, formatterClass).newInstance(out, formatter);
        handlerClass.getMethod("setLevel", levelClass).invoke(handler, all);
        logger = loggerClass.getMethod("getLogger", String.class).invoke(null, "dev.ladle");
        previousLevel = loggerClass.getMethod("getLevel").invoke(logger);
        loggerClass.getMethod("setLevel", levelClass).invoke(logger, all);
        loggerClass.getMethod("addHandler", handlerClass).invoke(logger, handler);
    }

    /** Returns everything logged so far. */
    String text() throws ReflectiveOperationException {
        handlerClass.getMethod("flush").invoke(handler);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws ReflectiveOperationException {
        Class<?> loggerClass = logger.getClass();
        Method remove = loggerClass.getMethod("removeHandler", handlerClass);
        remove.invoke(logger, handler);
        loggerClass.getMethod("setLevel", levelClass).invoke(logger, previousLevel);
    }
}
