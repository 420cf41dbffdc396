/**
 * JSON request and response bodies through Jackson databind: {@link dev.ladle.jackson.JacksonCodec}.
 */
package dev.ladle.jackson;
