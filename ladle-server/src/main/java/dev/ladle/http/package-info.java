/**
 * HTTP message parts shared by the server, auth and WebSocket layers: headers, bodies, status codes,
 * versions, ranges, dates and forms.
 */
package dev.ladle.http;
