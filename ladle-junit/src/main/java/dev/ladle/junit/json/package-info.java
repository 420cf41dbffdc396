/**
 * A small, dependency-free JSON library for matching request bodies: a strict RFC 8259
 * {@linkplain dev.ladle.junit.json.Json#parse(String) reader} into an immutable tree of
 * {@link dev.ladle.junit.json.JsonValue}s, a {@linkplain dev.ladle.junit.json.Json#write writer},
 * {@linkplain dev.ladle.junit.json.JsonEquality structural comparison} that explains the first difference,
 * and a {@linkplain dev.ladle.junit.json.JsonPath JSON path} subset.
 */
package dev.ladle.junit.json;
