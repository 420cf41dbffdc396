package dev.ladle.http;

/** HTTP status codes as {@code int} constants, and their standard reason phrases (RFC 9110). */
public final class Status {
    /** No status has been set yet. */
    public static final int NONE = 0;
    /** 100. */ public static final int CONTINUE = 100;
    /** 101. */ public static final int SWITCHING_PROTOCOLS = 101;
    /** 102. */ public static final int PROCESSING = 102;
    /** 200. */ public static final int OK = 200;
    /** 201. */ public static final int CREATED = 201;
    /** 202. */ public static final int ACCEPTED = 202;
    /** 203. */ public static final int NON_AUTHORITATIVE = 203;
    /** 204. */ public static final int NO_CONTENT = 204;
    /** 205. */ public static final int RESET_CONTENT = 205;
    /** 206. */ public static final int PARTIAL_CONTENT = 206;
    /** 207. */ public static final int MULTI_STATUS = 207;
    /** 300. */ public static final int MULTIPLE_CHOICES = 300;
    /** 301. */ public static final int MOVED_PERMANENTLY = 301;
    /** 302. */ public static final int FOUND = 302;
    /** 303. */ public static final int SEE_OTHER = 303;
    /** 304. */ public static final int NOT_MODIFIED = 304;
    /** 305. */ public static final int USE_PROXY = 305;
    /** 307. */ public static final int TEMPORARY_REDIRECT = 307;
    /** 308. */ public static final int PERMANENT_REDIRECT = 308;
    /** 400. */ public static final int BAD_REQUEST = 400;
    /** 401. */ public static final int UNAUTHORIZED = 401;
    /** 402. */ public static final int PAYMENT_REQUIRED = 402;
    /** 403. */ public static final int FORBIDDEN = 403;
    /** 404. */ public static final int NOT_FOUND = 404;
    /** 405. */ public static final int METHOD_NOT_ALLOWED = 405;
    /** 406. */ public static final int NOT_ACCEPTABLE = 406;
    /** 407. */ public static final int PROXY_AUTHENTICATION_REQUIRED = 407;
    /** 408. */ public static final int REQUEST_TIMEOUT = 408;
    /** 409. */ public static final int CONFLICT = 409;
    /** 410. */ public static final int GONE = 410;
    /** 411. */ public static final int LENGTH_REQUIRED = 411;
    /** 412. */ public static final int PRECONDITION_FAILED = 412;
    /** 413. */ public static final int CONTENT_TOO_LARGE = 413;
    /** 414. */ public static final int URI_TOO_LONG = 414;
    /** 415. */ public static final int UNSUPPORTED_MEDIA_TYPE = 415;
    /** 416. */ public static final int RANGE_NOT_SATISFIABLE = 416;
    /** 417. */ public static final int EXPECTATION_FAILED = 417;
    /** 421. */ public static final int MISDIRECTED_REQUEST = 421;
    /** 422. */ public static final int UNPROCESSABLE_CONTENT = 422;
    /** 426. */ public static final int UPGRADE_REQUIRED = 426;
    /** 428. */ public static final int PRECONDITION_REQUIRED = 428;
    /** 429. */ public static final int TOO_MANY_REQUESTS = 429;
    /** 431. */ public static final int REQUEST_HEADER_FIELDS_TOO_LARGE = 431;
    /** 500. */ public static final int INTERNAL_SERVER_ERROR = 500;
    /** 501. */ public static final int NOT_IMPLEMENTED = 501;
    /** 502. */ public static final int BAD_GATEWAY = 502;
    /** 503. */ public static final int SERVICE_UNAVAILABLE = 503;
    /** 504. */ public static final int GATEWAY_TIMEOUT = 504;
    /** 505. */ public static final int HTTP_VERSION_NOT_SUPPORTED = 505;

    private Status() {
    }

    /**
     * Returns the standard reason phrase of {@code status}, or {@code "Unknown Error"} for a code this
     * class does not know.
     */
    public static String phrase(int status) {
        return switch (status) {
            case CONTINUE -> "Continue";
            case SWITCHING_PROTOCOLS -> "Switching Protocols";
            case PROCESSING -> "Processing";
            case OK -> "OK";
            case CREATED -> "Created";
            case ACCEPTED -> "Accepted";
            case NON_AUTHORITATIVE -> "Non-Authoritative Information";
            case NO_CONTENT -> "No Content";
            case RESET_CONTENT -> "Reset Content";
            case PARTIAL_CONTENT -> "Partial Content";
            case MULTI_STATUS -> "Multi-Status";
            case MULTIPLE_CHOICES -> "Multiple Choices";
            case MOVED_PERMANENTLY -> "Moved Permanently";
            case FOUND -> "Found";
            case SEE_OTHER -> "See Other";
            case NOT_MODIFIED -> "Not Modified";
            case USE_PROXY -> "Use Proxy";
            case TEMPORARY_REDIRECT -> "Temporary Redirect";
            case PERMANENT_REDIRECT -> "Permanent Redirect";
            case BAD_REQUEST -> "Bad Request";
            case UNAUTHORIZED -> "Unauthorized";
            case PAYMENT_REQUIRED -> "Payment Required";
            case FORBIDDEN -> "Forbidden";
            case NOT_FOUND -> "Not Found";
            case METHOD_NOT_ALLOWED -> "Method Not Allowed";
            case NOT_ACCEPTABLE -> "Not Acceptable";
            case PROXY_AUTHENTICATION_REQUIRED -> "Proxy Authentication Required";
            case REQUEST_TIMEOUT -> "Request Timeout";
            case CONFLICT -> "Conflict";
            case GONE -> "Gone";
            case LENGTH_REQUIRED -> "Length Required";
            case PRECONDITION_FAILED -> "Precondition Failed";
            case CONTENT_TOO_LARGE -> "Content Too Large";
            case URI_TOO_LONG -> "URI Too Long";
            case UNSUPPORTED_MEDIA_TYPE -> "Unsupported Media Type";
            case RANGE_NOT_SATISFIABLE -> "Range Not Satisfiable";
            case EXPECTATION_FAILED -> "Expectation Failed";
            case MISDIRECTED_REQUEST -> "Misdirected Request";
            case UNPROCESSABLE_CONTENT -> "Unprocessable Content";
            case UPGRADE_REQUIRED -> "Upgrade Required";
            case PRECONDITION_REQUIRED -> "Precondition Required";
            case TOO_MANY_REQUESTS -> "Too Many Requests";
            case REQUEST_HEADER_FIELDS_TOO_LARGE -> "Request Header Fields Too Large";
            case INTERNAL_SERVER_ERROR -> "Internal Server Error";
            case NOT_IMPLEMENTED -> "Not Implemented";
            case BAD_GATEWAY -> "Bad Gateway";
            case SERVICE_UNAVAILABLE -> "Service Unavailable";
            case GATEWAY_TIMEOUT -> "Gateway Timeout";
            case HTTP_VERSION_NOT_SUPPORTED -> "HTTP Version Not Supported";
            default -> "Unknown Error";
        };
    }

    /** Returns true for 1xx codes. */
    public static boolean isInformational(int status) {
        return status >= 100 && status < 200;
    }

    /** Returns true for 2xx codes. */
    public static boolean isSuccessful(int status) {
        return status >= 200 && status < 300;
    }

    /** Returns true for 3xx codes. */
    public static boolean isRedirection(int status) {
        return status >= 300 && status < 400;
    }

    /** Returns true for 4xx and 5xx codes. */
    public static boolean isError(int status) {
        return status >= 400 && status < 600;
    }
}
