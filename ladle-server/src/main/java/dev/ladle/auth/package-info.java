/** Authentication domains: HTTP Basic (RFC 7617) and Digest (RFC 7616), for servers and proxies. */
package dev.ladle.auth;
