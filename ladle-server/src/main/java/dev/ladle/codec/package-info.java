/**
 * Body codecs: reading a request body as a Java type and writing a value as the response, with the
 * content type, charset and content negotiation handled (see {@link dev.ladle.codec.BodyCodec} and
 * {@link dev.ladle.codec.BodyCodecs}). Text, bytes and forms are built in; other formats, such as JSON
 * through the optional {@code ladle-jackson} module, are added to a server with
 * {@code Server.addBodyCodec}.
 */
package dev.ladle.codec;
