/**
 * The server: {@link dev.ladle.server.Server}, the messages it hands to handlers, and its options.
 */
package dev.ladle.server;
