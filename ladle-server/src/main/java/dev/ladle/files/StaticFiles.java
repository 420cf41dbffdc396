package dev.ladle.files;

import dev.ladle.http.MediaTypes;
import dev.ladle.http.MessageHeaders;
import dev.ladle.http.Status;
import dev.ladle.server.Compression;
import dev.ladle.server.Server;
import dev.ladle.server.ServerCallback;
import dev.ladle.server.ServerMessage;
import dev.ladle.server.internal.AcceptEncoding;
import dev.ladle.server.internal.FileAccess;
import dev.ladle.server.internal.RoutingAccess;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A handler that serves the files under a directory to GET and HEAD, each with
 * {@link ServerMessage#setResponseFile}: streamed, with validators, conditional requests and ranges.
 *
 * <pre>{@code
 * server.addHandler("/static", new StaticFiles(Path.of("public")));   // /static/css/a.css is public/css/a.css
 * }</pre>
 *
 * <p>What it refuses, before the file system is asked: any {@code ..} segment, NUL byte or backslash
 * in the percent-decoded path (so {@code %2e%2e} and {@code %2f} are refused like the plain ones), and
 * with 403; a path whose real location, once symbolic links are followed, is outside the root, with
 * 403; a name starting with a dot anywhere in the path, with 404, unless
 * {@linkplain #setHiddenFiles hidden files} are served. Every other method gets 405 with
 * {@code Allow: GET, HEAD}.
 *
 * <p>A directory requested without its trailing slash is redirected (301) to it, so relative links in
 * its pages work. With the slash, it is answered with its first existing
 * {@linkplain #setIndexFiles index file} ({@code index.html} by default), else with an HTML listing when
 * {@linkplain #setDirectoryListing listings} are on, else 403.
 *
 * <p>With {@linkplain #setPrecompressed precompressed files} on, {@code a.css.gz} is served for
 * {@code a.css} to clients that take gzip. Compressing on the fly is the server's
 * {@linkplain Server#setCompression setting}: it applies to files too (read in pieces then, without
 * {@code sendfile}), to the types it names.
 *
 * <p>Configure it before adding it to a server; the setters are safe to call later (a request sees
 * each setting either before or after the change) but not meant for it. The server must not use
 * {@linkplain Server#setRawPaths raw paths}: then the handler would see names still percent-encoded.
 */
public final class StaticFiles implements ServerCallback {
    private static final String ALLOWED = "GET, HEAD";
    /** What a precompressed sibling offers: gzip, by the request's weights. */
    private static final List<Compression.Coding> GZIP_ONLY = List.of(Compression.Coding.GZIP);
    /** The default {@linkplain #setMemoryCache memory cache}: 8 MiB in all. */
    static final long DEFAULT_CACHE_BYTES = 8L << 20;
    /** The default {@linkplain #setMemoryCache memory cache}: files of up to 32 KiB. */
    static final long DEFAULT_CACHE_FILE_SIZE = 32L << 10;

    private final RootDirectory root;
    private volatile List<String> indexFiles = List.of("index.html");
    private volatile boolean directoryListing;
    private volatile boolean hiddenFiles;
    private volatile String cacheControl;
    private volatile boolean precompressed;
    private volatile SmallFileCache cache = new SmallFileCache(DEFAULT_CACHE_BYTES, DEFAULT_CACHE_FILE_SIZE);

    /**
     * Serves the files under {@code root}. The path the handler was added at is taken off request paths
     * before they are mapped to files: added at {@code /static}, {@code /static/css/a.css} is
     * {@code css/a.css} under the root; added at {@code /} (or as the default handler), the whole path is.
     * One instance may be added at several paths.
     *
     * @throws IllegalArgumentException when {@code root} does not exist, is not a directory or cannot be read
     */
    public StaticFiles(Path root) {
        this(new RootDirectory(Objects.requireNonNull(root, "root")));
    }

    /** Serves the files under {@code root}, shared with other handlers (an upload handler, say). */
    public StaticFiles(RootDirectory root) {
        this.root = Objects.requireNonNull(root, "root");
    }

    /** Returns the directory served. */
    public RootDirectory getRoot() {
        return root;
    }

    /**
     * Sets the names tried, in order, for a directory requested with its trailing slash; none turns
     * index files off. Default {@code index.html}.
     *
     * @throws IllegalArgumentException when a name is empty, {@code .} or {@code ..}, or holds {@code /},
     *     a backslash or NUL
     * @return this
     */
    public StaticFiles setIndexFiles(String... names) {
        for (String name : names) {
            if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0
                    || name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("an index file must be a plain file name: " + name);
            }
        }
        this.indexFiles = List.of(names);
        return this;
    }

    /**
     * Turns the HTML listing of a directory without an index file on or off. Off by default: a listing
     * shows names that may not be meant to be found. Hidden names are listed only when served.
     *
     * @return this
     */
    public StaticFiles setDirectoryListing(boolean enabled) {
        this.directoryListing = enabled;
        return this;
    }

    /**
     * Serves names starting with a dot ({@code .git}, {@code .env}) or refuses them with 404, as by
     * default: such files are usually there by accident and hold what should not be published.
     *
     * @return this
     */
    public StaticFiles setHiddenFiles(boolean served) {
        this.hiddenFiles = served;
        return this;
    }

    /**
     * Sets the {@code Cache-Control} of file answers (200 and 304; ranges included), for example
     * {@code "max-age=3600"}; null (the default) sends none, which leaves caches to the validators.
     *
     * @return this
     */
    public StaticFiles setCacheControl(String value) {
        this.cacheControl = value;
        return this;
    }

    /**
     * Serves a file's gzip-compressed sibling ({@code a.css.gz} for {@code a.css}) when it exists and the
     * request's {@code Accept-Encoding} takes gzip, as nginx's {@code gzip_static} does; off by default.
     * The answer has {@code Content-Encoding: gzip} and the original's {@code Content-Type}; its
     * validators ({@code ETag}, {@code Last-Modified}) are the {@code .gz} file's own, so they never match
     * the original's; and a {@code Range} is of the {@code .gz} bytes, with {@code Content-Range} counting
     * them (nginx does the same: the range is of the representation sent). Every answer about a file
     * that has such a sibling carries {@code Vary: Accept-Encoding}. The sibling must lie under the root
     * like any file; whoever makes it keeps it in step with the original (it is not compared).
     *
     * @return this
     */
    public StaticFiles setPrecompressed(boolean enabled) {
        this.precompressed = enabled;
        return this;
    }

    /**
     * Keeps the contents of small files in memory, at most {@code maxBytes} in all and files of at most
     * {@code maxFileSize} bytes each (by default 8 MiB and 32 KiB); {@code 0} for either turns it off.
     * A cached file costs one {@code lstat} per request, which every request makes anyway, instead of an
     * open, a read and a close. Larger files are sent with {@code sendfile}, which needs no copy.
     *
     * <p>A cached file is served only while that {@code lstat} still shows the file it was read from
     * (the same device and inode, size and modification time), so a file replaced or rewritten is read
     * again. Files modified less than two seconds before they are read are not kept, since a second write
     * within the same tick of the file system's clock would keep the time. What goes unnoticed is an
     * edit in place that keeps the size and sets the modification time back ({@code touch -d}), and a
     * file made unreadable by its permissions alone: turn the cache off where files are changed that way.
     * When full, the cache is emptied and refills as files are requested.
     *
     * @throws IllegalArgumentException when a limit is negative
     * @return this
     */
    public StaticFiles setMemoryCache(long maxBytes, long maxFileSize) {
        if (maxBytes < 0 || maxFileSize < 0) {
            throw new IllegalArgumentException("a memory cache limit cannot be negative: " + maxBytes + ", " + maxFileSize);
        }
        this.cache = new SmallFileCache(maxBytes, maxFileSize);
        return this;
    }

    /** Returns the memory cache (for tests). */
    SmallFileCache cache() {
        return cache;
    }

    /** Answers a GET or HEAD with the file or directory the path names; see the class description. */
    @Override
    public void handle(Server server, ServerMessage msg, String path, Map<String, String> query) {
        String method = msg.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            msg.getResponseHeaders().replace("Allow", ALLOWED);
            FileAccess.plain(msg, Status.METHOD_NOT_ALLOWED);
            return;
        }
        String relative = RoutingAccess.below(RoutingAccess.handlerPath(msg), path);
        if (relative == null || !hiddenFiles && hasHiddenName(relative)) {
            FileAccess.plain(msg, Status.NOT_FOUND);
            return;
        }
        Path target = root.resolve(relative.isEmpty() ? "/" : relative);
        if (target == null) {
            FileAccess.plain(msg, Status.FORBIDDEN);
            return;
        }
        // one lstat answers where the file is, what it is and what its validators are; the responder
        // neither stats it again nor follows a link when it opens it
        BasicFileAttributes attributes = root.linkFreeAttributes(target);
        if (attributes != null) {
            if (attributes.isDirectory()) {
                directory(msg, path, relative, target);
            } else {
                file(msg, target, attributes);
            }
            return;
        }
        // a symbolic link on the way, a missing name, or the root itself: the full check, following links
        if (!root.contains(target)) {
            FileAccess.plain(msg, Status.FORBIDDEN);
            return;
        }
        if (Files.isDirectory(target)) {
            directory(msg, path, relative, target);
        } else {
            file(msg, target, null);
        }
    }

    private void directory(ServerMessage msg, String path, String relative, Path directory) {
        if (!relative.endsWith("/")) {
            // relative to the request ("./name/"), so a path starting with "//" cannot turn into a host
            // name and a name with a colon cannot turn into a scheme
            URI uri = msg.getUri();
            String rawPath = uri.getRawPath();
            String query = uri.getRawQuery();
            msg.setRedirect(Status.MOVED_PERMANENTLY, "./" + rawPath.substring(rawPath.lastIndexOf('/') + 1) + "/"
                    + (query == null ? "" : "?" + query));
            return;
        }
        for (String name : indexFiles) {
            Path index = directory.resolve(name);
            Found found = regularFile(index);
            if (found != null) {
                file(msg, index, found.linkFree);
                return;
            }
        }
        if (!directoryListing) {
            FileAccess.plain(msg, Status.FORBIDDEN);
            return;
        }
        try {
            byte[] page = DirectoryListing.render(path, directory, directory.equals(root.path()), hiddenFiles);
            msg.setResponse("text/html; charset=utf-8", page);
            msg.setStatus(Status.OK);
        } catch (IOException e) {
            FileAccess.plain(msg, Status.FORBIDDEN);
        }
    }

    /**
     * Answers with {@code file}: with its {@code linkFree} attributes when {@link RootDirectory} found no
     * link on its way, else (null) by the public method, which reads them following links.
     */
    private void file(ServerMessage msg, Path file, BasicFileAttributes linkFree) {
        String name = file.getFileName().toString();
        String type = MediaTypes.forFileName(name);
        Found gzip = precompressed && !name.endsWith(".gz") ? regularFile(file.resolveSibling(name + ".gz")) : null;
        if (gzip == null) {
            respond(msg, file, type, linkFree);
        } else {
            // the answer depends on Accept-Encoding whether the sibling is chosen or not: caches must know
            MessageHeaders response = msg.getResponseHeaders();
            if (!response.headerContains("Vary", "Accept-Encoding")) {
                response.append("Vary", "Accept-Encoding");
            }
            if (AcceptEncoding.choose(msg.getRequestHeaders().getList("Accept-Encoding"), GZIP_ONLY) != null) {
                respond(msg, gzip.path, type, gzip.linkFree);
                if (msg.getStatus() == Status.OK) {
                    response.replace("Content-Encoding", "gzip");
                }
            } else {
                respond(msg, file, type, linkFree);
            }
        }
        String cache = cacheControl;
        if (cache != null && (msg.getStatus() == Status.OK || msg.getStatus() == Status.NOT_MODIFIED)) {
            msg.getResponseHeaders().replace("Cache-Control", cache);
        }
    }

    /** Answers with {@code file}, from the memory cache when it is small, free of links and asked for by GET. */
    private void respond(ServerMessage msg, Path file, String type, BasicFileAttributes linkFree) {
        byte[] content = linkFree != null && msg.getMethod().equals("GET") ? cache.contents(file, linkFree) : null;
        FileAccess.respond(msg, file, type, linkFree, content);
    }

    /**
     * A regular file under the root, with its attributes when no link leads to it (null when one inside
     * the root does, and the responder follows it).
     */
    private record Found(Path path, BasicFileAttributes linkFree) {
    }

    /** Returns {@code file} when it is a regular file under the root, else null. */
    private Found regularFile(Path file) {
        // following links, this answers a missing file (the usual sibling) with one stat and no exception
        if (!Files.isRegularFile(file)) {
            return null;
        }
        BasicFileAttributes attributes = root.linkFreeAttributes(file);
        if (attributes != null) {
            return attributes.isRegularFile() ? new Found(file, attributes) : null;
        }
        return root.contains(file) ? new Found(file, null) : null;
    }

    /** Returns true when a segment of {@code path} starts with a dot ({@code .} and {@code ..} aside: they are refused as traversal). */
    static boolean hasHiddenName(String path) {
        int start = 0;
        while (start < path.length()) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = path.length();
            }
            if (end == start) {
                start++;
                continue;
            }
            if (path.charAt(start) == '.' && !(end - start == 1 || end - start == 2 && path.charAt(start + 1) == '.')) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    /** Returns true for a hidden file name: one starting with a dot, other than {@code .} and {@code ..}. */
    static boolean isHidden(String name) {
        return name.startsWith(".") && !name.equals(".") && !name.equals("..");
    }
}
