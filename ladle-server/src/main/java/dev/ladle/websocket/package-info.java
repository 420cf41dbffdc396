/** WebSocket connections (RFC 6455) and extensions, including permessage-deflate (RFC 7692). */
package dev.ladle.websocket;
