/**
 * JSON bodies for Ladle: {@link dev.ladle.jackson.JacksonCodec}, a body codec backed by Jackson databind,
 * added to a server with {@code server.addBodyCodec(new JacksonCodec())}. A separate module so that
 * {@code dev.ladle.server} keeps depending on nothing but the JDK.
 *
 * <p>Jackson reads and writes an application's types by reflection: a named application module opens
 * the packages of its request and response types to {@code com.fasterxml.jackson.databind}.
 */
module dev.ladle.jackson {
    requires transitive dev.ladle.server;
    requires transitive com.fasterxml.jackson.databind;

    exports dev.ladle.jackson;
}
