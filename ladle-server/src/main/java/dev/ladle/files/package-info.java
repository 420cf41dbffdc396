/**
 * Serving files from a directory: {@link dev.ladle.files.StaticFiles}, the handler, and
 * {@link dev.ladle.files.RootDirectory}, which keeps request paths inside the directory. A single file
 * is answered with {@code ServerMessage.setResponseFile}.
 */
package dev.ladle.files;
